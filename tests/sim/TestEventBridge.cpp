#include "SimTestDesign.h"
#include "sim/RuleBehaviour.h"

#include <QtTest>
#include <cmath>

using namespace eventflow;
using namespace eventflow::sim;
using namespace eventflow::test;
using nlohmann::json;

Q_DECLARE_METATYPE(nlohmann::json)

namespace {

/// A producer of one event type at a constant rate (exact counts: 1/rate is a whole number
/// of microseconds for the rates used here).
json producerTraffic(const std::string& id, double rate, json event)
{
    return {{"producer", id},
            {"profile", {{"kind", "constant"}, {"rate", rate}}},
            {"events", json::array({std::move(event)})}};
}

json busEvent(const std::string& source, const std::string& detailType, json detail)
{
    return {{"source", source}, {"detail-type", detailType}, {"detail", std::move(detail)}};
}

json rule(const std::string& id, json pattern, const std::string& state = "ENABLED")
{
    return component(id, "rule", {}, {{"EventPattern", std::move(pattern)}, {"State", state}});
}

/// bus → rule → queue `target` (outage-able), with the rule's RetryPolicy in `targetProps`.
json retryDesign(json targetProps, bool withDeadLetterQueue, double trafficUntil, double duration)
{
    json components = {component("p", "producer"), component("bus", "event_bus"),
                       rule("r", {{"source", {"app"}}}), component("q", "queue")};
    json connections = {connection("p", "bus", "send"), connection("bus", "r", "subscription"),
                        connection("r", "q", "rule_target", {}, std::move(targetProps))};
    if (withDeadLetterQueue) {
        components.push_back(component("dlq", "queue"));
        connections.push_back(connection("r", "dlq", "dead_letter", {{"for", "q"}}));
    }
    return {{"components", components},
            {"connections", connections},
            {"traffic",
             {{{"producer", "p"},
               {"profile", poissonUntil(10, trafficUntil)},
               {"events", {busEvent("app", "Tick", json::object())}}}}},
            {"faults", {{{"component", "q"}, {"kind", "outage"}, {"start_s", 0}, {"end_s", 1e6}}}},
            {"simulation", simulation(duration)}};
}

} // namespace

class TestEventBridge : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // Rules with prefix, numeric-range and anything-but patterns against a fixed event mix:
    // each target receives exactly the events its pattern selects, events no rule selects are
    // counted unmatched, and a disabled rule selects nothing.
    void rulesRouteExactlyTheMatchingShare()
    {
        const json instant = {{"delivery_latency", constantDistribution(0)}};
        const json components = {
            component("orders", "producer"),
            component("bigOrders", "producer"),
            component("payments", "producer"),
            component("billing", "producer"),
            component("misc", "producer"),
            component("bus", "event_bus", instant),
            rule("rPrefix", {{"source", {{{"prefix", "shop."}}}}}),
            rule("rRange", {{"detail", {{"amount", {{{"numeric", {">=", 100, "<", 1000}}}}}}}}),
            rule("rAnythingBut", {{"source", {{{"anything-but", {"shop.orders", "misc"}}}}}}),
            rule("rDisabled", {{"source", {{{"prefix", ""}}}}}, "DISABLED"),
            component("qPrefix", "queue"),
            component("qRange", "queue"),
            component("qAnythingBut", "queue"),
            component("qDisabled", "queue")};
        json connections = json::array();
        for (const char* p : {"orders", "bigOrders", "payments", "billing", "misc"})
            connections.push_back(connection(p, "bus", "send"));
        for (const char* r : {"Prefix", "Range", "AnythingBut", "Disabled"}) {
            connections.push_back(connection("bus", std::string("r") + r, "subscription"));
            connections.push_back(
                connection(std::string("r") + r, std::string("q") + r, "rule_target"));
        }
        const json trafficSpecs = {
            producerTraffic("orders", 10, busEvent("shop.orders", "OrderPlaced", {{"amount", 50}})),
            producerTraffic("bigOrders", 20,
                            busEvent("shop.orders", "OrderPlaced", {{"amount", 500}})),
            producerTraffic("payments", 5,
                            busEvent("shop.payments", "PaymentFailed", {{"amount", 20}})),
            producerTraffic("billing", 8, busEvent("billing", "Invoice", {{"amount", 150}})),
            producerTraffic("misc", 4, busEvent("misc", "Ping", {{"amount", 5}}))};
        const auto design = makeDesign({{"components", components},
                                        {"connections", connections},
                                        {"traffic", trafficSpecs},
                                        {"simulation", simulation(10)}});
        const auto r = runDesign(design).results;
        // 10 s of 10 + 20 + 5 + 8 + 4 events/s.
        QCOMPARE(result(r, "bus").received, 470u);
        QCOMPARE(result(r, "qPrefix").received, 350u);      // shop.orders ×2, shop.payments
        QCOMPARE(result(r, "qRange").received, 280u);       // amount 500 and 150
        QCOMPARE(result(r, "qAnythingBut").received, 130u); // shop.payments, billing
        QCOMPARE(result(r, "qDisabled").received, 0u);
        QCOMPARE(result(r, "bus").unmatched, 40u); // misc matches no rule
        QCOMPARE(result(r, "bus").completed, 430u);
        QCOMPARE(result(r, "rPrefix").completed, 350u);
    }

    // Events with random fields are matched one by one (no per-type cache): a numeric range
    // [100, 1000) over amounts uniform in [0, 2000) selects 45% of them.
    void numericRangeOnRandomFieldsSelectsItsShare()
    {
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"), component("bus", "event_bus"),
               rule("r", {{"detail", {{"amount", {{{"numeric", {">=", 100, "<", 1000}}}}}}}}),
               component("q", "queue")}},
             {"connections",
              {connection("p", "bus", "send"), connection("bus", "r", "subscription"),
               connection("r", "q", "rule_target")}},
             {"traffic",
              {{{"producer", "p"},
                {"profile", poissonUntil(500, 10)},
                {"events",
                 {busEvent("shop", "Order",
                           {{"amount", {{"dist", "uniform"}, {"min", 0}, {"max", 2000}}}})}}}}},
             {"simulation", simulation(12)}});
        const auto r = runDesign(design).results;
        const double n = double(result(r, "bus").received);
        const double matched = double(result(r, "q").received);
        QVERIFY(n > 4500);
        QVERIFY2(std::abs(matched - 0.45 * n) <= 4 * std::sqrt(n * 0.45 * 0.55),
                 qPrintable(QString("%1 of %2").arg(matched).arg(n)));
        QCOMPARE(double(result(r, "bus").unmatched), n - matched);
    }

    // PutEvents over its quota: in each second the entries beyond the limit are throttled and
    // the producer's requests end Throttled; a throttle fault replaces the quota while active.
    void putEventsQuotaThrottlesTheExcess_data()
    {
        QTest::addColumn<double>("faultLimit");
        QTest::addColumn<double>("expectedThrottled");
        // 150/s offered (1/150 s rounds to 6,667 µs: 1,499 entries in 10 s) against 100/s.
        QTest::newRow("quota 100/s") << -1.0 << 1499.0 - 1000.0;
        // The last 5 s under a 50/s throttle fault: 500 − 500 accepted in the first 5 s, then
        // 750 − 250.
        QTest::newRow("throttle fault 50/s") << 50.0 << 1499.0 - 500.0 - 250.0;
    }
    void putEventsQuotaThrottlesTheExcess()
    {
        QFETCH(double, faultLimit);
        QFETCH(double, expectedThrottled);
        json doc = {{"components",
                     {component("p", "producer"),
                      component("bus", "event_bus", {{"put_events_limit_per_s", 100}}),
                      rule("r", {{"source", {"eventflow.producer"}}}), component("q", "queue")}},
                    {"connections",
                     {connection("p", "bus", "send"), connection("bus", "r", "subscription"),
                      connection("r", "q", "rule_target")}},
                    {"traffic", traffic({{"kind", "constant"}, {"rate", 150}})},
                    {"simulation", simulation(10)}};
        if (faultLimit >= 0)
            doc["faults"] = {{{"component", "bus"},
                              {"kind", "throttle"},
                              {"value", faultLimit},
                              {"start_s", 5},
                              {"end_s", 20}}};
        const auto r = runDesign(makeDesign(doc)).results;
        const auto& bus = result(r, "bus");
        QCOMPARE(bus.received, 1499u);
        EF_VERIFY_NEAR(bus.throttled, expectedThrottled, 0.01);
        QCOMPARE(r.summary.throttled, bus.throttled);
        QCOMPARE(bus.completed + bus.inFlight.final + bus.throttled, double(bus.received));
    }

    // Target invocations over the invocations quota are delayed, not dropped: at ~100 events/s
    // for 5 s against 50 invocations/s, by 5 s only one second's burst plus 50/s has been
    // invoked; by 20 s every event has reached the target.
    void invocationQuotaDelaysInsteadOfDropping()
    {
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"),
               component("bus", "event_bus",
                         {{"invocations_limit_per_s", 50},
                          {"delivery_latency", constantDistribution(100)}}),
               rule("r", {{"source", {"eventflow.producer"}}}), component("q", "queue")}},
             {"connections",
              {connection("p", "bus", "send"), connection("bus", "r", "subscription"),
               connection("r", "q", "rule_target")}},
             {"traffic", traffic(poissonUntil(100, 5))},
             {"simulation", simulation(20)}});
        Engine engine(design);
        engine.runUntil(5 * kSecond);
        auto r = engine.results();
        QVERIFY(result(r, "bus").received > 400);
        // Invocations from 0.1 s on: the 50-token burst, then 50/s for 4.9 s.
        EF_VERIFY_NEAR(result(r, "q").received, 50 + 50 * 4.9, 0.03);
        engine.run();
        r = engine.results();
        QCOMPARE(result(r, "q").received, result(r, "bus").received);
        QCOMPARE(result(r, "r").completed, result(r, "bus").received);
        QCOMPARE(result(r, "r").failed, 0u);
        // The held-back invocations show as the rule's backlog, which drains.
        QVERIFY(result(r, "r").backlog.max > 0.8 * (double(result(r, "bus").received) - 300));
        QCOMPARE(result(r, "r").backlog.final, 0.0);
        // The last events waited for the quota: (N − 50) / 50 s after the first.
        QVERIFY(result(r, "r").latency.max >
                0.8 * (double(result(r, "bus").received) - 300) / 50 * 1000);
    }

    // A target that stays down: the rule retries MaximumRetryAttempts times with exponential
    // backoff, then sends the event to the target's dead-letter queue.
    void targetOutageRetriesThenDeadLetters()
    {
        const auto r =
            runDesign(makeDesign(retryDesign({{"RetryPolicy", {{"MaximumRetryAttempts", 3}}}}, true,
                                             5, 20)))
                .results;
        const auto& rule = result(r, "r");
        QVERIFY(rule.received > 25);
        QCOMPARE(rule.retried, 3 * rule.received);
        QCOMPARE(rule.deadLettered, rule.received);
        QCOMPARE(result(r, "q").failed, 4 * rule.received); // 1 attempt + 3 retries
        QCOMPARE(result(r, "dlq").received, rule.received);
        QCOMPARE(r.summary.deadLettered, r.summary.requests);
        // Waits of 1, 2 and 4 s with equal jitter: 3.5–7 s in all, 5.25 s on average.
        QVERIFY2(rule.latency.count == 0, "no copy was delivered");
        QVERIFY2(r.latencyAll.mean > 4500 && r.latencyAll.mean < 6500,
                 qPrintable(QString::number(r.latencyAll.mean)));
        QVERIFY(r.latencyAll.max < 8000);
    }

    // MaximumEventAgeInSeconds = 60: with the 185-retry default, the age limit ends the retries
    // first — after about six doubling waits (1 + 2 + … + 32 s, jittered).
    void eventAgeLimitEndsRetries()
    {
        const auto r =
            runDesign(makeDesign(retryDesign({{"RetryPolicy", {{"MaximumEventAgeInSeconds", 60}}}},
                                             true, 2, 90)))
                .results;
        const auto& rule = result(r, "r");
        QVERIFY(rule.received > 5);
        QCOMPARE(rule.deadLettered, rule.received);
        const double retriesEach = double(rule.retried) / double(rule.received);
        QVERIFY2(retriesEach >= 5 && retriesEach <= 7, qPrintable(QString::number(retriesEach)));
        QVERIFY(r.latencyAll.max <= 61500);
    }

    // Without a dead-letter queue an event whose retries ran out is dropped: Failed.
    void exhaustedRetriesWithoutDeadLetterQueueFail()
    {
        const auto run = runDesign(makeDesign(
            retryDesign({{"RetryPolicy", {{"MaximumRetryAttempts", 1}}}}, false, 5, 20)));
        const auto& rule = result(run.results, "r");
        QCOMPARE(rule.failed, rule.received);
        QCOMPARE(rule.retried, rule.received);
        QCOMPARE(run.results.summary.failed, run.results.summary.requests);
        QVERIFY(run.drained);
    }

    // The backoff EventBridge uses between retries: doubling from 1 s, capped at 10 min.
    void backoffDoublesUpToTenMinutes()
    {
        QCOMPARE(RuleBehaviour::backoff(1), kSecond);
        QCOMPARE(RuleBehaviour::backoff(2), 2 * kSecond);
        QCOMPARE(RuleBehaviour::backoff(10), 512 * kSecond);
        QCOMPARE(RuleBehaviour::backoff(11), 600 * kSecond);
        QCOMPARE(RuleBehaviour::backoff(185), 600 * kSecond);
        // The defaults (185 retries, 24 h) bind at about the same time: 185 mean waits ≈ 22 h.
        double total = 0;
        for (std::uint32_t k = 1; k <= 185; ++k)
            total += 0.75 * toSeconds(RuleBehaviour::backoff(k));
        QVERIFY(total > 20 * 3600 && total < 24 * 3600);
    }

    // A choreography step puts its own event: a send to a bus with Source and DetailType makes
    // the event a new one (detail kept), so the rule that invoked the step does not see it
    // again and the next step's rule does. Copies of the same event sent on unchanged (here to
    // a second bus by another function) keep the original source and detail-type, also when
    // the detail was drawn at random and the copies share it.
    void sendToBusRestampsTheEvent_data()
    {
        QTest::addColumn<bool>("randomDetail");
        QTest::newRow("fixed detail") << false;
        QTest::newRow("random detail") << true;
    }
    void sendToBusRestampsTheEvent()
    {
        QFETCH(bool, randomDetail);
        const json amount =
            randomDetail ? json{{"dist", "uniform"}, {"min", 0}, {"max", 100}} : json(5);
        const json quick = {{"duration", constantDistribution(1)}};
        const json slow = {{"duration", constantDistribution(50)}};
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"), component("bus", "event_bus"),
               component("bus2", "event_bus"), rule("placed", {{"detail-type", {"Placed"}}}),
               rule("placed-too", {{"detail-type", {"Placed"}}}),
               rule("reserved", {{"source", {"inventory"}},
                                 {"detail-type", {"Reserved"}},
                                 {"detail", {{"amount", {{{"numeric", {">=", 0}}}}}}}}),
               rule("still-placed", {{"source", {"shop"}}, {"detail-type", {"Placed"}}}),
               component("reserve", "function", quick), component("forward", "function", slow),
               component("q", "queue"), component("q2", "queue")}},
             {"connections",
              {connection("p", "bus", "send"), connection("bus", "placed", "subscription"),
               connection("bus", "placed-too", "subscription"),
               connection("bus", "reserved", "subscription"),
               connection("bus2", "still-placed", "subscription"),
               connection("placed", "reserve", "rule_target"),
               connection("placed-too", "forward", "rule_target"),
               connection("reserve", "bus", "send", {},
                          {{"Source", "inventory"}, {"DetailType", "Reserved"}}),
               connection("forward", "bus2", "send"), connection("reserved", "q", "rule_target"),
               connection("still-placed", "q2", "rule_target")}},
             {"traffic",
              {{{"producer", "p"},
                {"profile", poissonUntil(50, 10)},
                {"events", {busEvent("shop", "Placed", {{"amount", amount}})}}}}},
             {"simulation", simulation(20)}});
        const Run run = runDesign(design);
        const auto& r = run.results;
        const auto n = result(r, "p").received;
        QVERIFY(n > 400);
        QCOMPARE(result(r, "placed").received, n); // the restamped events are not Placed
        QCOMPARE(result(r, "reserved").received, n);
        QCOMPARE(result(r, "q").received, n);
        QCOMPARE(result(r, "q2").received, n); // the other copies are still Placed, from shop
        QCOMPARE(result(r, "bus").received, 2 * n);
        QCOMPARE(result(r, "bus").unmatched, 0u);
    }

    // A second step re-stamps an event the first step already re-stamped: PutEvents takes both
    // fields from the entry, so nothing of the first stamp survives. A send that sets only one
    // of them (which the validator refuses: PutEvents needs both) re-stamps nothing, and the
    // event goes on as the first step left it, never as a mix of the two.
    void restampReplacesSourceAndDetailType_data()
    {
        QTest::addColumn<json>("entry");
        QTest::addColumn<bool>("restamped");
        QTest::newRow("both") << json{{"Source", "payments"}, {"DetailType", "Paid"}} << true;
        QTest::newRow("Source only") << json{{"Source", "payments"}} << false;
        QTest::newRow("DetailType only") << json{{"DetailType", "Paid"}} << false;
    }
    void restampReplacesSourceAndDetailType()
    {
        QFETCH(json, entry);
        QFETCH(bool, restamped);
        const json quick = {{"duration", constantDistribution(1)}};
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"), component("bus", "event_bus"),
               component("bus2", "event_bus"), rule("placed", {{"detail-type", {"Placed"}}}),
               rule("reserved", {{"source", {"inventory"}}, {"detail-type", {"Reserved"}}}),
               rule("paid", {{"source", {"payments"}}, {"detail-type", {"Paid"}}}),
               rule("as-reserved", {{"source", {"inventory"}}, {"detail-type", {"Reserved"}}}),
               rule("mixed", {{"$or", json::array({json{{"source", {"payments"}},
                                                        {"detail-type", {"Placed", "Reserved"}}},
                                                   json{{"source", {"shop", "inventory"}},
                                                        {"detail-type", {"Paid"}}}})}}),
               component("reserve", "function", quick), component("pay", "function", quick),
               component("q-paid", "queue"), component("q-reserved", "queue"),
               component("q-mixed", "queue")}},
             {"connections",
              {connection("p", "bus", "send"), connection("bus", "placed", "subscription"),
               connection("bus", "reserved", "subscription"),
               connection("placed", "reserve", "rule_target"),
               connection("reserve", "bus", "send", {},
                          {{"Source", "inventory"}, {"DetailType", "Reserved"}}),
               connection("reserved", "pay", "rule_target"),
               connection("pay", "bus2", "send", {}, entry),
               connection("bus2", "paid", "subscription"),
               connection("bus2", "as-reserved", "subscription"),
               connection("bus2", "mixed", "subscription"),
               connection("paid", "q-paid", "rule_target"),
               connection("as-reserved", "q-reserved", "rule_target"),
               connection("mixed", "q-mixed", "rule_target")}},
             {"traffic",
              {{{"producer", "p"},
                {"profile", poissonUntil(50, 10)},
                {"events", {busEvent("shop", "Placed", {{"amount", 5}})}}}}},
             {"simulation", simulation(20)}});
        const Run run = runDesign(design);
        const auto& r = run.results;
        const auto n = result(r, "p").received;
        QVERIFY(n > 400);
        QCOMPARE(result(r, "pay").received, n);
        QCOMPARE(result(r, "q-paid").received, restamped ? n : 0u);
        QCOMPARE(result(r, "q-reserved").received, restamped ? 0u : n);
        QCOMPARE(result(r, "q-mixed").received, 0u);
    }

    // A rule that targets its own bus re-emits every event forever: the engine's hop guard
    // stops the run as a runaway with a diagnostic naming the loop, instead of hanging.
    void ruleTargetingItsOwnBusIsARunaway()
    {
        const auto design =
            makeDesign({{"components",
                         {component("p", "producer"), component("bus", "event_bus"),
                          rule("loop", {{"source", {"eventflow.producer"}}})}},
                        {"connections",
                         {connection("p", "bus", "send"), connection("bus", "loop", "subscription"),
                          connection("loop", "bus", "rule_target")}},
                        {"traffic", traffic({{"kind", "constant"}, {"rate", 1}})},
                        {"simulation", simulation(600)}});
        Engine engine(design);
        QCOMPARE(engine.run(), RunStatus::Runaway);
        const auto r = engine.results();
        QCOMPARE(QString::fromStdString(r.status), QString("runaway"));
        QVERIFY(!r.diagnostics.empty());
        const QString message = QString::fromStdString(r.diagnostics.front().message);
        QVERIFY2(message.contains("bus") && message.contains("loop"), qPrintable(message));
        QVERIFY(r.simulatedSeconds < 600);
    }
};

QTEST_APPLESS_MAIN(TestEventBridge)
#include "TestEventBridge.moc"
