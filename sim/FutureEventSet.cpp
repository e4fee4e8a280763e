#include "FutureEventSet.h"

#include <algorithm>

namespace eventflow::sim {

namespace {
constexpr int kPriorityShift = 56;
}

void FutureEventSet::pushEvent(const ScheduledEvent& event)
{
    if (event.time == m_now && (event.order >> kPriorityShift) == kDefaultPriority) {
        if (m_ringHead == m_ring.size()) {
            m_ring.clear();
            m_ringHead = 0;
        }
        m_ring.push_back(event);
        return;
    }
    m_heap.push_back(event);
    std::push_heap(m_heap.begin(), m_heap.end(), Later{});
}

void FutureEventSet::push(SimTime time, std::uint8_t priority, std::uint32_t target,
                          std::uint32_t action, std::uint64_t argument)
{
    ScheduledEvent e;
    e.time = std::max(time, m_now);
    e.order = (std::uint64_t(priority) << kPriorityShift) | m_sequence++;
    e.target = target;
    e.action = action;
    e.argument = argument;
    pushEvent(e);
}

TimerHandle FutureEventSet::pushTimer(SimTime time, std::uint8_t priority, std::uint32_t target,
                                      std::uint32_t action, std::uint64_t argument)
{
    std::uint32_t slot;
    if (!m_freeTimers.empty()) {
        slot = m_freeTimers.back();
        m_freeTimers.pop_back();
    } else {
        slot = static_cast<std::uint32_t>(m_timerGeneration.size());
        m_timerGeneration.push_back(0);
    }
    ScheduledEvent e;
    e.time = std::max(time, m_now);
    e.order = (std::uint64_t(priority) << kPriorityShift) | m_sequence++;
    e.target = target;
    e.action = action;
    e.argument = argument;
    e.timerSlot = slot;
    e.timerGeneration = m_timerGeneration[slot];
    pushEvent(e);
    return {slot, e.timerGeneration};
}

void FutureEventSet::cancel(TimerHandle& handle)
{
    if (handle.valid() && m_timerGeneration[handle.slot] == handle.generation)
        ++m_timerGeneration[handle.slot];
    handle = {};
}

bool FutureEventSet::isLive(const ScheduledEvent& event)
{
    if (event.timerSlot == UINT32_MAX)
        return true;
    const bool live = m_timerGeneration[event.timerSlot] == event.timerGeneration;
    // Either way the slot is done: bump the generation so stale handles stay harmless.
    ++m_timerGeneration[event.timerSlot];
    m_freeTimers.push_back(event.timerSlot);
    return live;
}

SimTime FutureEventSet::nextTime() const
{
    if (m_ringHead != m_ring.size())
        return m_ring[m_ringHead].time;
    return m_heap.empty() ? kForever : m_heap.front().time;
}

bool FutureEventSet::takeNext(ScheduledEvent& out)
{
    const bool ringHas = m_ringHead != m_ring.size();
    if (ringHas && (m_heap.empty() || !Later{}(m_ring[m_ringHead], m_heap.front()))) {
        out = m_ring[m_ringHead++];
        return true;
    }
    if (m_heap.empty())
        return false;
    std::pop_heap(m_heap.begin(), m_heap.end(), Later{});
    out = m_heap.back();
    m_heap.pop_back();
    return true;
}

bool FutureEventSet::pop(ScheduledEvent& out)
{
    while (takeNext(out)) {
        if (isLive(out)) {
            m_now = out.time;
            return true;
        }
    }
    return false;
}

} // namespace eventflow::sim
