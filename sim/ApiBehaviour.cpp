#include "ApiBehaviour.h"

#include "Engine.h"
#include "SlotPool.h"

#include <algorithm>

namespace eventflow::sim {

using model::ConnectionKind;
using model::ParameterScope;

namespace {

constexpr double kRestMaxTimeoutMs = 29000.0;
constexpr double kHttpMaxTimeoutMs = 30000.0;

} // namespace

ApiBehaviour::ApiBehaviour(Engine& engine, ComponentIndex index) : Behaviour(engine, index)
{
    const auto& c = component();
    m_rate = std::max(0.0, c.number(ParameterScope::Aws, "ThrottlingRateLimit"));
    m_burst = std::max(0.0, c.number(ParameterScope::Aws, "ThrottlingBurstLimit"));
    m_bucket = TokenBucket(m_burst); // the stage starts idle, its bucket full
    m_overhead = c.distribution("overhead");
    const bool http = c.text(ParameterScope::Aws, "ApiType") == "HTTP";
    const double stageTimeout = std::min(c.number(ParameterScope::Aws, "TimeoutInMillis"),
                                         http ? kHttpMaxTimeoutMs : kRestMaxTimeoutMs);
    for (const Link& link : engine.outgoing(index)) {
        if (link.kind != ConnectionKind::Invoke && link.kind != ConnectionKind::Send)
            continue;
        double timeout = stageTimeout;
        if (link.kind == ConnectionKind::Invoke)
            timeout = std::min(timeout,
                               engine.connection(link).number(ParameterScope::Sim, "timeout_ms"));
        m_integrations.push_back({link, fromMillis(timeout)});
    }
}

bool ApiBehaviour::takeToken()
{
    const double rate = faults().throttleLimit >= 0.0 ? faults().throttleLimit : m_rate;
    return m_bucket.tryTake(now(), rate, m_burst);
}

bool ApiBehaviour::unpack(std::uint64_t value, Phase expected, std::uint32_t& slot) const
{
    slot = static_cast<std::uint32_t>(value & 0xFFFFFFFFu);
    return slot < m_requests.size() && m_requests[slot].phase == expected &&
           m_requests[slot].generation == static_cast<std::uint32_t>(value >> 32);
}

void ApiBehaviour::onCall(CallId call)
{
    ++stats().received;
    if (faults().outage) {
        ++stats().failed;
        engine().respond(call, Outcome::Error);
        return;
    }
    if (!takeToken()) {
        ++stats().throttled;
        engine().respond(call, Outcome::Throttled);
        return;
    }
    const std::uint32_t slot = acquireSlot(m_requests, m_free);
    Request& r = m_requests[slot];
    r.inbound = call;
    r.integration = kNone;
    r.arrival = now();
    r.timer = {};
    r.phase = Phase::Overhead;
    ++r.generation;
    stats().inFlight.set(now(), ++m_inside);
    const double millis = random().sample(m_overhead) * faults().latencyMultiplier;
    engine().schedule(fromMillis(millis), index(), OverheadDone, pack(slot, r.generation));
}

void ApiBehaviour::handle(std::uint32_t action, std::uint64_t argument)
{
    std::uint32_t slot;
    if (action == OverheadDone) {
        if (unpack(argument, Phase::Overhead, slot))
            integrate(slot);
        return;
    }
    if (action == IntegrationTimeout && unpack(argument, Phase::Integrating, slot)) {
        Request& r = m_requests[slot];
        r.timer = {};
        engine().abandon(r.integration);
        ++stats().timedOut;
        answer(slot, Outcome::TimedOut);
    }
}

void ApiBehaviour::integrate(std::uint32_t slot)
{
    if (m_integrations.empty()) {
        ++stats().completed;
        answer(slot, Outcome::Success);
        return;
    }
    const std::size_t pick = m_integrations.size() == 1 ? 0 : random().below(m_integrations.size());
    const Integration& integration = m_integrations[pick];
    const MessageId message = engine().callMessage(m_requests[slot].inbound);

    if (integration.link.kind == ConnectionKind::Send) {
        const MessageId copy = engine().fork(message);
        switch (engine().deliver(index(), integration.link, copy)) {
        case Delivery::Accepted:
            ++stats().completed;
            answer(slot, Outcome::Success);
            break;
        case Delivery::Throttled:
            engine().finish(copy, Fate::Throttled);
            ++stats().throttled;
            answer(slot, Outcome::Throttled);
            break;
        case Delivery::Failed:
            engine().finish(copy, Fate::Failed);
            ++stats().failed;
            answer(slot, Outcome::Error);
            break;
        }
        return;
    }

    const std::uint64_t token = pack(slot, m_requests[slot].generation);
    m_requests[slot].phase = Phase::Integrating;
    const CallId call = engine().call(index(), integration.link, message, token);
    Request& r = m_requests[slot];
    r.integration = call;
    if (now() + integration.timeout <= engine().endTime())
        r.timer = engine().scheduleTimer(integration.timeout, index(), IntegrationTimeout, token);
}

void ApiBehaviour::onResponse(std::uint64_t token, CallId, Outcome outcome)
{
    std::uint32_t slot;
    if (!unpack(token, Phase::Integrating, slot))
        return;
    engine().cancelTimer(m_requests[slot].timer);
    countOutcome(outcome);
    // An integration's throttle is counted as one here, but the client sees 500, not 429.
    answer(slot, outcome == Outcome::Throttled ? Outcome::Error : outcome);
}

void ApiBehaviour::answer(std::uint32_t slot, Outcome outcome)
{
    Request& r = m_requests[slot];
    const CallId inbound = r.inbound;
    stats().latency.record(now() - r.arrival);
    r.phase = Phase::Idle;
    r.inbound = r.integration = kNone;
    ++r.generation;
    m_free.push_back(slot);
    stats().inFlight.set(now(), --m_inside);
    engine().respond(inbound, outcome);
}

} // namespace eventflow::sim
