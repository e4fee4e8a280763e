#include "SimTestDesign.h"
#include "sim/StreamBehaviour.h"

#include <QtTest>
#include <cmath>

using namespace eventflow;
using namespace eventflow::sim;
using namespace eventflow::test;
using nlohmann::json;

Q_DECLARE_METATYPE(nlohmann::json)

namespace {

StreamBehaviour& streamOf(Engine& engine, const model::Design& design, const char* id = "s")
{
    auto* stream = dynamic_cast<StreamBehaviour*>(
        &engine.behaviour(static_cast<ComponentIndex>(design.indexOf(id))));
    if (!stream)
        qFatal("%s is not a stream", id);
    return *stream;
}

/// Two partition keys that land on different shards of a 2-shard stream.
std::pair<std::string, std::string> keysOnDifferentShards()
{
    const std::string first = "customer-0";
    for (int i = 1; i < 100; ++i) {
        const std::string other = "customer-" + std::to_string(i);
        if (StreamBehaviour::shardForKey(other, 2) != StreamBehaviour::shardForKey(first, 2))
            return {first, other};
    }
    qFatal("no two keys on different shards");
}

json keyedEvent(const std::string& key)
{
    return {{"source", "app"}, {"detail-type", "Record"}, {"detail", {{"k", key}}}};
}

/// A function that runs `durationMs` with no cold start.
json quickFunction(const std::string& id, double durationMs, double timeoutS = 3)
{
    return component(
        id, "function",
        {{"duration", constantDistribution(durationMs)}, {"cold_start", constantDistribution(0)}},
        {{"Timeout", timeoutS}});
}

} // namespace

class TestStreamBehaviour : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // Per-shard write limits: 1,000 records/s and 1 MiB/s. Beyond them PutRecord is throttled
    // (ProvisionedThroughputExceeded); with random keys two shards absorb 1,500 records/s.
    void shardWriteLimits_data()
    {
        QTest::addColumn<int>("shards");
        QTest::addColumn<double>("rate");
        QTest::addColumn<double>("sizeBytes");
        QTest::addColumn<double>("expectedThrottled");
        // 1/1500 s rounds to 667 µs: 1,499.25 records per second, 499.25 over the limit.
        QTest::newRow("1 shard, 1,500/s") << 1 << 1500.0 << 1024.0 << 4992.5;
        QTest::newRow("2 shards, 1,500/s") << 2 << 1500.0 << 1024.0 << 0.0;
        // 2 KiB records: 1 MiB/s admits 512 a second; 599.88/s offered.
        QTest::newRow("1 shard, 600/s of 2 KiB") << 1 << 600.0 << 2048.0 << 878.8;
    }
    void shardWriteLimits()
    {
        QFETCH(int, shards);
        QFETCH(double, rate);
        QFETCH(double, sizeBytes);
        QFETCH(double, expectedThrottled);
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"), component("s", "stream", {}, {{"ShardCount", shards}})}},
             {"connections", {connection("p", "s", "send")}},
             {"traffic",
              {{{"producer", "p"},
                {"profile", {{"kind", "constant"}, {"rate", rate}}},
                {"events", {{{"size_bytes", sizeBytes}}}}}}},
             {"simulation", simulation(10)}});
        const auto r = runDesign(design).results;
        const auto& s = result(r, "s");
        if (expectedThrottled == 0)
            QCOMPARE(s.throttled, 0u);
        else
            EF_VERIFY_NEAR(s.throttled, expectedThrottled, 0.01);
        QCOMPARE(r.summary.throttled, s.throttled);
        // Without consumers accepted records stay in the stream (24 h retention).
        QCOMPARE(s.backlog.final, double(s.received - s.throttled));
    }

    // A hot partition key: all its records go to one shard, which is throttled while the
    // shards taking the random keys are not.
    void hotPartitionKeyThrottlesOneShard()
    {
        const auto design = makeDesign(
            {{"components",
              {component("hot", "producer"), component("rest", "producer"),
               component("s", "stream", {{"partition_key", "detail.customer"}},
                         {{"ShardCount", 4}})}},
             {"connections", {connection("hot", "s", "send"), connection("rest", "s", "send")}},
             {"traffic",
              {{{"producer", "hot"},
                {"profile", {{"kind", "constant"}, {"rate", 1200}}},
                {"events", {{{"detail", {{"customer", "hot"}}}}}}},
               {{"producer", "rest"},
                {"profile", {{"kind", "constant"}, {"rate", 600}}},
                {"events",
                 {{{"detail",
                    {{"customer", {{"dist", "uniform"}, {"min", 0}, {"max", 1e9}}}}}}}}}}},
             {"simulation", simulation(5)}});
        Engine engine(design);
        engine.run();
        const auto& stream = streamOf(engine, design);
        const std::size_t hotShard = StreamBehaviour::shardForKey("hot", 4);
        for (std::size_t i = 0; i < 4; ++i) {
            const auto view = stream.shard(i);
            if (i == hotShard) {
                // 1,200/s of the hot key plus a quarter of 600/s random keys, against 1,000/s.
                EF_VERIFY_NEAR(view.throttled, (1200.5 + 150 - 1000) * 5, 0.05);
            } else {
                QCOMPARE(view.throttled, 0u);
                EF_VERIFY_NEAR(view.written, 150 * 5, 0.15);
            }
        }
    }

    // An idle shard is polled about once a second: a lone record waits half a second on
    // average before its batch, and the iterator age stays under about a second.
    void idleShardIsPolledOncePerSecond()
    {
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"), component("s", "stream"), quickFunction("f", 10)}},
             {"connections", {connection("p", "s", "send"), connection("s", "f", "event_source")}},
             {"traffic", traffic(poissonUntil(10, 60))},
             {"simulation", simulation(62)}});
        const auto run = runDesign(design);
        const auto& s = result(run.results, "s");
        QCOMPARE(s.completed, s.received);
        QVERIFY(run.drained);
        // Write → processed: uniform wait for the next poll (mean 0.5 s) plus 10 ms.
        EF_VERIFY_NEAR(s.latency.mean, 510, 0.1);
        QVERIFY(s.latency.max < 1050);
        QVERIFY(s.oldestAgeMaxSeconds < 1.05);
        // About one batch per poll: ~10 records each.
        const double perBatch = double(s.completed) / double(result(run.results, "f").completed);
        QVERIFY2(perBatch > 7 && perBatch < 13, qPrintable(QString::number(perBatch)));
    }

    // BatchSize defaults to 100 on a stream mapping (10 is the queue default): a backlogged
    // shard hands the function 100 records per invocation, or BatchSize when set.
    void batchSizeDefaultsToOneHundredForStreams_data()
    {
        QTest::addColumn<json>("mappingProps");
        QTest::addColumn<int>("batchSize");
        QTest::newRow("unset") << json::object() << 100;
        QTest::newRow("BatchSize 10") << json{{"BatchSize", 10}} << 10;
    }
    void batchSizeDefaultsToOneHundredForStreams()
    {
        QFETCH(json, mappingProps);
        QFETCH(int, batchSize);
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"), component("s", "stream"), quickFunction("f", 500)}},
             {"connections",
              {connection("p", "s", "send"),
               connection("s", "f", "event_source", {}, mappingProps)}},
             {"traffic", traffic({{"kind", "constant"}, {"rate", 400}})},
             {"simulation", simulation(6)}});
        const auto r = runDesign(design).results;
        const double records = double(result(r, "s").completed);
        const double batches = double(result(r, "f").completed);
        QVERIFY(batches >= 8);
        // One batch at a time per shard, each taking 500 ms and a full batch — but the first,
        // taken at the first idle poll, which may find fewer records.
        QVERIFY2(records > (batches - 1) * batchSize && records <= batches * batchSize,
                 qPrintable(QString("%1 records in %2 batches").arg(records).arg(batches)));
        EF_VERIFY_NEAR(result(r, "s").backlog.final, 400 * 6 - records, 0.02);
    }

    // ParallelizationFactor: concurrent batches per shard, but records of one partition key
    // stay in one lane (in order). 20 records/s against a 200 ms function with BatchSize 1:
    // one lane does 5/s; five lanes keep up with random keys, not with a single key.
    void parallelizationFactorKeepsOrderPerKey_data()
    {
        QTest::addColumn<int>("parallelization");
        QTest::addColumn<QString>("partitionKey");
        QTest::addColumn<double>("expectedShare"); // processed / written
        QTest::newRow("PF 1") << 1 << "" << 0.25;
        QTest::newRow("PF 5, random keys") << 5 << "" << 1.0;
        QTest::newRow("PF 5, one key") << 5 << "detail.k" << 0.25;
    }
    void parallelizationFactorKeepsOrderPerKey()
    {
        QFETCH(int, parallelization);
        QFETCH(QString, partitionKey);
        QFETCH(double, expectedShare);
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"),
               component("s", "stream", {{"partition_key", partitionKey.toStdString()}}),
               quickFunction("f", 200)}},
             {"connections",
              {connection("p", "s", "send"),
               connection("s", "f", "event_source", {{"poll_latency", constantDistribution(0)}},
                          {{"BatchSize", 1}, {"ParallelizationFactor", parallelization}})}},
             {"traffic",
              {{{"producer", "p"},
                {"profile", {{"kind", "constant"}, {"rate", 20}}},
                {"events", {keyedEvent("only")}}}}},
             {"simulation", simulation(30)}});
        const auto r = runDesign(design).results;
        const double share = double(result(r, "s").completed) / double(result(r, "s").received);
        EF_VERIFY_NEAR(share, expectedShare, 0.08);
        QVERIFY(result(r, "f").concurrency.max <= parallelization);
    }

    // Records are processed in order per shard, so a failing batch blocks its shard. Here a
    // burst of ~100 records makes the hot shard's batch too long for the function's 1 s
    // timeout (40 ms of downstream work per record): the batch fails again and again, nothing
    // behind it is processed and the shard's backlog grows, while the other shard drains.
    // BisectBatchOnFunctionError splits the batch until the halves fit; MaximumRetryAttempts
    // gives the batch up to the function's on-failure destination.
    void failingBatchBlocksItsShard_data()
    {
        QTest::addColumn<json>("mappingProps");
        QTest::addColumn<bool>("blocked");
        QTest::addColumn<bool>("deadLettered");
        QTest::newRow("retry forever") << json::object() << true << false;
        QTest::newRow("bisect") << json{{"BisectBatchOnFunctionError", true}} << false << false;
        QTest::newRow("2 retries, on-failure queue")
            << json{{"MaximumRetryAttempts", 2}} << false << true;
    }
    void failingBatchBlocksItsShard()
    {
        QFETCH(json, mappingProps);
        QFETCH(bool, blocked);
        QFETCH(bool, deadLettered);
        const auto [hotKey, coldKey] = keysOnDifferentShards();
        const auto design = makeDesign(
            {{"components",
              {component("hot", "producer"), component("cold", "producer"),
               component("s", "stream", {{"partition_key", "detail.k"}}, {{"ShardCount", 2}}),
               quickFunction("f", 5, 1),
               component("svc", "service",
                         {{"duration", constantDistribution(40)}, {"workers", 100}}),
               component("failures", "queue")}},
             {"connections",
              {connection("hot", "s", "send"), connection("cold", "s", "send"),
               connection("s", "f", "event_source", {}, mappingProps),
               connection("f", "svc", "invoke"), connection("f", "failures", "on_failure")}},
             {"traffic",
              {{{"producer", "hot"},
                {"profile",
                 {{"kind", "spike"},
                  {"rate", 3},
                  {"peak_rate", 100},
                  {"start_s", 2},
                  {"end_s", 3}}},
                {"events", {keyedEvent(hotKey)}}},
               {{"producer", "cold"},
                {"profile", {{"kind", "constant"}, {"rate", 5}}},
                {"events", {keyedEvent(coldKey)}}}}},
             {"simulation", simulation(30)}});
        const std::size_t hot = StreamBehaviour::shardForKey(hotKey, 2);
        const std::size_t cold = 1 - hot;
        Engine engine(design);
        const auto& stream = streamOf(engine, design);
        auto processed = [&](std::size_t shard) {
            const auto view = stream.shard(shard);
            return view.written - view.unprocessed;
        };
        engine.runUntil(10 * kSecond);
        const auto hotAt10 = stream.shard(hot);
        const auto processedHotAt10 = processed(hot);
        engine.run();
        const auto r = engine.results();
        const auto hotAtEnd = stream.shard(hot);
        const auto coldAtEnd = stream.shard(cold);

        // The cold shard is never held up: at most a poll's worth is waiting.
        QVERIFY2(coldAtEnd.unprocessed <= 8, qPrintable(QString::number(coldAtEnd.unprocessed)));
        QVERIFY(coldAtEnd.written >= 150);
        if (blocked) {
            // Nothing on the hot shard got past the failing batch after 10 s; its backlog grows
            // by the 3 records/s still written to it.
            QCOMPARE(processed(hot), processedHotAt10);
            QVERIFY(hotAtEnd.unprocessed >= hotAt10.unprocessed + 40);
            QVERIFY(hotAtEnd.unprocessed >= 100);
            QVERIFY(result(r, "f").timedOut >= 20);
            QVERIFY(result(r, "s").retried >= 20);
            QVERIFY(r.components.size() > 0 && result(r, "s").oldestAgeMaxSeconds > 20);
        } else {
            QVERIFY2(hotAtEnd.unprocessed <= 10, qPrintable(QString::number(hotAtEnd.unprocessed)));
        }
        if (deadLettered) {
            // The stuck batch (the burst, ~100 records) went to the on-failure queue after
            // 1 + 2 attempts.
            QVERIFY(result(r, "s").deadLettered >= 60);
            QCOMPARE(result(r, "failures").received, result(r, "s").deadLettered);
        } else {
            QCOMPARE(result(r, "s").deadLettered, 0u);
            QCOMPARE(result(r, "s").failed, 0u);
        }
    }

    // MaximumBatchingWindowInSeconds: the mapping gathers records for up to the window before
    // invoking: 10 records/s with a 5 s window gives batches of ~50 every ~5 s.
    void batchingWindowGathersRecords()
    {
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"), component("s", "stream"), quickFunction("f", 10)}},
             {"connections",
              {connection("p", "s", "send"),
               connection("s", "f", "event_source", {}, {{"MaximumBatchingWindowInSeconds", 5}})}},
             {"traffic", traffic({{"kind", "constant"}, {"rate", 10}})},
             {"simulation", simulation(31)}});
        const auto r = runDesign(design).results;
        const double batches = double(result(r, "f").completed);
        QVERIFY2(batches >= 5 && batches <= 6, qPrintable(QString::number(batches)));
        const double perBatch = double(result(r, "s").completed) / batches;
        QVERIFY2(perBatch >= 45 && perBatch <= 60, qPrintable(QString::number(perBatch)));
        // A record waits for the window to close: 2.5 s on average, at most the window plus
        // the wait for the poll that opened it.
        QVERIFY2(result(r, "s").latency.mean > 2000 && result(r, "s").latency.mean < 3500,
                 qPrintable(QString::number(result(r, "s").latency.mean)));
        QVERIFY(result(r, "s").latency.max < 6100);
    }

    // Throttled invocations are retried without using up MaximumRetryAttempts (here 0), until
    // the records pass MaximumRecordAgeInSeconds (60 s): a function throttled throughout gives
    // up only records older than a minute, never the younger ones.
    void throttlesUseNoRetryAttempts()
    {
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"), component("s", "stream"), quickFunction("f", 10)}},
             {"connections",
              {connection("p", "s", "send"),
               connection("s", "f", "event_source", {},
                          {{"MaximumRetryAttempts", 0}, {"MaximumRecordAgeInSeconds", 60}})}},
             {"traffic", traffic({{"kind", "constant"}, {"rate", 1}})},
             {"faults",
              {{{"component", "f"},
                {"kind", "throttle"},
                {"value", 0},
                {"start_s", 0},
                {"end_s", 1000}}}},
             {"simulation", simulation(100)}});
        const auto r = runDesign(design).results;
        const auto& s = result(r, "s");
        QCOMPARE(s.received, 100u);
        QCOMPARE(s.completed, 0u);
        QVERIFY(result(r, "f").throttled > 0);
        // Only records written in the first 40 s can be past 60 s by the end.
        QVERIFY2(s.failed >= 20 && s.failed <= 40, qPrintable(QString::number(s.failed)));
        QCOMPARE(double(s.failed) + s.backlog.final, 100.0);
        // Backoff 1, 2, 4 … 60 s: a handful of retries per minute, not one per poll.
        QVERIFY2(s.retried < 20, qPrintable(QString::number(s.retried)));
    }

    // Records older than RetentionPeriodHours expire whether or not they were read: a stream
    // without consumers written to every 100 s keeps only the last 24 h.
    void recordsExpireAfterRetention()
    {
        auto simulationSettings = simulation(100000);
        simulationSettings["sample_interval_s"] = 10000;
        const auto design =
            makeDesign({{"components", {component("p", "producer"), component("s", "stream")}},
                        {"connections", {connection("p", "s", "send")}},
                        {"traffic", traffic({{"kind", "constant"}, {"rate", 0.01}})},
                        {"simulation", simulationSettings}});
        const auto r = runDesign(design).results;
        // Written at 100, 200, … 100,000 s; those written by 100,000 − 86,400 s have expired.
        QCOMPARE(result(r, "s").received, 1000u);
        QCOMPARE(result(r, "s").expired, 136u);
        QCOMPARE(r.summary.expired, 136u);
        QCOMPARE(result(r, "s").backlog.final, 864.0);
    }

    // A stream in outage refuses writes.
    void outageRefusesWrites()
    {
        const auto design = makeDesign(
            {{"components", {component("p", "producer"), component("s", "stream")}},
             {"connections", {connection("p", "s", "send")}},
             {"traffic", traffic({{"kind", "constant"}, {"rate", 10}})},
             {"faults",
              {{{"component", "s"}, {"kind", "outage"}, {"start_s", 2.05}, {"end_s", 4.05}}}},
             {"simulation", simulation(10)}});
        const auto r = runDesign(design).results;
        QCOMPARE(result(r, "s").failed, 20u);
        QCOMPARE(r.summary.failed, 20u);
        QCOMPARE(result(r, "s").backlog.final, 80.0);
    }
};

QTEST_APPLESS_MAIN(TestStreamBehaviour)
#include "TestStreamBehaviour.moc"
