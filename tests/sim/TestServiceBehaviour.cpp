// ServiceBehaviour: workers, a bounded wait line, errors, outages, and workers held by slow
// dependencies.

#include "SimTestDesign.h"

#include <QtTest>
#include <cmath>

using namespace eventflow;
using namespace eventflow::test;
using nlohmann::json;

class TestServiceBehaviour : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // One worker at 100 ms serves 10/s; under 20/s the line (5 places) fills and the excess is
    // refused at once as 503 (Throttled), counted in `throttled`.
    void fullLineRefusesRequests()
    {
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"), component("s", "service",
                                                     {{"workers", 1},
                                                      {"queue_capacity", 5},
                                                      {"duration", constantDistribution(100)}})}},
             {"connections", {connection("p", "s", "invoke")}},
             {"traffic", traffic({{"kind", "constant"}, {"rate", 20}})},
             {"simulation", simulation(100)}});
        const Run run = runDesign(design);
        const auto& s = result(run.results, "s");
        QCOMPARE(s.received, 2000u);
        EF_VERIFY_NEAR(s.completed, 10 * 100, 0.01);
        EF_VERIFY_NEAR(s.throttled, 10 * 100, 0.01);
        QCOMPARE(s.backlog.max, 5.0);
        QCOMPARE(s.concurrency.max, 1.0);
        QCOMPARE(run.results.summary.throttled, s.throttled);
        QCOMPARE(result(run.results, "p").throttled, s.throttled);
        // A full line: each served request waited for the five ahead of it.
        EF_VERIFY_NEAR(s.latency.p50, 600.0, 0.02);
    }

    void errorRateFailsThatShare()
    {
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"), component("s", "service",
                                                     {{"workers", 100},
                                                      {"error_rate", 0.2},
                                                      {"duration", constantDistribution(1)}})}},
             {"connections", {connection("p", "s", "invoke")}},
             {"traffic", traffic(poissonUntil(200, 100))},
             {"simulation", simulation(110)}});
        const Run run = runDesign(design);
        const auto& s = result(run.results, "s");
        const double n = double(s.received);
        QVERIFY(n > 19000);
        QCOMPARE(s.completed + s.failed, s.received);
        QVERIFY(std::abs(double(s.failed) - 0.2 * n) < 4.0 * std::sqrt(n * 0.2 * 0.8));
        QCOMPARE(run.results.summary.failed, s.failed);
        QVERIFY(run.drained);
    }

    // During an outage (20–40 s) every request fails at once, and the ones waiting in line when
    // it starts fail with it.
    void outageFailsEveryRequest()
    {
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"), component("s", "service",
                                                     {{"workers", 1},
                                                      {"queue_capacity", 0},
                                                      {"duration", constantDistribution(50)}})}},
             {"connections", {connection("p", "s", "invoke")}},
             {"traffic", traffic({{"kind", "constant"}, {"rate", 10}})},
             {"faults", {{{"component", "s"}, {"kind", "outage"}, {"start_s", 20}, {"end_s", 40}}}},
             {"simulation", simulation(60)}});
        const Run run = runDesign(design);
        const auto& s = result(run.results, "s");
        QCOMPARE(s.received, 600u);
        // Arrivals at 20.0 … 39.9 s fail (200); the one in service at 20 s (arrived 19.9 s,
        // ends 19.95 s) was already done.
        QCOMPARE(s.failed, 200u);
        QCOMPARE(s.completed, 399u); // the arrival at 60.0 s is still in work when the run ends
    }

    // A line that has built up fails as a whole when the outage starts; the request in work
    // fails when its work ends.
    void outageEmptiesTheLine()
    {
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"), component("s", "service",
                                                     {{"workers", 1},
                                                      {"queue_capacity", 0},
                                                      {"duration", constantDistribution(1000)}})}},
             {"connections", {connection("p", "s", "invoke")}},
             {"traffic", traffic(poissonUntil(5, 30))},
             {"faults", {{{"component", "s"}, {"kind", "outage"}, {"start_s", 10}, {"end_s", 30}}}},
             {"simulation", simulation(40)}});
        const Run run = runDesign(design);
        const auto& s = result(run.results, "s");
        const auto& backlog = run.results.timeseries.components.at("s").at("backlog");
        const auto& t = run.results.timeseries.t;
        QCOMPARE(t[8], 9.0);
        QVERIFY(backlog[8] > 25);  // ~5/s arriving, 1/s served
        QCOMPARE(backlog[9], 0.0); // 10 s: the outage emptied it
        QCOMPARE(s.completed, 9u); // work ending at 1 … 9 s after the first arrival
        QCOMPARE(s.completed + s.failed, s.received);
        QVERIFY(run.drained);
    }

    // The worker stays busy while it waits for its dependency: ten workers in front of a 1 s
    // call serve at most 10 requests/s however fast the service itself is.
    void slowDependencyExhaustsWorkers()
    {
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"),
               component("a", "service",
                         {{"workers", 10},
                          {"queue_capacity", 10},
                          {"duration", constantDistribution(1)}}),
               component("b", "service",
                         {{"workers", 1000}, {"duration", constantDistribution(1000)}})}},
             {"connections", {connection("p", "a", "invoke"), connection("a", "b", "invoke")}},
             {"traffic", traffic({{"kind", "constant"}, {"rate", 50}})},
             {"simulation", simulation(100)}});
        const Run run = runDesign(design);
        const auto& a = result(run.results, "a");
        QCOMPARE(a.concurrency.max, 10.0);
        EF_VERIFY_NEAR(a.completed, 10 * 100, 0.03);
        EF_VERIFY_NEAR(a.throttled, 40 * 100, 0.01);
        EF_VERIFY_NEAR(a.concurrency.mean, 10.0, 0.02);
    }

    // A batch call (queue event source) is one unit of work: one worker handles its records in
    // turn; counters are per record.
    void batchCallIsOneUnitOfWork()
    {
        // "x" stands in for a queue's poller: a component that ignores answers it did not ask
        // for.
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"),
               component("s", "service", {{"workers", 1}, {"duration", constantDistribution(10)}}),
               component("x", "service")}},
             {"traffic", traffic({{"kind", "constant"}, {"rate", 1}})},
             {"simulation", simulation(10)}});
        sim::Engine engine(design);
        engine.runUntil(sim::fromSeconds(0.5));
        const sim::MessageId first = engine.createRequest(0, 0);
        const sim::MessageId second = engine.fork(first);
        const sim::MessageId third = engine.fork(first);
        const sim::MessageId ids[] = {first, second, third};
        const sim::Link link{1, model::ConnectionKind::EventSource, 0};
        engine.callBatch(2, link, ids, 0);
        engine.runUntil(sim::fromSeconds(0.6));
        const auto r = engine.results();
        const auto& s = result(r, "s");
        QCOMPARE(s.received, 3u);
        QCOMPARE(s.completed, 3u);
        // One worker, three records of 10 ms in turn.
        QCOMPARE(s.latency.max, 30.0);
        QCOMPARE(engine.openCalls(), 0u);
        for (auto id : ids)
            engine.finish(id, sim::Fate::Completed);
        QCOMPARE(engine.liveMessages(), 0u);
    }

    // An asynchronous hand-over is owned by the service and ends with the outcome's fate.
    void handOverEndsWithItsFate()
    {
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"), component("s", "service",
                                                     {{"workers", 100},
                                                      {"error_rate", 0.5},
                                                      {"duration", constantDistribution(5)}})}},
             {"connections", {connection("p", "s", "send")}},
             {"traffic", traffic(poissonUntil(100, 50))},
             {"simulation", simulation(60)}});
        const Run run = runDesign(design);
        const auto& s = result(run.results, "s");
        const auto& summary = run.results.summary;
        QCOMPARE(summary.completed, s.completed);
        QCOMPARE(summary.failed, s.failed);
        QCOMPARE(s.completed + s.failed, summary.requests);
        QVERIFY(run.drained);
    }

    // sim.fail_pattern: a request whose event matches always fails (a poison message), the
    // others are served. Called directly, each poison request fails once. Polling a queue with
    // maxReceiveCount 2, each poison message fails twice, one visibility timeout apart, and then
    // sits in the dead-letter queue.
    void failPatternFailsPoisonRequests_data()
    {
        QTest::addColumn<bool>("viaQueue");
        QTest::newRow("invoked") << false;
        QTest::newRow("polling a queue") << true;
    }
    void failPatternFailsPoisonRequests()
    {
        QFETCH(bool, viaQueue);
        const json serviceSim = {{"workers", 4},
                                 {"duration", constantDistribution(20)},
                                 {"fail_pattern", {{"source", {"shop.legacy"}}}}};
        json components = {component("p", "producer"), component("s", "service", serviceSim)};
        json connections = json::array();
        if (viaQueue) {
            components.push_back(
                component("q", "queue", {},
                          {{"VisibilityTimeout", 2}, {"RedrivePolicy", {{"maxReceiveCount", 2}}}}));
            components.push_back(component("dlq", "queue"));
            connections = {
                connection("p", "q", "send"),
                connection("q", "s", "event_source", {{"poll_latency", constantDistribution(0)}}),
                connection("q", "dlq", "dead_letter")};
        } else {
            connections = {connection("p", "s", "invoke")};
        }
        const json traffic = json::array({{{"producer", "p"},
                                           {"profile", poissonUntil(50, 30)},
                                           {"events",
                                            {{{"weight", 9}, {"source", "shop.checkout"}},
                                             {{"weight", 1}, {"source", "shop.legacy"}}}}}});
        const auto design = makeDesign({{"components", components},
                                        {"connections", connections},
                                        {"traffic", traffic},
                                        {"simulation", simulation(40)}});
        const Run run = runDesign(design);
        const auto& s = result(run.results, "s");
        const auto& summary = run.results.summary;
        const auto poison = viaQueue ? summary.deadLettered : summary.failed;
        QVERIFY2(poison > 60 && poison < 240, qPrintable(QString::number(poison)));
        QCOMPARE(s.completed, summary.requests - poison);
        QCOMPARE(s.failed, poison * (viaQueue ? 2u : 1u));
        QCOMPARE(summary.completed, summary.requests - poison);
        if (viaQueue) {
            QCOMPARE(result(run.results, "dlq").received, poison);
            QCOMPARE(result(run.results, "q").retried, poison);
        }
    }
};

QTEST_APPLESS_MAIN(TestServiceBehaviour)
#include "TestServiceBehaviour.moc"
