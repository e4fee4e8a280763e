#include "QueueBehaviour.h"

#include "Engine.h"
#include "QueuePoller.h"
#include "SlotPool.h"

#include <algorithm>
#include <limits>

namespace eventflow::sim {

using model::ComponentType;
using model::ConnectionKind;
using model::ParameterScope;

namespace {

std::uint64_t fnv1a(std::string_view text)
{
    std::uint64_t h = 0xCBF29CE484222325ull;
    for (unsigned char c : text)
        h = (h ^ c) * 0x100000001B3ull;
    return h;
}

// The age heap is a min-heap: std:: heap functions build max-heaps, so compare reversed.
struct Older {
    template <typename T> bool operator()(const T& a, const T& b) const
    {
        return a.firstSentAt != b.firstSentAt ? a.firstSentAt > b.firstSentAt : a.entry > b.entry;
    }
};

} // namespace

QueueBehaviour::QueueBehaviour(Engine& engine, ComponentIndex index) : Behaviour(engine, index)
{
    const auto& self = component();
    m_fifo = self.flag(ParameterScope::Aws, "FifoQueue");
    m_perGroupQuota =
        m_fifo && self.text(ParameterScope::Aws, "FifoThroughputLimit") == "perMessageGroupId";
    m_visibilityTimeout = fromSeconds(self.number(ParameterScope::Aws, "VisibilityTimeout"));
    m_retention = fromSeconds(self.number(ParameterScope::Aws, "MessageRetentionPeriod"));
    m_delay = fromSeconds(self.number(ParameterScope::Aws, "DelaySeconds"));
    m_maxReceiveCount = static_cast<std::uint32_t>(
        std::max(1.0, self.number(ParameterScope::Aws, "RedrivePolicy.maxReceiveCount")));
    m_groupKey = self.text(ParameterScope::Sim, "group_key");
    m_apiLimit = self.number(ParameterScope::Sim, "api_limit_per_s");

    const auto& design = engine.design();
    const auto& links = outgoing();
    for (std::size_t i = 0; i < links.size(); ++i)
        if (links[i].kind == ConnectionKind::DeadLetter && links[i].target != index &&
            design.components[links[i].target].type == ComponentType::Queue && m_deadLetter < 0)
            m_deadLetter = static_cast<int>(i);
    for (const Link& in : incoming())
        if (in.kind == ConnectionKind::DeadLetter &&
            design.components[in.target].type == ComponentType::Queue)
            m_redriveConnections.push_back(in.connection);

    std::uint32_t pollers = 0;
    for (const Link& link : links)
        if (link.kind == ConnectionKind::EventSource)
            ++pollers;
    m_pollers.reserve(pollers);
    for (const Link& link : links)
        if (link.kind == ConnectionKind::EventSource)
            m_pollers.emplace_back(engine, *this, link,
                                   static_cast<std::uint32_t>(m_pollers.size()));

    // Group 0 is the standard queue's single list; FIFO groups are allocated on demand.
    m_groups.emplace_back();
    m_groups[0].used = !m_fifo;
    if (m_fifo)
        m_freeGroups.push_back(0);
    m_groupKeyCache.assign(engine.eventTypes().size(), 0);
    m_groupKeyKnown.assign(engine.eventTypes().size(), false);
}

QueueBehaviour::~QueueBehaviour() = default;

// --- Sends ------------------------------------------------------------------------------------

double QueueBehaviour::queueSendLimit() const
{
    if (faults().throttleLimit >= 0.0)
        return faults().throttleLimit;
    if (m_fifo && !m_perGroupQuota)
        return m_apiLimit;
    return std::numeric_limits<double>::infinity();
}

std::uint64_t QueueBehaviour::groupKeyOf(MessageId message)
{
    if (m_groupKey.empty())
        return 0;
    const std::uint32_t type = engine().message(message).eventType;
    const bool cacheable = type < m_groupKeyKnown.size() && !engine().eventTypes()[type].dynamic;
    if (cacheable && m_groupKeyKnown[type])
        return m_groupKeyCache[type];
    const nlohmann::json* value = model::findPath(engine().eventDocument(message), m_groupKey);
    // A missing field puts the message in the default group, as a producer sending without
    // the attribute would have to pick one constant MessageGroupId.
    const std::uint64_t key = value ? fnv1a(value->dump()) : 0;
    if (cacheable) {
        m_groupKeyCache[type] = key;
        m_groupKeyKnown[type] = true;
    }
    return key;
}

std::uint32_t QueueBehaviour::groupFor(std::uint64_t key)
{
    if (!m_fifo)
        return 0;
    const std::uint32_t found = m_groupIndex.find(key);
    if (found != JobIndex::kMissing)
        return found;
    const std::uint32_t slot = acquireSlot(m_groups, m_freeGroups);
    Group& g = m_groups[slot];
    g.key = key;
    g.visibleCount = g.members = 0;
    g.quota = PerSecondQuota{};
    g.inFlight = g.ready = false;
    g.used = true;
    m_groupIndex.insert(key, slot);
    return slot;
}

void QueueBehaviour::releaseGroupIfUnused(std::uint32_t group)
{
    if (!m_fifo)
        return;
    Group& g = m_groups[group];
    if (!g.used || g.members > 0 || g.inFlight)
        return;
    // A perMessageGroupId quota must outlive an idle instant within its second.
    if (m_perGroupQuota && !g.quota.fits(now(), m_apiLimit, m_apiLimit))
        return;
    m_groupIndex.erase(g.key);
    g.visible.clear();
    g.used = false;
    if (g.ready) {
        g.ready = false;
        --m_readyGroups;
    }
    m_freeGroups.push_back(group);
}

void QueueBehaviour::markReady(std::uint32_t group)
{
    if (!m_fifo)
        return;
    Group& g = m_groups[group];
    if (g.ready || g.inFlight || g.visibleCount == 0)
        return;
    g.ready = true;
    ++m_readyGroups;
    m_ready.push_back(group);
}

Delivery QueueBehaviour::receive(MessageId message, const Link& via)
{
    if (faults().outage) {
        ++stats().failed;
        return Delivery::Failed;
    }
    const std::uint64_t key = m_fifo ? groupKeyOf(message) : 0;
    const double limit = queueSendLimit();
    if (limit < std::numeric_limits<double>::infinity() && !m_sendQuota.fits(now(), 1, limit)) {
        ++stats().throttled;
        return Delivery::Throttled;
    }
    const std::uint32_t group = groupFor(key);
    if (m_perGroupQuota && faults().throttleLimit < 0.0 &&
        !m_groups[group].quota.tryTake(now(), 1, m_apiLimit)) {
        releaseGroupIfUnused(group);
        ++stats().throttled;
        return Delivery::Throttled;
    }
    if (limit < std::numeric_limits<double>::infinity())
        m_sendQuota.take(now(), 1);
    ++stats().received;

    const bool redriven = std::find(m_redriveConnections.begin(), m_redriveConnections.end(),
                                    via.connection) != m_redriveConnections.end();
    Message& m = engine().message(message);
    if (!redriven)
        m.firstSentAt = now(); // a moved message keeps its original send time (retention)
    m.receiveCount = 0;
    m.partitionKey = key;

    const std::uint32_t slot = allocateEntry();
    Entry& e = m_entries[slot];
    e.message = message;
    e.group = group;
    e.arrivedAt = now();
    e.firstSentAt = m.firstSentAt;
    e.retentionDue = false;
    ++m_groups[group].members;
    ++m_stored;
    pushAge(slot);
    if (m_delay > 0) {
        e.state = EntryState::Delayed;
        ++m_delayedCount;
        m_delayed.push_back({slot, e.generation});
        engine().schedule(m_delay, index(), MakeVisible);
    } else {
        makeVisible(slot, false);
    }
    updateGauges();
    pump();
    return Delivery::Accepted;
}

// --- Entries and receipts -------------------------------------------------------------------

std::uint32_t QueueBehaviour::allocateEntry()
{
    return acquireSlot(m_entries, m_freeEntries);
}

void QueueBehaviour::freeEntry(std::uint32_t entry)
{
    Entry& e = m_entries[entry];
    const std::uint32_t group = e.group;
    e.state = EntryState::Free;
    e.message = kNone;
    ++e.generation;
    --m_stored;
    m_freeEntries.push_back(entry);
    --m_groups[group].members;
    releaseGroupIfUnused(group);
}

std::uint32_t QueueBehaviour::allocateReceipt(std::uint32_t poller)
{
    const std::uint32_t slot = acquireSlot(m_receipts, m_freeReceipts);
    Receipt& r = m_receipts[slot];
    r.entries.clear();
    r.messages.clear();
    r.visibility = {};
    r.window = {};
    r.poller = poller;
    r.newestVisibleAt = 0;
    r.group = 0;
    r.throttles = 0;
    r.stage = Stage::Waiting;
    r.hidden = false;
    r.held = true;
    return slot;
}

void QueueBehaviour::freeReceipt(std::uint32_t receipt)
{
    m_receipts[receipt].held = false;
    m_receipts[receipt].hidden = false;
    m_freeReceipts.push_back(receipt);
}

void QueueBehaviour::makeVisible(std::uint32_t entry, bool atFront)
{
    Entry& e = m_entries[entry];
    e.state = EntryState::Visible;
    e.visibleAt = now();
    Group& g = m_groups[e.group];
    if (atFront)
        g.visible.push_front({entry, e.generation});
    else
        g.visible.push_back({entry, e.generation});
    ++g.visibleCount;
    ++m_visible;
    markReady(e.group);
}

bool QueueBehaviour::hasVisible() const
{
    if (faults().outage)
        return false;
    return m_fifo ? m_readyGroups > 0 : m_visible > 0;
}

void QueueBehaviour::takeFromGroup(std::uint32_t group, std::uint32_t receipt,
                                   std::uint32_t maxMessages)
{
    Receipt& r = m_receipts[receipt];
    Group& g = m_groups[group];
    while (r.entries.size() < maxMessages && g.visibleCount > 0) {
        const Ref ref = g.visible.front();
        g.visible.pop_front();
        if (!alive(ref))
            continue;
        Entry& e = m_entries[ref.entry];
        --g.visibleCount;
        --m_visible;
        Message& m = engine().message(e.message);
        if (m_deadLetter >= 0 && m.receiveCount >= m_maxReceiveCount) {
            // The receive that would exceed maxReceiveCount moves the message instead. The
            // hand-over waits until the queue's own state is consistent (flushDeadLetters).
            m_pendingDeadLetters.push_back(e.message);
            freeEntry(ref.entry);
            continue;
        }
        if (++m.receiveCount > 1)
            ++stats().retried;
        e.state = EntryState::InFlight;
        ++m_inFlight;
        r.newestVisibleAt = std::max(r.newestVisibleAt, e.visibleAt);
        r.entries.push_back(ref.entry);
    }
}

void QueueBehaviour::flushDeadLetters()
{
    // A hand-over may come back here (a dead-letter queue whose own dead-letter queue is this
    // one): the outer call then moves what was added meanwhile.
    if (m_flushing)
        return;
    m_flushing = true;
    const Link link =
        m_deadLetter >= 0 ? outgoing()[static_cast<std::size_t>(m_deadLetter)] : Link{};
    while (!m_pendingDeadLetters.empty()) {
        m_moving.clear();
        m_moving.swap(m_pendingDeadLetters);
        for (MessageId id : m_moving) {
            engine().detach(id);
            if (engine().deliver(index(), link, id) == Delivery::Accepted) {
                ++stats().deadLettered;
            } else {
                // The dead-letter queue refused (outage, quota): SQS would keep the message,
                // but its request already ended dead-lettered; it is lost, counted as failed.
                ++stats().failed;
                engine().finish(id, Fate::Failed);
            }
        }
    }
    m_flushing = false;
}

std::uint32_t QueueBehaviour::receiveBatch(std::uint32_t poller, std::uint32_t maxMessages)
{
    if (faults().outage || maxMessages == 0)
        return kNone;
    const std::uint32_t slot = allocateReceipt(poller);
    if (m_fifo) {
        while (m_readyGroups > 0 && m_receipts[slot].entries.empty()) {
            const std::uint32_t group = m_ready.front();
            m_ready.pop_front();
            Group& g = m_groups[group];
            if (!g.used || !g.ready)
                continue; // a stale entry: the group was taken or released meanwhile
            g.ready = false;
            --m_readyGroups;
            // Guard the group while messages are dead-lettered out of it.
            g.inFlight = true;
            takeFromGroup(group, slot, maxMessages);
            if (!m_receipts[slot].entries.empty()) {
                m_receipts[slot].group = group;
            } else {
                m_groups[group].inFlight = false;
                releaseGroupIfUnused(group);
            }
        }
    } else {
        takeFromGroup(0, slot, maxMessages);
    }
    Receipt& r = m_receipts[slot];
    if (r.entries.empty()) {
        freeReceipt(slot);
        updateGauges();
        flushDeadLetters();
        return kNone;
    }
    r.hidden = true;
    r.hiddenUntil = now() + m_visibilityTimeout;
    r.visibility = engine().scheduleTimer(m_visibilityTimeout, index(), VisibilityExpired, slot);
    updateGauges();
    flushDeadLetters();
    return slot;
}

std::uint32_t QueueBehaviour::topUp(std::uint32_t receipt, std::uint32_t maxMessages)
{
    Receipt& r = m_receipts[receipt];
    if (faults().outage || !r.hidden)
        return 0;
    const std::size_t before = r.entries.size();
    takeFromGroup(m_fifo ? r.group : 0, receipt, maxMessages);
    const auto added = static_cast<std::uint32_t>(m_receipts[receipt].entries.size() - before);
    updateGauges();
    flushDeadLetters();
    return added;
}

std::span<const MessageId> QueueBehaviour::prepareDelivery(std::uint32_t receipt)
{
    Receipt& r = m_receipts[receipt];
    r.messages.clear();
    for (std::uint32_t entry : r.entries) {
        const Entry& e = m_entries[entry];
        r.messages.push_back(e.message);
    }
    return r.messages;
}

void QueueBehaviour::deleteReceipt(std::uint32_t receipt, std::span<const std::uint32_t> failed)
{
    Receipt& r = m_receipts[receipt];
    if (!r.hidden)
        return;
    // Failed records stay hidden under the receipt; the FIFO group stays taken until they return.
    m_deleting.clear();
    m_deleting.swap(r.entries);
    for (std::uint32_t record : failed)
        r.entries.push_back(m_deleting[record]);
    const bool whole = r.entries.empty();
    if (whole) {
        engine().cancelTimer(r.visibility);
        r.hidden = false;
    }
    const std::uint32_t group = r.group;
    if (m_fifo && whole)
        m_groups[group].inFlight = false;
    // Entries are freed in the loop; their group is only released after the last one.
    ++m_groups[group].members;
    std::size_t next = 0; // the failed records are ascending
    for (std::uint32_t i = 0; i < m_deleting.size(); ++i) {
        if (next < failed.size() && failed[next] == i) {
            ++next;
            continue;
        }
        const std::uint32_t entry = m_deleting[i];
        Entry& e = m_entries[entry];
        const MessageId id = e.message;
        ++stats().completed;
        stats().latency.record(now() - e.arrivedAt);
        --m_inFlight;
        freeEntry(entry);
        if (m_observer)
            m_observer->onDeleted(id);
        engine().finish(id, Fate::Completed);
    }
    --m_groups[group].members;
    markReady(group);
    releaseGroupIfUnused(group);
    updateGauges();
}

void QueueBehaviour::releaseReceipt(std::uint32_t receipt)
{
    Receipt& r = m_receipts[receipt];
    r.held = false;
    if (!r.hidden)
        freeReceipt(receipt);
}

void QueueBehaviour::consumerActivity(int delta)
{
    stats().concurrency.add(now(), delta);
}

void QueueBehaviour::onVisibilityExpired(std::uint32_t receipt)
{
    Receipt& r = m_receipts[receipt];
    r.visibility = {};
    r.hidden = false;
    const std::uint32_t group = r.group;
    ++m_groups[group].members; // keep the group while its entries move
    // Back to the front, in their original order: a FIFO group resumes where it stopped.
    for (auto it = r.entries.rbegin(); it != r.entries.rend(); ++it) {
        Entry& e = m_entries[*it];
        --m_inFlight;
        if (e.retentionDue) {
            expireEntry(*it);
            continue;
        }
        makeVisible(*it, true);
    }
    if (m_fifo)
        m_groups[group].inFlight = false;
    --m_groups[group].members;
    markReady(group);
    releaseGroupIfUnused(group);
    updateGauges();
    const bool letGo = m_pollers[r.poller].onReturned(receipt);
    if (letGo)
        m_receipts[receipt].held = false;
    if (!m_receipts[receipt].held)
        freeReceipt(receipt);
    pump();
}

// --- Retention --------------------------------------------------------------------------------

void QueueBehaviour::pushAge(std::uint32_t entry)
{
    const Entry& e = m_entries[entry];
    // Compaction keeps the heap within twice the stored messages (lazy deletion).
    if (m_ages.size() > 2 * static_cast<std::size_t>(m_stored) + 64) {
        m_ages.clear();
        for (std::uint32_t i = 0; i < m_entries.size(); ++i)
            if (m_entries[i].state != EntryState::Free && i != entry)
                m_ages.push_back({m_entries[i].firstSentAt, i, m_entries[i].generation});
        std::make_heap(m_ages.begin(), m_ages.end(), Older{});
    }
    m_ages.push_back({e.firstSentAt, entry, e.generation});
    std::push_heap(m_ages.begin(), m_ages.end(), Older{});
    scheduleRetentionCheck();
}

void QueueBehaviour::scheduleRetentionCheck()
{
    if (m_ages.empty())
        return;
    const SimTime due = m_ages.front().firstSentAt + m_retention;
    if (due >= m_retentionAt)
        return;
    engine().cancelTimer(m_retentionTimer);
    m_retentionAt = due;
    m_retentionTimer = engine().scheduleTimer(due - now(), index(), RetentionCheck);
}

void QueueBehaviour::expireEntry(std::uint32_t entry)
{
    Entry& e = m_entries[entry];
    const MessageId id = e.message;
    switch (e.state) {
    case EntryState::Visible: {
        Group& g = m_groups[e.group];
        --g.visibleCount;
        --m_visible;
        if (m_fifo && g.visibleCount == 0 && g.ready) {
            g.ready = false; // its entry in m_ready goes stale
            --m_readyGroups;
        }
        break;
    }
    case EntryState::Delayed:
        --m_delayedCount;
        break;
    case EntryState::InFlight:
    case EntryState::Free:
        break;
    }
    ++stats().expired;
    freeEntry(entry);
    engine().finish(id, Fate::Expired);
}

void QueueBehaviour::onRetentionCheck()
{
    m_retentionTimer = {};
    m_retentionAt = kForever;
    while (!m_ages.empty() && m_ages.front().firstSentAt + m_retention <= now()) {
        const AgeItem item = m_ages.front();
        std::pop_heap(m_ages.begin(), m_ages.end(), Older{});
        m_ages.pop_back();
        if (!alive({item.entry, item.generation}))
            continue;
        if (m_entries[item.entry].state == EntryState::InFlight)
            m_entries[item.entry].retentionDue = true;
        else
            expireEntry(item.entry);
    }
    scheduleRetentionCheck();
    updateGauges();
}

SimTime QueueBehaviour::oldestAge() const
{
    // Stale tops are dropped here too: logically const, the heap only sheds dead entries.
    while (!m_ages.empty() && !alive({m_ages.front().entry, m_ages.front().generation})) {
        std::pop_heap(m_ages.begin(), m_ages.end(), Older{});
        m_ages.pop_back();
    }
    return m_ages.empty() ? 0 : now() - m_ages.front().firstSentAt;
}

// --- Events -----------------------------------------------------------------------------------

void QueueBehaviour::handle(std::uint32_t action, std::uint64_t argument)
{
    const auto poller = static_cast<std::uint32_t>(argument >> 32);
    const auto slot = static_cast<std::uint32_t>(argument & 0xFFFFFFFFu);
    switch (action) {
    case MakeVisible: {
        const Ref ref = m_delayed.front();
        m_delayed.pop_front();
        if (alive(ref) && m_entries[ref.entry].state == EntryState::Delayed) {
            --m_delayedCount;
            makeVisible(ref.entry, false);
            updateGauges();
            pump();
        }
        break;
    }
    case VisibilityExpired:
        onVisibilityExpired(slot);
        break;
    case RetentionCheck:
        onRetentionCheck();
        break;
    case PollerInvoke:
        m_pollers[poller].onInvokeDue(slot);
        break;
    case PollerWindowEnd:
        m_pollers[poller].onWindowEnd(slot);
        break;
    case PollerRetry:
        m_pollers[poller].onRetryDue(slot);
        break;
    case PollerScaleTick:
        m_pollers[poller].onScaleTick();
        break;
    default:
        break;
    }
}

void QueueBehaviour::onResponse(std::uint64_t token, CallId call, Outcome outcome)
{
    m_pollers[static_cast<std::uint32_t>(token >> 32)].onResponse(
        static_cast<std::uint32_t>(token & 0xFFFFFFFFu), call, outcome);
}

void QueueBehaviour::onFaultChanged()
{
    if (!faults().outage)
        pump();
}

void QueueBehaviour::pump()
{
    if (m_pumping) {
        m_pumpAgain = true;
        return;
    }
    m_pumping = true;
    const auto n = static_cast<std::uint32_t>(m_pollers.size());
    do {
        m_pumpAgain = false;
        if (n == 0 || faults().outage)
            break;
        bool progress;
        do {
            progress = false;
            for (std::uint32_t k = 0; k < n; ++k)
                if (m_pollers[(m_nextPoller + k) % n].pollOnce())
                    progress = true;
        } while (progress && hasVisible());
        m_nextPoller = (m_nextPoller + 1) % n; // the next pump starts with the next consumer
    } while (m_pumpAgain);
    m_pumping = false;
}

void QueueBehaviour::updateGauges()
{
    stats().backlog.set(now(), m_visible + m_delayedCount);
    stats().inFlight.set(now(), m_inFlight);
}

} // namespace eventflow::sim
