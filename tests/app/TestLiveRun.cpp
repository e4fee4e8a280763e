// Live simulation in the designer: runs driven through the window, checked against the engine
// run directly with the same design and seed.
#include "StudioTestSupport.h"
#include "app/studio/CompareWindow.h"
#include "app/studio/ComponentItem.h"
#include "app/studio/Dashboard.h"
#include "app/studio/FaultTimeline.h"
#include "app/studio/DesignScene.h"
#include "app/studio/LiveReading.h"
#include "app/studio/MainWindow.h"
#include "app/studio/SimulationRunner.h"
#include "app/studio/TimeChart.h"

#include "model/DesignFile.h"
#include "sim/Engine.h"

#include <QLineSeries>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTableWidget>
#include <QTest>

using namespace eventflow;
using studio::MainWindow;
using State = studio::SimulationRunner::State;

namespace {

model::Design loadExample(const char* name)
{
    auto result = model::DesignFile::load(std::string(EVENTFLOW_SOURCE_DIR "/examples/") + name);
    if (!result.design)
        qFatal("cannot load %s", name);
    return *result.design;
}

/// Waits until the runner leaves Running (finished, paused, cancelled or failed).
bool waitWhileRunning(studio::SimulationRunner* runner, int timeoutMs = 60000)
{
    return QTest::qWaitFor([&] { return runner->state() != State::Running; }, timeoutMs);
}

} // namespace

class TestLiveRun : public QObject {
    Q_OBJECT

    QTemporaryDir m_settingsDir;
    std::unique_ptr<MainWindow> m_window;

private Q_SLOTS:
    void initTestCase()
    {
        eventflow::test::isolateStudioSettings(m_settingsDir.path(), QStringLiteral("TestLiveRun"));
    }

    void init()
    {
        m_window = eventflow::test::makeTestWindow(QSize(1400, 900));
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void cleanup() { m_window.reset(); }

    void runToTheEndMatchesTheEngine()
    {
        QVERIFY(m_window->openFile(QStringLiteral(EVENTFLOW_SOURCE_DIR
                                                  "/examples/fanout-throttled.eventflow.json")));
        m_window->setRunSpeed(0.0);
        m_window->run();
        QVERIFY(waitWhileRunning(m_window->runner()));
        QCOMPARE(m_window->runner()->state(), State::Finished);
        QTRY_VERIFY(m_window->dashboard()->isUpToDate());

        const model::Design design = loadExample("fanout-throttled.eventflow.json");
        sim::Engine engine(design);
        engine.run();
        const sim::SimulationResults expected = engine.results();
        const auto& shown = *m_window->runner()->latest();
        QCOMPARE(shown.summary.requests, expected.summary.requests);
        QCOMPARE(shown.summary.completed, expected.summary.completed);

        // The charts hold exactly the engine's series.
        auto* backlog = m_window->dashboard()->backlogChart()->series(QStringLiteral("ledger-queue"));
        QVERIFY(backlog);
        const auto points = backlog->points();
        const auto& t = expected.timeseries.t;
        const auto& values = expected.timeseries.components.at("ledger-queue").at("backlog");
        QCOMPARE(points.size(), qsizetype(t.size()));
        for (qsizetype i = 0; i < points.size(); ++i) {
            QCOMPARE(points[i].x(), t[std::size_t(i)]);
            QCOMPARE(points[i].y(), values[std::size_t(i)]);
        }
        // Export: the CSV holds the same numbers, one row per sample; the PNG is the chart.
        const QString csv = m_window->dashboard()->backlogChart()->csv();
        const QStringList rows = csv.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(rows.size(), qsizetype(t.size()) + 1);
        QVERIFY(rows.front().contains(QStringLiteral("\"ledger-queue\"")));
        QTemporaryDir dir;
        const QString png = dir.filePath(QStringLiteral("backlog.png"));
        QVERIFY(!m_window->dashboard()->backlogChart()->savePng(png));
        QVERIFY(!QImage(png).isNull());
        auto* p99 = m_window->dashboard()->latencyChart()->series(QStringLiteral("p99"));
        QVERIFY(p99);
        QCOMPARE(p99->points().back().y(), expected.timeseries.endToEnd.at("p99_ms").back());
    }

    void pauseResumeStepAndCancel()
    {
        QVERIFY(m_window->openFile(QStringLiteral(EVENTFLOW_SOURCE_DIR
                                                  "/examples/order-flow-async.eventflow.json")));
        auto* runner = m_window->runner();
        m_window->setRunSpeed(0.0);
        m_window->run(20.0); // pauses when the clock reaches 20 s
        QVERIFY(waitWhileRunning(runner));
        QCOMPARE(runner->state(), State::Paused);
        QTRY_VERIFY(runner->latest());
        QCOMPARE(runner->latest()->simulatedSeconds, 20.0);

        runner->step(); // one sample interval (1 s)
        QTRY_COMPARE(runner->latest()->simulatedSeconds, 21.0);
        QCOMPARE(runner->state(), State::Paused);

        m_window->setRunSpeed(10.0); // ten simulated seconds per second
        m_window->run();             // resumes
        QCOMPARE(runner->state(), State::Running);
        QTRY_VERIFY_WITH_TIMEOUT(runner->latest()->simulatedSeconds > 21.5, 5000);
        QSignalSpy paused(runner, &studio::SimulationRunner::paused);
        runner->pause();
        QCOMPARE(runner->state(), State::Paused);
        QVERIFY(paused.wait()); // the worker's own picture of the moment it paused
        const double pausedAt = runner->latest()->simulatedSeconds;
        QTest::qWait(200);
        QCOMPARE(runner->latest()->simulatedSeconds, pausedAt); // paused means still

        runner->cancel();
        QTRY_COMPARE(runner->state(), State::Cancelled);
        QCOMPARE(QString::fromStdString(runner->latest()->status), QStringLiteral("cancelled"));
    }

    void sameSeedSamePicture()
    {
        QVERIFY(m_window->openFile(QStringLiteral(EVENTFLOW_SOURCE_DIR
                                                  "/examples/order-flow-sync.eventflow.json")));
        m_window->setRunSpeed(0.0);
        std::vector<std::uint64_t> timedOut;
        for (int i = 0; i < 2; ++i) {
            m_window->run(60.0);
            QVERIFY(waitWhileRunning(m_window->runner()));
            timedOut.push_back(m_window->runner()->latest()->summary.timedOut);
            m_window->runner()->reset();
        }
        QCOMPARE(timedOut[0], timedOut[1]);
        QVERIFY(timedOut[0] > 0);
    }

    void anEditResetsTheRun()
    {
        QVERIFY(m_window->openFile(QStringLiteral(EVENTFLOW_SOURCE_DIR
                                                  "/examples/order-flow-sync.eventflow.json")));
        m_window->setRunSpeed(0.0);
        m_window->run(30.0);
        QVERIFY(waitWhileRunning(m_window->runner()));
        QVERIFY(m_window->scene()->isLive());
        QVERIFY(m_window->scene()->componentItem("api")->liveState());
        m_window->scene()->placeComponent(model::ComponentType::Queue, QPointF(0, 400));
        QCOMPARE(m_window->runner()->state(), State::Idle);
        QVERIFY(!m_window->scene()->isLive());
        QVERIFY(!m_window->scene()->componentItem("api")->liveState());
        QTRY_VERIFY(m_window->dashboard()->isUpToDate());
        QVERIFY(m_window->dashboard()->latencyChart()->seriesNames().isEmpty());
    }

    void theCascadeIsColouredAndTheQueueAbsorbsIt()
    {
        // Synchronous chain: the API's calls time out (504) — failing, and so are the clients
        // waiting on it; the order service waits on the slow forecasting — busy.
        const model::Design sync = loadExample("order-flow-sync.eventflow.json");
        sim::Engine syncEngine(sync);
        syncEngine.runUntil(sim::fromSeconds(90));
        const auto syncReading = studio::LiveReading::of(sync, syncEngine.results());
        using Load = studio::ComponentItem::LiveState::Load;
        QCOMPARE(syncReading.components[std::size_t(sync.indexOf("api"))].load, Load::Failing);
        QCOMPARE(syncReading.components[std::size_t(sync.indexOf("clients"))].load, Load::Failing);
        QCOMPARE(syncReading.components[std::size_t(sync.indexOf("orders"))].load, Load::Busy);
        QCOMPARE(syncReading.components[std::size_t(sync.indexOf("invoice"))].load, Load::Calm);
        QVERIFY(syncReading.components[std::size_t(sync.indexOf("api"))]
                    .badges.join(' ').contains(QStringLiteral("timed out")));

        // Asynchronous: nothing fails; the fulfillment queue is busy absorbing the slowdown.
        const model::Design async = loadExample("order-flow-async.eventflow.json");
        sim::Engine asyncEngine(async);
        asyncEngine.runUntil(sim::fromSeconds(100));
        const auto asyncReading = studio::LiveReading::of(async, asyncEngine.results());
        for (std::size_t i = 0; i < async.components.size(); ++i)
            QVERIFY2(asyncReading.components[i].load != Load::Failing,
                     async.components[i].id.c_str());
        QCOMPARE(asyncReading.components[std::size_t(async.indexOf("api"))].load, Load::Calm);
        QCOMPARE(asyncReading.components[std::size_t(async.indexOf("fulfillment-queue"))].load,
                 Load::Busy);
        QVERIFY(asyncReading.components[std::size_t(async.indexOf("fulfillment-queue"))]
                    .badges.join(' ').contains(QStringLiteral("backlog")));
        // Links carry traffic: the API's link from the clients shows their rate.
        const int link = 0;
        QVERIFY(asyncReading.connections[std::size_t(link)].perSecond > 5);
    }

    void compareTheTwoOrderFlowsSideBySide()
    {
        QVERIFY(m_window->openFile(QStringLiteral(EVENTFLOW_SOURCE_DIR
                                                  "/examples/order-flow-sync.eventflow.json")));
        std::unique_ptr<studio::CompareWindow> compare(m_window->compareWith(
            QStringLiteral(EVENTFLOW_SOURCE_DIR "/examples/order-flow-async.eventflow.json")));
        QVERIFY(compare);
        compare->show();
        QTRY_VERIFY_WITH_TIMEOUT(compare->comparison().has_value() &&
                                     compare->table()->rowCount() > 0,
                                 60000);
        // The table: every synchronous request 504s, no asynchronous one does.
        auto cell = [&](const QString& figure, int column) {
            for (int r = 0; r < compare->table()->rowCount(); ++r)
                if (compare->table()->item(r, 0)->text().startsWith(figure))
                    return compare->table()->item(r, column)->text();
            return QString();
        };
        QCOMPARE(cell(QStringLiteral("success rate"), 1), QStringLiteral("0.0"));
        QVERIFY(cell(QStringLiteral("success rate"), 2).startsWith(QStringLiteral("100.0")));
        QVERIFY(cell(QStringLiteral("success rate"), 2).endsWith(QStringLiteral("✔")));
        QCOMPARE(cell(QStringLiteral("timed out"), 2), QStringLiteral("0  ✔"));
        // The canvases: the cascade in A, its absence in B.
        using Load = studio::ComponentItem::LiveState::Load;
        QCOMPARE(compare->sceneA()->componentItem("api")->liveState()->load, Load::Failing);
        QCOMPARE(compare->sceneB()->componentItem("api")->liveState()->load, Load::Calm);
        // The overlaid charts carry both runs, equal to their results.
        auto* failures = compare->failuresChart()->series(QStringLiteral("A"));
        QVERIFY(failures);
        QCOMPARE(failures->points().size(),
                 qsizetype(compare->comparison()->resultsA().timeseries.t.size()));
        compare->grab().save(QStringLiteral(EVENTFLOW_BINARY_DIR
                                            "/test-artifacts/compare-order-flows.png"));
    }

    void faultsOnTheTimeline()
    {
        QVERIFY(m_window->openFile(QStringLiteral(EVENTFLOW_SOURCE_DIR
                                                  "/examples/order-flow-async.eventflow.json")));
        auto* timeline = m_window->timeline();
        auto* stack = m_window->document()->undoStack();
        const auto& design = m_window->document()->design();
        // The example's fault: fulfillment slows down twentyfold from 60 s to 120 s.
        QCOMPARE(design.faults.size(), std::size_t(1));
        timeline->resize(1200, 220);
        timeline->show();
        QVERIFY(QTest::qWaitForWindowExposed(timeline));
        auto bars = timeline->bars();
        QCOMPARE(bars.size(), std::size_t(1));
        QCOMPARE(bars[0].text, QStringLiteral("latency ×20"));

        // Drag the bar 30 s to the right: one undo step, whole seconds, same length.
        const QRectF r = timeline->barRect(bars[0]);
        const double pixelsPerSecond = r.width() / (bars[0].end - bars[0].start);
        const QPoint from = r.center().toPoint();
        const QPoint to = from + QPoint(int(std::lround(30 * pixelsPerSecond)), 0);
        QTest::mousePress(timeline, Qt::LeftButton, {}, from);
        for (int i = 1; i <= 6; ++i)
            QTest::mouseMove(timeline, from + (to - from) * i / 6);
        QTest::mouseRelease(timeline, Qt::LeftButton, {}, to);
        QCOMPARE(design.faults[0].startSeconds, 90.0);
        QCOMPARE(design.faults[0].endSeconds, 150.0);
        QCOMPARE(stack->count(), 1);

        // Add an outage on the invoice service; the engine runs what is drawn.
        timeline->addFault("invoice", model::Fault::Kind::Outage);
        QCOMPARE(design.faults.size(), std::size_t(2));
        QCOMPARE(design.faults[1].component, std::string("invoice"));
        QCOMPARE(design.faults[1].startSeconds, 60.0); // 20% of 300 s
        QCOMPARE(design.faults[1].endSeconds, 120.0);
        sim::Engine engine(design);
        engine.run();
        const auto results = engine.results();
        std::uint64_t invoiceFailed = 0;
        for (const auto& c : results.components)
            if (c.id == "invoice")
                invoiceFailed = c.failed;
        QVERIFY2(invoiceFailed > 100, qPrintable(QString::number(invoiceFailed)));
        timeline->grab().save(QStringLiteral(EVENTFLOW_BINARY_DIR
                                             "/test-artifacts/fault-timeline.png"));
        stack->undo();
        stack->undo();
        QCOMPARE(design.faults.size(), std::size_t(1));
        QCOMPARE(design.faults[0].startSeconds, 60.0);
    }

    void reportFromTheWindow()
    {
        QVERIFY(m_window->openFile(QStringLiteral(EVENTFLOW_SOURCE_DIR
                                                  "/examples/order-flow-sync.eventflow.json")));
        QTemporaryDir dir;
        // Without a finished run the report makes one; with one it reports that run.
        const QString pdf = dir.filePath(QStringLiteral("sync.pdf"));
        QVERIFY(!m_window->writeReport(pdf));
        QFile file(pdf);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readAll().startsWith("%PDF-"));
        m_window->setRunSpeed(0.0);
        m_window->run();
        QVERIFY(waitWhileRunning(m_window->runner()));
        const QString html = dir.filePath(QStringLiteral("sync.html"));
        QVERIFY(!m_window->writeReport(html));
        QFile page(html);
        QVERIFY(page.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(page.readAll());
        QVERIFY(text.contains(QStringLiteral("Order flow (synchronous)")));
        QVERIFY(text.contains(QStringLiteral("<td>2,729</td>"))); // every request timed out
    }

    void screenshotAfterRunningTo()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("run.png"));
        QProcess process;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        environment.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.path());
        environment.insert(QStringLiteral("XDG_DATA_HOME"), dir.path());
        process.setProcessEnvironment(environment);
        process.start(QStringLiteral(EVENTFLOW_BINARY_DIR "/app/studio/eventflow-studio"),
                      {QStringLiteral(EVENTFLOW_SOURCE_DIR "/examples/order-flow-sync.eventflow.json"),
                       QStringLiteral("--run-to"), QStringLiteral("60"), QStringLiteral("--screenshot"),
                       out, QStringLiteral("--size"), QStringLiteral("1200x800")});
        QVERIFY(process.waitForFinished(60000));
        QCOMPARE(process.exitCode(), 0);
        const QImage shot(out);
        QCOMPARE(shot.size(), QSize(1200, 800));
        // The failing API is drawn in the failing red somewhere on the picture.
        int red = 0;
        for (int y = 0; y < shot.height(); y += 2)
            for (int x = 0; x < shot.width(); x += 2)
                if (shot.pixelColor(x, y) == QColor(0xD1, 0x3B, 0x3B))
                    ++red;
        QVERIFY2(red > 100, qPrintable(QString::number(red)));
        shot.save(QStringLiteral(EVENTFLOW_BINARY_DIR "/test-artifacts/run-order-flow-sync.png"));
    }
};

QTEST_MAIN(TestLiveRun)
#include "TestLiveRun.moc"
