#include "SimTestDesign.h"

#include <QtTest>
#include <cmath>

using namespace eventflow;
using namespace eventflow::test;
using nlohmann::json;

namespace {

/// Erlang's loss formula B(c, a): the share of arrivals a c-server loss system with offered
/// load a (Erlangs) turns away. Insensitive to the service-time distribution (M/G/c/c).
double erlangB(int servers, double load)
{
    double b = 1.0;
    for (int k = 1; k <= servers; ++k)
        b = load * b / (k + load * b);
    return b;
}

json functionSim(double durationMs, double coldStartMs = 0, double errorRate = 0)
{
    return {{"duration", constantDistribution(durationMs)},
            {"cold_start", constantDistribution(coldStartMs)},
            {"error_rate", errorRate}};
}

} // namespace

class TestFunctionBehaviour : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // Reserved concurrency R is a ceiling: synchronous invocations beyond it get 429.
    // Constant arrivals above R/D: throughput is exactly R/D. Poisson arrivals: the function
    // is an M/G/R/R loss system, so throughput = λ(1 − B(R, λD)) (Erlang B).
    void syncThrottlingAtReservedConcurrency_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<double>("rate");
        QTest::addColumn<int>("reserved");
        QTest::addColumn<double>("durationMs");
        QTest::addColumn<double>("seconds");
        QTest::addColumn<double>("expectedThroughput");
        QTest::addColumn<double>("tolerance");
        QTest::newRow("constant, λ = 10 R/D")
            << "constant" << 1000.0 << 10 << 100.0 << 5.0 << 10 / 0.1 << 0.03;
        QTest::newRow("constant, λ = 2 R/D")
            << "constant" << 400.0 << 20 << 100.0 << 5.0 << 20 / 0.1 << 0.03;
        QTest::newRow("poisson, a = 10, R = 10 (Erlang B)")
            << "poisson" << 100.0 << 10 << 100.0 << 60.0 << 100.0 * (1 - erlangB(10, 10.0)) << 0.04;
        QTest::newRow("poisson, a = 4, R = 5 (Erlang B)")
            << "poisson" << 40.0 << 5 << 100.0 << 60.0 << 40.0 * (1 - erlangB(5, 4.0)) << 0.04;
    }
    void syncThrottlingAtReservedConcurrency()
    {
        QFETCH(QString, kind);
        QFETCH(double, rate);
        QFETCH(int, reserved);
        QFETCH(double, durationMs);
        QFETCH(double, seconds);
        QFETCH(double, expectedThroughput);
        QFETCH(double, tolerance);
        const auto design =
            makeDesign({{"components",
                         {component("p", "producer"),
                          component("fn", "function", functionSim(durationMs),
                                    {{"ReservedConcurrentExecutions", reserved}})}},
                        {"connections", {connection("p", "fn", "invoke")}},
                        {"traffic", traffic({{"kind", kind.toStdString()}, {"rate", rate}})},
                        {"simulation", simulation(seconds)}});
        const auto run = runDesign(design);
        const auto& fn = result(run.results, "fn");
        EF_VERIFY_NEAR(fn.completed / seconds, expectedThroughput, tolerance);
        QCOMPARE(fn.concurrency.max, double(reserved));
        // Every invocation is answered, run or throttled (those still running at the end aside).
        QVERIFY(fn.received - fn.completed - fn.throttled <= std::uint64_t(reserved));
        QCOMPARE(run.results.summary.throttled, fn.throttled);
        QCOMPARE(fn.failed, 0u);
    }

    // Reserved concurrency comes out of the account pool: a function without a reservation
    // can use only account − Σ reserved.
    void unreservedPoolExcludesReservations_data()
    {
        QTest::addColumn<double>("account");
        QTest::addColumn<int>("otherReserved");
        QTest::addColumn<double>("expectedCeiling");
        QTest::newRow("account 150, nothing reserved") << 150.0 << 0 << 150.0;
        QTest::newRow("account 1000, 900 reserved elsewhere") << 1000.0 << 900 << 100.0;
        QTest::newRow("account 400, 250 reserved elsewhere") << 400.0 << 250 << 150.0;
    }
    void unreservedPoolExcludesReservations()
    {
        QFETCH(double, account);
        QFETCH(int, otherReserved);
        QFETCH(double, expectedCeiling);
        json other = component("other", "function", functionSim(100));
        if (otherReserved > 0)
            other["props"] = {{"ReservedConcurrentExecutions", otherReserved}};
        auto sim = simulation(4.0);
        sim["account_concurrency"] = account;
        // 2,000/s × 100 ms wants 200 environments.
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"), component("fn", "function", functionSim(100)), other}},
             {"connections", {connection("p", "fn", "invoke")}},
             {"traffic", traffic({{"kind", "constant"}, {"rate", 2000}})},
             {"simulation", sim}});
        const auto run = runDesign(design);
        const auto& fn = result(run.results, "fn");
        QCOMPARE(fn.concurrency.max, std::min(200.0, expectedCeiling));
        EF_VERIFY_NEAR(fn.completed / 4.0, std::min(200.0, expectedCeiling) / 0.1, 0.04);
    }

    // A new environment costs a cold start; a warm one is reused while younger than its idle
    // lifetime. Constant arrivals every 1/λ with run time D and cold start C need
    // ceil(λ(C + D)) environments before the first one comes back, all cold, then none.
    void coldStartsThenWarmReuse_data()
    {
        QTest::addColumn<double>("rate");
        QTest::addColumn<double>("durationMs");
        QTest::addColumn<double>("coldMs");
        QTest::addColumn<double>("idleSeconds");
        QTest::addColumn<double>("seconds");
        QTest::addColumn<int>("expectedCold");
        QTest::newRow("100/s × 95 ms, no INIT time: 10 environments")
            << 100.0 << 95.0 << 0.0 << 600.0 << 10.0 << 10;
        QTest::newRow("100/s × (200 + 95) ms: 30 environments")
            << 100.0 << 95.0 << 200.0 << 600.0 << 10.0 << 30;
        QTest::newRow("every 10 s, kept warm 60 s: one cold start")
            << 0.1 << 95.0 << 200.0 << 60.0 << 100.0 << 1;
        QTest::newRow("every 10 s, kept warm 5 s: all cold")
            << 0.1 << 95.0 << 200.0 << 5.0 << 100.0 << 10;
    }
    void coldStartsThenWarmReuse()
    {
        QFETCH(double, rate);
        QFETCH(double, durationMs);
        QFETCH(double, coldMs);
        QFETCH(double, idleSeconds);
        QFETCH(double, seconds);
        QFETCH(int, expectedCold);
        auto sim = functionSim(durationMs, coldMs);
        sim["idle_lifetime_s"] = idleSeconds;
        const auto design = makeDesign(
            {{"components", {component("p", "producer"), component("fn", "function", sim)}},
             {"connections", {connection("p", "fn", "invoke")}},
             {"traffic", traffic({{"kind", "constant"}, {"rate", rate}})},
             {"simulation", simulation(seconds)}});
        const auto run = runDesign(design);
        const auto& fn = result(run.results, "fn");
        QCOMPARE(fn.coldStarts, std::uint64_t(expectedCold));
        QCOMPARE(fn.received, std::uint64_t(std::llround(rate * seconds)));
        QCOMPARE(fn.throttled, 0u);
        // A cold invocation lasts C + D, a warm one D (the last one may still be running).
        const double coldCompleted = std::min<double>(expectedCold, double(fn.completed));
        const double expectedMean = (coldCompleted * (coldMs + durationMs) +
                                     (double(fn.completed) - coldCompleted) * durationMs) /
                                    double(fn.completed);
        EF_VERIFY_NEAR(fn.latency.mean, expectedMean, 0.02);
    }

    // The scaling allowance: sim.scaling_per_10s new environments per 10 s, refilled
    // continuously. A demand of 300 environments from zero with 100 per 10 s gets 100 at
    // once, then 10 more each second.
    void scalingRateLimitsNewEnvironments()
    {
        auto sim = functionSim(100);
        sim["scaling_per_10s"] = 100;
        const auto design = makeDesign(
            {{"components", {component("p", "producer"), component("fn", "function", sim)}},
             {"connections", {connection("p", "fn", "invoke")}},
             {"traffic", traffic({{"kind", "constant"}, {"rate", 3000}})},
             {"simulation", simulation(10.0)}});
        const auto run = runDesign(design);
        const auto& fn = result(run.results, "fn");
        EF_VERIFY_NEAR(double(fn.coldStarts), 100 + 10 * 10.0, 0.02);
        EF_VERIFY_NEAR(fn.concurrency.max, 200.0, 0.02);
        QVERIFY(fn.throttled > 0);
    }

    // Asynchronous invocation of a function that always fails: 1 + MaximumRetryAttempts
    // attempts per event (retries about 1 min, then 2 min later), then the event goes to the
    // on-failure destination (or ends failed without one).
    void asyncRetriesThenOnFailureDestination_data()
    {
        QTest::addColumn<int>("maxRetries");
        QTest::addColumn<QString>("destination");
        QTest::addColumn<double>("expectedDelaySeconds");
        QTest::newRow("default 2 retries, on_failure") << 2 << "on_failure" << 60.0 + 120.0;
        QTest::newRow("1 retry, on_failure") << 1 << "on_failure" << 60.0;
        QTest::newRow("0 retries, on_failure") << 0 << "on_failure" << 0.0;
        QTest::newRow("2 retries, dead_letter") << 2 << "dead_letter" << 180.0;
        QTest::newRow("2 retries, no destination") << 2 << "" << 180.0;
    }
    void asyncRetriesThenOnFailureDestination()
    {
        QFETCH(int, maxRetries);
        QFETCH(QString, destination);
        QFETCH(double, expectedDelaySeconds);
        json connections = {connection("p", "fn", "send")};
        if (!destination.isEmpty())
            connections.push_back(connection("fn", "dlq", destination.toStdString()));
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"),
               component("fn", "function", functionSim(50, 0, 1.0),
                         {{"EventInvokeConfig", {{"MaximumRetryAttempts", maxRetries}}}}),
               component("dlq", "queue")}},
             {"connections", connections},
             {"traffic", traffic(poissonUntil(5, 20))},
             {"simulation", simulation(20 + 180 + 10)}});
        const auto run = runDesign(design);
        const auto& fn = result(run.results, "fn");
        const auto& dlq = result(run.results, "dlq");
        const auto events = run.results.summary.requests;
        QVERIFY(events > 50);
        QCOMPARE(fn.received, events);
        QCOMPARE(fn.failed, events * std::uint64_t(1 + maxRetries));
        QCOMPARE(fn.retried, events * std::uint64_t(maxRetries));
        QCOMPARE(fn.completed, 0u);
        if (destination.isEmpty()) {
            QCOMPARE(fn.deadLettered, 0u);
            QCOMPARE(run.results.summary.failed, events);
            QVERIFY(run.drained);
        } else {
            QCOMPARE(fn.deadLettered, events);
            QCOMPARE(dlq.received, events);
            QCOMPARE(run.results.summary.deadLettered, events);
        }
        // Every attempt takes 50 ms; the waits between them are 60 s and 120 s.
        EF_VERIFY_NEAR(run.results.latencyAll.mean / 1000.0,
                       expectedDelaySeconds + 0.05 * (1 + maxRetries), 0.01);
    }

    // Asynchronous events wait in Lambda's queue while the function is at its reserved
    // concurrency and run as soon as it frees an environment: with R = 1 and 100 ms per
    // event, 20/s for 10 s are all processed at R/D = 10/s, with no idle gap.
    void asyncEventsWaitForReservedConcurrency()
    {
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"), component("fn", "function", functionSim(100),
                                                     {{"ReservedConcurrentExecutions", 1}})}},
             {"connections", {connection("p", "fn", "send")}},
             {"traffic", traffic(poissonUntil(20, 10))},
             {"simulation", simulation(60)}});
        const auto run = runDesign(design);
        const auto& fn = result(run.results, "fn");
        const auto events = run.results.summary.requests;
        QCOMPARE(fn.completed, events);
        QCOMPARE(run.results.summary.completed, events);
        QCOMPARE(fn.concurrency.max, 1.0);
        QVERIFY(fn.backlog.max > 50);
        const auto& t = run.results.timeseries.t;
        const auto& done = run.results.timeseries.components.at("fn").at("throughput_per_s");
        double sum = 0;
        int seconds = 0;
        for (std::size_t i = 0; i < t.size(); ++i)
            if (t[i] >= 3 && t[i] <= 15) {
                sum += done[i];
                ++seconds;
            }
        EF_VERIFY_NEAR(sum / seconds, 10.0, 0.02);
        // Busy from the first event to the last: the last ends N × D after the first began.
        EF_VERIFY_NEAR(fn.latency.max / 1000.0, events * 0.1 - 10.0, 0.15);
        QVERIFY(run.drained);
    }

    // A limit outside the function (here the unreserved pool, 1,000 − 900 reserved by
    // another function) throttles asynchronous attempts; throttled events come back after
    // 1 s, 2 s… and none is lost.
    void asyncThrottlesAreRetriedNotLost()
    {
        const auto design =
            makeDesign({{"components",
                         {component("p", "producer"), component("fn", "function", functionSim(100)),
                          component("other", "function", functionSim(100),
                                    {{"ReservedConcurrentExecutions", 900}})}},
                        {"connections", {connection("p", "fn", "send")}},
                        {"traffic", traffic(poissonUntil(2000, 3))},
                        {"simulation", simulation(200)}});
        const auto run = runDesign(design);
        const auto& fn = result(run.results, "fn");
        const auto events = run.results.summary.requests;
        QVERIFY(events > 5000);
        QVERIFY(fn.throttled > 0);
        QCOMPARE(fn.completed, events);
        QCOMPARE(fn.concurrency.max, 100.0);
        QVERIFY(fn.latency.max >= 1000.0); // some waited out a throttle backoff
        QVERIFY(run.drained);
    }

    // Events older than MaximumEventAgeInSeconds are discarded, never run. One 1 s
    // invocation at a time fed 5 events/s for 200 s: the function runs back to back (199
    // complete, one is running), the 300 sent in the last 60 s wait, and the other 500 are
    // discarded when their age reaches 60 s; no event starts older than that.
    void asyncEventsExpireAtMaximumAge()
    {
        const auto design =
            makeDesign({{"components",
                         {component("p", "producer"),
                          component("fn", "function", functionSim(1000),
                                    {{"ReservedConcurrentExecutions", 1},
                                     {"Timeout", 3},
                                     {"EventInvokeConfig", {{"MaximumEventAgeInSeconds", 60}}}})}},
                        {"connections", {connection("p", "fn", "send")}},
                        {"traffic", traffic({{"kind", "constant"}, {"rate", 5}})},
                        {"simulation", simulation(200)}});
        const auto run = runDesign(design);
        const auto& fn = result(run.results, "fn");
        QCOMPARE(fn.received, 1000u);
        QVERIFY2(fn.completed >= 198 && fn.completed <= 200,
                 qPrintable(QString::number(fn.completed)));
        QVERIFY(std::abs(fn.backlog.final - 300.0) <= 2.0);
        QCOMPARE(double(fn.completed + fn.expired) + fn.backlog.final + fn.inFlight.final, 1000.0);
        QCOMPARE(run.results.summary.expired, fn.expired);
        QVERIFY(fn.latency.max <= 60.0 * 1000 + 1000);
        EF_VERIFY_NEAR(fn.concurrency.mean, (200.0 - 0.2) / 200.0,
                       1e-9); // busy from the first event on
    }

    // Timeout stops the invocation: the caller sees a timeout after Timeout seconds.
    void timeoutStopsInvocation()
    {
        const auto design =
            makeDesign({{"components",
                         {component("p", "producer"),
                          component("fn", "function", functionSim(2500), {{"Timeout", 1}})}},
                        {"connections", {connection("p", "fn", "invoke")}},
                        {"traffic", traffic({{"kind", "constant"}, {"rate", 2}})},
                        {"simulation", simulation(31.2)}});
        const auto run = runDesign(design);
        const auto& fn = result(run.results, "fn");
        const auto& producer = result(run.results, "p");
        // Calls at 0.5 s, 1.0 s … 31.0 s; those up to 30.0 s have timed out by 31.2 s.
        QCOMPARE(fn.received, 62u);
        QCOMPARE(fn.timedOut, 60u);
        QCOMPARE(fn.completed, 0u);
        QCOMPARE(run.results.summary.timedOut, 60u);
        EF_VERIFY_NEAR(producer.latency.mean, 1000.0, 0.01);
    }

    // An outage fails every invocation while it lasts.
    void outageFailsEveryInvocation()
    {
        auto document = json{
            {"components",
             {component("p", "producer"), component("fn", "function", functionSim(10))}},
            {"connections", {connection("p", "fn", "invoke")}},
            {"traffic", traffic({{"kind", "constant"}, {"rate", 10}})},
            {"faults", {{{"component", "fn"}, {"kind", "outage"}, {"start_s", 10}, {"end_s", 20}}}},
            {"simulation", simulation(30.05)}};
        const auto run = runDesign(makeDesign(document));
        const auto& fn = result(run.results, "fn");
        QCOMPARE(fn.received, 300u);
        QCOMPARE(fn.failed, 100u);
        QCOMPARE(fn.completed, 200u);
        QCOMPARE(run.results.summary.failed, 100u);
    }

    // sim.fail_pattern: an event that matches always fails (a poison message), every other one
    // runs as usual. "good" sends events with detail.malformed false, "bad" with true.
    // Synchronous: each poison call fails once and is answered Error. Asynchronous: each poison
    // event fails 1 + MaximumRetryAttempts (2) times and then goes to the on-failure destination.
    void failPatternFailsPoisonMessages_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("attempts");
        QTest::newRow("synchronous invoke") << "invoke" << 1;
        QTest::newRow("asynchronous send") << "send" << 3;
    }
    void failPatternFailsPoisonMessages()
    {
        QFETCH(QString, kind);
        QFETCH(int, attempts);
        json fnSim = functionSim(50);
        fnSim["fail_pattern"] = {{"detail", {{"malformed", {true}}}}};
        auto producer = [](const char* id, double rate, bool malformed) {
            return json{{"producer", id},
                        {"profile", poissonUntil(rate, 20)},
                        {"events", {{{"detail", {{"malformed", malformed}}}}}}};
        };
        const auto design = makeDesign(
            {{"components",
              {component("good", "producer"), component("bad", "producer"),
               component("fn", "function", fnSim), component("dlq", "queue")}},
             {"connections",
              {connection("good", "fn", kind.toStdString()),
               connection("bad", "fn", kind.toStdString()), connection("fn", "dlq", "on_failure")}},
             {"traffic", json::array({producer("good", 20, false), producer("bad", 2, true)})},
             {"simulation", simulation(20 + 180 + 10)}});
        const auto run = runDesign(design);
        const auto& fn = result(run.results, "fn");
        const auto good = result(run.results, "good").received;
        const auto bad = result(run.results, "bad").received;
        QVERIFY(good > 300 && bad > 20);
        QCOMPARE(fn.completed, good);
        QCOMPARE(fn.failed, bad * std::uint64_t(attempts));
        QCOMPARE(run.results.summary.completed, good);
        if (kind == "send") {
            QCOMPARE(fn.deadLettered, bad);
            QCOMPARE(result(run.results, "dlq").received, bad);
        } else {
            QCOMPARE(run.results.summary.failed, bad);
        }
        QVERIFY(run.drained || kind == "send"); // dead letters wait in the DLQ
    }

    // A batch of [good, poison, good], each good record sending one copy on to "q". The call
    // says how the caller takes failures, whoever the caller is (here a service, not a queue):
    // without a partial batch response the poison record fails the invocation after the first
    // record's send; with one, the handler reports it and goes on (Any: the third record runs)
    // or stops there and reports the rest (StopAtFirst, as from a FIFO queue).
    void batchCallSaysHowFailuresAreTaken_data()
    {
        QTest::addColumn<int>("itemFailures");
        QTest::addColumn<std::uint64_t>("sent");
        QTest::addColumn<std::uint64_t>("completed");
        QTest::newRow("whole batch")
            << int(sim::ItemFailures::None) << std::uint64_t(1) << std::uint64_t(0);
        QTest::newRow("any") << int(sim::ItemFailures::Any) << std::uint64_t(2) << std::uint64_t(1);
        QTest::newRow("stop at first")
            << int(sim::ItemFailures::StopAtFirst) << std::uint64_t(1) << std::uint64_t(1);
    }
    void batchCallSaysHowFailuresAreTaken()
    {
        QFETCH(int, itemFailures);
        QFETCH(std::uint64_t, sent);
        QFETCH(std::uint64_t, completed);
        json fnSim = functionSim(10);
        fnSim["fail_pattern"] = {{"detail", {{"poison", {true}}}}};
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"), component("fn", "function", fnSim),
               component("q", "queue"), component("x", "service")}},
             {"connections", {connection("fn", "q", "send"), connection("x", "fn", "invoke")}},
             {"traffic",
              {{{"producer", "p"},
                {"profile", {{"kind", "constant"}, {"rate", 0.01}}},
                {"events",
                 {{{"detail", {{"poison", false}}}}, {{"detail", {{"poison", true}}}}}}}}},
             {"simulation", simulation(10)}});
        sim::Engine engine(design);
        engine.runUntil(sim::fromSeconds(0.5));
        const sim::MessageId ids[] = {engine.createRequest(0, 0), engine.createRequest(0, 1),
                                      engine.createRequest(0, 0)};
        engine.callBatch(3, sim::Link{1, model::ConnectionKind::Invoke, 1}, ids, 0,
                         static_cast<sim::ItemFailures>(itemFailures));
        engine.runUntil(sim::fromSeconds(5));
        const auto r = engine.results();
        const auto& fn = result(r, "fn");
        QCOMPARE(fn.received, 1u);
        QCOMPARE(fn.completed, completed);
        QCOMPARE(fn.failed, 1u - completed);
        QCOMPARE(result(r, "q").received, sent);
        QCOMPARE(engine.openCalls(), 0u);
    }
};

QTEST_APPLESS_MAIN(TestFunctionBehaviour)
#include "TestFunctionBehaviour.moc"
