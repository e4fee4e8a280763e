// DownstreamCaller: the outbound call policy every synchronous component shares, observed
// through a service "a" calling services "b" and "c".

#include "SimTestDesign.h"

#include <QtTest>
#include <cmath>

using namespace eventflow;
using namespace eventflow::test;
using nlohmann::json;

namespace {

/// A service that does nothing itself and is never the bottleneck.
json passThrough(std::string id, json extra = json::object())
{
    json sim = {{"workers", 10000}, {"queue_capacity", 0}, {"duration", constantDistribution(0)}};
    sim.update(extra);
    return component(std::move(id), "service", sim);
}

json outageOf(std::string id, double from, double to)
{
    return {{"component", std::move(id)}, {"kind", "outage"}, {"start_s", from}, {"end_s", to}};
}

} // namespace

class TestDownstreamCaller : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // Two downstream calls of a constant 100 ms: one after another they add up, at once they
    // overlap.
    void sequenceVersusParallel_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<double>("expectedMs");
        QTest::newRow("sequence") << "sequence" << 200.0;
        QTest::newRow("parallel") << "parallel" << 100.0;
    }
    void sequenceVersusParallel()
    {
        QFETCH(QString, mode);
        QFETCH(double, expectedMs);
        const json slow = {{"duration", constantDistribution(100)}};
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"), passThrough("a", {{"call_mode", mode.toStdString()}}),
               passThrough("b", slow), passThrough("c", slow)}},
             {"connections",
              {connection("p", "a", "invoke"), connection("a", "b", "invoke"),
               connection("a", "c", "invoke")}},
             {"traffic", traffic(poissonUntil(50, 50))},
             {"simulation", simulation(60)}});
        const Run run = runDesign(design);
        const auto& a = result(run.results, "a");
        QVERIFY(a.completed > 2000);
        QCOMPARE(a.completed, a.received);
        EF_VERIFY_NEAR(a.latency.mean, expectedMs, 0.005);
        QCOMPARE(result(run.results, "b").received, a.received);
        QCOMPARE(result(run.results, "c").received, a.received);
        QVERIFY(run.drained);
    }

    // sim.timeout_ms: the caller stops waiting after 500 ms (TimedOut) and abandons the call;
    // the callee still does the work, its late answer is ignored.
    void timeoutAbandonsTheCall()
    {
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"), passThrough("a"),
               passThrough("b", {{"duration", constantDistribution(2000)}})}},
             {"connections",
              {connection("p", "a", "invoke"),
               connection("a", "b", "invoke", {{"timeout_ms", 500}, {"max_retries", 0}})}},
             {"traffic", traffic(poissonUntil(20, 50))},
             {"simulation", simulation(60)}});
        const Run run = runDesign(design);
        const auto& a = result(run.results, "a");
        const auto& b = result(run.results, "b");
        QVERIFY(a.received > 800);
        QCOMPARE(a.timedOut, a.received);
        QCOMPARE(run.results.summary.timedOut, run.results.summary.requests);
        EF_VERIFY_NEAR(a.latency.mean, 500.0, 0.001);
        QCOMPARE(b.received, a.received);
        QCOMPARE(b.completed, b.received);
        QVERIFY(run.drained);
    }

    // Without backoff, every request hits the failing dependency 1 + max_retries times.
    void retriesMultiplyLoadDuringOutage()
    {
        const auto design = makeDesign(
            {{"components", {component("p", "producer"), passThrough("a"), passThrough("b")}},
             {"connections",
              {connection("p", "a", "invoke"),
               connection("a", "b", "invoke", {{"max_retries", 3}, {"backoff_ms", 0}})}},
             {"traffic", traffic(poissonUntil(50, 100))},
             {"faults", {outageOf("b", 0, 200)}},
             {"simulation", simulation(120)}});
        const Run run = runDesign(design);
        const auto& a = result(run.results, "a");
        const auto& b = result(run.results, "b");
        QVERIFY(a.received > 4000);
        QCOMPARE(b.received, 4 * a.received);
        QCOMPARE(a.retried, 3 * a.received);
        QCOMPARE(run.results.summary.failed, run.results.summary.requests);
        QVERIFY(run.drained);
    }

    // The same outage behind a circuit breaker: 20 failed calls open it, then it fails fast and
    // lets one trial call through every breaker_open_s (30 s): about 20 + 3 calls in 100 s
    // instead of ~20,000.
    void circuitBreakerCutsLoad()
    {
        const auto design = makeDesign(
            {{"components", {component("p", "producer"), passThrough("a"), passThrough("b")}},
             {"connections",
              {connection("p", "a", "invoke"), connection("a", "b", "invoke",
                                                          {{"max_retries", 3},
                                                           {"backoff_ms", 0},
                                                           {"circuit_breaker", true},
                                                           {"breaker_min_calls", 20},
                                                           {"breaker_failure_ratio", 0.5},
                                                           {"breaker_window_s", 10},
                                                           {"breaker_open_s", 30}})}},
             {"traffic", traffic(poissonUntil(50, 100))},
             {"faults", {outageOf("b", 0, 200)}},
             {"simulation", simulation(120)}});
        const Run run = runDesign(design);
        const auto& a = result(run.results, "a");
        const auto& b = result(run.results, "b");
        QVERIFY(a.received > 4000);
        QVERIFY2(b.received >= 23 && b.received <= 24, qPrintable(QString::number(b.received)));
        QCOMPARE(a.failed, a.received);
        QCOMPARE(a.retried, 3 * a.received); // fast failures are retried, and fail fast again
        QVERIFY(a.latency.mean < 1.0);       // failing fast costs no time
        QVERIFY(run.drained);
    }

    // After the outage ends, the next trial call (30 s after opening) succeeds and closes the
    // breaker: traffic flows again.
    void circuitBreakerClosesAfterRecovery()
    {
        const auto design = makeDesign(
            {{"components", {component("p", "producer"), passThrough("a"), passThrough("b")}},
             {"connections",
              {connection("p", "a", "invoke"), connection("a", "b", "invoke",
                                                          {{"max_retries", 0},
                                                           {"circuit_breaker", true},
                                                           {"breaker_min_calls", 20},
                                                           {"breaker_open_s", 30}})}},
             {"traffic", traffic({{"kind", "constant"}, {"rate", 50}})},
             {"faults", {outageOf("b", 0, 20)}},
             {"simulation", simulation(120)}});
        const Run run = runDesign(design);
        const auto& b = result(run.results, "b");
        // Arrivals every 20 ms: the 20th (0.4 s) opens the breaker until 30.4 s; arrival 1520
        // (30.4 s) is the trial, which succeeds, and every later one (to 6000 at 120 s) goes
        // through.
        QCOMPARE(b.received - b.completed, 20u);
        QCOMPARE(b.completed, 6000u - 1520u + 1u);
    }

    // Waits before retries: backoff_ms × 2^n capped at backoff_max_ms (100, 200, 250 ms);
    // with full jitter each is uniform below that, halving the mean.
    void backoffDoublesUpToTheCap_data()
    {
        QTest::addColumn<bool>("jitter");
        QTest::addColumn<double>("expectedMs");
        QTest::addColumn<double>("tolerance");
        QTest::newRow("no jitter") << false << 550.0 << 0.0001;
        QTest::newRow("full jitter") << true << 275.0 << 0.02;
    }
    void backoffDoublesUpToTheCap()
    {
        QFETCH(bool, jitter);
        QFETCH(double, expectedMs);
        QFETCH(double, tolerance);
        const auto design = makeDesign(
            {{"components", {component("p", "producer"), passThrough("a"), passThrough("b")}},
             {"connections",
              {connection("p", "a", "invoke"), connection("a", "b", "invoke",
                                                          {{"max_retries", 3},
                                                           {"backoff_ms", 100},
                                                           {"backoff_max_ms", 250},
                                                           {"jitter", jitter}})}},
             {"traffic", traffic(poissonUntil(50, 100))},
             {"faults", {outageOf("b", 0, 200)}},
             {"simulation", simulation(110)}});
        const Run run = runDesign(design);
        const auto& a = result(run.results, "a");
        QVERIFY(a.received > 4000);
        QCOMPARE(result(run.results, "b").received, 4 * a.received);
        EF_VERIFY_NEAR(a.latency.mean, expectedMs, tolerance);
        QVERIFY(run.drained);
    }

    // Send links get a copy once every call succeeded; a unit that failed publishes nothing; a
    // refused copy fails the unit.
    void sendsFollowSuccessfulCalls_data()
    {
        QTest::addColumn<bool>("callFails");
        QTest::addColumn<bool>("sinkDown");
        QTest::newRow("calls succeed") << false << false;
        QTest::newRow("call fails") << true << false;
        QTest::newRow("send refused") << false << true;
    }
    void sendsFollowSuccessfulCalls()
    {
        QFETCH(bool, callFails);
        QFETCH(bool, sinkDown);
        json faults = json::array();
        if (sinkDown)
            faults.push_back(outageOf("sink", 0, 100));
        const auto design =
            makeDesign({{"components",
                         {component("p", "producer"), passThrough("a"),
                          passThrough("b", {{"error_rate", callFails ? 1.0 : 0.0}}),
                          component("sink", "state_machine")}},
                        {"connections",
                         {connection("p", "a", "invoke"), connection("a", "b", "invoke"),
                          connection("a", "sink", "send")}},
                        {"traffic", traffic(poissonUntil(20, 50))},
                        {"faults", faults},
                        {"simulation", simulation(60)}});
        const Run run = runDesign(design);
        const auto& a = result(run.results, "a");
        const auto& sink = result(run.results, "sink");
        const auto& summary = run.results.summary;
        QVERIFY(a.received > 800);
        if (callFails) {
            QCOMPARE(sink.received, 0u);
            QCOMPARE(summary.failed, summary.requests);
        } else if (sinkDown) {
            QCOMPARE(sink.received, a.received);
            QCOMPARE(a.failed, a.received);
            QCOMPARE(summary.failed, summary.requests);
        } else {
            QCOMPARE(sink.received, a.received);
            QCOMPARE(sink.completed, a.received);
            QCOMPARE(summary.completed, summary.requests);
        }
        QVERIFY(run.drained);
    }

    // sim.max_concurrent_calls (a bulkhead): at most 5 calls open on a→b. A call to b takes 1 s,
    // or is cut at a 200 ms timeout (b keeps working on the abandoned call); a freed place waits
    // for the next request, 10 ms on average at 100/s. So 5 / (hold + 0.01 s) calls a second
    // reach b; every other call fails fast, without reaching b.
    void bulkheadFailsFastBeyondItsLimit_data()
    {
        QTest::addColumn<double>("timeoutMs");
        QTest::addColumn<double>("holdSeconds");
        QTest::newRow("answered") << 30000.0 << 1.0;
        QTest::newRow("timed out") << 200.0 << 0.2;
    }
    void bulkheadFailsFastBeyondItsLimit()
    {
        QFETCH(double, timeoutMs);
        QFETCH(double, holdSeconds);
        const double callsPerSecond = 5.0 / (holdSeconds + 0.01);
        const auto design =
            makeDesign({{"components",
                         {component("p", "producer"), passThrough("a"),
                          passThrough("b", {{"duration", constantDistribution(1000)}})}},
                        {"connections",
                         {connection("p", "a", "invoke"),
                          connection("a", "b", "invoke",
                                     {{"timeout_ms", timeoutMs}, {"max_concurrent_calls", 5}})}},
                        {"traffic", traffic(poissonUntil(100, 100))},
                        {"simulation", simulation(110)}});
        const Run run = runDesign(design);
        const auto& a = result(run.results, "a");
        const auto& b = result(run.results, "b");
        QVERIFY(a.received > 9000);
        EF_VERIFY_NEAR(double(b.received), callsPerSecond * 100, 0.02);
        QVERIFY2(b.received <= 5.0 / holdSeconds * 100 + 5,
                 qPrintable(QString::number(b.received)));
        const std::uint64_t expectedTimeouts = timeoutMs < 1000 ? b.received : 0;
        QCOMPARE(a.timedOut, expectedTimeouts);
        QCOMPARE(a.failed, a.received - b.received); // refused by the bulkhead: Error
        QCOMPARE(a.retried, 0u);
        if (timeoutMs > 1000)
            QCOMPARE(b.concurrency.max, 5.0);
        QVERIFY(run.drained);
    }

    // Refused attempts are retried like any failed attempt. One place, calls of 250 ms, a
    // request every 200 ms, one retry 100 ms later: of every three requests one finds the place
    // free, one gets it on its retry (the call before ended 50 ms earlier) and one is refused
    // twice (the place is taken again) and fails.
    void bulkheadRefusalsAreRetried()
    {
        const auto design =
            makeDesign({{"components",
                         {component("p", "producer"), passThrough("a"),
                          passThrough("b", {{"duration", constantDistribution(250)}})}},
                        {"connections",
                         {connection("p", "a", "invoke"), connection("a", "b", "invoke",
                                                                     {{"max_concurrent_calls", 1},
                                                                      {"max_retries", 1},
                                                                      {"backoff_ms", 100},
                                                                      {"jitter", false}})}},
                        {"traffic", traffic({{"kind", "constant"}, {"rate", 5}})},
                        {"simulation", simulation(60)}});
        const Run run = runDesign(design);
        const auto& a = result(run.results, "a");
        const auto& b = result(run.results, "b");
        QVERIFY(a.received >= 299);
        const auto ended = a.completed + a.failed;
        QVERIFY2(std::abs(3.0 * double(a.failed) - double(ended)) <= 3.0,
                 qPrintable(QString("%1 of %2 failed").arg(a.failed).arg(ended)));
        QVERIFY2(std::abs(1.5 * double(a.retried) - double(a.received)) <= 3.0,
                 qPrintable(QString("%1 retries for %2").arg(a.retried).arg(a.received)));
        QVERIFY(b.received >= a.completed && b.received <= a.completed + 1);
        QCOMPARE(b.concurrency.max, 1.0);
    }

    // sim.call_pattern: a calls b only for "Browse" events and c only for "Checkout" events;
    // a "Health" event matches neither and completes without calling anything.
    void callPatternRoutesCalls_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::newRow("sequence") << "sequence";
        QTest::newRow("parallel") << "parallel";
    }
    void callPatternRoutesCalls()
    {
        QFETCH(QString, mode);
        const json slow = {{"duration", constantDistribution(100)}};
        const auto event = [](const char* detailType, double weight) {
            return json{{"weight", weight}, {"source", "shop.web"}, {"detail-type", detailType}};
        };
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"), passThrough("a", {{"call_mode", mode.toStdString()}}),
               passThrough("b", slow), passThrough("c", slow)}},
             {"connections",
              {connection("p", "a", "invoke"),
               connection("a", "b", "invoke", {{"call_pattern", {{"detail-type", {"Browse"}}}}}),
               connection("a", "c", "invoke",
                          {{"call_pattern", {{"detail-type", {"Checkout"}}}}})}},
             {"traffic",
              {{{"producer", "p"},
                {"profile", poissonUntil(100, 50)},
                {"events", {event("Browse", 6), event("Checkout", 3), event("Health", 1)}}}}},
             {"simulation", simulation(60)}});
        const Run run = runDesign(design);
        const auto& a = result(run.results, "a");
        const auto& b = result(run.results, "b");
        const auto& c = result(run.results, "c");
        QVERIFY(a.received > 4500);
        QCOMPARE(a.completed, a.received);
        EF_VERIFY_NEAR(double(b.received), 0.6 * a.received, 0.05);
        EF_VERIFY_NEAR(double(c.received), 0.3 * a.received, 0.07);
        const double health = double(a.received - b.received - c.received);
        EF_VERIFY_NEAR(health, 0.1 * a.received, 0.15);
        // Each routed unit makes exactly one 100 ms call, a Health unit none.
        EF_VERIFY_NEAR(a.latency.mean, 100.0 * (b.received + c.received) / a.received, 0.001);
        QVERIFY(run.drained);
    }
};

QTEST_APPLESS_MAIN(TestDownstreamCaller)
#include "TestDownstreamCaller.moc"
