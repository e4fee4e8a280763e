#include "Engine.h"

#include "BehaviourFactory.h"
#include "SlotPool.h"

#include <algorithm>
#include <functional>
#include <stdexcept>

namespace eventflow::sim {

namespace {

constexpr std::uint8_t kFaultPriority = 40;
constexpr std::uint8_t kWarmupPriority = 60;
constexpr std::uint8_t kSamplePriority = 220;
constexpr std::uint32_t kResponseAction = 1000;

bool hasRandomFields(const nlohmann::json& value)
{
    if (value.is_object()) {
        if (value.contains("dist") || value.contains("oneOf"))
            return true;
        for (const auto& item : value.items())
            if (hasRandomFields(item.value()))
                return true;
    } else if (value.is_array()) {
        for (const auto& item : value)
            if (hasRandomFields(item))
                return true;
    }
    return false;
}

/// Replaces {"dist": ...} by a number and {"oneOf": [...]} by one of its items, recursively.
void drawRandomFields(nlohmann::json& value, RandomStream& random)
{
    if (value.is_object()) {
        if (value.contains("oneOf") && value["oneOf"].is_array() && !value["oneOf"].empty()) {
            const auto& options = value["oneOf"];
            value = nlohmann::json(options[static_cast<std::size_t>(random.below(options.size()))]);
            drawRandomFields(value, random); // an option may itself be random
            return;
        }
        if (value.contains("dist")) {
            model::Diagnostics ignored;
            if (auto d = model::Distribution::parse(value, {}, ignored)) {
                const double x = random.sample(*d);
                value = value.value("integer", false) ? nlohmann::json(std::llround(x))
                                                      : nlohmann::json(x);
            }
            return;
        }
        for (auto& item : value.items())
            drawRandomFields(item.value(), random);
    } else if (value.is_array()) {
        for (auto& item : value)
            drawRandomFields(item, random);
    }
}

} // namespace

Engine::Engine(const model::Design& design) : m_design(design)
{
    compile();
}

Engine::~Engine() = default;

void Engine::compile()
{
    const auto& s = m_design.simulation;
    m_endTime = fromSeconds(s.durationSeconds);
    m_warmupEnd = std::clamp(fromSeconds(s.warmupSeconds), SimTime{0}, m_endTime);
    m_sampleInterval = std::max<SimTime>(kMillisecond, fromSeconds(s.sampleIntervalSeconds));
    m_maxEventsPerSecond = static_cast<std::uint64_t>(std::max(1.0, s.maxEventsPerSimSecond));
    m_maxEventsTotal = static_cast<std::uint64_t>(std::max(1.0, s.maxEventsTotal));
    m_series.intervalSeconds = toSeconds(m_sampleInterval);

    const std::size_t n = m_design.components.size();
    m_stats.resize(n);
    m_faults.resize(n);
    m_outgoing.resize(n);
    m_incoming.resize(n);
    m_lastSampled.resize(n);
    m_random.reserve(n);
    for (const auto& c : m_design.components)
        m_random.emplace_back(s.seed, c.id);

    for (std::size_t i = 0; i < m_design.connections.size(); ++i) {
        const auto& c = m_design.connections[i];
        const int from = m_design.indexOf(c.from);
        const int to = m_design.indexOf(c.to);
        if (from < 0 || to < 0)
            continue; // the validator reports dangling connections; the engine skips them
        const Link link{static_cast<ComponentIndex>(to), c.kind, static_cast<std::uint32_t>(i)};
        m_outgoing[static_cast<std::size_t>(from)].push_back(link);
        m_incoming[static_cast<std::size_t>(to)].push_back(
            {static_cast<ComponentIndex>(from), c.kind, static_cast<std::uint32_t>(i)});
    }

    m_lambdaAccount.limit = s.accountConcurrency;
    for (const auto& c : m_design.components)
        if (c.type == model::ComponentType::Function) {
            const auto reserved =
                c.parameter(model::ParameterScope::Aws, "ReservedConcurrentExecutions");
            if (reserved.is_number())
                m_lambdaAccount.reserved += reserved.get<double>();
        }

    buildEventTypes();

    m_behaviours.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
        m_behaviours.push_back(
            createBehaviour(*this, static_cast<ComponentIndex>(i), m_design.components[i].type));

    for (const auto& c : m_design.components) {
        auto& series = m_series.components[c.id];
        for (const auto& metric : TimeSeries::metricNames())
            series[metric];
    }
}

void Engine::buildEventTypes()
{
    m_producerEventTypes.resize(m_design.components.size());
    for (const auto& traffic : m_design.traffic) {
        const int producer = m_design.indexOf(traffic.producer);
        if (producer < 0)
            continue;
        for (const auto& e : traffic.events) {
            EventType type;
            type.document = {
                {"version", "0"},
                {"id", "00000000-0000-0000-0000-" + std::to_string(m_eventTypes.size())},
                {"detail-type", e.detailType},
                {"source", e.source},
                {"account", "123456789012"},
                {"time", "2026-01-01T00:00:00Z"},
                {"region", "us-east-1"},
                {"resources", nlohmann::json::array()},
                {"detail", e.detail}};
            type.attributes = e.attributes;
            type.dynamic = hasRandomFields(e.detail) || hasRandomFields(e.attributes);
            type.origin = &e;
            type.base = static_cast<std::uint32_t>(m_eventTypes.size());
            m_producerEventTypes[static_cast<std::size_t>(producer)].push_back(
                static_cast<std::uint32_t>(m_eventTypes.size()));
            m_eventTypes.push_back(std::move(type));
        }
    }

    // PutEvents entries with their own Source and DetailType: one restamped type per producer
    // type and connection, made now so that behaviours size their per-type caches for them.
    // Both fields are replaced, so a restamped type's base is the producer type it carries the
    // detail of and a later restamp keeps nothing of an earlier one.
    const std::size_t produced = m_eventTypes.size();
    m_stampedTypes.resize(m_design.connections.size());
    for (std::size_t c = 0; c < m_design.connections.size(); ++c) {
        const auto& connection = m_design.connections[c];
        const int target = m_design.indexOf(connection.to);
        if (connection.kind != model::ConnectionKind::Send || target < 0 ||
            m_design.components[static_cast<std::size_t>(target)].type !=
                model::ComponentType::EventBus)
            continue;
        const model::PutEventsEntry entry = connection.putEventsEntry();
        if (!entry.complete()) // PutEvents needs both; the validator refuses one alone
            continue;
        for (std::size_t b = 0; b < produced; ++b) {
            EventType stamped = m_eventTypes[b];
            stamped.document["source"] = entry.source;
            stamped.document["detail-type"] = entry.detailType;
            m_stampedTypes[c].push_back(static_cast<std::uint32_t>(m_eventTypes.size()));
            m_eventTypes.push_back(std::move(stamped));
        }
    }
}

void Engine::stampEvent(MessageId id, const Link& via)
{
    const auto& stamps = m_stampedTypes[via.connection];
    if (stamps.empty())
        return;
    Message& m = m_messages[id];
    m.eventType = stamps[m_eventTypes[m.eventType].base];
    if (m.payload == kNone)
        return;
    // Forks share a drawn document: give this message its own before changing it.
    if (m_payloadReferences[m.payload] > 1) {
        const std::uint32_t slot = acquireSlot(m_payloads, m_freePayloads);
        m_payloadReferences.resize(std::max<std::size_t>(m_payloadReferences.size(), slot + 1));
        --m_payloadReferences[m.payload];
        m_payloads[slot] = m_payloads[m.payload];
        m_payloadReferences[slot] = 1;
        m.payload = slot;
    }
    const nlohmann::json& stamped = m_eventTypes[m.eventType].document;
    nlohmann::json& event = m_payloads[m.payload]["event"];
    event["source"] = stamped["source"];
    event["detail-type"] = stamped["detail-type"];
}

const std::vector<std::uint32_t>& Engine::producerEventTypes(ComponentIndex producer) const
{
    return m_producerEventTypes[producer];
}

void Engine::schedule(SimTime delay, ComponentIndex target, std::uint32_t action,
                      std::uint64_t argument)
{
    m_events.push(m_now + std::max<SimTime>(0, delay), FutureEventSet::kDefaultPriority, target,
                  action, argument);
}

TimerHandle Engine::scheduleTimer(SimTime delay, ComponentIndex target, std::uint32_t action,
                                  std::uint64_t argument)
{
    return m_events.pushTimer(m_now + std::max<SimTime>(0, delay), FutureEventSet::kDefaultPriority,
                              target, action, argument);
}

// --- Messages and requests -------------------------------------------------------------------

MessageId Engine::createRequest(ComponentIndex producer, std::uint32_t eventType)
{
    const std::uint32_t request = acquireSlot(m_requests, m_freeRequests);
    auto& r = m_requests[request];
    r = Request{m_now, 1, Fate::Completed, m_now >= m_warmupEnd};
    if (r.counted)
        ++m_summary.requests;

    const MessageId id = m_messages.allocate();
    Message& m = m_messages[id];
    m.request = request;
    m.eventType = eventType;
    m.references = 1;
    m.createdAt = m.enqueuedAt = m.firstSentAt = m_now;
    m.lastComponent = static_cast<std::uint16_t>(std::min<ComponentIndex>(producer, 0xFFFF));
    const EventType& type = m_eventTypes[eventType];
    m.sizeBytes = static_cast<std::uint32_t>(std::max(1.0, type.origin->sizeBytes));
    if (type.dynamic) {
        const std::uint32_t slot = acquireSlot(m_payloads, m_freePayloads);
        nlohmann::json payload = {{"event", type.document}, {"attributes", type.attributes}};
        drawRandomFields(payload, m_random[producer]);
        m_payloads[slot] = std::move(payload);
        m_payloadReferences.resize(std::max<std::size_t>(m_payloadReferences.size(), slot + 1));
        m_payloadReferences[slot] = 1;
        m_messages[id].payload = slot;
    }
    return id;
}

MessageId Engine::fork(MessageId id)
{
    const Message original = m_messages[id];
    const MessageId copy = m_messages.allocate();
    Message& m = m_messages[copy];
    m = original;
    m.references = 1;
    if (m.request != kNone)
        ++m_requests[m.request].outstanding;
    if (m.payload != kNone)
        ++m_payloadReferences[m.payload];
    return copy;
}

void Engine::finish(MessageId id, Fate fate)
{
    Message& m = m_messages[id];
    if (m.request != kNone) {
        auto& r = m_requests[m.request];
        r.fate = std::max(r.fate, fate);
        const std::uint32_t request = m.request;
        m.request = kNone;
        if (--r.outstanding == 0)
            endRequest(request);
    }
    releaseMessage(id);
}

void Engine::detach(MessageId id)
{
    Message& m = m_messages[id];
    if (m.request == kNone)
        return;
    auto& r = m_requests[m.request];
    r.fate = std::max(r.fate, Fate::DeadLettered);
    const std::uint32_t request = m.request;
    m.request = kNone;
    if (--r.outstanding == 0)
        endRequest(request);
}

void Engine::releaseMessage(MessageId id)
{
    Message& m = m_messages[id];
    if (--m.references > 0)
        return;
    if (m.payload != kNone && --m_payloadReferences[m.payload] == 0) {
        m_payloads[m.payload] = nullptr;
        m_freePayloads.push_back(m.payload);
    }
    m_messages.release(id);
}

void Engine::endRequest(std::uint32_t request)
{
    const Request r = m_requests[request];
    m_freeRequests.push_back(request);
    if (!r.counted)
        return;
    const SimTime latency = m_now - r.createdAt;
    m_endToEndAll.record(latency);
    switch (r.fate) {
    case Fate::Completed:
        ++m_summary.completed;
        m_endToEnd.record(latency);
        m_endToEndInterval.record(latency);
        break;
    case Fate::Expired:
        ++m_summary.expired;
        break;
    case Fate::DeadLettered:
        ++m_summary.deadLettered;
        break;
    case Fate::Failed:
        ++m_summary.failed;
        break;
    case Fate::Throttled:
        ++m_summary.throttled;
        break;
    case Fate::TimedOut:
        ++m_summary.timedOut;
        break;
    }
}

const nlohmann::json& Engine::eventDocument(MessageId id) const
{
    const Message& m = m_messages[id];
    if (m.payload != kNone)
        return m_payloads[m.payload]["event"];
    return m_eventTypes[m.eventType].document;
}

const nlohmann::json& Engine::eventAttributes(MessageId id) const
{
    const Message& m = m_messages[id];
    if (m.payload != kNone)
        return m_payloads[m.payload]["attributes"];
    return m_eventTypes[m.eventType].attributes;
}

// --- Hand-overs --------------------------------------------------------------------------------

bool Engine::countHop(MessageId id, ComponentIndex from, ComponentIndex to)
{
    Message& m = m_messages[id];
    const auto target = static_cast<std::uint16_t>(std::min<ComponentIndex>(to, 0xFFFF));
    // A redelivery to the component the message last entered is a retry, not a step further:
    // only moves between components can loop.
    if (m.lastComponent == target)
        return true;
    m.lastComponent = target;
    if (++m.hops <= m_maxHops)
        return true;
    stopRunaway("an event passed " + std::to_string(m_maxHops) +
                    " components without ending: it loops through " + describeLoop(to),
                from);
    return false;
}

Delivery Engine::deliver(ComponentIndex from, const Link& link, MessageId id)
{
    if (!countHop(id, from, link.target))
        return Delivery::Failed;
    m_messages[id].enqueuedAt = m_now;
    return m_behaviours[link.target]->receive(id, link);
}

CallId Engine::openCall(ComponentIndex from, const Link& link, MessageId first, std::uint64_t token,
                        std::uint32_t batch)
{
    const CallId id = acquireSlot(m_calls, m_freeCalls);
    m_calls[id] = CallRecord{from, link.target, first, token, batch};
    return id;
}

CallId Engine::call(ComponentIndex from, const Link& link, MessageId id, std::uint64_t token)
{
    ++m_messages[id].references;
    const CallId c = openCall(from, link, id, token, kNone);
    if (!countHop(id, from, link.target)) {
        respond(c, Outcome::Error);
        return c;
    }
    m_behaviours[link.target]->onCall(c);
    return c;
}

CallId Engine::callBatch(ComponentIndex from, const Link& link, std::span<const MessageId> ids,
                         std::uint64_t token, ItemFailures itemFailures)
{
    const std::uint32_t batch = acquireSlot(m_batches, m_freeBatches);
    m_batches[batch].assign(ids.begin(), ids.end());
    if (m_batchFailures.size() < m_batches.size())
        m_batchFailures.resize(m_batches.size());
    for (MessageId id : ids)
        ++m_messages[id].references;
    const CallId c = openCall(from, link, ids.empty() ? kNone : ids.front(), token, batch);
    m_calls[c].itemFailures = itemFailures;
    if (!ids.empty() && !countHop(ids.front(), from, link.target)) {
        respond(c, Outcome::Error);
        return c;
    }
    m_behaviours[link.target]->onCall(c);
    return c;
}

std::span<const MessageId> Engine::callMessages(CallId call) const
{
    const CallRecord& c = m_calls[call];
    if (c.batch != kNone)
        return m_batches[c.batch];
    return {&c.message, c.message == kNone ? 0u : 1u};
}

void Engine::reportItemFailure(CallId call, std::uint32_t record)
{
    const CallRecord& c = m_calls[call];
    if (c.itemFailures == ItemFailures::None || c.batch == kNone ||
        record >= m_batches[c.batch].size())
        throw std::logic_error("reportItemFailure: the call takes no such item failure");
    // The caller walks the list once alongside its records: a repeat or an earlier record
    // would make it keep or free the wrong entries.
    auto& failed = m_batchFailures[c.batch];
    if (!failed.empty() && record <= failed.back())
        throw std::logic_error("reportItemFailure: records must be named ascending, each once");
    failed.push_back(record);
}

std::span<const std::uint32_t> Engine::itemFailures(CallId call) const
{
    const CallRecord& c = m_calls[call];
    if (c.batch == kNone)
        return {};
    return m_batchFailures[c.batch];
}

void Engine::respond(CallId call, Outcome outcome)
{
    CallRecord& c = m_calls[call];
    if (c.answered)
        return;
    c.answered = true;
    if (c.abandoned) {
        closeCall(call);
        return;
    }
    // Answers travel as a zero-delay event, so a callee never re-enters its caller mid-handler.
    m_events.push(m_now, FutureEventSet::kDefaultPriority, kSystem, kResponseAction,
                  (std::uint64_t(static_cast<std::uint8_t>(outcome)) << 32) | call);
}

void Engine::abandon(CallId call)
{
    // The call stays open until the callee answers (respond() closes it) or, when the answer
    // is already on its way, until that answer's event is dropped.
    m_calls[call].abandoned = true;
}

void Engine::closeCall(CallId call)
{
    CallRecord& c = m_calls[call];
    if (c.batch != kNone) {
        for (MessageId id : m_batches[c.batch])
            releaseMessage(id);
        m_batches[c.batch].clear();
        m_batchFailures[c.batch].clear();
        m_freeBatches.push_back(c.batch);
    } else if (c.message != kNone) {
        releaseMessage(c.message);
    }
    c = CallRecord{};
    m_freeCalls.push_back(call);
}

// --- Running -----------------------------------------------------------------------------------

RunStatus Engine::runUntil(SimTime limit)
{
    if (m_status != RunStatus::Running)
        return m_status;
    if (!m_started) {
        m_started = true;
        for (std::size_t i = 0; i < m_design.faults.size(); ++i) {
            const auto& f = m_design.faults[i];
            if (m_design.indexOf(f.component) < 0)
                continue;
            m_events.push(fromSeconds(f.startSeconds), kFaultPriority, kSystem, FaultStart, i);
            m_events.push(fromSeconds(f.endSeconds), kFaultPriority, kSystem, FaultEnd, i);
        }
        m_activeFaults.assign(m_design.faults.size(), false);
        if (m_warmupEnd > 0)
            m_events.push(m_warmupEnd, kWarmupPriority, kSystem, WarmupEnd, 0);
        m_events.push(m_sampleInterval, kSamplePriority, kSystem, Sample, 0);
        for (auto& b : m_behaviours)
            b->start();
    }
    limit = std::min(limit, m_endTime);
    ScheduledEvent event;
    while (m_status == RunStatus::Running && m_events.nextTime() <= limit) {
        if (!m_events.pop(event))
            break;
        m_now = event.time;
        dispatch(event);
        if ((++m_eventsProcessed & 0x3FF) == 0 &&
            m_cancelRequested.load(std::memory_order_relaxed)) {
            m_status = RunStatus::Cancelled;
            return m_status;
        }
        if (m_now >= m_currentSecond + kSecond) {
            m_currentSecond = m_now - m_now % kSecond;
            m_eventsThisSecond = 0;
        }
        if (++m_eventsThisSecond > m_maxEventsPerSecond)
            stopRunaway("more than " + std::to_string(m_maxEventsPerSecond) +
                            " events in one simulated second (at " +
                            std::to_string(m_currentSecond / kSecond) + " s)",
                        event.target);
        else if (m_eventsProcessed > m_maxEventsTotal)
            stopRunaway("more than " + std::to_string(m_maxEventsTotal) + " events in all",
                        event.target);
    }
    if (m_status == RunStatus::Running) {
        m_now = std::max(m_now, limit);
        m_events.setNow(m_now);
        if (m_now >= m_endTime)
            m_status = RunStatus::Finished;
    }
    return m_status;
}

void Engine::dispatch(const ScheduledEvent& event)
{
    if (event.target == kSystem) {
        handleSystem(event.action, event.argument);
        return;
    }
    m_behaviours[event.target]->handle(event.action, event.argument);
}

void Engine::handleSystem(std::uint32_t action, std::uint64_t argument)
{
    switch (action) {
    case kResponseAction: {
        const auto call = static_cast<CallId>(argument & 0xFFFFFFFFu);
        const auto outcome = static_cast<Outcome>(argument >> 32);
        const CallRecord c = m_calls[call];
        if (!c.abandoned)
            m_behaviours[c.caller]->onResponse(c.token, call, outcome);
        closeCall(call);
        break;
    }
    case Sample:
        takeSample();
        if (m_now + m_sampleInterval <= m_endTime)
            m_events.push(m_now + m_sampleInterval, kSamplePriority, kSystem, Sample, 0);
        break;
    case WarmupEnd:
        for (auto& s : m_stats)
            s.reset(m_now);
        for (auto& last : m_lastSampled)
            last = CounterSnapshot{};
        break;
    case FaultStart:
    case FaultEnd: {
        m_activeFaults[argument] = action == FaultStart;
        const int index = m_design.indexOf(m_design.faults[argument].component);
        applyFaults(static_cast<ComponentIndex>(index));
        break;
    }
    default:
        break;
    }
}

void Engine::applyFaults(ComponentIndex index)
{
    FaultState state;
    const auto& id = m_design.components[index].id;
    for (std::size_t i = 0; i < m_design.faults.size(); ++i) {
        const auto& f = m_design.faults[i];
        if (!m_activeFaults[i] || f.component != id)
            continue;
        switch (f.kind) {
        case model::Fault::Kind::Outage:
            state.outage = true;
            break;
        case model::Fault::Kind::Latency:
            state.latencyMultiplier *= f.value;
            break;
        case model::Fault::Kind::ErrorRate:
            state.errorRate = std::max(state.errorRate, f.value);
            break;
        case model::Fault::Kind::Throttle:
            state.throttleLimit =
                state.throttleLimit < 0 ? f.value : std::min(state.throttleLimit, f.value);
            break;
        }
    }
    m_faults[index] = state;
    m_behaviours[index]->onFaultChanged();
}

void Engine::takeSample()
{
    const double interval = toSeconds(m_sampleInterval);
    m_series.t.push_back(toSeconds(m_now));
    for (std::size_t i = 0; i < m_behaviours.size(); ++i) {
        auto& s = m_stats[i];
        const double age = toSeconds(m_behaviours[i]->oldestAge());
        s.oldestAgeMaxSeconds = std::max(s.oldestAgeMaxSeconds, age);
        auto& last = m_lastSampled[i];
        auto& series = m_series.components[m_design.components[i].id];
        series["backlog"].push_back(s.backlog.value());
        series["in_flight"].push_back(s.inFlight.value());
        series["concurrency"].push_back(s.concurrency.value());
        series["received_per_s"].push_back(double(s.received - last.received) / interval);
        series["throughput_per_s"].push_back(double(s.completed - last.completed) / interval);
        series["errors_per_s"].push_back(
            double(s.failed + s.timedOut - last.failed - last.timedOut) / interval);
        series["throttles_per_s"].push_back(double(s.throttled - last.throttled) / interval);
        series["retries_per_s"].push_back(double(s.retried - last.retried) / interval);
        series["dead_lettered"].push_back(double(s.deadLettered));
        series["oldest_age_s"].push_back(age);
        last =
            CounterSnapshot{s.received, s.completed, s.failed, s.timedOut, s.throttled, s.retried};
    }
    const auto& h = m_endToEndInterval;
    m_series.endToEnd["p50_ms"].push_back(h.quantileMicros(0.50) / 1000.0);
    m_series.endToEnd["p95_ms"].push_back(h.quantileMicros(0.95) / 1000.0);
    m_series.endToEnd["p99_ms"].push_back(h.quantileMicros(0.99) / 1000.0);
    m_series.endToEnd["completed_per_s"].push_back(double(h.count()) / interval);
    m_endToEndInterval.reset();
}

void Engine::stopRunaway(std::string message, ComponentIndex where)
{
    if (m_status != RunStatus::Running)
        return;
    m_status = RunStatus::Runaway;
    std::string pointer;
    if (where < m_design.components.size())
        pointer = "/components/" + std::to_string(where);
    m_diagnostics.push_back(
        {model::Severity::Error, pointer,
         "runaway design stopped at " + std::to_string(toSeconds(m_now)) + " s: " + message,
         "break the loop (a rule that re-emits into its own bus needs a pattern that excludes its "
         "own events), or raise simulation.max_events_per_sim_second / max_events_total"});
}

std::string Engine::describeLoop(ComponentIndex start) const
{
    // Depth-first search for a cycle back to `start`, to name the loop in the diagnostic.
    std::vector<ComponentIndex> path{start};
    std::vector<bool> seen(m_behaviours.size(), false);
    std::function<bool(ComponentIndex)> visit = [&](ComponentIndex at) {
        for (const auto& link : m_outgoing[at]) {
            if (link.target == start) {
                path.push_back(start);
                return true;
            }
            if (seen[link.target])
                continue;
            seen[link.target] = true;
            path.push_back(link.target);
            if (visit(link.target))
                return true;
            path.pop_back();
        }
        return false;
    };
    if (!visit(start))
        return m_design.components[start].id;
    std::string text;
    for (std::size_t i = 0; i < path.size(); ++i)
        text += (i ? " → " : "") + m_design.components[path[i]].id;
    return text;
}

SimulationResults Engine::results() const
{
    SimulationResults r;
    const auto& s = m_design.simulation;
    r.design = m_design.name;
    r.seed = s.seed;
    r.durationSeconds = s.durationSeconds;
    r.warmupSeconds = s.warmupSeconds;
    r.simulatedSeconds = toSeconds(m_now);
    r.events = m_eventsProcessed;
    switch (m_status) {
    case RunStatus::Running:
        r.status = "running";
        break;
    case RunStatus::Finished:
        r.status = "finished";
        break;
    case RunStatus::Cancelled:
        r.status = "cancelled";
        break;
    case RunStatus::Runaway:
        r.status = "runaway";
        break;
    }
    r.diagnostics = m_diagnostics;
    r.summary = m_summary;
    const auto ended = m_summary.completed + m_summary.failed + m_summary.throttled +
                       m_summary.timedOut + m_summary.deadLettered + m_summary.expired;
    r.summary.inFlight = m_summary.requests - ended;
    r.latency = LatencySummary::of(m_endToEnd);
    r.latencyAll = LatencySummary::of(m_endToEndAll);
    for (std::size_t i = 0; i < m_behaviours.size(); ++i) {
        const auto& c = m_design.components[i];
        const auto& st = m_stats[i];
        ComponentResult cr;
        cr.id = c.id;
        cr.type = std::string(model::componentTypeName(c.type));
        cr.received = st.received;
        cr.completed = st.completed;
        cr.failed = st.failed;
        cr.throttled = st.throttled;
        cr.timedOut = st.timedOut;
        cr.retried = st.retried;
        cr.deadLettered = st.deadLettered;
        cr.expired = st.expired;
        cr.coldStarts = st.coldStarts;
        cr.unmatched = st.unmatched;
        cr.backlog = {st.backlog.max(), st.backlog.value(), st.backlog.mean(m_now)};
        cr.inFlight = {st.inFlight.max(), st.inFlight.value(), st.inFlight.mean(m_now)};
        cr.concurrency = {st.concurrency.max(), st.concurrency.value(), st.concurrency.mean(m_now)};
        cr.oldestAgeMaxSeconds = st.oldestAgeMaxSeconds;
        cr.latency = LatencySummary::of(st.latency);
        r.components.push_back(std::move(cr));
    }
    r.timeseries = m_series;
    return r;
}

} // namespace eventflow::sim
