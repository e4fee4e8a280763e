#include "model/DesignFile.h"
#include "sim/Engine.h"

#include <QtTest>
#include <atomic>
#include <cmath>
#include <thread>

using namespace eventflow;
using namespace eventflow::sim;

namespace {

model::Design producerDesign(const std::string& profile, double duration, double warmup = 0,
                             std::uint64_t seed = 1)
{
    const std::string text = R"({"format": "eventflow/1", "name": "t", "components": [
        {"id": "p", "type": "producer"}],
        "traffic": [{"producer": "p", "profile": )" +
                             profile + R"(}],
        "simulation": {"duration_s": )" +
                             std::to_string(duration) + R"(, "warmup_s": )" +
                             std::to_string(warmup) + R"(, "seed": )" + std::to_string(seed) +
                             R"(, "sample_interval_s": 1}})";
    auto loaded = model::DesignFile::parse(text);
    if (!loaded.design)
        qFatal("test design does not load: %s", loaded.diagnostics.front().message.c_str());
    return *loaded.design;
}

std::uint64_t requestsOf(const model::Design& design)
{
    Engine engine(design);
    engine.run();
    return engine.results().summary.requests;
}

} // namespace

class TestEngine : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void constantProfileIsExact()
    {
        const auto design = producerDesign(R"({"kind": "constant", "rate": 10})", 100);
        Engine engine(design);
        QCOMPARE(engine.run(), RunStatus::Finished);
        const auto r = engine.results();
        QCOMPARE(r.summary.requests, 1000u);
        QCOMPARE(r.summary.completed, 1000u);
        QCOMPARE(engine.liveMessages(), 0u);
    }

    // Expected counts are the integral of the rate; Poisson counts must fall within 4 sigma.
    void profileCounts_data()
    {
        QTest::addColumn<QString>("profile");
        QTest::addColumn<double>("expected");
        QTest::newRow("poisson") << R"({"kind": "poisson", "rate": 200})" << 200.0 * 100;
        QTest::newRow("spike") << R"({"kind": "spike", "rate": 50, "peak_rate": 500, "start_s": 20, "end_s": 30})"
                               << 50.0 * 90 + 500.0 * 10;
        QTest::newRow("ramp") << R"({"kind": "ramp", "rate": 0, "to_rate": 200, "start_s": 0, "end_s": 100})"
                              << 100.0 * 100;
        QTest::newRow("bursty") << R"({"kind": "bursty", "rate": 300, "on_s": 5, "off_s": 15})"
                                << 300.0 * 25;
        QTest::newRow("diurnal") << R"({"kind": "diurnal", "rate": 100, "amplitude": 0.5, "period_s": 100})"
                                 << 100.0 * 100;
    }
    void profileCounts()
    {
        QFETCH(QString, profile);
        QFETCH(double, expected);
        const auto count = double(requestsOf(producerDesign(profile.toStdString(), 100)));
        QVERIFY2(std::abs(count - expected) <= 4.0 * std::sqrt(expected),
                 qPrintable(QString("expected %1, got %2").arg(expected).arg(count)));
    }

    void sameSeedGivesIdenticalResults()
    {
        const auto design = producerDesign(R"({"kind": "poisson", "rate": 500})", 30, 0, 42);
        Engine a(design), b(design);
        a.run();
        b.run();
        QCOMPARE(QString::fromStdString(a.results().toJson().dump()),
                 QString::fromStdString(b.results().toJson().dump()));
        const auto other = producerDesign(R"({"kind": "poisson", "rate": 500})", 30, 0, 43);
        QVERIFY(requestsOf(design) != requestsOf(other));
    }

    void steppedRunEqualsSingleRun()
    {
        const auto design = producerDesign(R"({"kind": "poisson", "rate": 500})", 30);
        Engine whole(design), stepped(design);
        whole.run();
        for (int s = 1; s <= 30; ++s)
            stepped.runUntil(fromSeconds(s));
        QCOMPARE(stepped.status(), RunStatus::Finished);
        QCOMPARE(QString::fromStdString(stepped.results().toJson().dump()),
                 QString::fromStdString(whole.results().toJson().dump()));
    }

    void addingAComponentKeepsOthersDraws()
    {
        auto design = producerDesign(R"({"kind": "poisson", "rate": 300})", 20);
        Engine before(design);
        before.run();
        model::Component extra;
        extra.id = "another";
        extra.type = model::ComponentType::Producer;
        design.components.insert(design.components.begin(), extra);
        design.traffic.push_back({"another", {}, {}});
        design.traffic.back().events.push_back({});
        Engine after(design);
        after.run();
        const auto resultsBefore = before.results();
        const auto resultsAfter = after.results();
        const auto& p1 = resultsBefore.components.front();
        const auto& p2 = resultsAfter.components.back();
        QCOMPARE(p2.id, std::string("p"));
        QCOMPARE(p2.received, p1.received);
    }

    void warmupIsExcluded()
    {
        const auto design = producerDesign(R"({"kind": "constant", "rate": 10})", 100, 40);
        Engine engine(design);
        engine.run();
        const auto r = engine.results();
        // Arrivals at 40.0, 40.1, … 100.0: the one exactly at the end of warm-up counts.
        QCOMPARE(r.summary.requests, 601u);
        QCOMPARE(r.components.front().received, 601u);
    }

    void timeSeriesHasOneSamplePerInterval()
    {
        const auto design = producerDesign(R"({"kind": "constant", "rate": 10})", 60);
        Engine engine(design);
        engine.run();
        const auto r = engine.results();
        QCOMPARE(r.timeseries.t.size(), 60u);
        QCOMPARE(r.timeseries.t.back(), 60.0);
        const auto& received = r.timeseries.components.at("p").at("received_per_s");
        QCOMPARE(received.size(), 60u);
        QCOMPARE(received[10], 10.0);
    }

    void cancelStopsARun()
    {
        const auto design = producerDesign(R"({"kind": "poisson", "rate": 1000})", 1000);
        Engine engine(design);
        engine.runUntil(fromSeconds(1));
        engine.cancel();
        QCOMPARE(engine.run(), RunStatus::Cancelled);
        QVERIFY(engine.now() < engine.endTime());
        QCOMPARE(QString::fromStdString(engine.results().status), QString("cancelled"));
    }

    // The desktop app's pattern: a worker thread advances the engine and reads snapshots between
    // steps; the interface thread may cancel at any moment.
    void workerThreadStepsSnapshotsAndCancel()
    {
        const auto design = producerDesign(R"({"kind": "poisson", "rate": 2000})", 1e6);
        Engine engine(design);
        std::atomic<int> steps{0};
        std::uint64_t lastRequests = 0;
        bool monotonic = true;
        std::thread worker([&] {
            for (SimTime t = kSecond; engine.runUntil(t) == RunStatus::Running; t += kSecond) {
                const auto snapshot = engine.results();
                monotonic = monotonic && snapshot.summary.requests >= lastRequests &&
                            snapshot.simulatedSeconds == toSeconds(t);
                lastRequests = snapshot.summary.requests;
                ++steps;
            }
        });
        while (steps.load() < 20)
            std::this_thread::yield();
        engine.cancel();
        worker.join();
        QCOMPARE(engine.status(), RunStatus::Cancelled);
        QVERIFY(monotonic);
        QVERIFY(lastRequests > 20 * 1900);
    }

    void eventCapStopsARunawayWithADiagnostic()
    {
        auto design = producerDesign(R"({"kind": "constant", "rate": 1000})", 10);
        design.simulation.maxEventsPerSimSecond = 500;
        Engine engine(design);
        QCOMPARE(engine.run(), RunStatus::Runaway);
        QCOMPARE(engine.diagnostics().size(), 1u);
        QVERIFY(engine.diagnostics().front().message.find("more than 500 events") !=
                std::string::npos);
        QVERIFY(engine.now() < fromSeconds(1.01));
    }

    void synchronousCycleIsStoppedAndNamed()
    {
        auto loaded = model::DesignFile::parse(R"({"format": "eventflow/1", "components": [
            {"id": "p", "type": "producer"},
            {"id": "a", "type": "service", "sim": {"duration": 1, "workers": 1000, "queue_capacity": 0}},
            {"id": "b", "type": "service", "sim": {"duration": 1, "workers": 1000, "queue_capacity": 0}}],
            "connections": [{"from": "p", "to": "a", "kind": "invoke"},
                            {"from": "a", "to": "b", "kind": "invoke"},
                            {"from": "b", "to": "a", "kind": "invoke"}],
            "traffic": [{"producer": "p", "profile": {"kind": "constant", "rate": 1}}],
            "simulation": {"duration_s": 60}})");
        QVERIFY(loaded.design);
        Engine engine(*loaded.design);
        QCOMPARE(engine.run(), RunStatus::Runaway);
        QCOMPARE(engine.diagnostics().size(), 1u);
        const auto& message = engine.diagnostics().front().message;
        QVERIFY2(message.find("a → b → a") != std::string::npos ||
                     message.find("b → a → b") != std::string::npos,
                 message.c_str());
        QVERIFY(engine.now() < fromSeconds(2));
    }

    void redeliveriesAreRetriesNotHops()
    {
        // One message received 100 times by a failing consumer passes the 64-hop guard.
        auto loaded = model::DesignFile::parse(R"({"format": "eventflow/1", "components": [
            {"id": "p", "type": "producer"},
            {"id": "q", "type": "queue", "props": {"VisibilityTimeout": 1,
                                                   "RedrivePolicy": {"maxReceiveCount": 100}}},
            {"id": "dlq", "type": "queue"},
            {"id": "f", "type": "function", "sim": {"error_rate": 1, "duration": 1}}],
            "connections": [{"from": "p", "to": "q", "kind": "send"},
                            {"from": "q", "to": "f", "kind": "event_source"},
                            {"from": "q", "to": "dlq", "kind": "dead_letter"}],
            "traffic": [{"producer": "p", "profile": {"kind": "constant", "rate": 0.1}}],
            "simulation": {"duration_s": 200}})");
        QVERIFY(loaded.design);
        Engine engine(*loaded.design);
        QCOMPARE(engine.run(), RunStatus::Finished);
        const auto r = engine.results();
        QVERIFY(r.summary.deadLettered >= 9);
        QCOMPARE(r.components[2].received, r.summary.deadLettered);
    }

    // Section 5 of the engine's brief: one slow service in a synchronous chain turns every request
    // into a 504 while the fault lasts; the same service behind a queue only builds backlog.
    void latencyFaultCascadesThroughSyncButNotAsync()
    {
        auto loadExample = [](const char* name) {
            auto loaded = model::DesignFile::load(std::string(EVENTFLOW_SOURCE_DIR) +
                                                  "/examples/" + name + ".eventflow.json");
            if (!loaded.design)
                qFatal("example %s does not load", name);
            auto design = *loaded.design;
            for (auto& c : design.components)
                if (c.id == "forecasting")
                    c.sim["duration"] = {{"dist", "constant"}, {"value", 500}};
            design.faults.push_back({"forecasting", model::Fault::Kind::Latency, 60, 120, 100});
            design.simulation.durationSeconds = 240;
            return design;
        };
        const auto sync = loadExample("order-flow-sync");
        Engine syncEngine(sync);
        syncEngine.run();
        const auto s = syncEngine.results();
        const auto& apiErrors = s.timeseries.components.at("api").at("errors_per_s");
        const auto& apiOk = s.timeseries.components.at("api").at("throughput_per_s");
        // Before the fault every request succeeds; requests sent during it time out at 29 s.
        double before = 0, during = 0, after = 0, okDuring = 0;
        for (std::size_t i = 0; i < s.timeseries.t.size(); ++i) {
            const double t = s.timeseries.t[i];
            if (t <= 60)
                before += apiErrors[i];
            else if (t > 90 && t <= 120) // answers due now belong to requests sent in the fault
                during += apiErrors[i], okDuring += apiOk[i];
            else if (t > 180)
                after += apiErrors[i];
        }
        QCOMPARE(before, 0.0);
        QCOMPARE(after, 0.0);
        QVERIFY2(during > 250, qPrintable(QString::number(during))); // ~10/s for 30 s
        QVERIFY2(okDuring < 0.05 * during, qPrintable(QString::number(okDuring)));

        // The async example keeps its own fault too (fulfillment ×20 from 60 s to 120 s).
        const auto async = loadExample("order-flow-async");
        Engine asyncEngine(async);
        asyncEngine.run();
        const auto a = asyncEngine.results();
        QCOMPARE(a.summary.timedOut, 0u);
        QCOMPARE(a.summary.failed, 0u);
        auto backlogOf = [&](const char* id) {
            return std::find_if(a.components.begin(), a.components.end(),
                                [&](const auto& c) { return c.id == id; })
                ->backlog;
        };
        // 400 workers × 50 s serve 8/s against 10/s: about 2/s × 60 s builds up, then drains.
        QVERIFY(backlogOf("forecasting-queue").max > 80);
        QVERIFY(backlogOf("forecasting-queue").final < 20);
        QVERIFY(backlogOf("fulfillment-queue").max > 300);
        QVERIFY(backlogOf("fulfillment-queue").final < 20);
    }

    void randomFieldsAreDrawnPerMessage()
    {
        auto loaded = model::DesignFile::parse(R"({"format": "eventflow/1", "components": [
            {"id": "p", "type": "producer"}],
            "traffic": [{"producer": "p", "profile": {"kind": "constant", "rate": 1},
              "events": [{"source": "s", "detail-type": "d",
                          "detail": {"amount": {"dist": "uniform", "min": 0, "max": 100},
                                     "region": {"oneOf": ["eu", "us"]}, "fixed": 7,
                                     "nested": {"oneOf": [{"dist": "constant", "value": 3}]}}}]}],
            "simulation": {"duration_s": 1}})");
        QVERIFY(loaded.design);
        Engine engine(*loaded.design);
        QVERIFY(engine.eventTypes().front().dynamic);
        const MessageId a = engine.createRequest(0, 0);
        const MessageId b = engine.createRequest(0, 0);
        const auto& da = engine.eventDocument(a);
        const auto& db = engine.eventDocument(b);
        QVERIFY(da["detail"]["amount"].is_number());
        QVERIFY(da["detail"]["amount"] != db["detail"]["amount"]);
        QVERIFY(da["detail"]["region"] == "eu" || da["detail"]["region"] == "us");
        QCOMPARE(da["detail"]["fixed"].get<int>(), 7);
        QCOMPARE(da["detail"]["nested"].get<double>(), 3.0);
        QCOMPARE(da["source"].get<std::string>(), std::string("s"));
        engine.finish(a, Fate::Completed);
        engine.finish(b, Fate::Completed);
        QCOMPARE(engine.liveMessages(), 0u);
    }

    void worstFateOfCopiesWins()
    {
        const auto design = producerDesign(R"({"kind": "constant", "rate": 1})", 10);
        Engine engine(design);
        const MessageId original = engine.createRequest(0, 0);
        const MessageId copy = engine.fork(original);
        engine.finish(original, Fate::Completed);
        engine.detach(copy); // the copy went to a dead-letter queue
        engine.finish(copy, Fate::Completed);
        const auto r = engine.results();
        QCOMPARE(r.summary.deadLettered, 1u);
        QCOMPARE(r.summary.completed, 0u);
        QCOMPARE(engine.liveMessages(), 0u);
    }

    // A partial batch response names records ascending, each once: the queue walks the list
    // alongside its entries and frees the others, so a repeat or an earlier record would free
    // an entry it still holds. The engine refuses them (a programming error in the callee), as
    // it refuses a record out of range or item failures on a call that takes none.
    void itemFailuresAreAscendingAndUnique()
    {
        auto loaded = model::DesignFile::parse(R"({"format": "eventflow/1", "name": "t",
            "components": [{"id": "p", "type": "producer"},
              {"id": "s", "type": "service",
               "sim": {"workers": 1, "duration": {"dist": "constant", "value": 1000}}},
              {"id": "x", "type": "service"}],
            "traffic": [{"producer": "p", "profile": {"kind": "constant", "rate": 1},
                         "events": [{"source": "shop", "detail-type": "Placed"}]}],
            "simulation": {"duration_s": 10}})");
        QVERIFY(loaded.design);
        Engine engine(*loaded.design);
        engine.runUntil(fromSeconds(0.5));
        const MessageId first = engine.createRequest(0, 0);
        const MessageId ids[] = {first, engine.fork(first), engine.fork(first)};
        // "x" stands in for a queue's poller; "s" holds the call open for a second.
        const Link link{1, model::ConnectionKind::EventSource, 0};
        const CallId call = engine.callBatch(2, link, ids, 0, ItemFailures::Any);
        QCOMPARE(engine.callItemFailures(call), ItemFailures::Any);
        engine.reportItemFailure(call, 1);
        QVERIFY_THROWS_EXCEPTION(std::logic_error, engine.reportItemFailure(call, 1));
        QVERIFY_THROWS_EXCEPTION(std::logic_error, engine.reportItemFailure(call, 0));
        QVERIFY_THROWS_EXCEPTION(std::logic_error, engine.reportItemFailure(call, 3));
        engine.reportItemFailure(call, 2);
        const auto failed = engine.itemFailures(call);
        QCOMPARE(std::vector<std::uint32_t>(failed.begin(), failed.end()),
                 (std::vector<std::uint32_t>{1, 2}));

        const CallId whole = engine.callBatch(2, link, ids, 0);
        QCOMPARE(engine.callItemFailures(whole), ItemFailures::None);
        QVERIFY_THROWS_EXCEPTION(std::logic_error, engine.reportItemFailure(whole, 0));

        engine.run();
        QCOMPARE(engine.openCalls(), 0u);
        for (MessageId id : ids)
            engine.finish(id, Fate::Completed);
        QCOMPARE(engine.liveMessages(), 0u);
    }
};

QTEST_APPLESS_MAIN(TestEngine)
#include "TestEngine.moc"
