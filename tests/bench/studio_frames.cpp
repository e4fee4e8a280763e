// Canvas frame-time benchmark for eventflow-studio: 500 components and 1,000 connections,
// panned, zoomed and dragged in a MainWindow, with the time of every frame. A benchmark, not a
// test: it prints figures and is not registered with CTest.
//
// usage: studio_frames [--frames N] [--no-overview]
//   --frames N      frames per scenario (default 200)
//   --no-overview   close the overview dock, to see what it costs
//
// A frame is one change (a scroll step, a wheel step, a mouse move of a drag), the work it
// queues, and the repaint, timed from the change to the last pixel. Two ways to paint:
//   paint=full   change -> the scene's queued work (QEvent::MetaCall: dirty items, index) ->
//                canvas viewport()->repaint(): the whole canvas is redrawn. The upper bound of
//                a frame, and what a zoom step costs whichever way it is painted.
//   paint=dirty  change -> every posted event (queued work, then the window's UpdateRequest):
//                what the application paints by itself. Scrolling blits the canvas and paints
//                the strip it exposes, a drag the rectangles its items dirtied.
// QWidget::repaint() sends the window an UpdateRequest at once, so the repaint manager paints
// every dirty widget of the window (the overview too) into the backing store and flushes it.
// Under QT_QPA_PLATFORM=offscreen that backing store is a QImage drawn by the raster engine,
// the same code as on a desktop without OpenGL: the time is real rasterisation, which the
// "check" line confirms (an empty canvas repaints far faster than the design, and the pixels
// in the backing store differ). grab() was not used: it renders into a separate pixmap, off
// the path the window's own frames take.
//
// Output, one line per scenario and way to paint, then a summary:
//   frame_ms scenario=S paint=full|dirty zoom=Z median=M p95=P max=X frames=N painted_pct=A
//            budget_ratio=R PASS|MISS
//   frame_ms summary worst_p95=P worst=S worst_dirty_p95=D budget_ms=16.7 ratio=R load_ms=L
//            peak_rss_mb=K move_commands=C PASS|MISS
// painted_pct: the share of the canvas the paint events covered, over all frames. budget_ratio
// = p95 / 16.7 ms (60 frames/s): at most 1 is smooth. The summary's verdict is on paint=full.

#include "app/studio/ComponentItem.h"
#include "app/studio/DesignCommands.h"
#include "app/studio/DesignDocument.h"
#include "app/studio/DesignScene.h"
#include "app/studio/DesignView.h"
#include "app/studio/MainWindow.h"
#include "app/studio/SimulationRunner.h"
#include "app/studio/Dashboard.h"
#include "app/studio/LiveReading.h"
#include "app/studio/OverviewView.h"
#include "model/ComponentCatalog.h"
#include "model/DesignLayout.h"
#include "model/Validator.h"

#include <QApplication>
#include <QBackingStore>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QPaintEvent>
#include <QScrollBar>
#include <QStandardPaths>
#include <QTest>
#include <QUndoStack>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace {

using eventflow::model::ComponentType;
using eventflow::model::ConnectionKind;
namespace model = eventflow::model;
namespace studio = eventflow::studio;

constexpr double kBudgetMs = 1000.0 / 60.0;
constexpr int kPipelines = 50;
constexpr int kStages = 10;
constexpr int kRowsPerBlock = 25; // two blocks of 25 pipelines side by side: a landscape design

struct Stage {
    ComponentType type;
    const char* id;
    const char* label;
};

// An order pipeline; every pipeline is one row of the grid.
const Stage kStageList[kStages] = {
    {ComponentType::Producer, "clients", "Web shop clients"},
    {ComponentType::Api, "api", "Orders API"},
    {ComponentType::Function, "accept", "Accept order"},
    {ComponentType::Queue, "orders", "Orders queue"},
    {ComponentType::Function, "process", "Process order"},
    {ComponentType::Topic, "events", "Order events"},
    {ComponentType::Queue, "billing", "Billing queue"},
    {ComponentType::Function, "bill", "Bill customer"},
    {ComponentType::Database, "table", "Orders table"},
    {ComponentType::Queue, "dlq", "Dead letters"},
};

struct Link {
    int from;     // stage
    int to;       // stage
    int pipeline; // 0: same pipeline, 1: the next one (the row below)
    ConnectionKind kind;
};

// 20 connections per pipeline, 1,000 in all: the chain, shortcuts within the pipeline, and links
// to the next pipeline (a vertical link in the same column, a backward loop, a long diagonal).
const Link kLinks[] = {
    {0, 1, 0, ConnectionKind::Invoke},       {1, 2, 0, ConnectionKind::Invoke},
    {2, 3, 0, ConnectionKind::Send},         {3, 4, 0, ConnectionKind::EventSource},
    {4, 5, 0, ConnectionKind::Send},         {5, 6, 0, ConnectionKind::Subscription},
    {6, 7, 0, ConnectionKind::EventSource},  {7, 8, 0, ConnectionKind::Invoke},
    {6, 9, 0, ConnectionKind::DeadLetter},   {2, 8, 0, ConnectionKind::Invoke},
    {4, 8, 0, ConnectionKind::Invoke},       {3, 9, 0, ConnectionKind::DeadLetter},
    {5, 7, 0, ConnectionKind::Subscription}, {2, 5, 0, ConnectionKind::Send},
    {7, 9, 0, ConnectionKind::OnFailure},    {4, 9, 0, ConnectionKind::OnFailure},
    {1, 3, 0, ConnectionKind::Send},         {7, 3, 1, ConnectionKind::Send},
    {5, 6, 1, ConnectionKind::Subscription}, {2, 2, 1, ConnectionKind::Invoke},
};

std::string componentId(int pipeline, int stage)
{
    char id[32];
    std::snprintf(id, sizeof id, "p%02d-%s", pipeline, kStageList[stage].id);
    return id;
}

model::Design buildDesign()
{
    model::Design design;
    design.name = "bench-500";
    for (int p = 0; p < kPipelines; ++p) {
        const int block = p / kRowsPerBlock;
        const int row = p % kRowsPerBlock;
        for (int s = 0; s < kStages; ++s) {
            model::Component component;
            component.id = componentId(p, s);
            component.type = kStageList[s].type;
            component.label = std::string(kStageList[s].label) + " " + std::to_string(p + 1);
            // One empty column between the blocks.
            component.position = {(block * (kStages + 1) + s) * model::DesignLayout::kLayerSpacing,
                                  row * model::DesignLayout::kRowSpacing};
            design.components.push_back(std::move(component));
        }
        model::TrafficSpec traffic;
        traffic.producer = componentId(p, 0);
        traffic.profile.rate = 20;
        model::EventTemplate event;
        event.source = "shop";
        event.detailType = "OrderPlaced";
        traffic.events.push_back(event);
        design.traffic.push_back(std::move(traffic));
    }
    for (int p = 0; p < kPipelines; ++p)
        for (const Link& link : kLinks) {
            model::Connection connection;
            connection.from = componentId(p, link.from);
            connection.to = componentId((p + link.pipeline) % kPipelines, link.to);
            connection.kind = link.kind;
            design.connections.push_back(std::move(connection));
        }
    return design;
}

// Every connection must be one the catalogue allows for its two types, or the figures are of a
// design the designer would refuse to draw.
bool kindsAllowed(const model::Design& design)
{
    for (const auto& connection : design.connections) {
        const auto* from = design.findComponent(connection.from);
        const auto* to = design.findComponent(connection.to);
        const auto kinds = model::ComponentCatalog::allowedKinds(from->type, to->type);
        if (std::find(kinds.begin(), kinds.end(), connection.kind) == kinds.end()) {
            std::fprintf(stderr, "studio_frames: %s -> %s: kind not allowed\n",
                         connection.from.c_str(), connection.to.c_str());
            return false;
        }
    }
    return true;
}

double peakRssMb()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n'))
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').front().toDouble() / 1024.0;
    return -1;
}

struct Figures {
    double median = 0;
    double p95 = 0;
    double max = 0;
};

Figures figuresOf(std::vector<double> ms)
{
    std::sort(ms.begin(), ms.end());
    const std::size_t n = ms.size();
    Figures f;
    f.median = n % 2 ? ms[n / 2] : (ms[n / 2 - 1] + ms[n / 2]) / 2;
    f.p95 = ms[std::size_t(std::ceil(0.95 * double(n))) - 1]; // nearest rank
    f.max = ms.back();
    return f;
}

enum class Paint { Full, Dirty };

// Counts the canvas's paint events and the area they cover: a dirty frame that painted
// nothing measured nothing.
class PaintMeter : public QObject {
public:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (event->type() == QEvent::Paint)
            for (const QRect& rect : static_cast<QPaintEvent*>(event)->region())
                m_area += double(rect.width()) * rect.height();
        return QObject::eventFilter(watched, event);
    }
    double takeArea() { return std::exchange(m_area, 0.0); }

private:
    double m_area = 0;
};

class Bench {
public:
    Bench(studio::MainWindow* window, int frames)
        : m_window(window)
        , m_view(window->view())
        , m_scene(window->scene())
        , m_frames(frames)
    {
        m_view->viewport()->installEventFilter(&m_meter);
    }

    void setPaint(Paint paint) { m_paint = paint; }

    // Times `frames` frames; `change(i)` makes the i-th change.
    std::vector<double> run(int frames, const std::function<void(int)>& change)
    {
        std::vector<double> ms;
        ms.reserve(std::size_t(frames));
        m_painted = 0;
        for (int i = 0; i < frames; ++i) {
            QCoreApplication::processEvents(); // leftovers of the previous frame, untimed
            m_meter.takeArea();
            QElapsedTimer timer;
            timer.start();
            change(i);
            frame();
            ms.push_back(double(timer.nsecsElapsed()) / 1e6);
            m_painted += m_meter.takeArea();
        }
        QCoreApplication::processEvents();
        return ms;
    }

    void frame()
    {
        if (m_paint == Paint::Full) {
            // The scene defers its item bookkeeping to queued calls; a real frame runs them
            // before it paints, so this one does too. The posted update request is left:
            // repaint() paints at once.
            QCoreApplication::sendPostedEvents(nullptr, QEvent::MetaCall);
            m_view->viewport()->repaint();
        } else {
            // Twice: the queued work of the first pass may post the update request.
            QCoreApplication::sendPostedEvents();
            QCoreApplication::sendPostedEvents();
        }
    }

    void report(const char* scenario, const std::vector<double>& ms)
    {
        const Figures f = figuresOf(ms);
        const double ratio = f.p95 / kBudgetMs;
        const QSize canvas = m_view->viewport()->size();
        const double painted = 100.0 * m_painted /
                               (double(canvas.width()) * canvas.height() * double(ms.size()));
        const bool full = m_paint == Paint::Full;
        std::printf("frame_ms scenario=%s paint=%s zoom=%.3f median=%.2f p95=%.2f max=%.2f "
                    "frames=%zu painted_pct=%.1f budget_ratio=%.2f %s\n",
                    scenario, full ? "full" : "dirty", m_view->zoom(), f.median, f.p95, f.max,
                    ms.size(), painted, ratio, ratio <= 1.0 ? "PASS" : "MISS");
        std::fflush(stdout);
        if (full && f.p95 > m_worstP95) {
            m_worstP95 = f.p95;
            m_worst = scenario;
        }
        if (!full)
            m_worstDirtyP95 = std::max(m_worstDirtyP95, f.p95);
    }

    // A full repaint with nothing changed, for the checks: the median of a few.
    double repaintMs()
    {
        const Paint paint = std::exchange(m_paint, Paint::Full);
        std::vector<double> ms = run(9, [](int) {});
        m_paint = paint;
        return figuresOf(ms).median;
    }

    // A checksum of the canvas's pixels in the window's backing store: proof that repaint()
    // rasterised something, and that it changes with the view.
    std::size_t canvasChecksum() const
    {
        QBackingStore* store = m_window->backingStore();
        if (!store || store->paintDevice()->devType() != QInternal::Image)
            return 0;
        const auto* image = static_cast<const QImage*>(store->paintDevice());
        const QRect area(m_view->viewport()->mapTo(m_window, QPoint(0, 0)),
                         m_view->viewport()->size());
        const QImage canvas = image->copy(area);
        std::size_t hash = 1469598103934665603ull;
        for (int y = 0; y < canvas.height(); ++y) {
            const uchar* line = canvas.constScanLine(y);
            for (qsizetype x = 0; x < canvas.bytesPerLine(); ++x)
                hash = (hash ^ line[x]) * 1099511628211ull;
        }
        return hash;
    }

    // Scrolls 15 view pixels a frame, turning back at the ends of [low, high] (scroll-bar
    // values).
    std::function<void(int)> panner(int low, int high)
    {
        auto direction = std::make_shared<int>(1);
        return [this, low, high, direction](int) {
            QScrollBar* bar = m_view->horizontalScrollBar();
            int next = bar->value() + *direction * 15;
            if (next > high || next < low) {
                *direction = -*direction;
                next = bar->value() + *direction * 15;
            }
            bar->setValue(next);
        };
    }

    void wheel(int angle)
    {
        const QPointF centre = m_view->viewport()->rect().center();
        QWheelEvent event(centre, m_view->viewport()->mapToGlobal(centre), QPoint(),
                          QPoint(0, angle), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase,
                          false);
        QCoreApplication::sendEvent(m_view->viewport(), &event);
    }

    // Drags the `pipeline`'s 10 components (all selected) by 5 view pixels per frame: right for
    // 60 % of the frames, then back, so the group ends up moved. Returns whether the release
    // pushed one MoveComponentsCommand that moved all ten alike.
    bool drag(const char* scenario, int pipeline)
    {
        std::set<std::string> ids;
        for (int s = 0; s < kStages; ++s)
            ids.insert(componentId(pipeline, s));
        m_scene->selectOnly(ids);
        std::map<std::string, double> before;
        for (const auto& id : ids)
            before[id] = m_scene->componentItem(id)->pos().x();
        studio::ComponentItem* grip = m_scene->componentItem(componentId(pipeline, 0));
        QWidget* viewport = m_view->viewport();
        QPoint at = m_view->mapFromScene(grip->mapToScene(QPointF(40, 30)));
        QCoreApplication::processEvents();
        QTest::mousePress(viewport, Qt::LeftButton, Qt::NoModifier, at);
        const int forward = m_frames * 3 / 5;
        const auto ms = run(m_frames, [&](int i) {
            at += QPoint(i < forward ? 5 : -5, 0);
            QTest::mouseMove(viewport, at);
        });
        report(scenario, ms);
        QUndoStack* stack = m_window->document()->undoStack();
        const int commandsBefore = stack->count();
        QElapsedTimer timer;
        timer.start();
        QTest::mouseRelease(viewport, Qt::LeftButton, Qt::NoModifier, at);
        frame();
        const double releaseMs = double(timer.nsecsElapsed()) / 1e6;
        QCoreApplication::processEvents();
        const bool pushed = stack->count() == commandsBefore + 1 &&
                            dynamic_cast<const studio::MoveComponentsCommand*>(
                                stack->command(stack->count() - 1));
        // The model, not the items: what the command wrote. All ten by the same distance.
        const auto& design = m_window->document()->design();
        const double by = design.findComponent(componentId(pipeline, 0))->position.x -
                          before[componentId(pipeline, 0)];
        bool together = true;
        for (const auto& [id, x] : before)
            together = together && std::abs(design.findComponent(id)->position.x - x - by) < 1e-6;
        std::printf("drag scenario=%s paint=%s release_ms=%.2f move_command=%s moved_by_px=%.1f "
                    "selected=%zu moved_together=%s\n",
                    scenario, m_paint == Paint::Full ? "full" : "dirty", releaseMs,
                    pushed ? "pushed" : "MISSING", by, ids.size(), together ? "yes" : "NO");
        if (pushed)
            ++m_moveCommands;
        return pushed && together && by > 0;
    }

    double worstP95() const { return m_worstP95; }
    const char* worst() const { return m_worst; }
    double worstDirtyP95() const { return m_worstDirtyP95; }
    int moveCommands() const { return m_moveCommands; }

private:
    studio::MainWindow* m_window;
    studio::DesignView* m_view;
    studio::DesignScene* m_scene;
    int m_frames;
    Paint m_paint = Paint::Full;
    PaintMeter m_meter;
    double m_painted = 0; ///< canvas area painted over the last run, in pixels
    double m_worstP95 = 0;
    const char* m_worst = "";
    double m_worstDirtyP95 = 0;
    int m_moveCommands = 0;
};

} // namespace

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    // Settings and recovery files go to the test locations, never the user's.
    QApplication::setOrganizationName(QStringLiteral("EventFlow"));
    QApplication::setApplicationName(QStringLiteral("studio_frames"));
    QStandardPaths::setTestModeEnabled(true);

    int frames = 200;
    const QStringList args = QApplication::arguments();
    if (const auto at = args.indexOf(QStringLiteral("--frames")); at > 0 && at + 1 < args.size())
        frames = std::max(10, args[at + 1].toInt());
    // What the overview costs: the same frames with its dock closed.
    const bool withOverview = !args.contains(QStringLiteral("--no-overview"));

    model::Design design = buildDesign();
    if (!kindsAllowed(design))
        return 1;
    int errors = 0;
    int warnings = 0;
    QElapsedTimer validation;
    validation.start();
    for (const auto& diagnostic : model::Validator::validate(design))
        ++(diagnostic.severity == model::Severity::Error ? errors : warnings);
    const double validateMs = double(validation.nsecsElapsed()) / 1e6;
    std::printf("studio_frames: components=%zu connections=%zu validator errors=%d warnings=%d "
                "validate_ms=%.1f platform=%s\n",
                design.components.size(), design.connections.size(), errors, warnings,
                validateMs, qPrintable(QGuiApplication::platformName()));

    studio::MainWindow::Options options;
    options.autosaveIntervalMs = 24 * 3600 * 1000;
    studio::MainWindow window(options);
    window.setSavePrompt([](const QString&) { return QMessageBox::Discard; });
    window.resize(1600, 1000);
    window.show();
    if (!withOverview)
        window.overview()->parentWidget()->hide();
    if (!QTest::qWaitForWindowExposed(&window)) {
        std::fprintf(stderr, "studio_frames: the window was never exposed\n");
        return 1;
    }
    QCoreApplication::processEvents();

    studio::DesignView* view = window.view();
    studio::DesignScene* scene = window.scene();
    QElapsedTimer load;
    load.start();
    window.document()->reset(std::move(design), QString());
    const double loadMs = double(load.nsecsElapsed()) / 1e6;
    const auto items = scene->items().size();
    QElapsedTimer first;
    first.start();
    view->fitToContents();
    Bench bench(&window, frames);
    bench.frame();
    const double firstFrameMs = double(first.nsecsElapsed()) / 1e6;
    QCoreApplication::processEvents();
    std::printf("load_ms=%.1f items=%lld first_frame_ms=%.1f (fit) viewport=%dx%d\n", loadMs,
                static_cast<long long>(items), firstFrameMs, view->viewport()->width(),
                view->viewport()->height());

    // Does repaint() rasterise? Then an empty stretch of canvas is cheaper than the design, and
    // the pixels differ between views.
    const QRectF contents = scene->contentsRect();
    const qreal fitZoom = view->zoom();
    const double fitMs = bench.repaintMs();
    const std::size_t fitPixels = bench.canvasChecksum();
    view->setZoom(1.0);
    view->centerOn(contents.left() - 2000, contents.top() - 2000);
    const double emptyMs = bench.repaintMs();
    const std::size_t emptyPixels = bench.canvasChecksum();
    view->centerOn(contents.left() + 600, contents.top() + 400);
    const double designMs = bench.repaintMs();
    const std::size_t designPixels = bench.canvasChecksum();
    const bool rasterises = fitPixels != 0 && fitPixels != emptyPixels &&
                            designPixels != emptyPixels && designMs > 1.5 * emptyMs;
    std::printf("check repaint_ms empty=%.2f design_zoom1=%.2f fit=%.2f pixels_differ=%s: %s\n",
                emptyMs, designMs, fitMs,
                fitPixels != emptyPixels && designPixels != emptyPixels ? "yes" : "NO",
                rasterises ? "ok" : "SUSPECT (repaint may not rasterise)");

    // a) pan at zoom 1.0 across the design, and at fit (everything visible, the worst case).
    const auto scrollValueAt = [&](qreal sceneX) {
        view->centerOn(sceneX, view->mapToScene(view->viewport()->rect().center()).y());
        return view->horizontalScrollBar()->value();
    };
    for (const Paint paint : {Paint::Full, Paint::Dirty}) {
        bench.setPaint(paint);
        view->setZoom(1.0);
        const int low = scrollValueAt(contents.left() + 600);
        const int high = scrollValueAt(contents.right() - 600);
        view->horizontalScrollBar()->setValue(low);
        bench.report("pan_zoom1", bench.run(frames, bench.panner(low, high)));
    }
    for (const Paint paint : {Paint::Full, Paint::Dirty}) {
        bench.setPaint(paint);
        view->fitToContents();
        const int centre = view->horizontalScrollBar()->value();
        bench.report("pan_fit", bench.run(frames, bench.panner(centre - 150, centre + 150)));
    }

    // b) wheel steps around the centre between fit and 1.5. Every step redraws the whole
    // canvas whichever way it is painted, so once.
    bench.setPaint(Paint::Full);
    view->fitToContents();
    int step = 120;
    bench.report("zoom", bench.run(frames, [&](int) {
        const qreal next = view->zoom() * std::pow(1.15, step / 120.0);
        if (next > 1.5 || next < fitZoom * 0.999)
            step = -step;
        bench.wheel(step);
    }));

    // c) drag 10 selected components, with their connections, at zoom 1.0 and at fit; a new
    // pipeline each time, so that every release is an undo step of its own. Snapping is off so
    // that every 5 px step moves the cards (snapped, 3 steps in 4 would not).
    scene->setSnapToGrid(false);
    bool dragged = true;
    int pipeline = 5;
    for (const Paint paint : {Paint::Full, Paint::Dirty}) {
        bench.setPaint(paint);
        view->setZoom(1.0);
        const QPointF row = scene->componentItem(componentId(pipeline, 0))->pos();
        view->centerOn(row + QPointF(view->viewport()->width() / 2.0 - 100, 0));
        dragged = bench.drag("drag_zoom1", pipeline) && dragged;
        pipeline += 5;
    }
    for (const Paint paint : {Paint::Full, Paint::Dirty}) {
        bench.setPaint(paint);
        view->fitToContents();
        dragged = bench.drag("drag_fit", pipeline) && dragged;
        pipeline += 5;
    }
    scene->setSnapToGrid(true);

    // d) the design simulating on the worker thread at full speed while the user pans at fit:
    // each frame also takes in the snapshots that arrived (colours, badges, flowing links and
    // the dashboard's charts), as the event loop would.
    {
        bench.setPaint(Paint::Dirty);
        view->fitToContents();
        int snapshots = 0;
        QObject::connect(window.runner(), &studio::SimulationRunner::snapshot, &window,
                         [&snapshots] { ++snapshots; });
        window.setRunSpeed(0.0);
        window.run();
        const int centre = view->horizontalScrollBar()->value();
        const auto pan = bench.panner(centre - 150, centre + 150);
        const auto ms = bench.run(frames, [&](int i) {
            pan(i);
            QCoreApplication::processEvents(); // snapshots and their repaints
        });
        bench.report("simulating_pan_fit", ms);
        const auto& latest = window.runner()->latest();
        std::printf("simulating snapshots=%d simulated_s=%.1f state=%d status=%s %s\n", snapshots,
                    latest ? latest->simulatedSeconds : 0.0, int(window.runner()->state()),
                    latest ? latest->status.c_str() : "-",
                    latest && !latest->diagnostics.empty()
                        ? latest->diagnostics.front().message.c_str()
                        : "");
        // Where a snapshot frame goes: reading the results, recolouring the items, the charts.
        if (latest) {
            QElapsedTimer part;
            part.start();
            const auto reading = studio::LiveReading::of(window.document()->design(), *latest);
            const double readMs = double(part.nsecsElapsed()) / 1e6;
            part.restart();
            scene->showLive(reading);
            const double applyMs = double(part.nsecsElapsed()) / 1e6;
            part.restart();
            window.dashboard()->showResults(window.document()->design(), *latest);
            const double chartsMs = double(part.nsecsElapsed()) / 1e6;
            part.restart();
            view->viewport()->repaint();
            const double repaintMs = double(part.nsecsElapsed()) / 1e6;
            std::printf("snapshot_ms read=%.2f apply=%.2f charts=%.2f repaint=%.2f\n", readMs,
                        applyMs, chartsMs, repaintMs);
        }
        window.runner()->cancel();
        QTest::qWait(50);
    }

    const double peakMb = peakRssMb();
    const double ratio = bench.worstP95() / kBudgetMs;
    std::printf("frame_ms summary worst_p95=%.2f worst=%s worst_dirty_p95=%.2f budget_ms=%.1f "
                "ratio=%.2f load_ms=%.1f peak_rss_mb=%.1f move_commands=%d %s\n",
                bench.worstP95(), bench.worst(), bench.worstDirtyP95(), kBudgetMs, ratio, loadMs,
                peakMb, bench.moveCommands(), ratio <= 1.0 ? "PASS" : "MISS");
    return rasterises && dragged ? 0 : 1;
}
