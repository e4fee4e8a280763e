#include "SimTestDesign.h"
#include "sim/QueueBehaviour.h"

#include <QtTest>
#include <algorithm>
#include <cmath>
#include <map>

using namespace eventflow;
using namespace eventflow::test;
using nlohmann::json;

namespace {

json functionSim(double durationMs, double errorRate = 0)
{
    return {{"duration", constantDistribution(durationMs)},
            {"cold_start", constantDistribution(0)},
            {"error_rate", errorRate}};
}

/// An event-source mapping with batches of `batchSize` and no poll latency.
json eventSource(std::string from, std::string to, int batchSize = 1, json props = json::object())
{
    props["BatchSize"] = batchSize;
    return connection(std::move(from), std::move(to), "event_source",
                      {{"poll_latency", constantDistribution(0)}}, std::move(props));
}

/// Events whose detail.customer is one of `groups` customers.
json customerTraffic(json profile, int groups)
{
    json customers = json::array();
    for (int i = 0; i < groups; ++i)
        customers.push_back("c" + std::to_string(i));
    return json::array({{{"producer", "p"},
                         {"profile", std::move(profile)},
                         {"events", {{{"detail", {{"customer", {{"oneOf", customers}}}}}}}}}});
}

/// Records the order in which a queue deletes messages, per customer.
class DeletionOrder : public sim::QueueBehaviour::DeletionObserver {
public:
    explicit DeletionOrder(sim::Engine& engine) : m_engine(engine) {}
    void onDeleted(sim::MessageId message) override
    {
        const auto& document = m_engine.eventDocument(message);
        const std::string group = document["detail"]["customer"].get<std::string>();
        const sim::SimTime created = m_engine.message(message).createdAt;
        auto [it, inserted] = m_lastCreated.emplace(group, created);
        if (!inserted) {
            if (created < it->second)
                ++inversions;
            it->second = std::max(it->second, created);
        }
        ++deleted;
    }
    int inversions = 0;
    int deleted = 0;

private:
    sim::Engine& m_engine;
    std::map<std::string, sim::SimTime> m_lastCreated;
};

} // namespace

class TestQueueBehaviour : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // RedrivePolicy: a message received maxReceiveCount times without being deleted moves to
    // the dead-letter queue on the next receive. A consumer that always fails sees each
    // message exactly maxReceiveCount times.
    void redriveAfterMaxReceiveCount_data()
    {
        QTest::addColumn<int>("maxReceiveCount");
        QTest::newRow("1") << 1;
        QTest::newRow("3") << 3;
        QTest::newRow("5") << 5;
    }
    void redriveAfterMaxReceiveCount()
    {
        QFETCH(int, maxReceiveCount);
        const double visibility = 2;
        const auto design =
            makeDesign({{"components",
                         {component("p", "producer"),
                          component("q", "queue", {},
                                    {{"VisibilityTimeout", visibility},
                                     {"RedrivePolicy", {{"maxReceiveCount", maxReceiveCount}}}}),
                          component("fn", "function", functionSim(10, 1.0), {{"Timeout", 1}}),
                          component("dlq", "queue")}},
                        {"connections",
                         {connection("p", "q", "send"), eventSource("q", "fn"),
                          connection("q", "dlq", "dead_letter")}},
                        {"traffic", traffic(poissonUntil(5, 10))},
                        {"simulation", simulation(10 + visibility * maxReceiveCount + 5)}});
        const auto run = runDesign(design);
        const auto& q = result(run.results, "q");
        const auto& fn = result(run.results, "fn");
        const auto& dlq = result(run.results, "dlq");
        const auto n = run.results.summary.requests;
        QVERIFY(n > 30);
        QCOMPARE(q.received, n);
        QCOMPARE(fn.received, n * std::uint64_t(maxReceiveCount));
        QCOMPARE(fn.failed, n * std::uint64_t(maxReceiveCount));
        QCOMPARE(q.retried, n * std::uint64_t(maxReceiveCount - 1));
        QCOMPARE(q.deadLettered, n);
        QCOMPARE(dlq.received, n);
        QCOMPARE(run.results.summary.deadLettered, n);
        QCOMPARE(q.completed, 0u);
        QCOMPARE(q.backlog.final, 0.0);
        QCOMPARE(q.inFlight.final, 0.0);
        QCOMPARE(dlq.backlog.final, double(n));
        // Each move happens maxReceiveCount visibility timeouts after the send.
        EF_VERIFY_NEAR(run.results.latencyAll.mean / 1000.0, visibility * maxReceiveCount, 0.001);
    }

    // A failed batch stays hidden for VisibilityTimeout from its receive, then is received
    // again: one message sent at 100 s is received at 100 s, 100 + VT, 100 + 2 VT…
    void failedBatchReappearsAfterVisibilityTimeout_data()
    {
        QTest::addColumn<double>("visibility");
        QTest::addColumn<double>("window");
        QTest::addColumn<int>("expectedReceives");
        QTest::newRow("VT 5 s, 20.1 s") << 5.0 << 20.1 << 5;
        QTest::newRow("VT 5 s, 19.9 s") << 5.0 << 19.9 << 4;
        QTest::newRow("VT 10 s, 35 s") << 10.0 << 35.0 << 4;
        QTest::newRow("VT 30 s, 90.5 s") << 30.0 << 90.5 << 4;
        QTest::newRow("VT 30 s, 89.5 s") << 30.0 << 89.5 << 3;
    }
    void failedBatchReappearsAfterVisibilityTimeout()
    {
        QFETCH(double, visibility);
        QFETCH(double, window);
        QFETCH(int, expectedReceives);
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"),
               component("q", "queue", {}, {{"VisibilityTimeout", visibility}}),
               component("fn", "function", functionSim(10, 1.0), {{"Timeout", 1}})}},
             {"connections", {connection("p", "q", "send"), eventSource("q", "fn")}},
             {"traffic", traffic({{"kind", "constant"}, {"rate", 0.01}})}, // one message at 100 s
             {"simulation", simulation(100 + window)}});
        const auto run = runDesign(design);
        const auto& q = result(run.results, "q");
        const auto& fn = result(run.results, "fn");
        QCOMPARE(q.received, 1u);
        QCOMPARE(fn.received, std::uint64_t(expectedReceives));
        QCOMPARE(q.retried, std::uint64_t(expectedReceives - 1));
        QCOMPARE(q.completed, 0u);
    }

    // MessageRetentionPeriod: a queue nobody consumes deletes every message older than the
    // retention period. Constant sends at r/s for T s: r(T − R) expired, rR left (a delivery
    // delay does not change it: retention counts from the send).
    void retentionExpiresOldMessages_data()
    {
        QTest::addColumn<double>("retention");
        QTest::addColumn<double>("rate");
        QTest::addColumn<double>("seconds");
        QTest::addColumn<double>("delay");
        QTest::newRow("60 s, 10/s for 100 s") << 60.0 << 10.0 << 100.0 << 0.0;
        QTest::newRow("120 s, 4/s for 150 s") << 120.0 << 4.0 << 150.0 << 0.0;
        QTest::newRow("60 s, 10/s for 100 s, delayed 30 s") << 60.0 << 10.0 << 100.0 << 30.0;
    }
    void retentionExpiresOldMessages()
    {
        QFETCH(double, retention);
        QFETCH(double, rate);
        QFETCH(double, seconds);
        QFETCH(double, delay);
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"),
               component("q", "queue", {},
                         {{"MessageRetentionPeriod", retention}, {"DelaySeconds", delay}})}},
             {"connections", {connection("p", "q", "send")}},
             {"traffic", traffic({{"kind", "constant"}, {"rate", rate}})},
             {"simulation", simulation(seconds)}});
        sim::Engine engine(design);
        engine.run();
        const auto r = engine.results();
        const auto& q = result(r, "q");
        const auto emitted = std::uint64_t(std::llround(rate * seconds));
        const auto younger = std::uint64_t(std::llround(rate * retention));
        QCOMPARE(q.received, emitted);
        QCOMPARE(q.expired, emitted - younger);
        QCOMPARE(r.summary.expired, emitted - younger);
        QCOMPARE(q.backlog.final, double(younger));
        QCOMPARE(engine.liveMessages(), younger);
        QVERIFY(q.oldestAgeMaxSeconds <= retention);
        QVERIFY(q.oldestAgeMaxSeconds >= retention - 1.0);
    }

    // A message moved to a dead-letter queue keeps its original send time: it expires from
    // the DLQ at send + the DLQ's retention, not at move + retention.
    void deadLetteredMessageKeepsItsSendTime()
    {
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"),
               component("q", "queue", {},
                         {{"VisibilityTimeout", 20}, {"RedrivePolicy", {{"maxReceiveCount", 2}}}}),
               component("fn", "function", functionSim(10, 1.0), {{"Timeout", 1}}),
               component("dlq", "queue", {}, {{"MessageRetentionPeriod", 60}})}},
             {"connections",
              {connection("p", "q", "send"), eventSource("q", "fn"),
               connection("q", "dlq", "dead_letter")}},
             {"traffic", traffic(poissonUntil(2, 10))},
             {"simulation", simulation(80)}}); // moved at send + 40 s, expired at send + 60 s
        const auto run = runDesign(design);
        const auto& dlq = result(run.results, "dlq");
        const auto n = run.results.summary.requests;
        QVERIFY(n > 5);
        QCOMPARE(dlq.received, n);
        QCOMPARE(dlq.expired, n);
        QCOMPARE(run.results.summary.deadLettered, n);
        QVERIFY(run.drained);
    }

    // FIFO: messages of one group are processed in send order, one receive in flight per
    // group — even when processing fails and messages come back after the visibility timeout.
    // A standard queue with concurrent consumers does not keep that order.
    void fifoKeepsOrderPerMessageGroup_data()
    {
        QTest::addColumn<bool>("fifo");
        QTest::addColumn<QString>("consumer");
        QTest::addColumn<double>("errorRate");
        QTest::addColumn<double>("rate");
        QTest::newRow("FIFO, function") << true << "function" << 0.0 << 40.0;
        QTest::newRow("FIFO, function failing 30%") << true << "function" << 0.3 << 4.0;
        QTest::newRow("FIFO, service workers") << true << "service" << 0.0 << 40.0;
        QTest::newRow("standard, function") << false << "function" << 0.0 << 40.0;
    }
    void fifoKeepsOrderPerMessageGroup()
    {
        QFETCH(bool, fifo);
        QFETCH(QString, consumer);
        QFETCH(double, errorRate);
        QFETCH(double, rate);
        const int groups = 4;
        json queueProps = {{"VisibilityTimeout", 1}};
        if (fifo)
            queueProps["FifoQueue"] = true;
        const json sim = {{"duration", exponentialDistribution(50)},
                          {"cold_start", constantDistribution(0)},
                          {"error_rate", errorRate},
                          {"workers", 8}};
        json consumerComponent =
            consumer == "function"
                ? component("c", "function", sim, {{"Timeout", 1}})
                : component("c", "service", {{"duration", sim["duration"]}, {"workers", 8}});
        const auto design =
            makeDesign({{"components",
                         {component("p", "producer"),
                          component("q", "queue", {{"group_key", "detail.customer"}}, queueProps),
                          consumerComponent}},
                        {"connections", {connection("p", "q", "send"), eventSource("q", "c")}},
                        {"traffic", customerTraffic(poissonUntil(rate, 20), groups)},
                        {"simulation", simulation(120)}});
        sim::Engine engine(design);
        auto& queue = dynamic_cast<sim::QueueBehaviour&>(engine.behaviour(1));
        DeletionOrder order(engine);
        queue.setDeletionObserver(&order);
        engine.run();
        const auto r = engine.results();
        const auto& q = result(r, "q");
        QCOMPARE(std::uint64_t(order.deleted), r.summary.requests);
        QCOMPARE(q.completed, r.summary.requests);
        if (fifo) {
            QCOMPARE(order.inversions, 0);
            QVERIFY(q.concurrency.max <= groups);
            QVERIFY(result(r, "c").concurrency.max <= groups);
        } else {
            QVERIFY(order.inversions > 0);
        }
        QCOMPARE(engine.liveMessages(), 0u);
    }

    // FIFO SendMessage quota: 300 calls/s per queue (fixed one-second windows); beyond it
    // the sender is throttled. perMessageGroupId gives each message group that quota; a
    // throttle fault sets the limit of any queue.
    void sendQuota_data()
    {
        QTest::addColumn<bool>("fifo");
        QTest::addColumn<QString>("throughputLimit");
        QTest::addColumn<int>("groups");
        QTest::addColumn<double>("apiLimit");
        QTest::addColumn<double>("faultLimit");
        QTest::addColumn<double>("rate");
        QTest::addColumn<double>("expectedPerSecond");
        QTest::newRow("FIFO default 300/s at 500/s")
            << true << "perQueue" << 0 << 300.0 << -1.0 << 500.0 << 300.0;
        QTest::newRow("FIFO 1000/s at 500/s")
            << true << "perQueue" << 0 << 1000.0 << -1.0 << 500.0 << 500.0;
        QTest::newRow("standard at 500/s")
            << false << "perQueue" << 0 << 300.0 << -1.0 << 500.0 << 500.0;
        QTest::newRow("standard, throttle fault 100/s")
            << false << "perQueue" << 0 << 300.0 << 100.0 << 500.0 << 100.0;
        QTest::newRow("perMessageGroupId, one group")
            << true << "perMessageGroupId" << 0 << 300.0 << -1.0 << 500.0 << 300.0;
        QTest::newRow("perMessageGroupId, 4 groups")
            << true << "perMessageGroupId" << 4 << 300.0 << -1.0 << 500.0 << 500.0;
    }
    void sendQuota()
    {
        QFETCH(bool, fifo);
        QFETCH(QString, throughputLimit);
        QFETCH(int, groups);
        QFETCH(double, apiLimit);
        QFETCH(double, faultLimit);
        QFETCH(double, rate);
        QFETCH(double, expectedPerSecond);
        const double seconds = 10;
        json document = {{"components",
                          {component("p", "producer"),
                           component("q", "queue",
                                     {{"api_limit_per_s", apiLimit},
                                      {"group_key", groups > 0 ? "detail.customer" : ""}},
                                     {{"FifoQueue", fifo},
                                      {"FifoThroughputLimit", throughputLimit.toStdString()}})}},
                         {"connections", {connection("p", "q", "send")}},
                         {"traffic", customerTraffic({{"kind", "constant"}, {"rate", rate}},
                                                     std::max(groups, 1))},
                         {"simulation", simulation(seconds)}};
        if (faultLimit >= 0)
            document["faults"] = {{{"component", "q"},
                                   {"kind", "throttle"},
                                   {"start_s", 0},
                                   {"end_s", seconds + 1},
                                   {"value", faultLimit}}};
        const auto run = runDesign(makeDesign(document));
        const auto& q = result(run.results, "q");
        const auto sent = std::uint64_t(std::llround(rate * seconds));
        EF_VERIFY_NEAR(q.received / seconds, expectedPerSecond, 0.002);
        QCOMPARE(q.received + q.throttled, sent);
        QCOMPARE(run.results.summary.throttled, q.throttled);
    }

    // Lambda's SQS poller starts with 5 concurrent invocations and adds up to 300 per minute
    // while messages wait, up to ScalingConfig.MaximumConcurrency. With 1 s invocations and a
    // backlog of ~20,000 messages, concurrency is 5 at first and 5 + 300 t/60 after t s.
    void eventSourceScaling_data()
    {
        QTest::addColumn<int>("maximumConcurrency"); // 0: not set
        QTest::addColumn<double>("atStart");
        QTest::addColumn<double>("atHalfMinute");
        QTest::addColumn<double>("atMinute");
        QTest::newRow("unbounded") << 0 << 5.0 << 5.0 + 300.0 * 30 / 60 << 5.0 + 300.0;
        QTest::newRow("MaximumConcurrency 20") << 20 << 5.0 << 20.0 << 20.0;
        QTest::newRow("MaximumConcurrency 2") << 2 << 2.0 << 2.0 << 2.0;
    }
    void eventSourceScaling()
    {
        QFETCH(int, maximumConcurrency);
        QFETCH(double, atStart);
        QFETCH(double, atHalfMinute);
        QFETCH(double, atMinute);
        json props = json::object();
        if (maximumConcurrency > 0)
            props["ScalingConfig"] = {{"MaximumConcurrency", maximumConcurrency}};
        auto sim = simulation(60.2);
        sim["sample_interval_s"] = 0.5;
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"), component("q", "queue", {}, {{"VisibilityTimeout", 30}}),
               component("fn", "function", functionSim(1000), {{"Timeout", 5}})}},
             {"connections", {connection("p", "q", "send"), eventSource("q", "fn", 1, props)}},
             {"traffic", traffic({{"kind", "spike"},
                                  {"rate", 0},
                                  {"peak_rate", 20000},
                                  {"start_s", 0},
                                  {"end_s", 1}})},
             {"simulation", sim}});
        const auto run = runDesign(design);
        const auto& series = run.results.timeseries.components.at("fn").at("concurrency");
        const auto& t = run.results.timeseries.t;
        auto at = [&](double seconds) {
            const auto it = std::lower_bound(t.begin(), t.end(), seconds - 1e-9);
            return series[std::size_t(it - t.begin())];
        };
        QCOMPARE(at(0.5), atStart);
        EF_VERIFY_NEAR(at(30.5), atHalfMinute, 0.04);
        EF_VERIFY_NEAR(result(run.results, "fn").concurrency.max, atMinute, 0.02);
        QCOMPARE(result(run.results, "q").backlog.final > 0,
                 true); // still a backlog: no idle phase
        QCOMPARE(result(run.results, "fn").throttled, 0u);
    }

    // The mapping ignores reserved concurrency: it is throttled above it, backs off, and
    // retries the throttled batches while they are hidden; every message is processed once.
    void eventSourceBacksOffOnThrottle()
    {
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"), component("q", "queue", {}, {{"VisibilityTimeout", 30}}),
               component("fn", "function", functionSim(100),
                         {{"ReservedConcurrentExecutions", 10}, {"Timeout", 5}})}},
             {"connections", {connection("p", "q", "send"), eventSource("q", "fn")}},
             {"traffic", traffic(poissonUntil(2000, 1))},
             {"simulation", simulation(90)}});
        const auto run = runDesign(design);
        const auto& q = result(run.results, "q");
        const auto& fn = result(run.results, "fn");
        const auto n = run.results.summary.requests;
        QCOMPARE(q.completed, n);
        QCOMPARE(fn.completed, n);
        QCOMPARE(fn.concurrency.max, 10.0);
        QVERIFY(fn.throttled > 0);
        QCOMPARE(fn.received, fn.completed + fn.throttled);
        // While the backlog lasts, deletes run at R/D = 10 / 100 ms = 100/s: the probes above
        // the reservation cost next to nothing.
        const auto& t = run.results.timeseries.t;
        const auto& deletes = run.results.timeseries.components.at("q").at("throughput_per_s");
        double sum = 0;
        int seconds = 0;
        for (std::size_t i = 0; i < t.size(); ++i)
            if (t[i] >= 4 && t[i] <= 16) {
                sum += deletes[i];
                ++seconds;
            }
        EF_VERIFY_NEAR(sum / seconds, 100.0, 0.02);
        QVERIFY(run.drained);
    }

    // Service workers poll with at most sim.workers receives at once: 3 workers × 100 ms is
    // 30 messages/s, and the service never has to queue a request.
    void serviceWorkersBoundReceives()
    {
        const auto design =
            makeDesign({{"components",
                         {component("p", "producer"), component("q", "queue"),
                          component("s", "service",
                                    {{"workers", 3}, {"duration", constantDistribution(100)}})}},
                        {"connections", {connection("p", "q", "send"), eventSource("q", "s")}},
                        {"traffic", traffic({{"kind", "constant"}, {"rate", 50}})},
                        {"simulation", simulation(20)}});
        const auto run = runDesign(design);
        const auto& q = result(run.results, "q");
        const auto& s = result(run.results, "s");
        QCOMPARE(q.concurrency.max, 3.0);
        QCOMPARE(s.concurrency.max, 3.0);
        QCOMPARE(s.backlog.max, 0.0);
        EF_VERIFY_NEAR(q.completed / 20.0, 30.0, 0.02);
        EF_VERIFY_NEAR(q.backlog.final, 20 * (50.0 - 30.0), 0.02);
    }

    // Consumers of one queue compete: each message goes to one of them, and under a backlog
    // each takes what its capacity allows (2 and 3 workers × 100 ms: 20/s and 30/s).
    void consumersCompeteForMessages()
    {
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"), component("q", "queue"),
               component("s2", "service",
                         {{"workers", 2}, {"duration", constantDistribution(100)}}),
               component("s3", "service",
                         {{"workers", 3}, {"duration", constantDistribution(100)}})}},
             {"connections",
              {connection("p", "q", "send"), eventSource("q", "s2"), eventSource("q", "s3")}},
             {"traffic", traffic({{"kind", "constant"}, {"rate", 100}})},
             {"simulation", simulation(20)}});
        const auto run = runDesign(design);
        const auto& q = result(run.results, "q");
        const auto& s2 = result(run.results, "s2");
        const auto& s3 = result(run.results, "s3");
        QCOMPARE(q.completed, s2.completed + s3.completed);
        QCOMPARE(q.retried, 0u);
        EF_VERIFY_NEAR(s2.completed / 20.0, 20.0, 0.02);
        EF_VERIFY_NEAR(s3.completed / 20.0, 30.0, 0.02);
        QCOMPARE(q.concurrency.max, 5.0);
    }

    // MaximumBatchingWindowInSeconds: a batch that is not full gathers arrivals until the
    // window ends; a full one leaves at once. One message per second and a 2.5 s window:
    // batches of 3 that waited 2.5, 1.5 and 0.5 s; 100/s and BatchSize 10: batches fill in
    // 90 ms (mean wait 45 ms); no window: a batch per message, no wait.
    void batchingWindowGathersMessages_data()
    {
        QTest::addColumn<double>("rate");
        QTest::addColumn<double>("window");
        QTest::addColumn<double>("seconds");
        QTest::addColumn<int>("expectedInvocations");
        QTest::addColumn<int>("expectedDeleted");
        QTest::addColumn<double>("expectedMeanWaitMs");
        // Sends at 1, 2 … 31 s; the batch [28, 29, 30] leaves at 30.5 s, [31] still gathers.
        QTest::newRow("1/s, window 2.5 s") << 1.0 << 2.5 << 31.25 << 10 << 30 << 1500.0;
        // Sends every 10 ms to 10.05 s: 100 full batches by 10.0 s, 5 messages gathering.
        QTest::newRow("100/s, batch 10 fills first")
            << 100.0 << 2.5 << 10.05 << 100 << 1000 << 45.0;
        QTest::newRow("no window: one message each") << 1.0 << 0.0 << 30.02 << 30 << 30 << 0.0;
    }
    void batchingWindowGathersMessages()
    {
        QFETCH(double, rate);
        QFETCH(double, window);
        QFETCH(double, seconds);
        QFETCH(int, expectedInvocations);
        QFETCH(int, expectedDeleted);
        QFETCH(double, expectedMeanWaitMs);
        const double durationMs = 10;
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"), component("q", "queue"),
               component("fn", "function", functionSim(durationMs))}},
             {"connections",
              {connection("p", "q", "send"),
               eventSource("q", "fn", 10, {{"MaximumBatchingWindowInSeconds", window}})}},
             {"traffic", traffic({{"kind", "constant"}, {"rate", rate}})},
             {"simulation", simulation(seconds)}});
        const auto run = runDesign(design);
        const auto& q = result(run.results, "q");
        const auto& fn = result(run.results, "fn");
        QCOMPARE(fn.received, std::uint64_t(expectedInvocations));
        QCOMPARE(q.completed, std::uint64_t(expectedDeleted));
        EF_VERIFY_NEAR(q.latency.mean, expectedMeanWaitMs + durationMs, 0.01);
    }

    // sim.poll_latency runs from a message becoming visible to its pickup: a message sent
    // to an idle queue waits it out, a backlog does not pay it again (Lambda's pollers read
    // ahead of the invocations). 50 ms latency, 20 ms invocations, two at a time, 20.5 s.
    void pollLatencyDelaysOnlyFreshMessages_data()
    {
        QTest::addColumn<double>("rate");
        QTest::addColumn<double>("expectedLatencyMs"); // send → delete; < 0: not checked
        QTest::addColumn<double>("expectedDeleted");
        QTest::newRow("idle queue, 1/s") << 1.0 << 50.0 + 20.0 << 20.0;
        // 2 / 20 ms = 100/s from the first pickup at 55 ms (not 2 / 70 ms = 29/s).
        QTest::newRow("backlog, 200/s") << 200.0 << -1.0 << 100 * (20.5 - 0.055);
    }
    void pollLatencyDelaysOnlyFreshMessages()
    {
        QFETCH(double, rate);
        QFETCH(double, expectedLatencyMs);
        QFETCH(double, expectedDeleted);
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"), component("q", "queue"),
               component("fn", "function", functionSim(20))}},
             {"connections",
              {connection("p", "q", "send"),
               connection("q", "fn", "event_source", {{"poll_latency", constantDistribution(50)}},
                          {{"BatchSize", 1}, {"ScalingConfig", {{"MaximumConcurrency", 2}}}})}},
             {"traffic", traffic({{"kind", "constant"}, {"rate", rate}})},
             {"simulation", simulation(20.5)}});
        const auto run = runDesign(design);
        const auto& q = result(run.results, "q");
        if (expectedLatencyMs > 0)
            EF_VERIFY_NEAR(q.latency.mean, expectedLatencyMs, 0.001);
        EF_VERIFY_NEAR(double(q.completed), expectedDeleted, 0.002);
    }

    // Little's law on the queue: mean messages stored (waiting + in flight) = throughput ×
    // mean time from send to delete. The mapping held at 2 concurrent invocations of
    // exponential 30 ms with Poisson arrivals at 50/s is an M/M/2 queue (ρ = 0.75): mean
    // time in system W = 1/μ + C(2, a)/(2μ − λ) = 68.6 ms.
    void littlesLaw()
    {
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"), component("q", "queue"),
               component("fn", "function",
                         {{"duration", exponentialDistribution(30)},
                          {"cold_start", constantDistribution(0)}})}},
             {"connections",
              {connection("p", "q", "send"),
               eventSource("q", "fn", 1, {{"ScalingConfig", {{"MaximumConcurrency", 2}}}})}},
             {"traffic", traffic({{"kind", "poisson"}, {"rate", 50}})},
             {"simulation", simulation(400)}});
        const auto run = runDesign(design);
        const auto& q = result(run.results, "q");
        const double seconds = 400;
        const double throughput = q.completed / seconds;
        const double stored = q.backlog.mean + q.inFlight.mean;
        const double wait = q.latency.mean / 1000.0;
        EF_VERIFY_NEAR(stored, throughput * wait, 0.02);
        const double lambda = 50, mu = 1 / 0.030, a = lambda / mu, rho = a / 2;
        const double p0 = 1 / (1 + a + a * a / (2 * (1 - rho)));
        const double erlangC = a * a / (2 * (1 - rho)) * p0;
        EF_VERIFY_NEAR(wait, 1 / mu + erlangC / (2 * mu - lambda), 0.08);
        QCOMPARE(q.concurrency.max, 2.0);
    }

    // DelaySeconds hides a new message before its first receive.
    void delaySecondsHoldsNewMessages()
    {
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"), component("q", "queue", {}, {{"DelaySeconds", 5}}),
               component("fn", "function", functionSim(10))}},
             {"connections", {connection("p", "q", "send"), eventSource("q", "fn")}},
             {"traffic", traffic(poissonUntil(10, 20))},
             {"simulation", simulation(30)}});
        const auto run = runDesign(design);
        const auto& q = result(run.results, "q");
        QCOMPARE(q.completed, run.results.summary.requests);
        EF_VERIFY_NEAR(q.latency.mean, 5000.0 + 10.0, 0.001);
        EF_VERIFY_NEAR(q.latency.max, 5000.0 + 10.0, 0.02);
        QVERIFY(run.drained);
    }

    // An outage refuses every send and delivers nothing; afterwards the backlog drains.
    void outageRefusesSends()
    {
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"), component("q", "queue"),
               component("fn", "function", functionSim(10))}},
             {"connections", {connection("p", "q", "send"), eventSource("q", "fn")}},
             {"traffic", traffic({{"kind", "constant"}, {"rate", 10}})},
             {"faults", {{{"component", "q"}, {"kind", "outage"}, {"start_s", 10}, {"end_s", 20}}}},
             {"simulation", simulation(30.05)}});
        const auto run = runDesign(design);
        const auto& q = result(run.results, "q");
        QCOMPARE(q.failed, 100u);
        QCOMPARE(run.results.summary.failed, 100u);
        QCOMPARE(q.received, 200u);
        QCOMPARE(q.completed, 200u);
    }

    // Poison messages (the function's sim.fail_pattern) in batches of up to 10, with
    // maxReceiveCount 3. One poison record fails its whole batch: the good records return with
    // it and, received together again, go to the DLQ with it. With ReportBatchItemFailures the
    // function names the poison record and only it returns: the DLQ gets exactly the poison
    // messages, each received 3 times, and every good message is deleted on its first receive.
    // From a FIFO queue the function stops at the poison record and names it and the records
    // after it, which return too, in order: they share the poison's receives, so those received
    // with it every time reach maxReceiveCount and follow it into the DLQ. Meanwhile the poison
    // holds up its message group for two visibility timeouts, so it is rarer here.
    void poisonMessagesInBatches_data()
    {
        QTest::addColumn<bool>("fifo");
        QTest::addColumn<bool>("itemFailures");
        QTest::addColumn<double>("poisonRate");
        QTest::newRow("standard, whole batch fails") << false << false << 2.0;
        QTest::newRow("standard, ReportBatchItemFailures") << false << true << 2.0;
        QTest::newRow("FIFO, ReportBatchItemFailures") << true << true << 0.2;
    }
    void poisonMessagesInBatches()
    {
        QFETCH(bool, fifo);
        QFETCH(bool, itemFailures);
        QFETCH(double, poisonRate);
        const int maxReceiveCount = 3;
        json queueProps = {{"VisibilityTimeout", 5},
                           {"RedrivePolicy", {{"maxReceiveCount", maxReceiveCount}}}};
        json dlqProps = json::object();
        if (fifo)
            queueProps["FifoQueue"] = dlqProps["FifoQueue"] = true;
        json fnSim = functionSim(10);
        fnSim["fail_pattern"] = {{"detail", {{"malformed", {true}}}}};
        // FIFO mappings take no batching window; their batches are what a group has waiting.
        json mapping = {{"MaximumBatchingWindowInSeconds", fifo ? 0 : 1}};
        if (itemFailures)
            mapping["FunctionResponseTypes"] = {"ReportBatchItemFailures"};
        auto events = [](const char* producer, double rate, bool malformed) {
            return json{{"producer", producer},
                        {"profile", poissonUntil(rate, 30)},
                        {"events",
                         {{{"detail",
                            {{"customer", {{"oneOf", {"c0", "c1", "c2", "c3", "c4"}}}},
                             {"malformed", malformed}}}}}}};
        };
        const auto design = makeDesign(
            {{"components",
              {component("good", "producer"), component("bad", "producer"),
               component("q", "queue", {{"group_key", "detail.customer"}}, queueProps),
               component("fn", "function", fnSim, {{"Timeout", 1}}),
               component("dlq", "queue", {}, dlqProps)}},
             {"connections",
              {connection("good", "q", "send"), connection("bad", "q", "send"),
               eventSource("q", "fn", 10, mapping), connection("q", "dlq", "dead_letter")}},
             {"traffic", json::array({events("good", 45, false), events("bad", poisonRate, true)})},
             {"simulation", simulation(fifo ? 120 : 30 + 5 * maxReceiveCount + 10)}});
        sim::Engine engine(design);
        auto& queue = dynamic_cast<sim::QueueBehaviour&>(engine.behaviour(2));
        DeletionOrder order(engine);
        queue.setDeletionObserver(&order);
        engine.run();
        const auto r = engine.results();
        const auto& q = result(r, "q");
        const auto good = result(r, "good").received;
        const auto bad = result(r, "bad").received;
        QVERIFY(good > 1000 && bad > std::uint64_t(poisonRate * 30 / 2));
        QCOMPARE(q.received, good + bad);
        QCOMPARE(q.completed + q.deadLettered, good + bad);
        QCOMPARE(result(r, "dlq").received, q.deadLettered);
        const auto poisonReceives = bad * std::uint64_t(maxReceiveCount - 1);
        if (!itemFailures) {
            QVERIFY2(q.deadLettered > 3 * bad, qPrintable(QString::number(q.deadLettered)));
            QVERIFY(q.retried > 3 * poisonReceives);
            return;
        }
        QCOMPARE(result(r, "fn").failed, 0u); // item failures are no function errors
        if (fifo) {
            QVERIFY(q.deadLettered >= bad);
            QVERIFY(q.retried > poisonReceives);
            QCOMPARE(order.inversions, 0);
        } else {
            QCOMPARE(q.deadLettered, bad);
            QCOMPARE(q.completed, good);
            QCOMPARE(q.retried, poisonReceives);
        }
    }
};

QTEST_APPLESS_MAIN(TestQueueBehaviour)
#include "TestQueueBehaviour.moc"
