// Workshop lessons about load: a hot Kinesis shard and its fix, a cascading failure through a
// synchronous call chain and its bulkhead, and a traffic spike against a synchronous and a
// buffered design. Each test simulates the example and checks what its lesson promises against
// queueing arithmetic or documented AWS limits.

#include "ScenarioSupport.h"

#include "sim/StreamBehaviour.h"

#include <QtTest>
#include <string>
#include <vector>

using namespace eventflow;
using namespace eventflow::test;

namespace {

/// Requests a producer sent in (from, to] that came back successful, as a share of all that
/// came back then; the producer counts each answer when it arrives.
double successShare(const sim::SimulationResults& results, const std::string& producer, double from,
                    double to)
{
    const double ok = meanOver(results, producer, "throughput_per_s", from, to);
    const double errors = meanOver(results, producer, "errors_per_s", from, to);
    const double throttles = meanOver(results, producer, "throttles_per_s", from, to);
    return ok / (ok + errors + throttles);
}

/// The sum of a per-second metric over samples with from < t <= to (1 s samples).
double totalOver(const sim::SimulationResults& results, const std::string& id,
                 const std::string& metric, double from, double to)
{
    return meanOver(results, id, metric, from, to) * (to - from);
}

} // namespace

class TestLessonsLoad : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // Kinesis takes at most 1,000 records/s per shard. The tenant key sends every Globex record
    // (70% of 2,000/s = 1,400/s) to one shard, together with the other tenants whose key hashes
    // there; everything that shard is offered above 1,000/s is throttled. The indexer reads a
    // shard one batch of 100 at a time, each batch ~123 ms of work plus ~21 ms until the next
    // poll: about 100 / 0.144 s ≈ 700 records/s, less than the 1,000/s the hot shard takes in,
    // so the oldest unprocessed record ages by about 1 − 700/1,000 = 0.3 s every second.
    void kinesisHotShardThrottlesAndFallsBehind()
    {
        const auto design = loadExample("kinesis-hot-shard");
        const auto results = simulate(design);

        const std::vector<std::string> others = {"initech", "umbrella", "hooli", "stark",
                                                 "wayne",   "wonka",    "acme",  "cyberdyne",
                                                 "tyrell",  "soylent"};
        const std::size_t hot = sim::StreamBehaviour::shardForKey("globex", 2);
        int sharing = 0;
        for (const auto& tenant : others)
            sharing += sim::StreamBehaviour::shardForKey(tenant, 2) == hot ? 1 : 0;
        const double offered = 2000.0 * (0.7 + 0.3 * sharing / double(others.size()));
        QVERIFY2(offered > 1000.0, "the hot shard must be offered more than it can take");

        const double throttles = meanOver(results, "activity", "throttles_per_s", 5, 120);
        QVERIFY2(std::abs(throttles - (offered - 1000.0)) < 0.05 * (offered - 1000.0),
                 qPrintable(QString("throttled %1 writes/s; the hot shard is offered %2/s")
                                .arg(throttles)
                                .arg(offered)));
        // Every throttled write is a PutRecord the tenant apps see refused: the stream lost it.
        const auto& stream = componentResult(results, "activity");
        QCOMPARE(componentResult(results, "tenants").throttled, stream.throttled);
        QCOMPARE(componentResult(results, "skipped").received, 0u); // the indexer never fails

        const double ageAt60 = valueAt(results, "activity", "oldest_age_s", 60);
        const double ageAt120 = valueAt(results, "activity", "oldest_age_s", 120);
        const double growth = (ageAt120 - ageAt60) / 60.0;
        QVERIFY2(std::abs(growth - 0.3) < 0.05,
                 qPrintable(QString("iterator age grew %1 s per second (%2 s at 60 s, %3 s at "
                                    "120 s)")
                                .arg(growth)
                                .arg(ageAt60)
                                .arg(ageAt120)));
        QVERIFY2(ageAt120 > 30.0,
                 qPrintable(QString("iterator age %1 s at the end").arg(ageAt120)));
    }

    // Four shards and a device-id key with a million values: ~500 records/s per shard, half the
    // write limit (a Poisson second of 500 never reaches 1,000) and below the ~700/s the
    // indexer reads per shard, so nothing is throttled and no shard falls behind: the iterator
    // age stays within a poll and a batch.
    void kinesisSpreadKeysKeepUp()
    {
        const auto results = simulateExample("kinesis-spread-keys");
        const auto& stream = componentResult(results, "activity");
        QCOMPARE(stream.throttled, 0u);
        QVERIFY2(stream.received > 230000, qPrintable(QString::number(stream.received)));
        const double maxAge = maxOver(results, "activity", "oldest_age_s", 10, 120);
        QVERIFY2(maxAge < 0.5, qPrintable(QString("iterator age reached %1 s").arg(maxAge)));
        const double processed = meanOver(results, "activity", "throughput_per_s", 10, 120);
        QVERIFY2(std::abs(processed - 2000.0) < 60.0,
                 qPrintable(QString("indexed %1 records/s of 2,000/s").arg(processed)));
    }

    // Without a bulkhead each checkout holds a web worker for the 10 s payment call limit:
    // work offered per second = 30 checkouts × 10 s + 200 browses × ~0.028 s ≈ 305
    // worker-seconds, for 100 workers. The waiting line overflows and refusals hit both kinds
    // of request alike, so only about 100 / 305 ≈ a third of browse requests get served. The
    // catalog itself never fails.
    void cascadeChainTakesBrowsingDown()
    {
        const auto results = simulateExample("cascade-chain");
        const double before = successShare(results, "browsers", 10, 60);
        const double during = successShare(results, "browsers", 80, 150);
        const double after = successShare(results, "browsers", 190, 210);
        QVERIFY2(before > 0.999, qPrintable(QString("browse success %1 before").arg(before)));
        const double share = 100.0 / (30 * 10.0 + 200 * 0.028);
        QVERIFY2(during < 0.5 && std::abs(during - share) < 0.06,
                 qPrintable(QString("browse success %1 during the slowdown; %2 expected")
                                .arg(during)
                                .arg(share)));
        QVERIFY2(after > 0.999, qPrintable(QString("browse success %1 after").arg(after)));
        const auto& catalog = componentResult(results, "catalog");
        QCOMPARE(catalog.failed + catalog.throttled + catalog.timedOut, 0u);
        QVERIFY(successShare(results, "buyers", 80, 150) < 0.5);
        // The web workers are all busy during the slowdown.
        QVERIFY(meanOver(results, "web", "concurrency", 80, 150) > 99.0);
    }

    // The bulkhead allows 20 open payment calls; each is held 10 s, so 20 / 10 s = 2 checkouts
    // a second reach payments (and time out), the other ~28 a second fail fast without a call,
    // and about 20 + browsing's ~6 of the 100 workers are busy: browsing is untouched.
    void cascadeBulkheadKeepsBrowsing()
    {
        const auto results = simulateExample("cascade-bulkhead");
        const double during = successShare(results, "browsers", 60, 150);
        QVERIFY2(during > 0.999,
                 qPrintable(QString("browse success %1 during the slowdown").arg(during)));

        const double reaching = meanOver(results, "payments", "received_per_s", 80, 150);
        QVERIFY2(std::abs(reaching - 2.0) < 0.3,
                 qPrintable(QString("%1 payment calls/s during the slowdown").arg(reaching)));
        const double fastFailures = meanOver(results, "web", "errors_per_s", 80, 150) -
                                    reaching; // timed-out calls count as errors too
        QVERIFY2(std::abs(fastFailures - 28.0) < 2.0,
                 qPrintable(QString("%1 checkouts/s failed fast").arg(fastFailures)));
        QVERIFY2(maxOver(results, "web", "concurrency", 60, 150) < 40.0,
                 qPrintable(QString("%1 web workers busy at most")
                                .arg(maxOver(results, "web", "concurrency", 60, 150))));
        // Failing fast, by Little's law: checkouts waiting = 2/s × 10 s in the bulkhead + 28/s ×
        // the time a refused checkout takes. About 20 waiting means refusals take milliseconds.
        const double waiting = meanOver(results, "buyers", "in_flight", 80, 150);
        QVERIFY2(waiting < 21.0,
                 qPrintable(QString("%1 checkouts waiting for an answer").arg(waiting)));
        QVERIFY(successShare(results, "buyers", 80, 150) < 0.05);
        QVERIFY(successShare(results, "buyers", 190, 210) > 0.999);
    }

    // 40 workers × 1 / (96 ms + 4 ms) = 400 orders/s. The spike offers 1,000/s for 60 s, so the
    // 200-place waiting line fills at once and about 600/s are refused: (1,000 − 400) × 60 ≈
    // 36,000 orders. Before and after, the service keeps up and refuses nothing.
    void spikeSyncShedsTheExcess()
    {
        const auto results = simulateExample("spike-sync");
        const auto& service = componentResult(results, "order-service");
        const double refused = totalOver(results, "order-service", "throttles_per_s", 30, 91);
        QVERIFY2(std::abs(refused - 36000.0) < 0.03 * 36000.0,
                 qPrintable(QString("%1 orders refused during the spike").arg(refused)));
        QCOMPARE(double(service.throttled), refused);
        const double served = meanOver(results, "order-service", "throughput_per_s", 35, 90);
        QVERIFY2(std::abs(served - 400.0) < 8.0,
                 qPrintable(QString("served %1 orders/s during the spike").arg(served)));
        // Each refusal reaches the shopper as an error from the API, and nothing else fails.
        QCOMPARE(componentResult(results, "shoppers").failed, service.throttled);
        QCOMPARE(results.summary.failed, service.throttled);
        QCOMPARE(results.summary.throttled + results.summary.timedOut, 0ull);
        QCOMPARE(maxOver(results, "order-service", "throttles_per_s", 92, 240), 0.0);
        // 200 waiting at 400/s: half a second in line at most, plus the 100 ms of work.
        QVERIFY2(service.latency.max < 650.0,
                 qPrintable(QString("longest wait %1 ms").arg(service.latency.max)));
    }

    // The writer: 4 invocations at once × 10 orders per ~100 ms batch (60 ms + 10 writes × 4 ms)
    // = 400 orders/s. During the spike the backlog grows by 1,000 − 400 = 600/s to ~36,000;
    // afterwards it drains at 400 − 100 = 300/s, so it is empty ~36,000 / 300 = 120 s after the
    // spike, at ~210 s. Nothing is refused, lost or dead-lettered.
    void spikeBufferedKeepsEverything()
    {
        const auto results = simulateExample("spike-buffered");
        const auto& summary = results.summary;
        QCOMPARE(summary.throttled + summary.failed + summary.timedOut + summary.deadLettered +
                     summary.expired,
                 0ull);
        QCOMPARE(componentResult(results, "orders-dlq").received, 0u);

        const double peak = maxOver(results, "orders-queue", "backlog", 30, 240);
        QVERIFY2(std::abs(peak - 36000.0) < 0.03 * 36000.0,
                 qPrintable(QString("backlog peaked at %1").arg(peak)));
        const double atPeak = valueAt(results, "orders-queue", "backlog", 90);
        const double later = valueAt(results, "orders-queue", "backlog", 150);
        const double drain = (atPeak - later) / 60.0;
        QVERIFY2(std::abs(drain - 300.0) < 10.0,
                 qPrintable(QString("drained %1 messages/s").arg(drain)));
        double emptyAt = 0;
        const auto& t = results.timeseries.t;
        const auto& backlog = results.timeseries.components.at("orders-queue").at("backlog");
        for (std::size_t i = 0; i < t.size(); ++i)
            if (t[i] > 90 && backlog[i] < 50 && emptyAt == 0)
                emptyAt = t[i];
        QVERIFY2(emptyAt > 200 && emptyAt < 220,
                 qPrintable(QString("backlog empty at %1 s").arg(emptyAt)));
        const double written = meanOver(results, "order-writer", "throughput_per_s", 40, 200);
        QVERIFY2(written > 35.0 && written < 45.0,
                 qPrintable(QString("%1 invocations/s of 10 orders").arg(written)));
    }
};

QTEST_GUILESS_MAIN(TestLessonsLoad)
#include "TestLessonsLoad.moc"
