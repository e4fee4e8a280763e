#include "sim/LatencyHistogram.h"

#include <QtTest>
#include <cmath>

using namespace eventflow::sim;

class TestLatencyHistogram : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void quantilesOfUniformValues_data()
    {
        QTest::addColumn<double>("q");
        QTest::newRow("p50") << 0.50;
        QTest::newRow("p90") << 0.90;
        QTest::newRow("p95") << 0.95;
        QTest::newRow("p99") << 0.99;
    }
    void quantilesOfUniformValues()
    {
        QFETCH(double, q);
        LatencyHistogram h;
        for (int v = 1; v <= 1000000; ++v)
            h.record(v);
        const double expected = q * 1000000.0;
        QVERIFY2(std::abs(h.quantileMicros(q) - expected) / expected < 0.016,
                 qPrintable(QString("q=%1 got %2").arg(q).arg(h.quantileMicros(q))));
    }

    void meanAndMaxAreExact()
    {
        LatencyHistogram h;
        h.record(10);
        h.record(20);
        h.record(3'000'000'000);
        QCOMPARE(h.count(), 3u);
        QCOMPARE(h.maxMicros(), std::int64_t(3'000'000'000));
        QCOMPARE(h.meanMicros(), (10.0 + 20.0 + 3e9) / 3.0);
        QCOMPARE(h.quantileMicros(1.0), 3e9);
        QCOMPARE(h.minMicros(), std::int64_t(10));
    }

    void constantValuesAreReportedExactly()
    {
        LatencyHistogram h;
        for (int i = 0; i < 1000; ++i)
            h.record(29'005'000);
        QCOMPARE(h.quantileMicros(0.5), 29'005'000.0);
        QCOMPARE(h.quantileMicros(0.99), 29'005'000.0);
    }

    void smallValuesAreExact()
    {
        LatencyHistogram h;
        for (int v = 0; v < 64; ++v)
            h.record(v);
        QCOMPARE(h.quantileMicros(0.5), 31.0);
    }

    void mergeAddsCounts()
    {
        LatencyHistogram a, b;
        a.record(100);
        b.record(300);
        a.merge(b);
        QCOMPARE(a.count(), 2u);
        QCOMPARE(a.maxMicros(), std::int64_t(300));
        a.reset();
        QCOMPARE(a.count(), 0u);
        QCOMPARE(a.quantileMicros(0.5), 0.0);
    }
};

QTEST_APPLESS_MAIN(TestLatencyHistogram)
#include "TestLatencyHistogram.moc"
