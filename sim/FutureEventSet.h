#pragma once

#include "SimTime.h"

#include <cstdint>
#include <vector>

namespace eventflow::sim {

/// A scheduled callback: at `time`, component `target` handles `action` with `argument`.
struct ScheduledEvent {
    SimTime time = 0;
    std::uint64_t order = 0;          ///< priority in the top 8 bits, insertion sequence below
    std::uint32_t target = 0;
    std::uint32_t action = 0;
    std::uint64_t argument = 0;
    std::uint32_t timerSlot = UINT32_MAX; ///< set for cancellable timers
    std::uint32_t timerGeneration = 0;
};

/// Handle to a cancellable timer. Copyable; cancelling a timer that already fired does nothing.
struct TimerHandle {
    std::uint32_t slot = UINT32_MAX;
    std::uint32_t generation = 0;
    bool valid() const { return slot != UINT32_MAX; }
};

/// The pending events of a run, ordered by (time, priority, insertion order) — so a run is
/// reproducible. A binary heap holds future events; events due at the current time with the
/// default priority skip the heap through a FIFO ring (fan-out, rule → target hops).
///
/// | operation          | cost                          |
/// |--------------------|-------------------------------|
/// | push (future)      | O(log n)                      |
/// | push (now)         | O(1)                          |
/// | pop                | O(log n) heap, O(1) ring      |
/// | cancel             | O(1); the dead entry is skipped when it surfaces |
///
/// Storage is reused: after warm-up no operation allocates. Not thread-safe.
class FutureEventSet {
public:
    static constexpr std::uint8_t kDefaultPriority = 128;

    void setNow(SimTime now) { m_now = now; }
    SimTime now() const { return m_now; }

    void push(SimTime time, std::uint8_t priority, std::uint32_t target, std::uint32_t action,
              std::uint64_t argument);
    TimerHandle pushTimer(SimTime time, std::uint8_t priority, std::uint32_t target,
                          std::uint32_t action, std::uint64_t argument);
    void cancel(TimerHandle& handle);

    bool empty() const { return m_heap.empty() && m_ringHead == m_ring.size(); }
    std::size_t size() const { return m_heap.size() + (m_ring.size() - m_ringHead); }
    /// Time of the earliest pending event; kForever when empty.
    SimTime nextTime() const;
    /// Removes the earliest live event into `out`; false when none is left. Cancelled timers are
    /// dropped on the way.
    bool pop(ScheduledEvent& out);

private:
    /// Heap order; a function object (not a function pointer) so the heap algorithms inline it.
    struct Later {
        bool operator()(const ScheduledEvent& a, const ScheduledEvent& b) const
        {
            return a.time != b.time ? a.time > b.time : a.order > b.order;
        }
    };
    void pushEvent(const ScheduledEvent& event);
    bool takeNext(ScheduledEvent& out);
    bool isLive(const ScheduledEvent& event);

    SimTime m_now = 0;
    std::uint64_t m_sequence = 0;
    std::vector<ScheduledEvent> m_heap;
    std::vector<ScheduledEvent> m_ring;
    std::size_t m_ringHead = 0;
    std::vector<std::uint32_t> m_timerGeneration;
    std::vector<std::uint32_t> m_freeTimers;
};

} // namespace eventflow::sim
