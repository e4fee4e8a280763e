// ApiBehaviour: API Gateway's throttling (token bucket, 429), integration timeout (29 s REST,
// 30 s HTTP, 504) and how integration failures reach the client.

#include "SimTestDesign.h"

#include <QtTest>
#include <cmath>

using namespace eventflow;
using namespace eventflow::test;
using nlohmann::json;

namespace {

json roomyService(double durationMs, json extra = json::object())
{
    json sim = {
        {"workers", 10000}, {"queue_capacity", 0}, {"duration", constantDistribution(durationMs)}};
    sim.update(extra);
    return component("s", "service", sim);
}

} // namespace

class TestApiBehaviour : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // The integration timeout: a REST API gives up after 29 s (at most), an HTTP API after 30 s;
    // the client then gets 504 whatever the integration does later.
    void integrationTimeout_data()
    {
        QTest::addColumn<QString>("apiType");
        QTest::addColumn<int>("timeoutMs");
        QTest::addColumn<double>("serviceMs");
        QTest::addColumn<bool>("timesOut");
        QTest::newRow("REST, 30 s service") << "REST" << 29000 << 30000.0 << true;
        QTest::newRow("REST, 28 s service") << "REST" << 29000 << 28000.0 << false;
        QTest::newRow("REST asks 30 s, gets 29") << "REST" << 30000 << 29500.0 << true;
        QTest::newRow("HTTP, 29.5 s service") << "HTTP" << 30000 << 29500.0 << false;
        QTest::newRow("HTTP, 31 s service") << "HTTP" << 30000 << 31000.0 << true;
        QTest::newRow("REST 1 s, 2 s service") << "REST" << 1000 << 2000.0 << true;
    }
    void integrationTimeout()
    {
        QFETCH(QString, apiType);
        QFETCH(int, timeoutMs);
        QFETCH(double, serviceMs);
        QFETCH(bool, timesOut);
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"),
               component("api", "api", json::object(),
                         {{"ApiType", apiType.toStdString()}, {"TimeoutInMillis", timeoutMs}}),
               roomyService(serviceMs)}},
             {"connections", {connection("p", "api", "invoke"), connection("api", "s", "invoke")}},
             {"traffic", traffic(poissonUntil(2, 100))},
             {"simulation", simulation(140)}});
        const Run run = runDesign(design);
        const auto& api = result(run.results, "api");
        const auto& s = result(run.results, "s");
        const auto& summary = run.results.summary;
        QVERIFY(api.received > 150);
        QCOMPARE(s.received, api.received); // the integration is called every time
        if (timesOut) {
            QCOMPARE(api.timedOut, api.received);
            QCOMPARE(summary.timedOut, summary.requests);
            const double limit = std::min(timeoutMs, apiType == "REST" ? 29000 : 30000);
            EF_VERIFY_NEAR(api.latency.mean, 5.0 + limit, 0.0001); // overhead + timeout
            QCOMPARE(s.completed, s.received);                     // the service works on, unheard
        } else {
            QCOMPARE(api.timedOut, 0u);
            QCOMPARE(summary.completed, summary.requests);
            EF_VERIFY_NEAR(api.latency.mean, 5.0 + serviceMs, 0.0001);
        }
        QVERIFY(run.drained);
    }

    // Rate R = 100/s and burst B = 50 under a constant 2R: the bucket's 50 tokens go first,
    // then R per second get through and the rest get 429.
    void tokenBucketThrottles()
    {
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"),
               component("api", "api", json::object(),
                         {{"ThrottlingRateLimit", 100}, {"ThrottlingBurstLimit", 50}}),
               roomyService(1)}},
             {"connections", {connection("p", "api", "invoke"), connection("api", "s", "invoke")}},
             {"traffic", traffic({{"kind", "constant"}, {"rate", 200}})},
             {"simulation", simulation(60)}});
        const Run run = runDesign(design);
        const auto& api = result(run.results, "api");
        QCOMPARE(api.received, 12000u);
        const double accepted = 50 + 100 * 60;
        EF_VERIFY_NEAR(api.received - api.throttled, accepted, 0.001);
        EF_VERIFY_NEAR(api.throttled, 12000 - accepted, 0.001);
        QCOMPARE(run.results.summary.throttled, api.throttled);
        // After the burst: of 200 arrivals each second, 100 get through and 100 get 429.
        const auto& throttles = run.results.timeseries.components.at("api").at("throttles_per_s");
        for (std::size_t i = 5; i < throttles.size(); ++i)
            EF_VERIFY_NEAR(throttles[i], 100.0, 0.011);
    }

    // A throttle fault replaces the stage's rate while it lasts (20–40 s at 50/s, under 200/s):
    // once the 100-token burst is spent, 150/s are refused; none before or after.
    void throttleFaultReplacesTheRate()
    {
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"),
               component("api", "api", json::object(),
                         {{"ThrottlingRateLimit", 1000}, {"ThrottlingBurstLimit", 100}}),
               roomyService(1)}},
             {"connections", {connection("p", "api", "invoke"), connection("api", "s", "invoke")}},
             {"traffic", traffic({{"kind", "constant"}, {"rate", 200}})},
             {"faults",
              {{{"component", "api"},
                {"kind", "throttle"},
                {"start_s", 20},
                {"end_s", 40},
                {"value", 50}}}},
             {"simulation", simulation(60)}});
        const Run run = runDesign(design);
        const auto& api = result(run.results, "api");
        const auto& throttles = run.results.timeseries.components.at("api").at("throttles_per_s");
        EF_VERIFY_NEAR(api.throttled, 150 * 20 - 100, 0.002);
        for (std::size_t i = 0; i < 20; ++i) // the sample at index i covers (i, i + 1] s
            QCOMPARE(throttles[i], 0.0);
        for (std::size_t i = 21; i < 39; ++i)
            EF_VERIFY_NEAR(throttles[i], 150.0, 0.01);
        for (std::size_t i = 40; i < throttles.size(); ++i)
            QCOMPARE(throttles[i], 0.0);
    }

    // Behind API Gateway an integration's throttle reaches the client as 500 (Error), but the
    // API counts it as throttled; an integration error is a 5xx.
    void integrationFailuresReachTheClient_data()
    {
        QTest::addColumn<bool>("throttle");
        QTest::newRow("integration throttles") << true;
        QTest::newRow("integration fails") << false;
    }
    void integrationFailuresReachTheClient()
    {
        QFETCH(bool, throttle);
        const json service = throttle ? json{{"workers", 1}, {"queue_capacity", 1}}
                                      : json{{"workers", 100}, {"error_rate", 1.0}};
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"), component("api", "api"), roomyService(100, service)}},
             {"connections", {connection("p", "api", "invoke"), connection("api", "s", "invoke")}},
             {"traffic", traffic(poissonUntil(50, 50))},
             {"simulation", simulation(60)}});
        const Run run = runDesign(design);
        const auto& api = result(run.results, "api");
        const auto& s = result(run.results, "s");
        const auto& summary = run.results.summary;
        if (throttle) {
            QVERIFY(s.throttled > 1000);
            QCOMPARE(api.throttled, s.throttled);
            QCOMPARE(summary.throttled, 0u);
            QCOMPARE(summary.failed, s.throttled); // the client saw 500
        } else {
            QCOMPARE(api.failed, s.failed);
            QCOMPARE(summary.failed, summary.requests);
        }
        QVERIFY(run.drained);
    }

    // A service integration (Send) answers 200 as soon as the target accepts; 500 when it
    // refuses.
    void sendIntegrationAnswersAtOnce_data()
    {
        QTest::addColumn<bool>("targetDown");
        QTest::newRow("accepted") << false;
        QTest::newRow("refused") << true;
    }
    void sendIntegrationAnswersAtOnce()
    {
        QFETCH(bool, targetDown);
        json faults = json::array();
        if (targetDown)
            faults.push_back(
                {{"component", "sm"}, {"kind", "outage"}, {"start_s", 0}, {"end_s", 100}});
        const auto design =
            makeDesign({{"components",
                         {component("p", "producer"), component("api", "api"),
                          component("sm", "state_machine"), roomyService(1000)}},
                        {"connections",
                         {connection("p", "api", "invoke"), connection("api", "sm", "send"),
                          connection("sm", "s", "invoke")}},
                        {"traffic", traffic(poissonUntil(20, 50))},
                        {"faults", faults},
                        {"simulation", simulation(60)}});
        const Run run = runDesign(design);
        const auto& api = result(run.results, "api");
        const auto& sm = result(run.results, "sm");
        QCOMPARE(sm.received, api.received);
        EF_VERIFY_NEAR(api.latency.mean, 5.0, 0.0001); // the overhead only
        if (targetDown) {
            QCOMPARE(api.failed, api.received);
            QCOMPARE(run.results.summary.failed, run.results.summary.requests);
        } else {
            QCOMPARE(api.completed, api.received);
            QCOMPARE(sm.completed, sm.received); // the execution ran on its own
            QCOMPARE(run.results.summary.completed, run.results.summary.requests);
        }
        QVERIFY(run.drained);
    }

    void outageAnswersError()
    {
        const auto design = makeDesign(
            {{"components", {component("p", "producer"), component("api", "api"), roomyService(1)}},
             {"connections", {connection("p", "api", "invoke"), connection("api", "s", "invoke")}},
             {"traffic", traffic({{"kind", "constant"}, {"rate", 10}})},
             {"faults",
              {{{"component", "api"}, {"kind", "outage"}, {"start_s", 10}, {"end_s", 20}}}},
             {"simulation", simulation(30)}});
        const Run run = runDesign(design);
        const auto& api = result(run.results, "api");
        QCOMPARE(api.failed, 100u);
        // The arrival at 30.0 s is still in API Gateway's 5 ms overhead when the run ends.
        QCOMPARE(result(run.results, "s").received, api.received - 100 - 1);
    }
};

QTEST_APPLESS_MAIN(TestApiBehaviour)
#include "TestApiBehaviour.moc"
