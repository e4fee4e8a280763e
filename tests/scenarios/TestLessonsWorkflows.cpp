// Workshop lessons about workflows: one order workflow as EventBridge choreography and as a
// Step Functions orchestration, content-based routing with EventBridge rules, and an SQS FIFO
// queue against a standard one. Each test simulates the example and checks what its lesson
// promises against queueing arithmetic or documented AWS behaviour.

#include "ScenarioSupport.h"

#include <QtTest>
#include <cmath>
#include <string>

using namespace eventflow;
using namespace eventflow::test;

namespace {

/// The sum of a per-second metric over samples with from < t <= to (1 s samples).
double totalOver(const sim::SimulationResults& results, const std::string& id,
                 const std::string& metric, double from, double to)
{
    return meanOver(results, id, metric, from, to) * (to - from);
}

/// Mean of the per-second end-to-end median over samples with from < t <= to.
double endToEndMedianOver(const sim::SimulationResults& results, double from, double to)
{
    const auto& series = results.timeseries.endToEnd.at("p50_ms");
    double sum = 0;
    int n = 0;
    for (std::size_t i = 0; i < results.timeseries.t.size(); ++i)
        if (results.timeseries.t[i] > from && results.timeseries.t[i] <= to && series[i] > 0) {
            sum += series[i];
            ++n;
        }
    if (n == 0)
        qFatal("no end-to-end samples in (%g, %g]", from, to);
    return sum / n;
}

/// Mean of a log-normal distribution given, as the designs give it, by its median and 99th
/// percentile: p50 × exp(σ²/2) with σ = ln(p99/p50) / z(0.99).
double lognormalMean(double p50, double p99)
{
    const double sigma = std::log(p99 / p50) / 2.3263479;
    return p50 * std::exp(sigma * sigma / 2);
}

bool near(double measured, double expected, double relative)
{
    return std::abs(measured - expected) <= relative * std::abs(expected);
}

QString figures(double measured, double expected)
{
    return QString("measured %1, expected %2").arg(measured).arg(expected);
}

} // namespace

class TestLessonsWorkflows : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // Latency. Both designs run the same three functions; what differs is what sits between
    // them. The choreography pays one EventBridge delivery per hop (checkout → stock → payment
    // → shipping: 3 hops, each log-normal p50 150 ms / p99 390 ms, mean ≈ 163 ms). The
    // orchestration pays a state transition into each of its three Tasks and one out of the
    // last (4 transitions, each p50 100 ms / p99 250 ms, mean ≈ 108 ms). So the Step Functions
    // version should be faster by 3 × 163 − 4 × 108 ≈ 57 ms. Measured before the payment
    // outage (5–60 s), as the per-second end-to-end median.
    void orchestrationIsFasterThanChoreographyByTheHopBudget()
    {
        const auto choreography = simulateExample("choreography");
        const auto orchestration = simulateExample("orchestration");
        const double busHop = lognormalMean(150, 390);
        const double transition = lognormalMean(100, 250);
        const double expected = 3 * busHop - 4 * transition;
        const double choreographyMs = endToEndMedianOver(choreography, 5, 60);
        const double orchestrationMs = endToEndMedianOver(orchestration, 5, 60);
        const double difference = choreographyMs - orchestrationMs;
        QVERIFY2(difference > 0,
                 qPrintable(QString("choreography %1 ms, orchestration %2 ms: orchestration "
                                    "should be faster")
                                .arg(choreographyMs)
                                .arg(orchestrationMs)));
        QVERIFY2(std::abs(difference - expected) < 30,
                 qPrintable(QString("choreography %1 ms − orchestration %2 ms = %3 ms; the "
                                    "configured latencies give %4 ms")
                                .arg(choreographyMs)
                                .arg(orchestrationMs)
                                .arg(difference)
                                .arg(expected)));
    }

    // Choreography: a failed asynchronous Lambda invocation is retried twice, 1 min after the
    // first failure and 2 min after the second, so an event first tried at t is tried again
    // at about t + 60 s and t + 180 s; then it goes to the on-failure destination. The payment
    // provider fails from 60 s to 270 s: orders whose payment starts in [60, 90) fail three
    // times (their last try is before 270 s) and are lost to the failure queue. Nothing runs
    // after a lost payment: every event payment took on is shipped, in the failure queue, or
    // still waiting for its next try when the run ends at 300 s — the orders placed in
    // (120, 210] (third try after 300 s) and in (240, 270] (second try after 300 s).
    void choreographyLosesPaymentsAfterTwoRetries()
    {
        const auto results = simulateExample("choreography");
        const auto& payment = componentResult(results, "take-payment");
        const auto& shipping = componentResult(results, "ship-order");
        const auto& failures = componentResult(results, "order-failures");

        const double lostExpected = totalOver(results, "checkout", "received_per_s", 60, 90);
        const double lost = double(failures.received);
        QVERIFY2(near(lost, lostExpected, 0.03),
                 qPrintable("orders in the failure queue: " + figures(lost, lostExpected)));
        QCOMPARE(results.summary.deadLettered, failures.received);
        QCOMPARE(componentResult(results, "reserve-stock").failed, 0u); // only payment fails

        const double waitingExpected = totalOver(results, "checkout", "received_per_s", 120, 210) +
                                       totalOver(results, "checkout", "received_per_s", 240, 270);
        const double waiting = payment.backlog.final;
        QVERIFY2(near(waiting, waitingExpected, 0.03),
                 qPrintable("payment events waiting for a retry at the end: " +
                            figures(waiting, waitingExpected)));

        // Accounting: every event is shipped, lost or waiting; a few are between hops at 300 s.
        const double accounted = double(shipping.received) + lost + waiting;
        QVERIFY2(std::abs(double(payment.received) - accounted) < 40,
                 qPrintable(QString("payment took %1 events; shipped %2 + lost %3 + waiting %4")
                                .arg(payment.received)
                                .arg(shipping.received)
                                .arg(lost)
                                .arg(waiting)));
        QVERIFY2(double(shipping.received) < double(payment.received) - lost - waiting + 40,
                 "no lost order may be shipped");
    }

    // Orchestration: the payment Task retries States.TaskFailed after 2, 4 and 8 s, so its last
    // attempt is about 14 s after the first (plus ~0.5 s of the four attempts themselves). From
    // 60 s to 270 s every charge fails: orders whose payment starts before ~256 s fail all four
    // attempts and the Catch sends them to release-stock, which ends the execution; orders in
    // the last 14 s of the outage succeed on a retry and are shipped. No execution fails, and
    // every one ends in exactly one of shipping and releasing the stock.
    void orchestrationRetriesThenCompensates()
    {
        const auto results = simulateExample("orchestration");
        const auto& workflow = componentResult(results, "order-workflow");
        const auto& shipping = componentResult(results, "ship-order");
        const auto& release = componentResult(results, "release-stock");

        QCOMPARE(workflow.failed, 0u);
        QCOMPARE(results.summary.failed, 0u);
        QCOMPARE(workflow.completed, shipping.completed + release.completed);

        const double caughtExpected = totalOver(results, "checkout", "received_per_s", 60, 256);
        QVERIFY2(near(double(release.received), caughtExpected, 0.02),
                 qPrintable("executions caught into release-stock: " +
                            figures(double(release.received), caughtExpected)));
        // Each caught execution retried three times; the rest of the retries carried payments of
        // the outage's last 14 s through (1 to 3 retries each).
        const double rescuedOrders = totalOver(results, "checkout", "received_per_s", 256, 270);
        const double rescueRetries = double(workflow.retried) - 3.0 * double(release.received);
        QVERIFY2(rescueRetries >= rescuedOrders * 0.9 && rescueRetries <= rescuedOrders * 3.1,
                 qPrintable(QString("%1 retries for the %2 orders placed in the outage's last "
                                    "14 s")
                                .arg(rescueRetries)
                                .arg(rescuedOrders)));
        // Those orders were shipped: shipping saw every order but the caught ones (less the few
        // executions still running when the run ends).
        const double shippedExpected = double(workflow.received) - double(release.received);
        QVERIFY2(
            std::abs(double(shipping.received) - shippedExpected) < 20,
            qPrintable("orders shipped: " + figures(double(shipping.received), shippedExpected)));
        // Compensation comes within ~15 s of the order, not minutes later.
        QVERIFY2(results.latency.max < 20000,
                 qPrintable(QString("slowest execution %1 ms").arg(results.latency.max)));
    }

    // Routing: each rule's share follows from the traffic. The web shop sends 3 OrderPlaced to 1
    // CartUpdated; its amounts are exponential with mean 400 (P(amount ≥ 1000) = e^−2.5 ≈ 8.2%)
    // and its regions one of two eu- and two other regions; the partner's amounts are uniform
    // on [500, 3000] (P(≥ 1000) = 0.8) and its regions one eu- and one other. The audit rule
    // takes every order, so it tells how many web orders there were.
    void eventBridgeRulesRouteByContent()
    {
        const auto results = simulateExample("eventbridge-routing");
        const double web = double(componentResult(results, "web-shop").received);
        const double partner = double(componentResult(results, "partner-api").received);
        const auto& bus = componentResult(results, "orders-bus");
        const double audited = double(componentResult(results, "audit-orders").received);
        const double webOrders = audited - partner;

        QVERIFY2(near(webOrders, 0.75 * web, 0.03),
                 qPrintable("web orders: " + figures(webOrders, 0.75 * web)));
        // CartUpdated matches no rule: the bus counts it as unmatched, a fifth of its events.
        // (Every event is routed, unmatched or still in its delivery latency at the end.)
        QCOMPARE(double(bus.received), double(bus.completed + bus.unmatched) + bus.inFlight.final);
        QVERIFY2(near(double(bus.unmatched), 0.25 * web, 0.05),
                 qPrintable("unmatched events: " + figures(double(bus.unmatched), 0.25 * web)));
        QVERIFY2(
            near(double(bus.unmatched) / double(bus.received), 0.2, 0.05),
            qPrintable(
                QString("unmatched share %1").arg(double(bus.unmatched) / double(bus.received))));

        const double largeExpected = webOrders * std::exp(-1000.0 / 400.0) + partner * 0.8;
        const double large = double(componentResult(results, "large-orders").received);
        QVERIFY2(near(large, largeExpected, 0.06),
                 qPrintable("large orders: " + figures(large, largeExpected)));

        const double euExpected = webOrders * 2.0 / 4.0 + partner * 1.0 / 2.0;
        const double eu = double(componentResult(results, "eu-orders").received);
        const double other = double(componentResult(results, "other-orders").received);
        QVERIFY2(near(eu, euExpected, 0.04), qPrintable("EU orders: " + figures(eu, euExpected)));
        // prefix "eu-" and anything-but prefix "eu-" split the orders between them exactly.
        QCOMPARE(eu + other, audited);

        // Every matched event reaches the rule's target.
        QCOMPARE(componentResult(results, "fraud-check").received,
                 componentResult(results, "large-orders").received);
        QCOMPARE(componentResult(results, "eu-fulfilment").received,
                 componentResult(results, "eu-orders").received);
        QCOMPARE(componentResult(results, "global-fulfilment").received,
                 componentResult(results, "other-orders").received);
        QCOMPARE(componentResult(results, "audit-log").received,
                 componentResult(results, "audit-orders").received);
    }

    // FIFO: a message group has at most one batch in flight. Four accounts → at most four
    // batches at once, each 10 messages taking 0.5 s on average (uniform 400–600 ms): the
    // consumer drains at most 4 × 10 / 0.5 = 80 messages/s, and with 120/s arriving the
    // backlog grows by 120 − 80 = 40 messages a second.
    void fifoQueueIsCappedByItsMessageGroups()
    {
        const auto results = simulateExample("fifo-ordering");
        const auto& writer = componentResult(results, "ledger-writer");
        QCOMPARE(writer.concurrency.max, 4.0);

        const double arrival = meanOver(results, "marketplace", "received_per_s", 60, 240);
        const double drained = meanOver(results, "order-updates", "throughput_per_s", 60, 240);
        QVERIFY2(near(drained, 4 * 10 / 0.5, 0.03),
                 qPrintable("messages deleted per second: " + figures(drained, 80)));
        const double growth = (valueAt(results, "order-updates", "backlog", 240) -
                               valueAt(results, "order-updates", "backlog", 60)) /
                              180.0;
        QVERIFY2(near(growth, arrival - 80, 0.08),
                 qPrintable("backlog growth per second: " + figures(growth, arrival - 80)));
        QVERIFY2(componentResult(results, "order-updates").backlog.final > 10000,
                 "the backlog should pass 10,000 by the end");
    }

    // Standard queue: no groups, so the event source mapping adds concurrent batches while
    // messages wait (from 5, up to 300 more a minute). It keeps up with the 120/s arriving:
    // by Little's law it runs invocations/s × 0.5 s batches at once — far more than the four a
    // FIFO queue with four groups allows — and the backlog stays small.
    void standardQueueKeepsUpWithFullConcurrency()
    {
        const auto results = simulateExample("standard-throughput");
        const double arrival = meanOver(results, "marketplace", "received_per_s", 60, 240);
        const double drained = meanOver(results, "order-updates", "throughput_per_s", 60, 240);
        QVERIFY2(near(drained, arrival, 0.03),
                 qPrintable("messages deleted per second: " + figures(drained, arrival)));
        const auto& queue = componentResult(results, "order-updates");
        QVERIFY2(queue.backlog.max < 150,
                 qPrintable(QString("backlog peaked at %1").arg(queue.backlog.max)));

        const double invocations = meanOver(results, "ledger-writer", "throughput_per_s", 60, 240);
        const double concurrency = meanOver(results, "ledger-writer", "concurrency", 60, 240);
        QVERIFY2(near(concurrency, invocations * 0.5, 0.1),
                 qPrintable("concurrent batches: " + figures(concurrency, invocations * 0.5)));
        QVERIFY2(concurrency > 4 * 4, qPrintable(QString("concurrency %1").arg(concurrency)));
    }
};

QTEST_GUILESS_MAIN(TestLessonsWorkflows)
#include "TestLessonsWorkflows.moc"
