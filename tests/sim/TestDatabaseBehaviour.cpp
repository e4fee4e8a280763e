// DatabaseBehaviour: DynamoDB capacity (provisioned with 300 s burst, on-demand at twice the
// previous peak) and a relational database's connection limit.

#include "SimTestDesign.h"

#include <QtTest>
#include <cmath>

using namespace eventflow;
using namespace eventflow::test;
using nlohmann::json;

namespace {

json dynamo(json props, json sim = json::object())
{
    sim["engine"] = "dynamodb";
    if (!sim.contains("latency"))
        sim["latency"] = constantDistribution(5);
    return component("db", "database", sim, std::move(props));
}

json relational(int maxConnections, double latencyMs)
{
    return component("db", "database",
                     {{"engine", "relational"},
                      {"max_connections", maxConnections},
                      {"latency", constantDistribution(latencyMs)}});
}

json spikeTraffic(std::string producer, double rate, double from, double to)
{
    return {
        {"producer", std::move(producer)},
        {"profile",
         {{"kind", "spike"}, {"rate", 0}, {"peak_rate", rate}, {"start_s", from}, {"end_s", to}}}};
}

} // namespace

class TestDatabaseBehaviour : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // 100 WCU under 150 writes/s: the 300 s burst bank (30,000 units, full at start) covers the
    // excess for 600 s; then 100/s succeed and 50/s are throttled.
    void provisionedBurstThenThrottle()
    {
        const auto design =
            makeDesign({{"components",
                         {component("p", "producer"),
                          dynamo({{"ProvisionedThroughput", {{"WriteCapacityUnits", 100}}}})}},
                        {"connections", {connection("p", "db", "invoke")}},
                        {"traffic", traffic({{"kind", "constant"}, {"rate", 150}})},
                        {"simulation", simulation(1200)}});
        const Run run = runDesign(design);
        const auto& db = result(run.results, "db");
        EF_VERIFY_NEAR(db.received, 150 * 1200, 0.0001); // arrivals 6,667 µs apart
        EF_VERIFY_NEAR(db.throttled, db.received - (30000 + 100 * 1200), 0.001);
        QCOMPARE(run.results.summary.throttled, db.throttled);
        const auto& throttles = run.results.timeseries.components.at("db").at("throttles_per_s");
        for (std::size_t i = 0; i < 598; ++i)
            QCOMPARE(throttles[i], 0.0);
        for (std::size_t i = 602; i < throttles.size(); ++i)
            EF_VERIFY_NEAR(throttles[i], 50.0, 0.021);
    }

    // A caller whose connection says sim.operation "read" draws on ReadCapacityUnits: 10 RCU
    // under 20 reads/s spends its 3,000-unit bank in 300 s, while 1,000 WCU stay untouched.
    void readsDrawOnReadCapacity()
    {
        const auto design =
            makeDesign({{"components",
                         {component("p", "producer"),
                          dynamo({{"ProvisionedThroughput",
                                   {{"WriteCapacityUnits", 1000}, {"ReadCapacityUnits", 10}}}})}},
                        {"connections", {connection("p", "db", "invoke", {{"operation", "read"}})}},
                        {"traffic", traffic({{"kind", "constant"}, {"rate", 20}})},
                        {"simulation", simulation(400)}});
        const Run run = runDesign(design);
        const auto& db = result(run.results, "db");
        QCOMPARE(db.received, 8000u);
        EF_VERIFY_NEAR(db.throttled, 8000 - (3000 + 10 * 400), 0.002);
    }

    // On demand: a new table serves up to 4,000 writes/s (twice its 2,000 previous peak); the
    // excess is throttled.
    void onDemandStartsAtTwiceThePreviousPeak_data()
    {
        QTest::addColumn<double>("rate");
        QTest::addColumn<double>("expectedThrottled");
        QTest::newRow("3,000/s") << 3000.0 << 0.0;
        QTest::newRow("5,000/s") << 5000.0 << 1000.0 * 10;
    }
    void onDemandStartsAtTwiceThePreviousPeak()
    {
        QFETCH(double, rate);
        QFETCH(double, expectedThrottled);
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"), dynamo({{"BillingMode", "PAY_PER_REQUEST"}})}},
             {"connections", {connection("p", "db", "invoke")}},
             {"traffic", traffic({{"kind", "constant"}, {"rate", rate}})},
             {"simulation", simulation(10)}});
        const Run run = runDesign(design);
        const auto& db = result(run.results, "db");
        EF_VERIFY_NEAR(db.received, rate * 10, 0.002);
        if (expectedThrottled == 0)
            QCOMPARE(db.throttled, 0u);
        else
            EF_VERIFY_NEAR(db.throttled, expectedThrottled, 0.001);
    }

    // A peak becomes the "previous peak" 30 minutes later: after a 3,000/s minute, 5,000/s half
    // an hour on is within twice the previous peak; without it, a quarter of it is throttled.
    void onDemandLearnsItsPeak_data()
    {
        QTest::addColumn<bool>("earlierPeak");
        QTest::newRow("after a 3,000/s peak") << true;
        QTest::newRow("new table") << false;
    }
    void onDemandLearnsItsPeak()
    {
        QFETCH(bool, earlierPeak);
        json trafficSpecs = json::array({spikeTraffic("q", 5000, 1900, 1905)});
        if (earlierPeak)
            trafficSpecs.push_back(spikeTraffic("p", 3000, 0, 60));
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"), component("q", "producer"),
               dynamo({{"BillingMode", "PAY_PER_REQUEST"}})}},
             {"connections", {connection("p", "db", "invoke"), connection("q", "db", "invoke")}},
             {"traffic", trafficSpecs},
             {"simulation", simulation(1910)}});
        const Run run = runDesign(design);
        const auto& q = result(run.results, "q");
        const auto& db = result(run.results, "db");
        if (earlierPeak) {
            QCOMPARE(db.throttled, 0u);
        } else {
            QCOMPARE(q.throttled, db.throttled);
            // Five seconds of Poisson arrivals at 5,000/s, 4,000 of each second served.
            EF_VERIFY_NEAR(db.throttled, q.received - 4000 * 5, 0.001);
            EF_VERIFY_NEAR(db.throttled, 1000 * 5, 0.1);
        }
    }

    // max_connections 10 at 100 ms each under 200 calls/s: never more than 10 at once, the
    // excess refused with an error (counted as throttled here, failed at the caller), and the
    // database slowed by its own saturation.
    void relationalRefusesBeyondMaxConnections()
    {
        const auto design =
            makeDesign({{"components", {component("p", "producer"), relational(10, 100)}},
                        {"connections", {connection("p", "db", "invoke")}},
                        {"traffic", traffic({{"kind", "constant"}, {"rate", 200}})},
                        {"simulation", simulation(60)}});
        const Run run = runDesign(design);
        const auto& db = result(run.results, "db");
        const auto& p = result(run.results, "p");
        QCOMPARE(db.concurrency.max, 10.0);
        QVERIFY(db.throttled > 6000);
        QCOMPARE(p.failed, db.throttled);
        QCOMPARE(p.throttled, 0u);
        QVERIFY(db.received - db.completed - db.throttled <= 10); // still in work at the end
        // Little's law on the connections: mean busy = throughput × mean latency.
        EF_VERIFY_NEAR(db.concurrency.mean, db.completed / 60.0 * db.latency.mean / 1000.0, 0.02);
        QVERIFY(db.latency.mean > 500); // near saturation: up to 10× the idle 100 ms
    }

    // Latency grows with the share of connections in use, 1/(1 − u): 100 connections, 16 busy
    // on average at idle latency, settle where N = 16/(1 − N/100), N = 20, u = 0.2 → ×1.25.
    void relationalSlowsWithUtilisation_data()
    {
        QTest::addColumn<double>("rate");
        QTest::addColumn<double>("expectedMs");
        QTest::newRow("idle") << 1.0 << 100.0;
        QTest::newRow("u = 0.2") << 160.0 << 125.0;
    }
    void relationalSlowsWithUtilisation()
    {
        QFETCH(double, rate);
        QFETCH(double, expectedMs);
        const auto design =
            makeDesign({{"components", {component("p", "producer"), relational(100, 100)}},
                        {"connections", {connection("p", "db", "invoke")}},
                        {"traffic", traffic({{"kind", "constant"}, {"rate", rate}})},
                        {"simulation", simulation(130, 10)}});
        const Run run = runDesign(design);
        const auto& db = result(run.results, "db");
        QCOMPARE(db.throttled, 0u);
        EF_VERIFY_NEAR(db.latency.mean, expectedMs, 0.02);
    }

    void errorsAndOutage()
    {
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"), dynamo(json::object(), {{"error_rate", 0.1}})}},
             {"connections", {connection("p", "db", "invoke")}},
             {"traffic", traffic({{"kind", "constant"}, {"rate", 100}})},
             {"faults",
              {{{"component", "db"}, {"kind", "outage"}, {"start_s", 50}, {"end_s", 100}}}},
             {"simulation", simulation(100)}});
        const Run run = runDesign(design);
        const auto& db = result(run.results, "db");
        QCOMPARE(db.received, 10000u);
        // 5,000 during the outage fail at once; about a tenth of the other 5,000 fail.
        QVERIFY(db.failed > 5000 + 400 && db.failed < 5000 + 600);
        QCOMPARE(db.completed + db.failed, db.received - 1); // the last is still in work
    }
};

QTEST_APPLESS_MAIN(TestDatabaseBehaviour)
#include "TestDatabaseBehaviour.moc"
