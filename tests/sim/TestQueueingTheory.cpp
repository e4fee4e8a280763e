// A producer with Poisson arrivals calling a service is a textbook queue: the service's mean wait
// and mean queue length must match M/M/1, M/M/c (Erlang C) and M/D/1 (Pollaczek–Khinchine), and
// its levels must obey Little's law. The formulas are computed here, independently of the engine.

#include "SimTestDesign.h"

#include <QtTest>
#include <cmath>

using namespace eventflow;
using namespace eventflow::test;
using nlohmann::json;

namespace {

/// Erlang C: probability that an arrival waits in M/M/c with offered load a = λ·E[S].
double erlangC(int servers, double offered)
{
    double term = 1.0; // a^k / k!
    double below = 0.0;
    for (int k = 0; k < servers; ++k) {
        below += term;
        term *= offered / (k + 1);
    }
    const double tail = term / (1.0 - offered / servers);
    return tail / (below + tail);
}

struct Expected {
    double waitMs = 0; ///< mean time in line, Wq
    double queue = 0;  ///< mean number in line, Lq
};

Expected theory(int servers, bool exponential, double meanServiceMs, double rate)
{
    const double s = meanServiceMs / 1000.0;
    const double rho = rate * s / servers;
    double wq;
    if (servers == 1) {
        // Pollaczek–Khinchine: Wq = λ·E[S²] / (2(1 − ρ)); E[S²] = 2E[S]² (exponential), E[S]²
        // (constant).
        const double secondMoment = exponential ? 2.0 * s * s : s * s;
        wq = rate * secondMoment / (2.0 * (1.0 - rho));
    } else {
        wq = erlangC(servers, rate * s) / (servers / s - rate);
    }
    return {wq * 1000.0, rate * wq};
}

} // namespace

class TestQueueingTheory : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void meanWaitAndQueueLength_data()
    {
        QTest::addColumn<int>("servers");
        QTest::addColumn<bool>("exponential");
        QTest::addColumn<double>("meanServiceMs");
        QTest::addColumn<double>("rate");
        QTest::addColumn<double>("seconds");
        // Run lengths keep the spread of the estimate (measured over 20 seeds) near 0.75%, so the
        // 3% tolerance is about 4 standard deviations: M/M/4's waits are rarer and need longer.
        QTest::newRow("M/M/1 rho 0.7") << 1 << true << 1.0 << 700.0 << 2000.0;
        QTest::newRow("M/M/4 rho 0.7") << 4 << true << 4.0 << 700.0 << 6000.0;
        QTest::newRow("M/D/1 rho 0.8") << 1 << false << 1.0 << 800.0 << 2000.0;
    }
    void meanWaitAndQueueLength()
    {
        QFETCH(int, servers);
        QFETCH(bool, exponential);
        QFETCH(double, meanServiceMs);
        QFETCH(double, rate);
        QFETCH(double, seconds);
        const double warmup = 50.0;
        const json duration = exponential ? exponentialDistribution(meanServiceMs)
                                          : constantDistribution(meanServiceMs);
        const auto design = makeDesign(
            {{"components",
              {component("p", "producer"),
               component("s", "service",
                         {{"workers", servers}, {"queue_capacity", 0}, {"duration", duration}})}},
             {"connections", {connection("p", "s", "invoke")}},
             {"traffic", traffic({{"kind", "poisson"}, {"rate", rate}})},
             {"simulation", simulation(seconds + warmup, warmup, 7)}});
        const Run run = runDesign(design);
        const auto& s = result(run.results, "s");
        const Expected expected = theory(servers, exponential, meanServiceMs, rate);

        const double waitMs = s.latency.mean - meanServiceMs;
        const double queue = s.backlog.mean;
        qInfo("%s: %llu served; Wq %.4f ms vs %.4f (%+.2f%%); Lq %.4f vs %.4f (%+.2f%%)",
              QTest::currentDataTag(), static_cast<unsigned long long>(s.completed), waitMs,
              expected.waitMs, 100.0 * (waitMs / expected.waitMs - 1.0), queue, expected.queue,
              100.0 * (queue / expected.queue - 1.0));
        QVERIFY(double(s.completed) > 0.99 * rate * seconds);
        QCOMPARE(s.throttled, 0u);
        EF_VERIFY_NEAR(waitMs, expected.waitMs, 0.03);
        EF_VERIFY_NEAR(queue, expected.queue, 0.03);

        // Little's law holds on the sample path, whatever the distributions: L = λW for the
        // line (Lq = λ·Wq) and for the whole service (waiting plus in service).
        const double lambda = double(s.received) / seconds;
        const double inSystem = s.backlog.mean + s.inFlight.mean;
        qInfo("%s: Little Lq %.4f vs λWq %.4f; L %.4f vs λW %.4f", QTest::currentDataTag(), queue,
              lambda * waitMs / 1000.0, inSystem, lambda * s.latency.mean / 1000.0);
        EF_VERIFY_NEAR(inSystem, lambda * s.latency.mean / 1000.0, 0.005);
        EF_VERIFY_NEAR(queue, lambda * waitMs / 1000.0, 0.01);
    }
};

QTEST_APPLESS_MAIN(TestQueueingTheory)
#include "TestQueueingTheory.moc"
