#include "SimTestDesign.h"
#include "sim/TopicBehaviour.h"

#include <QtTest>
#include <cmath>

using namespace eventflow;
using namespace eventflow::sim;
using namespace eventflow::test;
using nlohmann::json;

namespace {

/// Binomial share check: |count − n·p| within 4 standard deviations.
bool nearShare(double count, double n, double p)
{
    return std::abs(count - n * p) <= 4.0 * std::sqrt(n * p * (1.0 - p)) + 1.0;
}

} // namespace

class TestTopicBehaviour : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // SNS fan-out: every subscription without a filter receives every published message, once.
    void fanOutDeliversEveryMessageToEverySubscriber_data()
    {
        QTest::addColumn<int>("subscribers");
        QTest::newRow("1 queue") << 1;
        QTest::newRow("3 queues") << 3;
        QTest::newRow("7 queues") << 7;
    }
    void fanOutDeliversEveryMessageToEverySubscriber()
    {
        QFETCH(int, subscribers);
        json components = {component("p", "producer"), component("t", "topic")};
        json connections = {connection("p", "t", "send")};
        for (int i = 0; i < subscribers; ++i) {
            const std::string q = "q" + std::to_string(i);
            components.push_back(component(q, "queue"));
            connections.push_back(connection("t", q, "subscription"));
        }
        // Traffic stops at 20 s; 10 s more lets every delivery (p99 of 200 ms) land.
        const auto design = makeDesign({{"components", components},
                                        {"connections", connections},
                                        {"traffic", traffic(poissonUntil(100, 20))},
                                        {"simulation", simulation(30)}});
        const auto r = runDesign(design).results;
        const auto& topic = result(r, "t");
        QVERIFY(topic.received > 1500);
        QCOMPARE(topic.completed, topic.received * std::uint64_t(subscribers));
        QCOMPARE(topic.unmatched, 0u);
        QCOMPARE(topic.retried, 0u);
        QCOMPARE(topic.failed, 0u);
        for (int i = 0; i < subscribers; ++i)
            QCOMPARE(result(r, "q" + std::to_string(i)).received, topic.received);
        // SNS → SQS delivery latency (measured P50 ≈ 60–75 ms): the catalogue's lognormal p50.
        QVERIFY(topic.latency.p50 > 45 && topic.latency.p50 < 80);
    }

    // Filter policies (attribute and body scope): a subscription gets exactly the messages its
    // policy matches; the others are not delivered and count as unmatched.
    void filterPolicyPassesOnlyMatchingMessages()
    {
        const json events = {
            {{"weight", 3},
             {"detail-type", "OrderPlaced"},
             {"detail", {{"amount", {{"dist", "uniform"}, {"min", 0}, {"max", 200}}}}},
             {"attributes", {{"kind", "order"}}}},
            {{"weight", 1},
             {"detail-type", "RefundIssued"},
             {"detail", {{"amount", 10}}},
             {"attributes", {{"kind", "refund"}}}},
        };
        const json noDelay = {{"delivery_latency", constantDistribution(1)}};
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"), component("t", "topic", noDelay),
               component("orders", "queue"), component("refunds", "queue"),
               component("all", "queue"), component("big", "queue"), component("none", "queue")}},
             {"connections",
              {connection("p", "t", "send"),
               connection("t", "orders", "subscription", {},
                          {{"FilterPolicy", {{"kind", {"order"}}}}}),
               connection("t", "refunds", "subscription", {},
                          {{"FilterPolicy", {{"kind", {{{"anything-but", {"order"}}}}}}}}),
               connection("t", "all", "subscription"),
               connection(
                   "t", "big", "subscription", {},
                   {{"FilterPolicyScope", "MessageBody"},
                    {"FilterPolicy", {{"detail", {{"amount", {{{"numeric", {">", 100}}}}}}}}}}),
               connection("t", "none", "subscription", {},
                          {{"FilterPolicy", {{"kind", {"shipment"}}}}})}},
             {"traffic",
              {{{"producer", "p"}, {"profile", poissonUntil(400, 10)}, {"events", events}}}},
             {"simulation", simulation(12)}});
        const auto r = runDesign(design).results;
        const double published = double(result(r, "t").received);
        const double orders = double(result(r, "orders").received);
        const double refunds = double(result(r, "refunds").received);
        QVERIFY(published > 3500);
        QCOMPARE(result(r, "all").received, result(r, "t").received);
        QCOMPARE(orders + refunds, published); // the two policies split the mix exactly
        QVERIFY2(nearShare(orders, published, 0.75), qPrintable(QString::number(orders)));
        // Body scope: amount > 100 for half the orders (uniform 0–200), never for refunds.
        const double big = double(result(r, "big").received);
        QVERIFY2(nearShare(big, orders, 0.5), qPrintable(QString::number(big)));
        QCOMPARE(result(r, "none").received, 0u);
        // Skipped copies: refunds skip "orders", orders skip "refunds", all skip "none", …
        const double unmatched =
            (published - orders) + (published - refunds) + (published - big) + published;
        QCOMPARE(double(result(r, "t").unmatched), unmatched);
        QCOMPARE(double(result(r, "t").completed), 5 * published - unmatched);
    }

    // A message no subscription wants ends its journey as completed, and nothing is left over.
    void messageMatchingNothingEndsCompleted()
    {
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"), component("t", "topic"), component("q", "queue")}},
             {"connections",
              {connection("p", "t", "send"),
               connection("t", "q", "subscription", {},
                          {{"FilterPolicy", {{"kind", {"never"}}}}})}},
             {"traffic", traffic({{"kind", "constant"}, {"rate", 50}})},
             {"simulation", simulation(10)}});
        const auto run = runDesign(design);
        QCOMPARE(run.results.summary.requests, 500u);
        QCOMPARE(run.results.summary.completed, 500u);
        QCOMPARE(result(run.results, "t").unmatched, 500u);
        QVERIFY(run.drained);
    }

    // The AWS-managed delivery policy (SQS, Lambda): 3 immediate retries, 2 one second apart, 10
    // with backoff from 1 s to 20 s, then 100,000 every 20 s: 100,015 retries over ~23 days.
    void awsManagedRetryScheduleMatchesSns()
    {
        for (std::uint32_t k = 1; k <= 3; ++k)
            QCOMPARE(TopicBehaviour::retryDelay(false, k), SimTime(0));
        QCOMPARE(TopicBehaviour::retryDelay(false, 4), kSecond);
        QCOMPARE(TopicBehaviour::retryDelay(false, 5), kSecond);
        QCOMPARE(TopicBehaviour::retryDelay(false, 6), kSecond);
        QCOMPARE(TopicBehaviour::retryDelay(false, 15), 20 * kSecond);
        for (std::uint32_t k = 7; k <= 15; ++k)
            QVERIFY(TopicBehaviour::retryDelay(false, k) >
                    TopicBehaviour::retryDelay(false, k - 1));
        QCOMPARE(TopicBehaviour::retryDelay(false, 16), 20 * kSecond);
        QCOMPARE(TopicBehaviour::retryDelay(false, 100015), 20 * kSecond);
        QVERIFY(TopicBehaviour::retryDelay(false, 100016) < 0);
        double total = 0;
        for (std::uint32_t k = 1; k <= 100015; ++k)
            total += toSeconds(TopicBehaviour::retryDelay(false, k));
        EF_VERIFY_NEAR(total / 86400.0, 23.15, 0.01);
        // HTTP/S default: 3 retries 20 s apart, then none.
        for (std::uint32_t k = 1; k <= 3; ++k)
            QCOMPARE(TopicBehaviour::retryDelay(true, k), 20 * kSecond);
        QVERIFY(TopicBehaviour::retryDelay(true, 4) < 0);
    }

    // A subscribed queue down for 3 s: SNS keeps retrying (immediate, then 1 s apart, then
    // backoff) and every message arrives once the queue is back; nothing is lost.
    void queueOutageIsRetriedUntilDelivered()
    {
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"),
               component("t", "topic", {{"delivery_latency", constantDistribution(10)}}),
               component("q", "queue")}},
             {"connections", {connection("p", "t", "send"), connection("t", "q", "subscription")}},
             {"traffic", traffic(poissonUntil(50, 6))},
             {"faults", {{{"component", "q"}, {"kind", "outage"}, {"start_s", 1}, {"end_s", 4}}}},
             {"simulation", simulation(30)}});
        const auto r = runDesign(design).results;
        const auto& topic = result(r, "t");
        QCOMPARE(result(r, "q").received, topic.received);
        QCOMPARE(topic.completed, topic.received);
        QCOMPARE(topic.failed, 0u);
        QCOMPARE(topic.deadLettered, 0u);
        // Messages published during the 3 s outage (≈ 150) each need ≥ 3 immediate retries.
        QVERIFY2(topic.retried >= 3 * 100, qPrintable(QString::number(topic.retried)));
        QVERIFY(result(r, "q").failed >= 400);
    }

    // An HTTP/S endpoint that is down: the default policy retries 3 times 20 s apart, then the
    // copy goes to the subscription's dead-letter queue — about 60 s after publishing.
    void httpEndpointDownGoesToDeadLetterQueueAfterThreeRetries()
    {
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"), component("t", "topic"), component("svc", "service"),
               component("dlq", "queue"), component("fn", "function")}},
             {"connections",
              {connection("p", "t", "send"), connection("t", "svc", "subscription"),
               connection("t", "fn", "subscription"),
               connection("t", "dlq", "dead_letter", {{"for", "svc"}})}},
             {"traffic", traffic(poissonUntil(5, 10))},
             {"faults",
              {{{"component", "svc"}, {"kind", "outage"}, {"start_s", 0}, {"end_s", 1000}}}},
             {"simulation", simulation(90)}});
        const auto run = runDesign(design);
        const auto& r = run.results;
        const auto& topic = result(r, "t");
        const auto published = topic.received;
        QVERIFY(published > 25);
        QCOMPARE(result(r, "svc").received, 4 * published); // 1 attempt + 3 retries each
        QCOMPARE(topic.retried, 3 * published);
        QCOMPARE(topic.deadLettered, published);
        QCOMPARE(result(r, "dlq").received, published);
        QCOMPARE(result(r, "fn").received, published); // the healthy subscription is unaffected
        QCOMPARE(topic.completed, published);
        QCOMPARE(topic.failed, 0u);
        // Each request ends when its copy is dead-lettered: three 20 s waits (±10% jitter) after
        // the delivery latency.
        QCOMPARE(r.summary.deadLettered, r.summary.requests);
        QVERIFY2(r.latencyAll.mean > 56000 && r.latencyAll.mean < 64000,
                 qPrintable(QString::number(r.latencyAll.mean)));
    }

    // Without a dead-letter queue an exhausted copy is lost: Failed.
    void exhaustedHttpDeliveryWithoutDeadLetterQueueFails()
    {
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"), component("t", "topic"), component("svc", "service")}},
             {"connections",
              {connection("p", "t", "send"), connection("t", "svc", "subscription")}},
             {"traffic", traffic(poissonUntil(5, 10))},
             {"faults",
              {{{"component", "svc"}, {"kind", "outage"}, {"start_s", 0}, {"end_s", 1000}}}},
             {"simulation", simulation(90)}});
        const auto run = runDesign(design);
        const auto& topic = result(run.results, "t");
        QCOMPARE(topic.failed, topic.received);
        QCOMPARE(run.results.summary.failed, run.results.summary.requests);
        QVERIFY(run.drained);
    }

    // Publishing to a topic in outage is refused: the publisher's request fails at once.
    void outageRefusesPublishes()
    {
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"), component("t", "topic"), component("q", "queue")}},
             {"connections", {connection("p", "t", "send"), connection("t", "q", "subscription")}},
             {"traffic", traffic({{"kind", "constant"}, {"rate", 10}})},
             {"faults",
              {{{"component", "t"}, {"kind", "outage"}, {"start_s", 0}, {"end_s", 5.05}}}},
             {"simulation", simulation(10)}});
        const auto r = runDesign(design).results;
        QCOMPARE(result(r, "t").failed, 50u);
        QCOMPARE(r.summary.failed, 50u);
        QCOMPARE(result(r, "q").received, result(r, "t").completed);
    }
};

QTEST_APPLESS_MAIN(TestTopicBehaviour)
#include "TestTopicBehaviour.moc"
