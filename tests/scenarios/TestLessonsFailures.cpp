// Workshop scenarios about failures: poison messages and the dead-letter queue, messages lost to
// the retention period, and reserved concurrency behind a queue and behind an API.

#include "ScenarioSupport.h"
#include "sim/QueueBehaviour.h"

#include <QtTest>
#include <cmath>

using namespace eventflow;
using namespace eventflow::test;

namespace {

/// Sum of a per-second metric over samples with from < t <= to: a count, at 1 s samples.
double sumOver(const sim::SimulationResults& results, const std::string& id,
               const std::string& metric, double from, double to)
{
    const auto& t = results.timeseries.t;
    const auto& series = results.timeseries.components.at(id).at(metric);
    double sum = 0;
    for (std::size_t i = 0; i < t.size(); ++i)
        if (t[i] > from && t[i] <= to)
            sum += series[i] * results.timeseries.intervalSeconds;
    return sum;
}

/// The first sample time after `from` at which the metric is 0, or -1.
double firstZeroAfter(const sim::SimulationResults& results, const std::string& id,
                      const std::string& metric, double from)
{
    const auto& t = results.timeseries.t;
    const auto& series = results.timeseries.components.at(id).at(metric);
    for (std::size_t i = 0; i < t.size(); ++i)
        if (t[i] > from && series[i] == 0.0)
            return t[i];
    return -1;
}

/// Counts the messages a queue deletes, by their event's detail.malformed.
class MalformedCount : public sim::QueueBehaviour::DeletionObserver {
public:
    explicit MalformedCount(sim::Engine& engine) : m_engine(engine) {}
    void onDeleted(sim::MessageId message) override
    {
        const auto& detail = m_engine.eventDocument(message)["detail"];
        ++(detail.value("malformed", false) ? malformed : wellFormed);
    }
    std::uint64_t malformed = 0;
    std::uint64_t wellFormed = 0;

private:
    sim::Engine& m_engine;
};

sim::QueueBehaviour& queueBehaviour(sim::Engine& engine, const model::Design& design,
                                    const std::string& id)
{
    return dynamic_cast<sim::QueueBehaviour&>(
        engine.behaviour(static_cast<sim::ComponentIndex>(design.indexOf(id))));
}

/// |measured - expected| <= tolerance x expected, printing both when it fails.
#define LESSON_VERIFY_NEAR(measured, expected, tolerance)                                          \
    do {                                                                                           \
        const double lesson_m = double(measured);                                                  \
        const double lesson_e = double(expected);                                                  \
        QVERIFY2(std::abs(lesson_m - lesson_e) <= (tolerance)*std::abs(lesson_e),                  \
                 qPrintable(QString("%1 = %2, expected %3 within %4%")                             \
                                .arg(#measured)                                                    \
                                .arg(lesson_m, 0, 'g', 8)                                          \
                                .arg(lesson_e, 0, 'g', 8)                                          \
                                .arg(100.0 * (tolerance))));                                       \
    } while (false)

} // namespace

class TestLessonsFailures : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void poisonMessagesEndInTheDeadLetterQueue();
    void wholeBatchFailureTakesGoodMessagesAlong();
    void retentionDeletesWhatOutlivesTheOutage();
    void reservedConcurrencyBehindAQueueDelays();
    void reservedConcurrencyBehindAnApiThrottles();
};

// poison-messages: 2% of the orders (detail.malformed true) fail in the function every time.
// With ReportBatchItemFailures only the poison record of a batch returns to the queue; after
// maxReceiveCount (3) receives, the receive that would be the 4th moves it to the DLQ, three
// visibility timeouts (90 s) after it was sent. A consumer attached to the DLQ here only to
// look inside it shows the DLQ holds the poison messages and nothing else.
void TestLessonsFailures::poisonMessagesEndInTheDeadLetterQueue()
{
    const auto plain = simulateExample("poison-messages");
    const auto& queue = componentResult(plain, "orders-queue");
    const auto& dlq = componentResult(plain, "orders-dlq");
    const auto sent = queue.received;
    QVERIFY2(sent > 19000, qPrintable(QString::number(sent)));
    // Every message is deleted after processing or moved; none is left in flight, none expires.
    QCOMPARE(queue.completed + queue.deadLettered, sent);
    QCOMPARE(plain.summary.inFlight, 0u);
    QCOMPARE(queue.expired, 0u);
    QCOMPARE(dlq.received, queue.deadLettered);
    // About 2% of the traffic by weight: within 4 binomial standard deviations.
    const double share = 0.02;
    const double sigma = std::sqrt(double(sent) * share * (1 - share));
    QVERIFY2(std::abs(double(queue.deadLettered) - share * double(sent)) < 4 * sigma,
             qPrintable(QString("%1 dead-lettered of %2 sent").arg(queue.deadLettered).arg(sent)));
    // Receives: a good message once, a poison message maxReceiveCount = 3 times.
    QCOMPARE(queue.received + queue.retried, queue.completed + 3 * queue.deadLettered);
    QCOMPARE(componentResult(plain, "order-worker").failed, 0u); // item failures, no errors
    // Three visibility timeouts of 30 s from send to the DLQ.
    LESSON_VERIFY_NEAR(plain.latencyAll.max / 1000.0, 3 * 30.0, 0.01);
    // The DLQ's backlog grows by the poison rate, 2% of 100/s, once the first poison has served
    // its 90 s; the orders queue meanwhile holds almost nothing visible.
    const double growth = (valueAt(plain, "orders-dlq", "backlog", 250) -
                           valueAt(plain, "orders-dlq", "backlog", 110)) /
                          140.0;
    LESSON_VERIFY_NEAR(growth, share * 100.0, 0.15);
    const double waiting = maxOver(plain, "orders-queue", "backlog", 0, 300);
    QVERIFY2(waiting <= 20, qPrintable(QString::number(waiting)));

    // Look inside: drain the DLQ with a consumer that succeeds, and sort what each queue deletes.
    auto design = loadExample("poison-messages");
    model::Component drain;
    drain.id = "dlq-drain";
    drain.type = model::ComponentType::Function;
    drain.sim = {{"duration", {{"dist", "constant"}, {"value", 1}}}};
    design.components.push_back(drain);
    model::Connection drainLink;
    drainLink.from = "orders-dlq";
    drainLink.to = "dlq-drain";
    drainLink.kind = model::ConnectionKind::EventSource;
    design.connections.push_back(drainLink);
    sim::Engine engine(design);
    MalformedCount processed(engine);
    MalformedCount deadLettered(engine);
    queueBehaviour(engine, design, "orders-queue").setDeletionObserver(&processed);
    queueBehaviour(engine, design, "orders-dlq").setDeletionObserver(&deadLettered);
    QVERIFY(engine.run() == sim::RunStatus::Finished);
    QCOMPARE(processed.malformed, 0u);
    QCOMPARE(deadLettered.wellFormed, 0u);
    QCOMPARE(deadLettered.malformed, queue.deadLettered);
    QCOMPARE(processed.wellFormed, queue.completed);
}

// The same design without ReportBatchItemFailures: a poison record fails its whole batch of up to
// 10, the good records return with it, are received with it again and reach maxReceiveCount
// together: good orders end in the DLQ (AWS: the whole batch returns to the queue).
void TestLessonsFailures::wholeBatchFailureTakesGoodMessagesAlong()
{
    const auto partial = simulateExample("poison-messages");
    auto design = loadExample("poison-messages");
    for (auto& connection : design.connections)
        if (connection.kind == model::ConnectionKind::EventSource)
            connection.props.erase("FunctionResponseTypes");
    const auto whole = simulate(design);
    const auto poison = componentResult(partial, "orders-queue").deadLettered;
    const auto& queue = componentResult(whole, "orders-queue");
    QCOMPARE(queue.received, componentResult(partial, "orders-queue").received);
    QCOMPARE(queue.completed + queue.deadLettered, queue.received);
    const auto goodInDlq = queue.deadLettered - poison;
    QVERIFY2(goodInDlq > 3 * poison,
             qPrintable(
                 QString("%1 good orders in the DLQ beside %2 poison").arg(goodInDlq).arg(poison)));
    QVERIFY(componentResult(whole, "order-worker").failed > poison);
    qInfo("whole-batch failure: %llu good orders follow %llu poison messages into the DLQ",
          static_cast<unsigned long long>(goodInDlq), static_cast<unsigned long long>(poison));
}

// retention-loss: 20 updates/s, the consumer fails every receive from 60 s to 240 s (D = 180 s),
// retention R = 60 s, visibility timeout V = 18 s. A failed message comes back every 18 s, at
// ages 18, 36 and 54 s; its next chance (72 s) is past the retention. So after the recovery at
// 240 s a message is processed only if it is at most 54 s old, and everything sent during the
// outage before that is deleted unprocessed: 20 x (180 - 54) = 2,520 = 20 x (D - R) = 2,400 plus
// 20 x (60 - 54) = 120 whose next try came too late.
void TestLessonsFailures::retentionDeletesWhatOutlivesTheOutage()
{
    const auto r = simulateExample("retention-loss");
    const auto& queue = componentResult(r, "prices-queue");
    const double rate = 20, outage = 180, retention = 60, visibility = 18;
    const double lastChance = visibility * std::floor(retention / visibility); // 54 s
    QCOMPARE(queue.received, 6000u);
    LESSON_VERIFY_NEAR(queue.expired, rate * (outage - lastChance), 0.01);
    QVERIFY(queue.expired >= rate * (outage - retention));
    QCOMPARE(r.summary.expired, queue.expired);
    // Nothing reached the DLQ: at most 4 receives before expiry, maxReceiveCount is 10.
    QCOMPARE(componentResult(r, "prices-dlq").received, 0u);
    QCOMPARE(queue.deadLettered, 0u);
    // Everything else is processed, rescued messages up to 54 s old.
    QCOMPARE(queue.completed + queue.expired + r.summary.inFlight, queue.received);
    QVERIFY2(queue.latency.max / 1000.0 > lastChance - 1 && queue.latency.max / 1000.0 < retention,
             qPrintable(QString::number(queue.latency.max)));
    // After the recovery: the 54 s of rescued updates plus the 60 s of new ones.
    LESSON_VERIFY_NEAR(sumOver(r, "prices-queue", "throughput_per_s", 240, 300),
                       rate * (lastChance + 60), 0.01);
    // During the outage nothing is processed and no message gets older than the retention.
    QCOMPARE(sumOver(r, "prices-queue", "throughput_per_s", 62, 240), 0.0);
    QVERIFY(queue.oldestAgeMaxSeconds <= retention);
    QVERIFY(queue.oldestAgeMaxSeconds > retention - 1);
}

// lambda-concurrency-queue: reserved concurrency 10, 200 ms per invocation. Little's law: 10 in
// service for 0.2 s each gives a capacity of 10 / 0.2 = 50/s. A burst of 150/s for 30 s over a
// 10/s base leaves (150 - 50) x 30 = 3,000 waiting at its end, drained at 50 - 10 = 40/s in
// 75 s; the last message of the burst waits for the 3,000 ahead of it, 3,000 / 50 = 60 s.
void TestLessonsFailures::reservedConcurrencyBehindAQueueDelays()
{
    const auto r = simulateExample("lambda-concurrency-queue");
    const double capacity = 10 / 0.2, base = 10, burst = 30;
    const double arrived = sumOver(r, "clients", "received_per_s", 60, 90);
    LESSON_VERIFY_NEAR(arrived, 150 * burst, 0.05);
    const double excess = arrived - capacity * burst;
    const double peak = maxOver(r, "reports-queue", "backlog", 60, 240);
    LESSON_VERIFY_NEAR(peak, excess, 0.03);
    LESSON_VERIFY_NEAR(peak, (150 - capacity) * burst, 0.05);
    LESSON_VERIFY_NEAR(meanOver(r, "report-builder", "throughput_per_s", 61, 90), capacity, 0.02);
    QCOMPARE(maxOver(r, "report-builder", "concurrency", 0, 240), 10.0);
    const double empty = firstZeroAfter(r, "reports-queue", "backlog", 90);
    LESSON_VERIFY_NEAR(empty - 90, excess / (capacity - base), 0.05);
    LESSON_VERIFY_NEAR(componentResult(r, "reports-queue").oldestAgeMaxSeconds, excess / capacity,
                       0.05);
    // Nothing is throttled or lost; the DLQ stays empty.
    QCOMPARE(r.summary.completed, r.summary.requests);
    QCOMPARE(componentResult(r, "report-builder").throttled, 0u);
    QCOMPARE(componentResult(r, "reports-dlq").received, 0u);
}

// lambda-concurrency-api: the same function and burst behind API Gateway. There is nowhere to
// wait: Lambda throttles what finds the 10 executions busy (429), API Gateway answers the client
// with an error, and the excess (150 - 50) x 30 = 3,000 is lost instead of delayed: about what
// the queue held at its peak. (Erlang's loss formula: 150/s x 0.2 s = 30 busy wanted, 10 there.)
void TestLessonsFailures::reservedConcurrencyBehindAnApiThrottles()
{
    const auto r = simulateExample("lambda-concurrency-api");
    const double capacity = 10 / 0.2, burst = 30;
    const auto& function = componentResult(r, "report-builder");
    const double arrived = sumOver(r, "clients", "received_per_s", 60, 90);
    const double excess = arrived - capacity * burst;
    LESSON_VERIFY_NEAR(function.throttled, excess, 0.03);
    LESSON_VERIFY_NEAR(function.throttled, (150 - capacity) * burst, 0.05);
    // Throttles come with the burst. Outside it the base load, 10/s x 0.2 s = 2 busy of 10, is
    // throttled only when Poisson arrivals happen to bunch up: Erlang B(10, 2) = 4e-5 of ~2,100.
    const double outside =
        double(function.throttled) - sumOver(r, "report-builder", "throttles_per_s", 60, 91);
    QVERIFY2(outside <= 2, qPrintable(QString::number(outside)));
    // The clients see every throttle as an error.
    QCOMPARE(componentResult(r, "clients").failed, function.throttled);
    QCOMPARE(componentResult(r, "reports-api").throttled, function.throttled);
    QCOMPARE(r.summary.completed + function.throttled, r.summary.requests);
    QCOMPARE(maxOver(r, "report-builder", "concurrency", 0, 240), 10.0);
    LESSON_VERIFY_NEAR(meanOver(r, "report-builder", "throughput_per_s", 61, 90), capacity, 0.05);
    // What the API loses, the queue keeps for later (the same clients and seed).
    const auto queued = simulateExample("lambda-concurrency-queue");
    LESSON_VERIFY_NEAR(maxOver(queued, "reports-queue", "backlog", 60, 240), function.throttled,
                       0.05);
}

QTEST_GUILESS_MAIN(TestLessonsFailures)
#include "TestLessonsFailures.moc"
