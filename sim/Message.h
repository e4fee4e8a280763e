#pragma once

#include "SimTime.h"
#include "SlotPool.h"

#include <cstdint>
#include <vector>

namespace eventflow::sim {

using MessageId = std::uint32_t;
inline constexpr std::uint32_t kNone = UINT32_MAX;

/// One copy of an event travelling through the design. A producer's request starts as one
/// message; fan-out makes copies (forks) that share the request. Kept small and trivially
/// copyable: messages live in a pool and are recycled, so memory follows what is in flight.
struct Message {
    std::uint32_t request = kNone;  ///< RequestTable slot; kNone once detached (dead letters)
    std::uint32_t eventType = 0;    ///< index into the engine's event types
    std::uint32_t payload = kNone;  ///< per-message event document, when the type has random fields
    std::uint32_t references = 0;   ///< holders: the journey itself plus open synchronous calls
    SimTime createdAt = 0;          ///< when the producer emitted the request
    SimTime enqueuedAt = 0;         ///< when it entered the component holding it now
    SimTime firstSentAt = 0;        ///< when it entered its current queue or stream (retention)
    std::uint64_t partitionKey = 0; ///< stream partition key / FIFO message group, hashed
    std::uint32_t sizeBytes = 1024;
    std::uint16_t receiveCount = 0; ///< SQS ApproximateReceiveCount
    std::uint16_t attempts = 0;     ///< delivery or invocation attempts at the current hop
    std::uint16_t hops = 0;         ///< components passed: the runaway-loop guard
    std::uint16_t lastComponent = 0xFFFF;
};

/// Free-list pool of messages. Ids are slot indices; a released slot is reused by the next
/// allocation. O(1) allocate and release, no allocation once the pool has grown to the peak.
class MessagePool {
public:
    MessageId allocate()
    {
        const MessageId id = acquireSlot(m_slots, m_free);
        m_slots[id] = Message{};
        return id;
    }
    void release(MessageId id) { m_free.push_back(id); }
    Message& operator[](MessageId id) { return m_slots[id]; }
    const Message& operator[](MessageId id) const { return m_slots[id]; }
    std::size_t live() const { return m_slots.size() - m_free.size(); }
    std::size_t capacity() const { return m_slots.size(); }

private:
    std::vector<Message> m_slots;
    std::vector<MessageId> m_free;
};

} // namespace eventflow::sim
