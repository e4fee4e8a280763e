// StateMachineBehaviour: Step Functions Task states with ASL Retry/Catch, Parallel states,
// execution time limits, and both ways of starting an execution.

#include "SimTestDesign.h"

#include <QtTest>
#include <cmath>

using namespace eventflow;
using namespace eventflow::test;
using nlohmann::json;

namespace {

json service(std::string id, double durationMs, json extra = json::object())
{
    json sim = {
        {"workers", 10000}, {"queue_capacity", 0}, {"duration", constantDistribution(durationMs)}};
    sim.update(extra);
    return component(std::move(id), "service", sim);
}

json task(std::string to, json props = json::object(), json sim = json::object())
{
    return connection("sm", std::move(to), "invoke", sim, props);
}

json outageOf(std::string id)
{
    return {{"component", std::move(id)}, {"kind", "outage"}, {"start_s", 0}, {"end_s", 1e6}};
}

json stateMachine(std::string type = "STANDARD")
{
    return component("sm", "state_machine", json::object(), {{"Type", std::move(type)}});
}

} // namespace

class TestStateMachine : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // A task that always fails, retried per ASL: MaxAttempts retries after waits of
    // IntervalSeconds × BackoffRate^(n−1), capped by MaxDelaySeconds. Then Catch lets the
    // execution go on to the next step; without it the execution fails.
    void retryAttemptsAndWaits_data()
    {
        QTest::addColumn<QString>("retry");
        QTest::addColumn<bool>("caught");
        QTest::addColumn<int>("attempts");
        QTest::addColumn<double>("waitSeconds");
        const char* standard = R"({"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1,
                                   "MaxAttempts": 3, "BackoffRate": 2.0})";
        QTest::newRow("3 retries, waits 1 2 4 s, caught") << standard << true << 4 << 7.0;
        QTest::newRow("3 retries, waits 1 2 4 s, not caught") << standard << false << 4 << 7.0;
        QTest::newRow("ASL defaults") << R"({"ErrorEquals": ["States.ALL"]})" << false << 4 << 7.0;
        QTest::newRow("1 retry") << R"({"ErrorEquals": ["States.ALL"], "MaxAttempts": 1})" << false
                                 << 2 << 1.0;
        QTest::newRow("2 retries")
            << R"({"ErrorEquals": ["States.ALL"], "MaxAttempts": 2})" << false << 3 << 3.0;
        QTest::newRow("MaxAttempts 0: never retry")
            << R"({"ErrorEquals": ["States.ALL"], "MaxAttempts": 0})" << true << 1 << 0.0;
        QTest::newRow("3 s at rate 1.5: 3 then 4.5 s")
            << R"({"ErrorEquals": ["States.TaskFailed"], "IntervalSeconds": 3, "MaxAttempts": 2,
                   "BackoffRate": 1.5})"
            << false << 3 << 7.5;
        QTest::newRow("MaxDelaySeconds 3: 1 2 3 3 3 s")
            << R"({"ErrorEquals": ["States.ALL"], "MaxAttempts": 5, "MaxDelaySeconds": 3})" << false
            << 6 << 12.0;
    }
    void retryAttemptsAndWaits()
    {
        QFETCH(QString, retry);
        QFETCH(bool, caught);
        QFETCH(int, attempts);
        QFETCH(double, waitSeconds);
        json props = {{"Retry", json::array({json::parse(retry.toStdString())})}};
        if (caught)
            props["Catch"] = {{{"ErrorEquals", {"States.ALL"}}, {"Next", "good"}}};
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"), stateMachine(), service("bad", 0), service("good", 0)}},
             {"connections",
              {connection("p", "sm", "invoke"), task("bad", props, {{"step", 1}}),
               task("good", json::object(), {{"step", 2}})}},
             {"traffic", traffic(poissonUntil(1, 50))},
             {"faults", {outageOf("bad")}},
             {"simulation", simulation(80)}});
        const Run run = runDesign(design);
        const auto& sm = result(run.results, "sm");
        const auto& bad = result(run.results, "bad");
        const auto executions = sm.received;
        QVERIFY(executions > 30);
        QCOMPARE(bad.received, std::uint64_t(attempts) * executions);
        QCOMPARE(sm.retried, std::uint64_t(attempts - 1) * executions);
        const auto& summary = run.results.summary;
        if (caught) {
            QCOMPARE(sm.completed, executions);
            QCOMPARE(result(run.results, "good").received, executions);
            QCOMPARE(summary.completed, summary.requests);
            // Three transitions of 20 ms: into "bad", into "good", out of "good".
            EF_VERIFY_NEAR(sm.latency.mean, waitSeconds * 1000 + 60, 0.0001);
        } else {
            QCOMPARE(sm.failed, executions);
            QCOMPARE(result(run.results, "good").received, 0u);
            QCOMPARE(summary.failed, summary.requests);
            EF_VERIFY_NEAR(sm.latency.mean, waitSeconds * 1000 + 20, 0.0001);
        }
        QVERIFY(run.drained);
    }

    // JitterStrategy FULL draws each wait uniformly below the computed one: 1, 2, 4 s become
    // 3.5 s on average instead of 7.
    void fullJitterHalvesTheWaits()
    {
        const json props = {
            {"Retry", {{{"ErrorEquals", {"States.ALL"}}, {"JitterStrategy", "FULL"}}}}};
        const auto design = makeDesign(
            {{"components", {component("p", "producer"), stateMachine(), service("bad", 0)}},
             {"connections", {connection("p", "sm", "invoke"), task("bad", props)}},
             {"traffic", traffic(poissonUntil(50, 80))},
             {"faults", {outageOf("bad")}},
             {"simulation", simulation(100)}});
        const Run run = runDesign(design);
        const auto& sm = result(run.results, "sm");
        QVERIFY(sm.failed > 3500);
        QCOMPARE(sm.retried, 3 * sm.received);
        EF_VERIFY_NEAR(sm.latency.mean - 20, 3500.0, 0.03);
    }

    // ErrorEquals decides which errors a retrier handles: States.TaskFailed is every error but
    // States.Timeout; the first matching retrier decides, even once it is spent.
    void errorEqualsSelectsTheRetrier_data()
    {
        QTest::addColumn<bool>("timesOut");
        QTest::addColumn<QString>("retry");
        QTest::addColumn<int>("attempts");
        QTest::newRow("timeout vs TaskFailed")
            << true << R"([{"ErrorEquals": ["States.TaskFailed"]}])" << 1;
        QTest::newRow("timeout vs Timeout")
            << true << R"([{"ErrorEquals": ["States.Timeout"], "MaxAttempts": 2}])" << 3;
        QTest::newRow("timeout vs ALL") << true << R"([{"ErrorEquals": ["States.ALL"]}])" << 4;
        QTest::newRow("error vs Timeout")
            << false << R"([{"ErrorEquals": ["States.Timeout"]}])" << 1;
        QTest::newRow("error vs TaskFailed")
            << false << R"([{"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 2}])" << 3;
        QTest::newRow("error vs a Lambda name on a service")
            << false << R"([{"ErrorEquals": ["Lambda.TooManyRequestsException"]}])" << 1;
        QTest::newRow("first match decides")
            << false << R"([{"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 1},
                   {"ErrorEquals": ["States.ALL"], "MaxAttempts": 3}])"
            << 2;
    }
    void errorEqualsSelectsTheRetrier()
    {
        QFETCH(bool, timesOut);
        QFETCH(QString, retry);
        QFETCH(int, attempts);
        const json props = {{"Retry", json::parse(retry.toStdString())},
                            {"TimeoutSeconds", 1},
                            {"Catch", {{{"ErrorEquals", {"States.Timeout"}}, {"Next", "Done"}}}}};
        json faults = json::array();
        if (!timesOut)
            faults.push_back(outageOf("target"));
        const auto design = makeDesign(
            {{"components", {component("p", "producer"), stateMachine(), service("target", 5000)}},
             {"connections", {connection("p", "sm", "invoke"), task("target", props)}},
             {"traffic", traffic(poissonUntil(1, 20))},
             {"faults", faults},
             {"simulation", simulation(60)}});
        const Run run = runDesign(design);
        const auto& sm = result(run.results, "sm");
        QVERIFY(sm.received > 10);
        QCOMPARE(result(run.results, "target").received, std::uint64_t(attempts) * sm.received);
        // Catch takes States.Timeout only: timeouts are caught, errors fail the execution.
        QCOMPARE(sm.completed, timesOut ? sm.received : 0u);
        QCOMPARE(sm.failed, timesOut ? 0u : sm.received);
    }

    // Links sharing a step form a Parallel state (the slowest branch sets its time); steps run
    // in order. Without steps, tasks run one after another.
    void parallelAndSequentialSteps_data()
    {
        QTest::addColumn<bool>("withSteps");
        QTest::addColumn<double>("expectedMs");
        QTest::newRow("a ∥ b, then c") << true << 300.0 + 100.0 + 3 * 20.0;
        QTest::newRow("a, b, c") << false << 100.0 + 300.0 + 100.0 + 4 * 20.0;
    }
    void parallelAndSequentialSteps()
    {
        QFETCH(bool, withSteps);
        QFETCH(double, expectedMs);
        auto step = [&](int n) { return withSteps ? json{{"step", n}} : json::object(); };
        const auto design =
            makeDesign({{"components",
                         {component("p", "producer"), stateMachine(), service("a", 100),
                          service("b", 300), service("c", 100)}},
                        {"connections",
                         {connection("p", "sm", "invoke"), task("c", json::object(), step(2)),
                          task("a", json::object(), step(1)), task("b", json::object(), step(1))}},
                        {"traffic", traffic(poissonUntil(20, 50))},
                        {"simulation", simulation(60)}});
        const Run run = runDesign(design);
        const auto& sm = result(run.results, "sm");
        QVERIFY(sm.completed > 800);
        QCOMPARE(sm.completed, sm.received);
        EF_VERIFY_NEAR(sm.latency.mean, expectedMs, 0.0001);
        QVERIFY(run.drained);
    }

    // An uncaught failure in one branch fails the Parallel state at once; the other branch's
    // call is abandoned.
    void failedBranchFailsTheExecutionAtOnce()
    {
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"), stateMachine(), service("a", 0), service("b", 1000)}},
             {"connections",
              {connection("p", "sm", "invoke"), task("a", {}, {{"step", 1}}),
               task("b", {}, {{"step", 1}})}},
             {"traffic", traffic(poissonUntil(20, 50))},
             {"faults", {outageOf("a")}},
             {"simulation", simulation(60)}});
        const Run run = runDesign(design);
        const auto& sm = result(run.results, "sm");
        QCOMPARE(sm.failed, sm.received);
        EF_VERIFY_NEAR(sm.latency.mean, 20.0, 0.0001); // one transition, then the failure
        QCOMPARE(result(run.results, "b").received, sm.received);
        QVERIFY(run.drained);
    }

    // A catcher's Next says where a caught error goes: naming a catch_only Task (a catch path,
    // such as a saga's compensation, run only when caught into) the execution runs it and ends
    // Completed without the Send hand-overs; naming a Task of a step it goes on from that step,
    // skipping the ones between; "Done" ends it, also without the hand-overs; without a Next it
    // goes on with the next step. In a Parallel state the catcher ends its branch, and the
    // execution goes on once the other branch has.
    void catchersLeadWhereNextSays_data()
    {
        QTest::addColumn<QString>("next"); // empty: no Next
        QTest::addColumn<bool>("badFails");
        QTest::addColumn<bool>("undoCatchOnly");
        QTest::addColumn<bool>("parallel");
        QTest::addColumn<bool>("goodRuns");
        QTest::addColumn<bool>("undoRuns");
        QTest::addColumn<bool>("handsOver");
        QTest::addColumn<double>("expectedMs");
        // Transitions of 20 ms: into "bad", into "undo", out of "undo".
        QTest::newRow("into a catch path")
            << "undo" << true << true << false << false << true << false << 3 * 20.0;
        // Same transitions, but "undo" is step 3 and the execution ends through the steps.
        QTest::newRow("skip ahead to a step")
            << "undo" << true << false << false << false << true << true << 3 * 20.0;
        // Into "bad", into "good" (10 ms), into "undo", out of "undo": a step a catcher names
        // is still a step.
        QTest::newRow("a step a catcher names runs in order")
            << "undo" << false << false << false << true << true << true << 10.0 + 4 * 20.0;
        // Into "bad", into Done.
        QTest::newRow("Done ends the execution")
            << "Done" << true << false << false << false << false << false << 2 * 20.0;
        // As when "bad" succeeds.
        QTest::newRow("no Next goes on")
            << "" << true << false << false << true << true << true << 10.0 + 4 * 20.0;
        // "slow" (1 s) runs beside "bad" and sets the Parallel state's time; then as above.
        QTest::newRow("a Parallel branch ends")
            << "" << true << false << true << true << true << true << 1000.0 + 10.0 + 4 * 20.0;
    }
    void catchersLeadWhereNextSays()
    {
        QFETCH(QString, next);
        QFETCH(bool, badFails);
        QFETCH(bool, undoCatchOnly);
        QFETCH(bool, parallel);
        QFETCH(bool, goodRuns);
        QFETCH(bool, undoRuns);
        QFETCH(bool, handsOver);
        QFETCH(double, expectedMs);
        json catcher = {{"ErrorEquals", {"States.ALL"}}};
        if (!next.isEmpty())
            catcher["Next"] = next.toStdString();
        const json undoSim = undoCatchOnly ? json{{"catch_only", true}} : json{{"step", 3}};
        json connections = {connection("p", "sm", "send"),
                            task("bad", {{"Catch", {catcher}}}, {{"step", 1}}),
                            task("good", json::object(), {{"step", 2}}),
                            task("undo", json::object(), undoSim),
                            connection("sm", "after", "send")};
        if (parallel)
            connections.push_back(task("slow", json::object(), {{"step", 1}}));
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"), stateMachine(), service("bad", 0), service("good", 10),
               service("undo", 0), service("slow", 1000), component("after", "state_machine")}},
             {"connections", connections},
             {"traffic", traffic(poissonUntil(20, 50))},
             {"faults", badFails ? json::array({outageOf("bad")}) : json::array()},
             {"simulation", simulation(60)}});
        const Run run = runDesign(design);
        const auto& sm = result(run.results, "sm");
        const auto executions = sm.received;
        QVERIFY(executions > 800);
        QCOMPARE(sm.completed, executions);
        QCOMPARE(run.results.summary.completed, run.results.summary.requests);
        QCOMPARE(result(run.results, "good").received, goodRuns ? executions : 0u);
        QCOMPARE(result(run.results, "undo").received, undoRuns ? executions : 0u);
        QCOMPARE(result(run.results, "after").received, handsOver ? executions : 0u);
        QCOMPARE(result(run.results, "slow").received, parallel ? executions : 0u);
        EF_VERIFY_NEAR(sm.latency.mean, expectedMs, 0.0001);
        QVERIFY(run.drained);
    }

    // A machine that calls "pay" twice, to charge as step 1 and to refund as compensation: a
    // Next naming the component leads to the catch-only Task, not back into the charge. The
    // charge times out after 1 s (TimeoutSeconds) and the refund waits out the 5 s call:
    // into the charge, 1 s, into the refund, 5 s, out of it. The step after the charge never runs.
    void catchNamingAComponentPrefersItsCatchPath()
    {
        const json charge = {{"TimeoutSeconds", 1},
                             {"Catch", {{{"ErrorEquals", {"States.ALL"}}, {"Next", "pay"}}}}};
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"), stateMachine(), service("pay", 5000),
               service("ship", 0)}},
             {"connections",
              {connection("p", "sm", "send"), task("pay", charge, {{"step", 1}}),
               task("ship", json::object(), {{"step", 2}}),
               task("pay", json::object(), {{"catch_only", true}})}},
             {"traffic", traffic(poissonUntil(5, 30))},
             {"simulation", simulation(60)}});
        const Run run = runDesign(design);
        const auto& sm = result(run.results, "sm");
        const auto executions = sm.received;
        QVERIFY(executions > 100);
        QCOMPARE(sm.completed, executions);
        QCOMPARE(result(run.results, "pay").received, 2 * executions);
        QCOMPARE(result(run.results, "ship").received, 0u);
        EF_VERIFY_NEAR(sm.latency.mean, 1000.0 + 5000.0 + 3 * 20.0, 0.0001);
    }

    // EXPRESS executions end after 5 minutes (TimedOut); STANDARD ones may run a year.
    void maximumDuration_data()
    {
        QTest::addColumn<QString>("type");
        QTest::newRow("EXPRESS") << "EXPRESS";
        QTest::newRow("STANDARD") << "STANDARD";
    }
    void maximumDuration()
    {
        QFETCH(QString, type);
        const bool express = type == "EXPRESS";
        const auto design =
            makeDesign({{"components",
                         {component("p", "producer"), stateMachine(type.toStdString()),
                          service("slow", 600000)}},
                        {"connections", {connection("p", "sm", "invoke"), task("slow")}},
                        {"traffic", traffic(poissonUntil(0.2, 60))},
                        {"simulation", simulation(700)}});
        const Run run = runDesign(design);
        const auto& sm = result(run.results, "sm");
        const auto& summary = run.results.summary;
        QVERIFY(sm.received > 3);
        if (express) {
            QCOMPARE(sm.timedOut, sm.received);
            QCOMPARE(summary.timedOut, summary.requests);
            EF_VERIFY_NEAR(sm.latency.mean, 300000.0, 0.0001);
        } else {
            QCOMPARE(sm.completed, sm.received);
            EF_VERIFY_NEAR(sm.latency.mean, 600000.0 + 40, 0.0001);
        }
        QVERIFY(run.drained);
    }

    // StartExecution from a producer (asynchronous): the state machine owns the message and ends
    // it Completed or Failed; on success its Send links get a copy.
    void asynchronousStartEndsTheMessage()
    {
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"), stateMachine(),
               service("flaky", 10, {{"error_rate", 0.3}}), component("next", "state_machine")}},
             {"connections",
              {connection("p", "sm", "send"), task("flaky"), connection("sm", "next", "send")}},
             {"traffic", traffic(poissonUntil(100, 50))},
             {"simulation", simulation(60)}});
        const Run run = runDesign(design);
        const auto& sm = result(run.results, "sm");
        const auto& summary = run.results.summary;
        QCOMPARE(sm.received, summary.requests);
        QCOMPARE(sm.completed + sm.failed, sm.received);
        const double n = double(sm.received);
        QVERIFY(std::abs(double(sm.failed) - 0.3 * n) < 4 * std::sqrt(n * 0.21));
        QCOMPARE(summary.failed, sm.failed);
        QCOMPARE(summary.completed, sm.completed);
        QCOMPARE(result(run.results, "next").received, sm.completed);
        QVERIFY(run.drained);
    }

    // StartExecution is a token bucket: STANDARD 1,300 burst and 300/s; EXPRESS 6,000/s. Under
    // 500/s for 10 s.
    void startExecutionIsThrottled_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<double>("accepted");
        QTest::newRow("STANDARD") << "STANDARD" << 1300.0 + 300 * 10;
        QTest::newRow("EXPRESS") << "EXPRESS" << 500.0 * 10;
    }
    void startExecutionIsThrottled()
    {
        QFETCH(QString, type);
        QFETCH(double, accepted);
        const auto design = makeDesign(
            {{"components", {component("p", "producer"), stateMachine(type.toStdString())}},
             {"connections", {connection("p", "sm", "send")}},
             {"traffic", traffic({{"kind", "constant"}, {"rate", 500}})},
             {"simulation", simulation(10)}});
        const Run run = runDesign(design);
        const auto& sm = result(run.results, "sm");
        QCOMPARE(sm.received, 5000u);
        EF_VERIFY_NEAR(sm.received - sm.throttled, accepted, 0.001);
        QCOMPARE(run.results.summary.throttled, sm.throttled);
    }
};

QTEST_APPLESS_MAIN(TestStateMachine)
#include "TestStateMachine.moc"
