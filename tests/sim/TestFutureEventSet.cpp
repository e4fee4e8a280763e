#include "sim/FutureEventSet.h"

#include <QtTest>
#include <vector>

using namespace eventflow::sim;

class TestFutureEventSet : public QObject {
    Q_OBJECT

private:
    static std::vector<std::uint64_t> drain(FutureEventSet& set)
    {
        std::vector<std::uint64_t> order;
        ScheduledEvent e;
        while (set.pop(e))
            order.push_back(e.argument);
        return order;
    }

private Q_SLOTS:
    void ordersByTimeThenPriorityThenInsertion()
    {
        FutureEventSet set;
        set.push(30, 128, 0, 0, 1);
        set.push(10, 128, 0, 0, 2);
        set.push(10, 10, 0, 0, 3); // same time, higher priority (smaller number) first
        set.push(20, 128, 0, 0, 4);
        set.push(10, 128, 0, 0, 5); // same time and priority: insertion order
        QCOMPARE(drain(set), (std::vector<std::uint64_t>{3, 2, 5, 4, 1}));
    }

    void zeroDelayEventsKeepInsertionOrderWithHeapEvents()
    {
        FutureEventSet set;
        set.push(5, 128, 0, 0, 1);
        set.push(5, 128, 0, 0, 2);
        ScheduledEvent e;
        QVERIFY(set.pop(e));
        QCOMPARE(e.argument, 1u);
        // Scheduled "now" (t = 5) after event 2 was scheduled: must come after 2.
        set.push(5, 128, 0, 0, 3);
        set.push(5, 128, 0, 0, 4);
        QCOMPARE(drain(set), (std::vector<std::uint64_t>{2, 3, 4}));
    }

    void cancelledTimersNeverFire()
    {
        FutureEventSet set;
        auto a = set.pushTimer(10, 128, 0, 0, 1);
        auto b = set.pushTimer(20, 128, 0, 0, 2);
        set.push(15, 128, 0, 0, 3);
        set.cancel(a);
        QVERIFY(!a.valid());
        QCOMPARE(drain(set), (std::vector<std::uint64_t>{3, 2}));
        set.cancel(b); // already fired: harmless
        QVERIFY(set.empty());
    }

    void staleHandleDoesNotCancelReusedSlot()
    {
        FutureEventSet set;
        auto first = set.pushTimer(1, 128, 0, 0, 1);
        auto stale = first;
        QCOMPARE(drain(set), (std::vector<std::uint64_t>{1}));
        auto second = set.pushTimer(2, 128, 0, 0, 2); // reuses the slot
        QCOMPARE(second.slot, stale.slot);
        set.cancel(stale);
        QCOMPARE(drain(set), (std::vector<std::uint64_t>{2}));
    }

    void pastTimesAreClampedToNow()
    {
        FutureEventSet set;
        set.push(100, 128, 0, 0, 1);
        ScheduledEvent e;
        QVERIFY(set.pop(e));
        set.push(50, 128, 0, 0, 2);
        QVERIFY(set.pop(e));
        QCOMPARE(e.time, SimTime{100});
    }

    void manyRandomEventsComeOutSorted()
    {
        FutureEventSet set;
        std::uint64_t x = 12345;
        for (int i = 0; i < 20000; ++i) {
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            set.push(static_cast<SimTime>(x >> 44), 128, 0, 0, static_cast<std::uint64_t>(i));
        }
        ScheduledEvent e;
        SimTime last = -1;
        int count = 0;
        while (set.pop(e)) {
            QVERIFY(e.time >= last);
            last = e.time;
            ++count;
        }
        QCOMPARE(count, 20000);
    }
};

QTEST_APPLESS_MAIN(TestFutureEventSet)
#include "TestFutureEventSet.moc"
