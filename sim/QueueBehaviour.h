#pragma once

#include "Behaviour.h"
#include "JobIndex.h"
#include "PerSecondQuota.h"

#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <vector>

namespace eventflow::sim {

class QueuePoller;

/// An Amazon SQS queue, standard or FIFO.
///
/// A send (receive) is accepted unless the queue is in outage (Failed) or over its send quota
/// (Throttled: FIFO's sim.api_limit_per_s in fixed one-second windows, per queue or, with
/// FifoThroughputLimit=perMessageGroupId, per message group; a throttle fault replaces it for
/// any queue). A message waits DelaySeconds, then is visible. Consumers are the outgoing
/// EventSource links, one QueuePoller each (Lambda event-source mapping, or service workers);
/// they compete for messages, taken round robin one receive at a time.
///
/// A receive hides its messages for VisibilityTimeout (one cancellable timer per receive) and
/// counts ApproximateReceiveCount. A consumer that succeeds deletes them (finish Completed);
/// otherwise they become visible again when the timeout runs out. With an outgoing DeadLetter
/// link to another queue, a message already received maxReceiveCount times is moved there
/// (detach, then hand-over) instead of being received again, keeping its original send time.
/// Messages older than MessageRetentionPeriod (counted from the original send) are deleted
/// (finish Expired); one received at that moment expires when it becomes visible again unless
/// its consumer deletes it first.
///
/// FIFO: each message belongs to the group hashed from the event field sim.group_key (one
/// group when empty); a group is served in order with at most one receive in flight, and
/// returned messages go back to the front of their group.
///
/// Stats: received per accepted send, throttled and failed per refused send, retried per
/// repeated receive, completed per deleted message (latency: arrival → delete), deadLettered,
/// expired; gauges backlog (visible + delayed), inFlight (received, not yet deleted) and
/// concurrency (consumer receives under way).
class QueueBehaviour : public Behaviour {
public:
    /// Told of every message the queue deletes after a consumer processed it, before the
    /// message is finished (tests and tracing; never on the hot path when unset).
    class DeletionObserver {
    public:
        virtual ~DeletionObserver() = default;
        virtual void onDeleted(MessageId message) = 0;
    };

    /// Action codes; the Poller* ones are routed to the poller packed in the argument.
    enum Action : std::uint32_t {
        MakeVisible,
        VisibilityExpired,
        RetentionCheck,
        PollerInvoke,
        PollerWindowEnd,
        PollerRetry,
        PollerScaleTick,
    };

    /// Where a consumer's receive stands (kept by its poller).
    enum class Stage : std::uint8_t { Gathering, Waiting, Invoking, Backoff, Abandoned };

    /// One ReceiveMessage result: the messages it hid, until deleted or visible again.
    struct Receipt {
        std::vector<std::uint32_t> entries;
        std::vector<MessageId> messages; ///< filled by prepareDelivery()
        TimerHandle visibility;
        TimerHandle window; ///< the poller's batching window
        SimTime hiddenUntil = 0;
        SimTime newestVisibleAt = 0; ///< when its most recent message became visible
        std::uint32_t poller = 0;
        std::uint32_t group = 0;
        std::uint16_t throttles = 0; ///< throttled invocations of this batch (poller)
        Stage stage = Stage::Waiting;
        bool hidden = false; ///< its messages are still in flight under this receive
        bool held = false;   ///< its poller has not let go of it yet
    };

    QueueBehaviour(Engine& engine, ComponentIndex index);
    ~QueueBehaviour() override;

    void handle(std::uint32_t action, std::uint64_t argument) override;
    Delivery receive(MessageId message, const Link& via) override;
    void onResponse(std::uint64_t token, CallId call, Outcome outcome) override;
    void onFaultChanged() override;
    SimTime oldestAge() const override;

    void setDeletionObserver(DeletionObserver* observer) { m_observer = observer; }

    // --- For QueuePoller -------------------------------------------------------------------
    bool fifo() const { return m_fifo; }
    /// Messages a receive could take now.
    bool hasVisible() const;
    /// Receives up to `maxMessages` visible messages (FIFO: from one group), hiding them; the
    /// receipt's slot, or kNone when nothing could be taken.
    std::uint32_t receiveBatch(std::uint32_t poller, std::uint32_t maxMessages);
    /// Adds visible messages (FIFO: of the receipt's group) to a receipt still being gathered,
    /// up to `maxMessages` in all; returns how many were added.
    std::uint32_t topUp(std::uint32_t receipt, std::uint32_t maxMessages);
    Receipt& receipt(std::uint32_t slot) { return m_receipts[slot]; }
    /// The receipt's messages, ready to hand to a consumer (hop counts as when they arrived).
    std::span<const MessageId> prepareDelivery(std::uint32_t receipt);
    /// DeleteMessage for every message of a receipt that is still hidden, except the records
    /// named in `failed` (indices into the delivered messages, ascending and unique as
    /// Engine::reportItemFailure enforces: a partial batch response), which stay hidden under
    /// the receipt until its visibility timeout.
    void deleteReceipt(std::uint32_t receipt, std::span<const std::uint32_t> failed = {});
    /// The poller is done with the receipt.
    void releaseReceipt(std::uint32_t receipt);
    /// A consumer receive began (+1) or ended (−1).
    void consumerActivity(int delta);
    /// Lets every consumer take what it can, round robin, one receive at a time.
    void pump();

    static std::uint64_t pack(std::uint32_t poller, std::uint32_t slot)
    {
        return (static_cast<std::uint64_t>(poller) << 32) | slot;
    }

private:
    enum class EntryState : std::uint8_t { Free, Delayed, Visible, InFlight };
    /// A message stored in the queue.
    struct Entry {
        MessageId message = kNone;
        std::uint32_t generation = 0;
        std::uint32_t group = 0;
        SimTime arrivedAt = 0;
        SimTime firstSentAt = 0;
        SimTime visibleAt = 0;
        EntryState state = EntryState::Free;
        bool retentionDue = false; ///< expired while in flight: goes when it would reappear
    };
    /// A reference to an entry that goes stale when the entry is freed (lazy deletion).
    struct Ref {
        std::uint32_t entry = 0;
        std::uint32_t generation = 0;
    };
    struct Group {
        std::deque<Ref> visible;
        std::uint64_t key = 0;
        std::uint32_t visibleCount = 0; ///< live entries in `visible`
        std::uint32_t members = 0;      ///< live entries in any state
        PerSecondQuota quota;           ///< perMessageGroupId send quota
        bool inFlight = false;          ///< FIFO: a receive of this group is in flight
        bool ready = false;             ///< FIFO: queued in m_ready with visible messages
        bool used = false;
    };
    struct AgeItem {
        SimTime firstSentAt = 0;
        std::uint32_t entry = 0;
        std::uint32_t generation = 0;
    };

    bool alive(Ref ref) const
    {
        return m_entries[ref.entry].generation == ref.generation &&
               m_entries[ref.entry].state != EntryState::Free;
    }
    std::uint64_t groupKeyOf(MessageId message);
    std::uint32_t groupFor(std::uint64_t key);
    void releaseGroupIfUnused(std::uint32_t group);
    void markReady(std::uint32_t group);
    std::uint32_t allocateEntry();
    void freeEntry(std::uint32_t entry);
    std::uint32_t allocateReceipt(std::uint32_t poller);
    void freeReceipt(std::uint32_t receipt);
    void makeVisible(std::uint32_t entry, bool atFront);
    /// Moves messages from a group's visible list into a receipt, dead-lettering those over
    /// maxReceiveCount on the way.
    void takeFromGroup(std::uint32_t group, std::uint32_t receipt, std::uint32_t maxMessages);
    void flushDeadLetters();
    void expireEntry(std::uint32_t entry);
    void onVisibilityExpired(std::uint32_t receipt);
    void onRetentionCheck();
    void pushAge(std::uint32_t entry);
    void scheduleRetentionCheck();
    void updateGauges();
    double queueSendLimit() const;

    // Configuration, read once.
    bool m_fifo = false;
    bool m_perGroupQuota = false;
    SimTime m_visibilityTimeout = 0;
    SimTime m_retention = 0;
    SimTime m_delay = 0;
    std::uint32_t m_maxReceiveCount = 10;
    std::string m_groupKey;
    double m_apiLimit = 300.0;
    int m_deadLetter = -1;                           ///< index into outgoing(), or -1
    std::vector<std::uint32_t> m_redriveConnections; ///< incoming DeadLetter links from queues
    std::vector<QueuePoller> m_pollers;

    // State.
    std::vector<Entry> m_entries;
    std::vector<std::uint32_t> m_freeEntries;
    std::vector<Group> m_groups;
    std::vector<std::uint32_t> m_freeGroups;
    JobIndex m_groupIndex;
    std::deque<std::uint32_t> m_ready; ///< FIFO groups with visible messages, not in flight
    std::uint32_t m_readyGroups = 0;
    std::deque<Ref> m_delayed;
    std::vector<Receipt> m_receipts;
    std::vector<std::uint32_t> m_freeReceipts;
    mutable std::vector<AgeItem> m_ages; ///< min-heap by firstSentAt (lazy deletion)
    TimerHandle m_retentionTimer;
    SimTime m_retentionAt = kForever;
    PerSecondQuota m_sendQuota;
    std::vector<MessageId> m_pendingDeadLetters;
    std::vector<MessageId> m_moving;
    std::vector<std::uint32_t> m_deleting; ///< deleteReceipt's scratch list of entries
    bool m_flushing = false;
    std::vector<std::uint64_t> m_groupKeyCache; ///< per event type without random fields
    std::vector<bool> m_groupKeyKnown;
    std::uint32_t m_visible = 0;
    std::uint32_t m_delayedCount = 0;
    std::uint32_t m_inFlight = 0;
    std::uint32_t m_stored = 0;
    std::uint32_t m_nextPoller = 0;
    bool m_pumping = false;
    bool m_pumpAgain = false;
    DeletionObserver* m_observer = nullptr;
};

} // namespace eventflow::sim
