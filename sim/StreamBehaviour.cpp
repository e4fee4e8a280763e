#include "StreamBehaviour.h"

#include "Engine.h"

#include <algorithm>
#include <charconv>

namespace eventflow::sim {

using model::ComponentType;
using model::ConnectionKind;
using model::ParameterScope;

namespace {

constexpr SimTime kIdlePollInterval = kSecond;
constexpr SimTime kThrottleBackoffCap = 60 * kSecond;

std::uint64_t fnv1a(const char* data, std::size_t size)
{
    std::uint64_t h = 0xCBF29CE484222325ull;
    for (std::size_t i = 0; i < size; ++i)
        h = (h ^ static_cast<unsigned char>(data[i])) * 0x100000001B3ull;
    return h;
}

/// Kinesis hashes the key's text (MD5 into 128-bit ranges): "42" and 42 are the same key.
std::uint64_t hashKey(const nlohmann::json* value)
{
    if (!value || value->is_null())
        return fnv1a("", 0);
    if (value->is_string()) {
        const auto& s = value->get_ref<const std::string&>();
        return fnv1a(s.data(), s.size());
    }
    if (value->is_number_integer()) {
        char buffer[24];
        const auto end = std::to_chars(buffer, buffer + sizeof buffer, value->get<std::int64_t>());
        return fnv1a(buffer, static_cast<std::size_t>(end.ptr - buffer));
    }
    const std::string text = value->dump();
    return fnv1a(text.data(), text.size());
}

/// Spreads a key hash evenly over shards and lanes (splitmix64 finaliser).
std::uint64_t mix(std::uint64_t x)
{
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

} // namespace

StreamBehaviour::StreamBehaviour(Engine& engine, ComponentIndex index) : Behaviour(engine, index)
{
    const auto& self = component();
    const auto shardCount =
        static_cast<std::size_t>(std::max(1.0, self.number(ParameterScope::Aws, "ShardCount")));
    m_shards.resize(shardCount);
    m_retention = fromSeconds(self.number(ParameterScope::Aws, "RetentionPeriodHours") * 3600.0);
    m_keyPath = self.text(ParameterScope::Sim, "partition_key");
    m_keyCache.assign(engine.eventTypes().size(), 0);
    m_keyKnown.assign(engine.eventTypes().size(), 0);

    const auto& design = engine.design();
    for (const Link& link : outgoing()) {
        if (link.kind != ConnectionKind::EventSource ||
            design.components[link.target].type != ComponentType::Function)
            continue;
        const auto& connection = engine.connection(link);
        Consumer c;
        c.link = link;
        c.function = link.target;
        if (const auto* size = model::findPath(connection.props, "BatchSize");
            size && size->is_number())
            c.batchSize = static_cast<std::size_t>(std::max(1.0, size->get<double>()));
        c.window =
            fromSeconds(connection.number(ParameterScope::Aws, "MaximumBatchingWindowInSeconds"));
        c.parallelization = static_cast<std::uint32_t>(
            std::clamp(connection.number(ParameterScope::Aws, "ParallelizationFactor"), 1.0, 10.0));
        c.bisect = connection.flag(ParameterScope::Aws, "BisectBatchOnFunctionError");
        c.maxRetries = static_cast<std::int64_t>(
            connection.number(ParameterScope::Aws, "MaximumRetryAttempts"));
        const double maxAge = connection.number(ParameterScope::Aws, "MaximumRecordAgeInSeconds");
        c.maxRecordAge = maxAge < 0 ? kForever : fromSeconds(maxAge);
        model::Diagnostics ignored; // the validator reports a malformed distribution
        c.pollLatency = model::Distribution::parse(
                            connection.parameter(ParameterScope::Sim, "poll_latency"), {}, ignored)
                            .value_or(model::Distribution::constant(15));
        const auto& functionLinks = engine.outgoing(c.function);
        for (std::size_t i = 0; i < functionLinks.size(); ++i)
            if (functionLinks[i].kind == ConnectionKind::OnFailure) {
                c.onFailure = static_cast<int>(i);
                break;
            }
        m_consumers.push_back(c);
    }

    for (std::uint32_t c = 0; c < m_consumers.size(); ++c)
        for (std::uint32_t s = 0; s < shardCount; ++s) {
            m_pollPhase.push_back(static_cast<SimTime>(random().uniform() * kIdlePollInterval));
            for (std::uint32_t p = 0; p < m_consumers[c].parallelization; ++p) {
                Lane lane;
                lane.consumer = c;
                lane.shard = s;
                lane.batch.reserve(m_consumers[c].batchSize);
                m_lanes.push_back(std::move(lane));
            }
        }
}

void StreamBehaviour::start()
{
    if (m_retention <= engine().endTime())
        engine().schedule(m_retention, index(), Expire);
}

std::size_t StreamBehaviour::laneOf(std::uint32_t consumer, std::uint32_t shard,
                                    std::uint64_t key) const
{
    std::size_t first = 0;
    for (std::uint32_t c = 0; c < consumer; ++c)
        first += m_shards.size() * m_consumers[c].parallelization;
    const std::uint32_t parallel = m_consumers[consumer].parallelization;
    // A second mix, so the lane does not repeat the shard choice when the counts share factors.
    return first + std::size_t(shard) * parallel +
           static_cast<std::size_t>(mix(key ^ 0x5851F42D4C957F2Dull) % parallel);
}

std::uint64_t StreamBehaviour::partitionKey(MessageId message)
{
    if (m_keyPath.empty())
        return random().next();
    const std::uint32_t type = engine().message(message).eventType;
    const bool cacheable = type < m_keyCache.size() && !engine().eventTypes()[type].dynamic;
    if (cacheable && m_keyKnown[type])
        return m_keyCache[type];
    const std::uint64_t key = hashKey(model::findPath(engine().eventDocument(message), m_keyPath));
    if (cacheable) {
        m_keyCache[type] = key;
        m_keyKnown[type] = 1;
    }
    return key;
}

std::size_t StreamBehaviour::shardForKey(std::string_view key, std::size_t shardCount)
{
    return static_cast<std::size_t>(mix(fnv1a(key.data(), key.size())) %
                                    std::max<std::size_t>(1, shardCount));
}

StreamBehaviour::ShardView StreamBehaviour::shard(std::size_t shard) const
{
    ShardView view;
    const Shard& s = m_shards[shard];
    view.written = s.written;
    view.throttled = s.throttled;
    view.unprocessed = s.retained.size();
    for (const Lane& lane : m_lanes)
        if (lane.shard == shard)
            view.unprocessed += lane.pending.size() + lane.batch.size();
    return view;
}

SimTime StreamBehaviour::oldestAge() const
{
    SimTime oldest = kForever;
    auto consider = [&](MessageId id) {
        oldest = std::min(oldest, engine().message(id).firstSentAt);
    };
    for (const Lane& lane : m_lanes) {
        if (!lane.batch.empty())
            consider(lane.batch.front());
        if (!lane.pending.empty())
            consider(lane.pending.front());
    }
    for (const Shard& s : m_shards)
        if (!s.retained.empty())
            consider(s.retained.front());
    return oldest == kForever ? 0 : now() - oldest;
}

void StreamBehaviour::setBacklog(std::int64_t delta)
{
    m_unprocessed += delta;
    stats().backlog.set(now(), static_cast<double>(m_unprocessed));
}

Delivery StreamBehaviour::receive(MessageId message, const Link&)
{
    ++stats().received;
    if (faults().outage) {
        ++stats().failed;
        return Delivery::Failed;
    }
    const std::uint64_t key = partitionKey(message);
    const auto shardIndex = static_cast<std::uint32_t>(mix(key) % m_shards.size());
    Shard& shard = m_shards[shardIndex];
    const double recordLimit =
        faults().throttleLimit >= 0.0 ? faults().throttleLimit : kShardRecordsPerSecond;
    const double size = engine().message(message).sizeBytes;
    if (!shard.records.fits(now(), 1.0, recordLimit) ||
        !shard.bytes.fits(now(), size, kShardBytesPerSecond)) {
        ++shard.throttled;
        ++stats().throttled;
        return Delivery::Throttled;
    }
    shard.records.take(now(), 1.0);
    shard.bytes.take(now(), size);
    ++shard.written;
    Message& m = engine().message(message);
    m.partitionKey = key;
    m.firstSentAt = now();

    if (m_consumers.empty()) {
        shard.retained.push_back(message);
        setBacklog(1);
        return Delivery::Accepted;
    }
    // Each mapping reads the stream on its own: one copy per consumer, forked before any lane
    // may act on one.
    const auto consumers = static_cast<std::uint32_t>(m_consumers.size());
    for (std::uint32_t c = consumers; c-- > 0;) {
        const MessageId copy = c == 0 ? message : engine().fork(message);
        const std::size_t lane = laneOf(c, shardIndex, key);
        m_lanes[lane].pending.push_back(copy);
    }
    setBacklog(consumers);
    for (std::uint32_t c = 0; c < consumers; ++c)
        kick(laneOf(c, shardIndex, key));
    return Delivery::Accepted;
}

void StreamBehaviour::kick(std::size_t laneIndex)
{
    Lane& lane = m_lanes[laneIndex];
    if (lane.state == LaneState::Idle) {
        // An idle lane finds new records at its shard's next once-per-second poll.
        const SimTime phase = m_pollPhase[lane.consumer * m_shards.size() + lane.shard];
        SimTime due = phase;
        if (now() > phase)
            due = phase +
                  (now() - phase + kIdlePollInterval - 1) / kIdlePollInterval * kIdlePollInterval;
        lane.state = LaneState::Polling;
        lane.timer = engine().scheduleTimer(due - now(), index(), Poll, laneIndex);
        return;
    }
    if (lane.state == LaneState::Gathering &&
        lane.pending.size() >= m_consumers[lane.consumer].batchSize) {
        engine().cancelTimer(lane.timer);
        lane.state = LaneState::Polling;
        lane.timer = engine().scheduleTimer(0, index(), Poll, laneIndex);
    }
}

void StreamBehaviour::handle(std::uint32_t action, std::uint64_t argument)
{
    switch (action) {
    case Poll:
        poll(static_cast<std::size_t>(argument));
        break;
    case Retry:
        retry(static_cast<std::size_t>(argument));
        break;
    case Expire:
        expireRetained();
        break;
    default:
        break;
    }
}

void StreamBehaviour::poll(std::size_t laneIndex)
{
    Lane& lane = m_lanes[laneIndex];
    const Consumer& consumer = m_consumers[lane.consumer];
    lane.timer = {};
    if (consumer.window > 0 && lane.state == LaneState::Polling && lane.splits.empty() &&
        lane.pending.size() < consumer.batchSize) {
        lane.state = LaneState::Gathering;
        lane.timer = engine().scheduleTimer(consumer.window, index(), Poll, laneIndex);
        return;
    }
    formBatch(lane);
    if (lane.batch.empty()) {
        lane.state = LaneState::Idle;
        return;
    }
    invoke(laneIndex);
}

void StreamBehaviour::popPending(Lane& lane)
{
    lane.pending.pop_front();
    if (!lane.splits.empty() && --lane.splits.back() == 0)
        lane.splits.pop_back();
}

bool StreamBehaviour::dropIfStale(const Lane& lane, MessageId record)
{
    const SimTime age = now() - engine().message(record).firstSentAt;
    if (age >= m_retention) {
        expire(record);
        return true;
    }
    if (age > m_consumers[lane.consumer].maxRecordAge) {
        giveUp(m_consumers[lane.consumer], record);
        return true;
    }
    return false;
}

void StreamBehaviour::formBatch(Lane& lane)
{
    const Consumer& consumer = m_consumers[lane.consumer];
    // A split half is retried on its own, never merged with the records behind it.
    std::size_t limit = lane.splits.empty() ? consumer.batchSize : lane.splits.back();
    std::size_t bytes = 0;
    while (limit > 0 && !lane.pending.empty()) {
        const MessageId record = lane.pending.front();
        const std::size_t size = engine().message(record).sizeBytes;
        if (!lane.batch.empty() && bytes + size > kMaxBatchBytes)
            break;
        popPending(lane);
        --limit;
        if (dropIfStale(lane, record))
            continue;
        lane.batch.push_back(record);
        bytes += size;
    }
}

void StreamBehaviour::invoke(std::size_t laneIndex)
{
    Lane& lane = m_lanes[laneIndex];
    lane.state = LaneState::Invoking;
    m_invoked += static_cast<std::int64_t>(lane.batch.size());
    stats().inFlight.set(now(), static_cast<double>(m_invoked));
    engine().callBatch(index(), m_consumers[lane.consumer].link, lane.batch, laneIndex);
}

void StreamBehaviour::onResponse(std::uint64_t token, CallId, Outcome outcome)
{
    const auto laneIndex = static_cast<std::size_t>(token);
    Lane& lane = m_lanes[laneIndex];
    if (lane.state != LaneState::Invoking)
        return;
    const Consumer& consumer = m_consumers[lane.consumer];
    m_invoked -= static_cast<std::int64_t>(lane.batch.size());
    stats().inFlight.set(now(), static_cast<double>(m_invoked));

    if (outcome == Outcome::Success) {
        for (MessageId record : lane.batch)
            processed(record);
        lane.batch.clear();
        lane.retries = 0;
        lane.throttles = 0;
        next(laneIndex);
        return;
    }
    lane.state = LaneState::Waiting;
    if (outcome == Outcome::Throttled) {
        ++lane.throttles;
        ++stats().retried;
        const SimTime wait = lane.throttles > 7
                                 ? kThrottleBackoffCap
                                 : std::min(kThrottleBackoffCap, kSecond << (lane.throttles - 1));
        lane.timer = engine().scheduleTimer(wait, index(), Retry, laneIndex);
        return;
    }
    const SimTime pollWait = fromMillis(random().sample(consumer.pollLatency));
    if (consumer.bisect && lane.batch.size() > 1) {
        const std::size_t half = lane.batch.size() / 2;
        for (std::size_t i = lane.batch.size(); i-- > half;)
            lane.pending.push_front(lane.batch[i]);
        lane.splits.push_back(lane.batch.size() - half);
        lane.batch.resize(half);
        lane.retries = 0;
        ++stats().retried;
        lane.timer = engine().scheduleTimer(pollWait, index(), Retry, laneIndex);
        return;
    }
    ++lane.retries;
    if (consumer.maxRetries >= 0 && lane.retries > consumer.maxRetries) {
        for (MessageId record : lane.batch)
            giveUp(consumer, record);
        lane.batch.clear();
        lane.retries = 0;
        lane.throttles = 0;
        next(laneIndex);
        return;
    }
    ++stats().retried;
    lane.timer = engine().scheduleTimer(pollWait, index(), Retry, laneIndex);
}

void StreamBehaviour::retry(std::size_t laneIndex)
{
    Lane& lane = m_lanes[laneIndex];
    lane.timer = {};
    std::size_t kept = 0;
    for (MessageId record : lane.batch)
        if (!dropIfStale(lane, record))
            lane.batch[kept++] = record;
    lane.batch.resize(kept);
    if (lane.batch.empty()) {
        lane.retries = 0;
        lane.throttles = 0;
        next(laneIndex);
        return;
    }
    invoke(laneIndex);
}

void StreamBehaviour::next(std::size_t laneIndex)
{
    Lane& lane = m_lanes[laneIndex];
    if (lane.pending.empty()) {
        lane.state = LaneState::Idle;
        return;
    }
    // With records left the poller comes back at once, not at the next idle poll.
    lane.state = LaneState::Polling;
    lane.timer =
        engine().scheduleTimer(fromMillis(random().sample(m_consumers[lane.consumer].pollLatency)),
                               index(), Poll, laneIndex);
}

void StreamBehaviour::processed(MessageId record)
{
    ++stats().completed;
    stats().latency.record(now() - engine().message(record).firstSentAt);
    setBacklog(-1);
    engine().finish(record, Fate::Completed);
}

void StreamBehaviour::expire(MessageId record)
{
    ++stats().expired;
    setBacklog(-1);
    engine().finish(record, Fate::Expired);
}

void StreamBehaviour::giveUp(const Consumer& consumer, MessageId record)
{
    setBacklog(-1);
    if (consumer.onFailure >= 0) {
        const Link& destination =
            engine().outgoing(consumer.function)[static_cast<std::size_t>(consumer.onFailure)];
        engine().detach(record);
        if (engine().deliver(consumer.function, destination, record) == Delivery::Accepted) {
            ++stats().deadLettered;
            return;
        }
    }
    ++stats().failed;
    engine().finish(record, Fate::Failed);
}

void StreamBehaviour::expireRetained()
{
    SimTime oldest = kForever;
    auto expireFront = [&](std::deque<MessageId>& records, Lane* lane) {
        while (!records.empty() &&
               now() - engine().message(records.front()).firstSentAt >= m_retention) {
            const MessageId record = records.front();
            if (lane)
                popPending(*lane);
            else
                records.pop_front();
            expire(record);
        }
        if (!records.empty())
            oldest = std::min(oldest, engine().message(records.front()).firstSentAt);
    };
    for (Shard& s : m_shards)
        expireFront(s.retained, nullptr);
    for (Lane& lane : m_lanes)
        expireFront(lane.pending, &lane);
    // Records are kept in write order, so the next expiry is the oldest front's.
    const SimTime due = oldest == kForever ? now() + m_retention : oldest + m_retention;
    if (due <= engine().endTime())
        engine().schedule(due - now(), index(), Expire);
}

} // namespace eventflow::sim
