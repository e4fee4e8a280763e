#include "MainWindow.h"

#include "ComponentItem.h"
#include "ComponentPalette.h"
#include "ConnectionItem.h"
#include "CompareWindow.h"
#include "ComponentStyle.h"
#include "DesignCommands.h"
#include "DesignPointer.h"
#include "DesignScene.h"
#include "DesignView.h"
#include "Dashboard.h"
#include "DiagramPicture.h"
#include "FaultTimeline.h"
#include "Inspector.h"
#include "LiveReading.h"
#include "OverviewView.h"
#include "ProblemsPanel.h"
#include "RecoveryStore.h"
#include "ScenarioGallery.h"
#include "SimulationRunner.h"
#include "TemplateExportDialog.h"
#include "Wording.h"

#include "model/DesignFile.h"
#include "model/TemplateImporter.h"
#include "model/Validator.h"
#include "app/report/ReportWriter.h"
#include "sim/Engine.h"
#include "sim/RunReport.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QCloseEvent>
#include <QDir>
#include <QEventLoop>
#include <QThread>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMimeData>
#include <QSaveFile>
#include <QScrollArea>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>
#include <QToolTip>
#include <QRegularExpression>
#include <QUndoView>

#include <cmath>

namespace eventflow::studio {

namespace {

constexpr const char* kFragmentMime = "application/x-eventflow-fragment";
constexpr int kMaxRecentFiles = 8;

/// Templates are YAML, or JSON with a Resources section and no design "format"; anything else
/// is read as a design, whose loader then names what is wrong with it.
bool isTemplatePath(const QString& path)
{
    const QString lower = path.toLower();
    if (lower.endsWith(QLatin1String(".eventflow.json")))
        return false;
    if (lower.endsWith(QLatin1String(".yaml")) || lower.endsWith(QLatin1String(".yml")) ||
        lower.endsWith(QLatin1String(".template")))
        return true;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const auto document = nlohmann::json::parse(file.readAll().toStdString(), nullptr, false);
    return document.is_object() && !document.contains("format") &&
           (document.contains("Resources") || document.contains("AWSTemplateFormatVersion"));
}

QString diagnosticsText(const model::Diagnostics& diagnostics, int limit = 12)
{
    QStringList lines;
    for (const auto& d : diagnostics) {
        if (lines.size() == limit) {
            lines << QObject::tr("… and %1 more").arg(int(diagnostics.size()) - limit);
            break;
        }
        lines << QStringLiteral("%1: %2").arg(qs(d.pointer.empty() ? "/" : d.pointer),
                                              qs(d.message));
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace

struct MainWindow::Actions {
    QAction* newDesign;
    QAction* newFromScenario;
    QAction* open;
    QAction* save;
    QAction* saveAs;
    QAction* importTemplate;
    QAction* exportTemplate;
    QAction* exportPicture;
    QAction* compare;
    QAction* report;
    QAction* quit;
    QAction* undo;
    QAction* redo;
    QAction* cut;
    QAction* copy;
    QAction* paste;
    QAction* duplicate;
    QAction* remove;
    QAction* selectAll;
    QAction* zoomIn;
    QAction* zoomOut;
    QAction* zoomReset;
    QAction* fit;
    QAction* snap;
    QList<QAction*> align;
    QList<QAction*> distribute;
    QAction* run;
    QAction* pause;
    QAction* step;
    QAction* stop;
};

MainWindow::MainWindow(Options options, QWidget* parent)
    : QMainWindow(parent)
    , m_options(options)
    , m_document(new DesignDocument(this))
    , m_scene(new DesignScene(m_document, this))
    , m_view(new DesignView(m_scene, this))
    , m_actions(std::make_unique<Actions>())
{
    setWindowIcon(QIcon(QStringLiteral(":/icons/eventflow-studio.svg")));
    setCentralWidget(m_view);
    setAcceptDrops(true);
    setDockOptions(AnimatedDocks | AllowTabbedDocks);
    m_savePrompt = [this](const QString& name) {
        return QMessageBox::warning(
            this, tr("Unsaved changes"),
            tr("“%1” has changes that are not saved.\nSave them before closing?").arg(name),
            QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    };
    m_reportError = [this](const QString& title, const QString& message) {
        QMessageBox::warning(this, title, message);
    };

    m_zoomLabel = new QLabel(this);
    m_problemSummary = new QLabel(this);
    m_runner = new SimulationRunner(this);
    createActions();
    createMenus();
    createToolBars();
    createRunToolBar();
    createDocks();

    statusBar()->addPermanentWidget(m_problemSummary);
    statusBar()->addPermanentWidget(m_zoomLabel);
    connect(m_view, &DesignView::zoomChanged, this, [this](qreal zoom) {
        m_zoomLabel->setText(tr("Zoom %1%").arg(std::lround(zoom * 100)));
    });
    m_zoomLabel->setText(tr("Zoom 100%"));
    connect(m_scene, &DesignScene::statusMessage, this,
            [this](const QString& message) { statusBar()->showMessage(message, 8000); });
    connect(m_scene, &DesignScene::connectionRefused, this,
            [this](const QString& reason, QPointF scenePos) {
                statusBar()->showMessage(reason, 12000);
                const QPoint at = m_view->viewport()->mapToGlobal(m_view->mapFromScene(scenePos));
                QToolTip::showText(at, reason, m_view);
            });
    connect(m_scene, &QGraphicsScene::selectionChanged, this,
            &MainWindow::syncInspectorWithSelection);
    connect(m_document, &DesignDocument::modifiedChanged, this, &MainWindow::updateTitle);
    connect(m_document, &DesignDocument::filePathChanged, this, &MainWindow::updateTitle);
    connect(m_document, &DesignDocument::scenarioChanged, this, &MainWindow::updateTitle);

    connect(m_runner, &SimulationRunner::snapshot, this, &MainWindow::showSnapshot);
    connect(m_runner, &SimulationRunner::stateChanged, this, &MainWindow::runStateChanged);
    connect(m_runner, &SimulationRunner::failed, this, [this](const QString& message) {
        m_reportError(tr("The design cannot run yet"),
                      tr("Fix these problems first (see the Problems panel):\n%1").arg(message));
    });
    // Content edits (not moves) make a run stale.
    for (auto signal : {&DesignDocument::componentInserted, &DesignDocument::componentRemoved,
                        &DesignDocument::componentChanged, &DesignDocument::connectionInserted,
                        &DesignDocument::connectionRemoved, &DesignDocument::connectionChanged})
        connect(m_document, signal, this, &MainWindow::resetRun);
    connect(m_document, &DesignDocument::scenarioChanged, this, &MainWindow::resetRun);
    connect(m_document, &DesignDocument::designReset, this, &MainWindow::resetRun);
    runStateChanged();

    m_autosaveTimer = new QTimer(this);
    m_autosaveTimer->setInterval(m_options.autosaveIntervalMs);
    connect(m_autosaveTimer, &QTimer::timeout, this, &MainWindow::autosave);
    m_autosaveTimer->start();

    readSettings();
    updateTitle();
    statusBar()->showMessage(
        tr("Drag a component from the palette; drag from the + on a component's right edge to "
           "connect it"));
}

MainWindow::~MainWindow()
{
    m_scene->disconnect(this);
    m_document->disconnect(this);
}

void MainWindow::createActions()
{
    auto& a = *m_actions;
    auto make = [this](const QString& text, QKeySequence shortcut, auto slot,
                       const QString& icon = QString()) {
        auto* action = new QAction(text, this);
        if (!shortcut.isEmpty())
            action->setShortcut(shortcut);
        if (!icon.isEmpty())
            action->setIcon(QIcon::fromTheme(icon));
        connect(action, &QAction::triggered, this, slot);
        return action;
    };
    a.newDesign = make(tr("&New"), QKeySequence::New, [this] { newDesign(); }, "document-new");
    a.newFromScenario = make(tr("New from &Scenario…"), QKeySequence(tr("Ctrl+Shift+N")),
                             [this] { newFromScenario(); });
    a.open = make(tr("&Open…"), QKeySequence::Open, [this] { open(); }, "document-open");
    a.save = make(tr("&Save"), QKeySequence::Save, [this] { save(); }, "document-save");
    a.saveAs = make(tr("Save &As…"), QKeySequence::SaveAs, [this] { saveAs(); },
                    "document-save-as");
    a.importTemplate = make(tr("&Import Template…"), QKeySequence(tr("Ctrl+I")),
                            [this] { importTemplateDialog(); });
    a.exportTemplate = make(tr("&Export Template…"), QKeySequence(tr("Ctrl+E")),
                            [this] { exportTemplate(); });
    a.exportPicture = make(tr("Export &Picture…"), QKeySequence(tr("Ctrl+Shift+E")),
                           [this] { exportPicture(); });
    a.report = make(tr("Export &Report…"), QKeySequence(tr("Ctrl+Shift+R")),
                    [this] { exportReport(); });
    a.compare = make(tr("&Compare With…"), QKeySequence(tr("Ctrl+Shift+C")), [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Compare With"), QFileInfo(m_document->filePath()).absolutePath(),
            tr("EventFlow designs (*.eventflow.json)"));
        if (!path.isEmpty())
            if (CompareWindow* window = compareWith(path))
                window->show();
    });
    a.quit = make(tr("&Quit"), QKeySequence::Quit, [this] { close(); }, "application-exit");

    a.undo = m_document->undoStack()->createUndoAction(this, tr("&Undo"));
    a.undo->setShortcut(QKeySequence::Undo);
    a.redo = m_document->undoStack()->createRedoAction(this, tr("&Redo"));
    a.redo->setShortcut(QKeySequence::Redo);
    a.cut = make(tr("Cu&t"), QKeySequence::Cut, [this] {
        copySelection();
        deleteSelection();
    });
    a.copy = make(tr("&Copy"), QKeySequence::Copy, [this] { copySelection(); });
    a.paste = make(tr("&Paste"), QKeySequence::Paste, [this] { paste(); });
    a.duplicate = make(tr("D&uplicate"), QKeySequence(tr("Ctrl+D")),
                       [this] { duplicateSelection(); });
    a.remove = make(tr("&Delete"), QKeySequence::Delete, [this] { deleteSelection(); });
    a.remove->setShortcuts({QKeySequence::Delete, QKeySequence(Qt::Key_Backspace)});
    a.selectAll = make(tr("Select &All"), QKeySequence::SelectAll, [this] {
        for (QGraphicsItem* item : m_scene->items())
            if (item->flags() & QGraphicsItem::ItemIsSelectable)
                item->setSelected(true);
    });
    for (QAction* action : {a.cut, a.copy, a.paste, a.duplicate, a.remove, a.selectAll})
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);

    a.zoomIn = make(tr("Zoom &In"), QKeySequence::ZoomIn, [this] { m_view->zoomIn(); });
    a.zoomIn->setShortcuts({QKeySequence::ZoomIn, QKeySequence(tr("Ctrl+="))});
    a.zoomOut = make(tr("Zoom &Out"), QKeySequence::ZoomOut, [this] { m_view->zoomOut(); });
    a.zoomReset = make(tr("&Actual Size"), QKeySequence(tr("Ctrl+0")),
                       [this] { m_view->resetZoom(); });
    a.fit = make(tr("&Fit to Window"), QKeySequence(tr("Ctrl+Shift+F")),
                 [this] { m_view->fitToContents(); });
    a.snap = make(tr("&Snap to Grid"), QKeySequence(tr("Ctrl+Shift+G")),
                  [this](bool on) { m_scene->setSnapToGrid(on); });
    a.snap->setCheckable(true);
    a.snap->setChecked(true);

    const std::pair<QString, Alignment> alignments[] = {
        {tr("Align &Left"), Alignment::Left},
        {tr("Align &Centres Horizontally"), Alignment::HorizontalCentre},
        {tr("Align &Right"), Alignment::Right},
        {tr("Align &Top"), Alignment::Top},
        {tr("Align &Middles Vertically"), Alignment::VerticalCentre},
        {tr("Align &Bottom"), Alignment::Bottom},
    };
    for (const auto& [text, alignment] : alignments) {
        const Alignment chosen = alignment;
        a.align << make(text, QKeySequence(), [this, chosen] { alignSelection(chosen); });
    }
    // Not Ctrl+Alt+arrows: GNOME and KDE switch workspaces with them.
    a.align[0]->setShortcut(QKeySequence(tr("Ctrl+Shift+Left")));
    a.align[2]->setShortcut(QKeySequence(tr("Ctrl+Shift+Right")));
    a.align[3]->setShortcut(QKeySequence(tr("Ctrl+Shift+Up")));
    a.align[5]->setShortcut(QKeySequence(tr("Ctrl+Shift+Down")));
    a.distribute << make(tr("Distribute &Horizontally"), QKeySequence(tr("Ctrl+Alt+H")),
                         [this] { distributeSelection(Qt::Horizontal); });
    a.distribute << make(tr("Distribute &Vertically"), QKeySequence(tr("Ctrl+Alt+V")),
                         [this] { distributeSelection(Qt::Vertical); });
    // Edit and arrange shortcuts act on the canvas, so typing in the inspector keeps its own
    // copy, paste and word selection.
    m_view->addActions({a.cut, a.copy, a.paste, a.duplicate, a.remove, a.selectAll});
    for (QAction* action : a.align + a.distribute) {
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        m_view->addAction(action);
    }
}

void MainWindow::createMenus()
{
    auto& a = *m_actions;
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(a.newDesign);
    file->addAction(a.newFromScenario);
    file->addAction(a.open);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    file->addSeparator();
    file->addAction(a.save);
    file->addAction(a.saveAs);
    file->addSeparator();
    file->addAction(a.importTemplate);
    file->addAction(a.exportTemplate);
    file->addAction(a.exportPicture);
    file->addAction(a.report);
    file->addSeparator();
    file->addAction(a.compare);
    file->addSeparator();
    file->addAction(a.quit);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(a.undo);
    edit->addAction(a.redo);
    edit->addSeparator();
    edit->addAction(a.cut);
    edit->addAction(a.copy);
    edit->addAction(a.paste);
    edit->addAction(a.duplicate);
    edit->addAction(a.remove);
    edit->addSeparator();
    edit->addAction(a.selectAll);

    QMenu* arrange = menuBar()->addMenu(tr("&Arrange"));
    arrange->addActions(a.align);
    arrange->addSeparator();
    arrange->addActions(a.distribute);
    arrange->addSeparator();
    arrange->addAction(a.snap);

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    m_viewMenu->addAction(a.zoomIn);
    m_viewMenu->addAction(a.zoomOut);
    m_viewMenu->addAction(a.zoomReset);
    m_viewMenu->addAction(a.fit);
    m_viewMenu->addSeparator();

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About EventFlow Studio"), this, [this] {
        QMessageBox::about(this, tr("About EventFlow Studio"),
                           tr("<b>EventFlow Studio %1</b><p>Design, simulate and export "
                              "event-driven AWS architectures.</p>")
                               .arg(QStringLiteral(EVENTFLOW_VERSION)));
    });
    updateRecentMenu();
}

void MainWindow::createToolBars()
{
    auto& a = *m_actions;
    QToolBar* toolbar = addToolBar(tr("Main"));
    toolbar->setObjectName(QStringLiteral("mainToolBar"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolbar->addAction(a.newDesign);
    toolbar->addAction(a.open);
    toolbar->addAction(a.save);
    toolbar->addSeparator();
    toolbar->addAction(a.undo);
    toolbar->addAction(a.redo);
    toolbar->addSeparator();
    toolbar->addAction(a.fit);
    toolbar->addAction(a.exportTemplate);
}

void MainWindow::createRunToolBar()
{
    auto& a = *m_actions;
    a.run = new QAction(tr("▶ Run"), this);
    a.run->setShortcut(QKeySequence(Qt::Key_F5));
    a.run->setToolTip(tr("Run the simulation live (F5)"));
    connect(a.run, &QAction::triggered, this, [this] { run(); });
    a.pause = new QAction(tr("Pause"), this);
    a.pause->setShortcut(QKeySequence(Qt::Key_F6));
    connect(a.pause, &QAction::triggered, m_runner, &SimulationRunner::pause);
    a.step = new QAction(tr("Step"), this);
    a.step->setShortcut(QKeySequence(Qt::Key_F10));
    a.step->setToolTip(tr("Advance one sample interval (F10)"));
    connect(a.step, &QAction::triggered, this, [this] {
        if (m_runner->state() == SimulationRunner::State::Idle ||
            m_runner->state() == SimulationRunner::State::Finished ||
            m_runner->state() == SimulationRunner::State::Cancelled) {
            run(0.0); // a fresh run, paused at its start
            return;
        }
        m_runner->step();
    });
    a.stop = new QAction(tr("Reset"), this);
    a.stop->setShortcut(QKeySequence(tr("Shift+F5")));
    a.stop->setToolTip(tr("Stop the run and clear its pictures (Shift+F5)"));
    connect(a.stop, &QAction::triggered, this, [this] {
        m_runner->cancel();
        resetRun();
    });

    QToolBar* toolbar = addToolBar(tr("Run"));
    toolbar->setObjectName(QStringLiteral("runToolBar"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolbar->addAction(a.run);
    toolbar->addAction(a.pause);
    toolbar->addAction(a.step);
    toolbar->addAction(a.stop);
    m_speedCombo = new QComboBox(this);
    m_speedCombo->setToolTip(tr("Simulated seconds per second"));
    for (const auto& [text, speed] :
         {std::pair{tr("×1 real time"), 1.0}, {tr("×10"), 10.0}, {tr("×100"), 100.0},
          {tr("×1000"), 1000.0}, {tr("As fast as possible"), 0.0}})
        m_speedCombo->addItem(text, speed);
    m_speedCombo->setCurrentIndex(1);
    m_speedCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_speedCombo->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    connect(m_speedCombo, &QComboBox::currentIndexChanged, this,
            [this] { m_runner->setSpeed(m_speedCombo->currentData().toDouble()); });
    toolbar->addWidget(m_speedCombo);
    m_clockLabel = new QLabel(this);
    m_clockLabel->setMinimumWidth(150);
    m_clockLabel->setContentsMargins(8, 0, 8, 0);
    toolbar->addWidget(m_clockLabel);
}

std::optional<QString> MainWindow::writeReport(const QString& path)
{
    if (model::hasErrors(m_document->diagnostics()))
        return tr("the design has errors: the Problems panel lists them");
    // The finished run's results when there is one; otherwise a whole run, on a worker thread.
    sim::SimulationResults results;
    const model::Design design = m_document->design(); // what the report describes
    const ResultsSnapshot& latest = m_runner->latest();
    if (latest && m_runner->state() == SimulationRunner::State::Finished) {
        results = *latest;
    } else {
        QEventLoop loop;
        QThread* worker = QThread::create([&design, &results] {
            sim::Engine engine(design);
            engine.run();
            results = engine.results();
        });
        connect(worker, &QThread::finished, &loop, &QEventLoop::quit);
        QApplication::setOverrideCursor(Qt::WaitCursor);
        worker->start();
        loop.exec();
        QApplication::restoreOverrideCursor();
        delete worker;
    }
    return report::ReportWriter::write(sim::RunReport::build(design, results), path);
}

void MainWindow::exportReport()
{
    QString base = m_document->filePath();
    base.remove(QStringLiteral(".eventflow.json"));
    if (base.isEmpty())
        base = QStringLiteral("report");
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Report"),
                                                      base + QStringLiteral(".html"),
                                                      tr("HTML page (*.html);;PDF (*.pdf)"));
    if (path.isEmpty())
        return;
    if (auto error = writeReport(path))
        m_reportError(tr("Export failed"), *error);
    else
        statusBar()->showMessage(tr("Wrote %1").arg(QFileInfo(path).fileName()), 5000);
}

CompareWindow* MainWindow::compareWith(const QString& path)
{
    auto loaded = model::DesignFile::load(path.toStdString());
    if (!loaded.design) {
        m_reportError(tr("Cannot compare with %1").arg(QFileInfo(path).fileName()),
                      diagnosticsText(loaded.diagnostics));
        return nullptr;
    }
    for (const model::Design* design :
         std::initializer_list<const model::Design*>{&m_document->design(), &*loaded.design})
        if (const auto problems = model::Validator::validate(*design); model::hasErrors(problems)) {
            m_reportError(tr("Cannot compare"),
                          tr("“%1” has errors to fix first:\n%2")
                              .arg(qs(design->name), diagnosticsText(problems)));
            return nullptr;
        }
    auto* window = new CompareWindow(m_document->design(), std::move(*loaded.design), this);
    window->setAttribute(Qt::WA_DeleteOnClose);
    return window;
}

void MainWindow::setRunSpeed(double speed)
{
    const int index = m_speedCombo->findData(speed);
    if (index >= 0)
        m_speedCombo->setCurrentIndex(index);
    m_runner->setSpeed(speed);
}

void MainWindow::run(std::optional<double> pauseAt)
{
    if (m_runner->state() == SimulationRunner::State::Paused && !pauseAt) {
        m_runner->resume();
        return;
    }
    if (hasErrors(m_document->diagnostics())) {
        m_reportError(tr("The design cannot run yet"),
                      tr("The Problems panel lists what to fix first."));
        return;
    }
    m_runner->start(m_document->design(), m_speedCombo->currentData().toDouble(), pauseAt);
}

void MainWindow::showSnapshot()
{
    const ResultsSnapshot& results = m_runner->latest();
    if (!results)
        return;
    m_scene->showLive(LiveReading::of(m_document->design(), *results));
    // Eight charts redrawn cost more than the canvas: twice a second is enough for
    // them; the last picture of a run, and of a pause, always reaches them.
    if (!m_dashboardClock.isValid() || m_dashboardClock.elapsed() >= 500 ||
        results->status != "running" || m_runner->state() != SimulationRunner::State::Running) {
        m_dashboard->showResults(m_document->design(), *results);
        m_dashboardClock.start();
    }
    m_timeline->setClock(results->simulatedSeconds);
    m_clockLabel->setText(tr("t = %1 s / %2 s")
                              .arg(results->simulatedSeconds, 0, 'f', 1)
                              .arg(results->durationSeconds, 0, 'f', 0));
}

void MainWindow::runStateChanged()
{
    using State = SimulationRunner::State;
    const State state = m_runner->state();
    auto& a = *m_actions;
    a.run->setEnabled(state != State::Running);
    a.run->setText(state == State::Paused ? tr("▶ Resume") : tr("▶ Run"));
    a.pause->setEnabled(state == State::Running);
    a.stop->setEnabled(state != State::Idle);
    m_scene->pauseFlow(state != State::Running);
    switch (state) {
    case State::Finished:
        statusBar()->showMessage(tr("Run finished"), 8000);
        break;
    case State::Cancelled:
        statusBar()->showMessage(tr("Run cancelled"), 8000);
        break;
    case State::Failed:
        statusBar()->showMessage(tr("Run stopped: see the Problems panel"), 8000);
        break;
    default:
        break;
    }
}

void MainWindow::resetRun()
{
    if (m_runner->state() == SimulationRunner::State::Idle && !m_scene->isLive())
        return;
    m_runner->reset();
    m_scene->clearLive();
    m_dashboard->clear();
    m_dashboardClock.invalidate();
    m_timeline->setClock(-1);
    m_clockLabel->clear();
}

void MainWindow::createDocks()
{
    auto dock = [this](const QString& title, const QString& name, QWidget* widget,
                       Qt::DockWidgetArea area) {
        auto* d = new QDockWidget(title, this);
        d->setObjectName(name);
        d->setWidget(widget);
        addDockWidget(area, d);
        m_viewMenu->addAction(d->toggleViewAction());
        return d;
    };
    m_palette = new ComponentPalette(this);
    connect(m_palette, &ComponentPalette::placeRequested, this, &MainWindow::placeFromPalette);
    QDockWidget* paletteDock = dock(tr("Components"), QStringLiteral("palette"), m_palette,
                                    Qt::LeftDockWidgetArea);
    m_overview = new OverviewView(m_view, this);
    QDockWidget* overviewDock = dock(tr("Overview"), QStringLiteral("overview"), m_overview,
                                     Qt::LeftDockWidgetArea);
    splitDockWidget(paletteDock, overviewDock, Qt::Vertical);

    m_inspector = new Inspector(m_document, this);
    QDockWidget* inspectorDock = dock(tr("Inspector"), QStringLiteral("inspector"), m_inspector,
                                      Qt::RightDockWidgetArea);
    m_history = new QUndoView(m_document->undoStack(), this);
    m_history->setEmptyLabel(tr("<opened>"));
    QDockWidget* historyDock = dock(tr("History"), QStringLiteral("history"), m_history,
                                    Qt::RightDockWidgetArea);
    tabifyDockWidget(inspectorDock, historyDock);
    inspectorDock->raise();

    m_problems = new ProblemsPanel(m_document, this);
    QDockWidget* problemsDock = dock(tr("Problems"), QStringLiteral("problems"), m_problems,
                                     Qt::BottomDockWidgetArea);
    m_dashboard = new Dashboard(this);
    // Scrolled, so eight charts never force the window's minimum size up.
    auto* dashboardScroll = new QScrollArea(this);
    dashboardScroll->setWidgetResizable(true);
    dashboardScroll->setFrameShape(QFrame::NoFrame);
    dashboardScroll->setWidget(m_dashboard);
    QDockWidget* dashboardDock = dock(tr("Charts"), QStringLiteral("charts"), dashboardScroll,
                                      Qt::BottomDockWidgetArea);
    tabifyDockWidget(problemsDock, dashboardDock);
    m_timeline = new FaultTimeline(m_document, this);
    QDockWidget* timelineDock = dock(tr("Faults && traffic"), QStringLiteral("timeline"),
                                     m_timeline, Qt::BottomDockWidgetArea);
    tabifyDockWidget(problemsDock, timelineDock);
    problemsDock->raise();
    connect(m_runner, &SimulationRunner::stateChanged, dashboardDock,
            [this, dashboardDock](SimulationRunner::State state) {
                if (state != SimulationRunner::State::Running)
                    return;
                // A run is watched: bring the charts forward, with room for two rows.
                dashboardDock->raise();
                if (dashboardDock->height() < 360)
                    resizeDocks({dashboardDock}, {std::max(360, height() * 2 / 5)}, Qt::Vertical);
            });
    connect(m_problems, &ProblemsPanel::problemActivated, this, &MainWindow::showProblem);
    connect(m_problems, &ProblemsPanel::summaryChanged, this, [this, problemsDock](const QString& s) {
        problemsDock->setWindowTitle(tr("Problems — %1").arg(s));
        m_problemSummary->setText(s);
    });
    m_problemSummary->setText(tr("No problems"));
    resizeDocks({paletteDock, inspectorDock}, {190, 340}, Qt::Horizontal);
    resizeDocks({problemsDock}, {130}, Qt::Vertical);
    resizeDocks({paletteDock, overviewDock}, {330, 170}, Qt::Vertical);
}

void MainWindow::readSettings()
{
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1400, 860);
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_actions->snap->setChecked(settings.value(QStringLiteral("canvas/snap"), true).toBool());
    m_scene->setSnapToGrid(m_actions->snap->isChecked());
}

void MainWindow::writeSettings()
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("canvas/snap"), m_actions->snap->isChecked());
}

QStringList MainWindow::recentFiles() const
{
    return QSettings().value(QStringLiteral("recentFiles")).toStringList();
}

void MainWindow::addRecentFile(const QString& path)
{
    QStringList files = recentFiles();
    const QString absolute = QFileInfo(path).absoluteFilePath();
    files.removeAll(absolute);
    files.prepend(absolute);
    while (files.size() > kMaxRecentFiles)
        files.removeLast();
    QSettings().setValue(QStringLiteral("recentFiles"), files);
    updateRecentMenu();
}

void MainWindow::updateRecentMenu()
{
    m_recentMenu->clear();
    const QStringList files = recentFiles();
    for (int i = 0; i < files.size(); ++i) {
        const QString path = files[i];
        QAction* action = m_recentMenu->addAction(
            QStringLiteral("&%1 %2").arg(i + 1).arg(QFileInfo(path).fileName()),
            this, [this, path] {
                if (maybeSave())
                    openFile(path);
            });
        action->setToolTip(path);
    }
    m_recentMenu->setEnabled(!files.isEmpty());
    if (!files.isEmpty()) {
        m_recentMenu->addSeparator();
        m_recentMenu->addAction(tr("Clear List"), this, [this] {
            QSettings().remove(QStringLiteral("recentFiles"));
            updateRecentMenu();
        });
    }
}

void MainWindow::updateTitle()
{
    setWindowTitle(QStringLiteral("%1[*] — EventFlow Studio").arg(m_document->displayName()));
    setWindowModified(m_document->isModified());
}

void MainWindow::newDesign()
{
    if (!maybeSave())
        return;
    model::Design design;
    design.name = "Untitled design";
    m_document->reset(std::move(design), QString());
    removeRecoveryFile();
    m_view->resetZoom();
    m_view->centerOn(0, 0);
}

void MainWindow::newFromScenario(const QString& highlighted)
{
    if (!maybeSave())
        return;
    const QString directory = scenarioDirectory();
    ScenarioGallery gallery(loadScenarios(directory), this);
    gallery.setCurrent(highlighted);
    if (gallery.scenarios().scenarios.empty()) {
        m_reportError(tr("No scenarios"),
                      directory.isEmpty()
                          ? tr("The scenario folder is missing; reinstall EventFlow Studio or "
                               "set EVENTFLOW_EXAMPLES to a folder of designs.")
                          : tr("%1 holds no designs that can be read.").arg(directory));
        return;
    }
    if (gallery.exec() != QDialog::Accepted || !gallery.current())
        return;
    const Scenario scenario = *gallery.current();
    openScenario(scenario);
    if (gallery.compareRequested())
        if (const Scenario* partner = gallery.scenarios().find(qs(scenario.design.lesson.compareWith)))
            if (CompareWindow* window = compareWith(partner->path))
                window->show();
}

void MainWindow::openScenario(const Scenario& scenario)
{
    m_document->reset(scenario.design, QString());
    removeRecoveryFile();
    showWholeDesign();
    statusBar()->showMessage(tr("New design from the scenario “%1”: press Run to see it play out")
                                 .arg(scenario.title()),
                             8000);
}

void MainWindow::open()
{
    if (!maybeSave())
        return;
    const QString dir = m_document->filePath().isEmpty()
                            ? QString()
                            : QFileInfo(m_document->filePath()).absolutePath();
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open Design"), dir,
        tr("EventFlow designs (*.eventflow.json);;AWS templates (*.yaml *.yml *.json);;"
           "All files (*)"));
    if (!path.isEmpty())
        openFile(path);
}

bool MainWindow::openFile(const QString& path)
{
    if (isTemplatePath(path))
        return importTemplate(path);
    auto result = model::DesignFile::load(path.toStdString());
    if (!result.design) {
        m_reportError(tr("Cannot open %1").arg(QFileInfo(path).fileName()),
                      diagnosticsText(result.diagnostics));
        return false;
    }
    m_document->reset(std::move(*result.design), QFileInfo(path).absoluteFilePath());
    removeRecoveryFile();
    addRecentFile(path);
    showWholeDesign();
    statusBar()->showMessage(tr("Opened %1").arg(QFileInfo(path).fileName()), 5000);
    return true;
}

bool MainWindow::importTemplate(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        m_reportError(tr("Cannot import %1").arg(QFileInfo(path).fileName()), file.errorString());
        return false;
    }
    const QByteArray text = file.readAll();
    auto result = model::TemplateImporter::import(
        std::string_view(text.constData(), std::size_t(text.size())),
        QFileInfo(path).fileName().toStdString());
    if (!result.design) {
        m_reportError(tr("Cannot import %1").arg(QFileInfo(path).fileName()),
                      diagnosticsText(result.diagnostics));
        return false;
    }
    // An imported template becomes a new, unsaved design: saving never overwrites the template.
    m_document->reset(std::move(*result.design), QString(), true);
    showWholeDesign();
    statusBar()->showMessage(
        tr("Imported %1: %2")
            .arg(QFileInfo(path).fileName(),
                 countOf(qsizetype(m_document->design().components.size()), tr("component"),
                         tr("components"))),
        8000);
    return true;
}

void MainWindow::showWholeDesign()
{
    m_view->fitToContents();
    m_overview->refresh();
}

void MainWindow::importTemplateDialog()
{
    if (!maybeSave())
        return;
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Import Template"), QString(),
        tr("AWS SAM or CloudFormation templates (*.yaml *.yml *.json *.template);;All files (*)"));
    if (!path.isEmpty())
        importTemplate(path);
}

std::optional<QString> MainWindow::saveTo(const QString& path)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return tr("cannot write %1: %2").arg(path, file.errorString());
    const std::string text = model::DesignFile::serialize(m_document->design());
    file.write(text.data(), qint64(text.size()));
    if (!file.commit())
        return tr("cannot write %1: %2").arg(path, file.errorString());
    m_document->markSaved(QFileInfo(path).absoluteFilePath());
    removeRecoveryFile();
    addRecentFile(path);
    statusBar()->showMessage(tr("Saved %1").arg(QFileInfo(path).fileName()), 5000);
    return std::nullopt;
}

bool MainWindow::save()
{
    if (m_document->filePath().isEmpty())
        return saveAs();
    if (auto error = saveTo(m_document->filePath())) {
        m_reportError(tr("Save failed"), *error);
        return false;
    }
    return true;
}

bool MainWindow::saveAs()
{
    QString suggestion = m_document->filePath();
    if (suggestion.isEmpty()) {
        QString name = qs(m_document->design().name).toLower();
        name.replace(QRegularExpression(QStringLiteral("[^a-z0-9]+")), QStringLiteral("-"));
        suggestion = (name.isEmpty() ? QStringLiteral("design") : name) +
                     QString::fromLatin1(model::DesignFile::kExtension.data());
    }
    QString path = QFileDialog::getSaveFileName(this, tr("Save Design"), suggestion,
                                                tr("EventFlow designs (*.eventflow.json)"));
    if (path.isEmpty())
        return false;
    // Designs always end in .eventflow.json: that is how Open tells them from templates.
    if (!path.endsWith(QString::fromLatin1(model::DesignFile::kExtension.data())))
        path += QString::fromLatin1(model::DesignFile::kExtension.data());
    if (auto error = saveTo(path)) {
        m_reportError(tr("Save failed"), *error);
        return false;
    }
    return true;
}

bool MainWindow::maybeSave()
{
    if (!m_document->isModified())
        return true;
    switch (m_savePrompt(m_document->displayName())) {
    case QMessageBox::Save:
        return save();
    case QMessageBox::Discard:
        return true;
    default:
        return false;
    }
}

void MainWindow::exportTemplate()
{
    TemplateExportDialog dialog(m_document->design(), m_document->filePath(), this);
    dialog.exec();
}

void MainWindow::exportPicture()
{
    QString base = m_document->filePath();
    base.remove(QStringLiteral(".eventflow.json"));
    if (base.isEmpty())
        base = QStringLiteral("design");
    QString filter;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export Picture"), base + QStringLiteral(".png"),
        tr("PNG image (*.png);;SVG drawing (*.svg)"), &filter);
    if (path.isEmpty())
        return;
    const bool svg = path.endsWith(QLatin1String(".svg"), Qt::CaseInsensitive);
    const auto error = svg ? DiagramPicture::saveSvg(m_scene, path, m_document->displayName())
                           : DiagramPicture::savePng(m_scene, path);
    if (error)
        m_reportError(tr("Export failed"), *error);
    else
        statusBar()->showMessage(tr("Exported %1").arg(QFileInfo(path).fileName()), 5000);
}

QString MainWindow::recoveryPath() const
{
    return m_recovery.path();
}

void MainWindow::autosave()
{
    if (!m_document->isModified())
        return;
    // A failed autosave must not interrupt the user; the next one tries again.
    m_recovery.write(model::DesignFile::serialize(m_document->design()), m_document->filePath());
}

void MainWindow::removeRecoveryFile()
{
    m_recovery.remove();
}

bool MainWindow::offerRecovery()
{
    const auto orphans = RecoveryStore::orphans();
    if (orphans.empty())
        return false;
    const QString name = orphans.front().originalPath.isEmpty()
                             ? tr("a new design")
                             : QStringLiteral("“%1”").arg(
                                   QFileInfo(orphans.front().originalPath).fileName());
    const auto answer = QMessageBox::question(
        this, tr("Recover unsaved changes?"),
        tr("EventFlow Studio did not close properly, and unsaved changes to %1 were kept.\n"
           "Recover them?")
            .arg(name),
        QMessageBox::Yes | QMessageBox::Discard, QMessageBox::Yes);
    if (answer == QMessageBox::Yes)
        return recover();
    RecoveryStore::discard(orphans.front());
    return false;
}

bool MainWindow::recover()
{
    const auto orphans = RecoveryStore::orphans();
    if (orphans.empty())
        return false;
    const auto& orphan = orphans.front();
    auto result = model::DesignFile::load(orphan.path.toStdString());
    if (!result.design) {
        m_reportError(tr("Cannot recover unsaved changes"),
                      tr("The recovery file %1 is damaged and was not opened:\n%2")
                          .arg(orphan.path, diagnosticsText(result.diagnostics)));
        return false; // kept, so nothing more is lost
    }
    const QString name = orphan.originalPath.isEmpty() ? qs(result.design->name)
                                                       : QFileInfo(orphan.originalPath).fileName();
    m_document->reset(std::move(*result.design), orphan.originalPath, true);
    // The work is this window's now: keep it safe in its own file before dropping the orphan.
    autosave();
    RecoveryStore::discard(orphan);
    showWholeDesign();
    statusBar()->showMessage(tr("Recovered unsaved changes to %1").arg(name), 8000);
    return true;
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (!maybeSave()) {
        event->ignore();
        return;
    }
    writeSettings();
    removeRecoveryFile();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls())
        for (const QUrl& url : event->mimeData()->urls())
            if (url.isLocalFile()) {
                event->acceptProposedAction();
                return;
            }
    event->ignore();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    for (const QUrl& url : event->mimeData()->urls())
        if (url.isLocalFile()) {
            event->acceptProposedAction();
            if (maybeSave())
                openFile(url.toLocalFile());
            return;
        }
}

void MainWindow::syncInspectorWithSelection()
{
    const auto components = m_scene->selectedComponentIds();
    const auto connections = m_scene->selectedConnectionIndices();
    if (components.size() == 1 && connections.empty())
        m_inspector->showComponent(*components.begin());
    else if (connections.size() == 1 && components.empty())
        m_inspector->showConnection(*connections.begin());
    else
        m_inspector->showDesign();
    if (components.size() == 1)
        m_dashboard->setFocusComponent(*components.begin());
    const bool any = !components.empty() || !connections.empty();
    for (QAction* action : {m_actions->cut, m_actions->copy, m_actions->duplicate,
                            m_actions->remove})
        action->setEnabled(any);
    for (QAction* action : m_actions->align)
        action->setEnabled(components.size() >= 2);
    for (QAction* action : m_actions->distribute)
        action->setEnabled(components.size() >= 3);
}

void MainWindow::showProblem(const QString& pointer)
{
    const auto place = DesignPointer::resolve(pointer.toStdString(), m_document->design());
    if (place.target == DesignPointer::Target::Component) {
        const auto& id = m_document->design().components[std::size_t(place.index)].id;
        m_scene->selectOnly({id});
        if (auto* item = m_scene->componentItem(id))
            m_view->ensureVisible(item);
    } else if (place.target == DesignPointer::Target::Connection) {
        m_scene->selectOnly({}, {place.index});
        if (auto* item = m_scene->connectionItem(place.index))
            m_view->ensureVisible(item);
    } else {
        m_scene->selectOnly({});
    }
    m_inspector->focusField(place.scope, place.key);
}

void MainWindow::placeFromPalette(model::ComponentType type)
{
    // Place in the middle of the view, a step further for each placement in a row.
    QPointF centre = m_view->mapToScene(m_view->viewport()->rect().center());
    centre -= QPointF(ComponentItem::kWidth / 2, ComponentItem::kHeight / 2);
    while (m_scene->itemAt(centre + QPointF(10, 10), m_view->transform()))
        centre += QPointF(DesignScene::kGrid * 2, DesignScene::kGrid * 2);
    m_scene->placeComponent(type, centre);
    m_view->setFocus();
}

model::Design MainWindow::selectionFragment() const
{
    const auto ids = m_scene->selectedComponentIds();
    const auto& design = m_document->design();
    model::Design fragment;
    fragment.name = "fragment";
    for (const auto& component : design.components)
        if (ids.count(component.id))
            fragment.components.push_back(component);
    for (const auto& connection : design.connections)
        if (ids.count(connection.from) && ids.count(connection.to))
            fragment.connections.push_back(connection);
    for (const auto& traffic : design.traffic)
        if (ids.count(traffic.producer))
            fragment.traffic.push_back(traffic);
    return fragment;
}

void MainWindow::copySelection()
{
    const model::Design fragment = selectionFragment();
    if (fragment.components.empty())
        return;
    const std::string text = model::DesignFile::serialize(fragment);
    auto* mime = new QMimeData;
    mime->setData(kFragmentMime, QByteArray::fromStdString(text));
    mime->setText(qs(text));
    QApplication::clipboard()->setMimeData(mime);
    m_pasteCount = 0;
}

void MainWindow::paste()
{
    const QMimeData* mime = QApplication::clipboard()->mimeData();
    if (!mime)
        return;
    const QByteArray data = mime->hasFormat(kFragmentMime) ? mime->data(kFragmentMime)
                                                           : mime->text().toUtf8();
    auto result = model::DesignFile::parse(std::string_view(data.constData(),
                                                            std::size_t(data.size())));
    if (!result.design || result.design->components.empty()) {
        statusBar()->showMessage(tr("Nothing to paste: the clipboard holds no components"), 5000);
        return;
    }
    ++m_pasteCount;
    pasteFragment(*result.design, QPointF(40, 40) * m_pasteCount, tr("Paste"));
}

void MainWindow::duplicateSelection()
{
    const model::Design fragment = selectionFragment();
    if (!fragment.components.empty())
        pasteFragment(fragment, QPointF(40, 40), tr("Duplicate"));
}

void MainWindow::pasteFragment(const model::Design& fragment, QPointF offset, const QString& text)
{
    // New ids for everything pasted (the copy of "orders" is "orders-2"); links and traffic
    // follow their components.
    std::map<std::string, std::string> renamed;
    std::set<std::string> taken;
    for (const auto& component : m_document->design().components)
        taken.insert(component.id);
    std::vector<model::Component> components;
    for (auto component : fragment.components) {
        std::string base = component.id;
        if (auto dash = base.find_last_of('-');
            dash != std::string::npos && dash + 1 < base.size() &&
            base.find_first_not_of("0123456789", dash + 1) == std::string::npos)
            base = base.substr(0, dash);
        std::string id = base;
        for (int n = 2; taken.count(id); ++n)
            id = base + "-" + std::to_string(n);
        taken.insert(id);
        renamed[component.id] = id;
        component.id = id;
        component.templateExtras = nlohmann::json::object(); // a copy is a new resource
        component.position.x += offset.x();
        component.position.y += offset.y();
        components.push_back(std::move(component));
    }
    std::vector<model::Connection> connections;
    for (auto connection : fragment.connections) {
        if (!renamed.count(connection.from) || !renamed.count(connection.to))
            continue;
        connection.from = renamed[connection.from];
        connection.to = renamed[connection.to];
        connection.props.erase("TemplateOrigin");
        connections.push_back(std::move(connection));
    }
    auto* stack = m_document->undoStack();
    stack->beginMacro(text);
    stack->push(new AddItemsCommand(m_document, components, connections, text));
    if (!fragment.traffic.empty()) {
        auto before = m_document->scenario();
        auto after = before;
        for (auto traffic : fragment.traffic)
            if (renamed.count(traffic.producer)) {
                traffic.producer = renamed[traffic.producer];
                after.traffic.push_back(std::move(traffic));
            }
        stack->push(new EditScenarioCommand(m_document, before, after, QString(), text));
    }
    stack->endMacro();
    std::set<std::string> ids;
    for (const auto& [_, id] : renamed)
        ids.insert(id);
    m_scene->selectOnly(ids);
}

void MainWindow::deleteSelection()
{
    const auto ids = m_scene->selectedComponentIds();
    const auto connections = m_scene->selectedConnectionIndices();
    if (ids.empty() && connections.empty())
        return;
    const int count = int(ids.size() + connections.size());
    m_document->undoStack()->push(new RemoveItemsCommand(
        m_document, ids, connections, count == 1 ? tr("Delete") : tr("Delete %1 items").arg(count)));
}

void MainWindow::alignSelection(Alignment alignment)
{
    const auto ids = m_scene->selectedComponentIds();
    if (ids.size() < 2)
        return;
    const auto& design = m_document->design();
    std::vector<const model::Component*> selected;
    for (const auto& id : ids)
        selected.push_back(design.findComponent(id));
    auto [minX, maxX] = std::minmax_element(selected.begin(), selected.end(), [](auto a, auto b) {
        return a->position.x < b->position.x;
    });
    auto [minY, maxY] = std::minmax_element(selected.begin(), selected.end(), [](auto a, auto b) {
        return a->position.y < b->position.y;
    });
    double centreX = 0, centreY = 0;
    for (auto* c : selected) {
        centreX += c->position.x / double(selected.size());
        centreY += c->position.y / double(selected.size());
    }
    std::map<std::string, MoveComponentsCommand::Move> moves;
    for (auto* c : selected) {
        model::Point to = c->position;
        switch (alignment) {
        case Alignment::Left: to.x = (*minX)->position.x; break;
        case Alignment::Right: to.x = (*maxX)->position.x; break;
        case Alignment::HorizontalCentre: to.x = std::round(centreX); break;
        case Alignment::Top: to.y = (*minY)->position.y; break;
        case Alignment::Bottom: to.y = (*maxY)->position.y; break;
        case Alignment::VerticalCentre: to.y = std::round(centreY); break;
        }
        if (to.x != c->position.x || to.y != c->position.y)
            moves[c->id] = {c->position, to};
    }
    if (!moves.empty())
        m_document->undoStack()->push(new MoveComponentsCommand(m_document, std::move(moves)));
}

void MainWindow::distributeSelection(Qt::Orientation orientation)
{
    const auto ids = m_scene->selectedComponentIds();
    if (ids.size() < 3)
        return;
    const auto& design = m_document->design();
    std::vector<const model::Component*> selected;
    for (const auto& id : ids)
        selected.push_back(design.findComponent(id));
    const bool horizontal = orientation == Qt::Horizontal;
    auto coordinate = [horizontal](const model::Component* c) {
        return horizontal ? c->position.x : c->position.y;
    };
    std::sort(selected.begin(), selected.end(),
              [&](auto a, auto b) { return coordinate(a) < coordinate(b); });
    const double first = coordinate(selected.front());
    const double step = (coordinate(selected.back()) - first) / double(selected.size() - 1);
    std::map<std::string, MoveComponentsCommand::Move> moves;
    for (std::size_t i = 1; i + 1 < selected.size(); ++i) {
        model::Point to = selected[i]->position;
        (horizontal ? to.x : to.y) = std::round(first + step * double(i));
        if (to.x != selected[i]->position.x || to.y != selected[i]->position.y)
            moves[selected[i]->id] = {selected[i]->position, to};
    }
    if (!moves.empty())
        m_document->undoStack()->push(new MoveComponentsCommand(m_document, std::move(moves)));
}

} // namespace eventflow::studio
