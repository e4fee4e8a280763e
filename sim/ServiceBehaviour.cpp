#include "ServiceBehaviour.h"

#include "Engine.h"
#include "SlotPool.h"

#include <algorithm>

namespace eventflow::sim {

using model::ParameterScope;

namespace {

DownstreamCaller::Mode callMode(const model::Component& c)
{
    return c.text(ParameterScope::Sim, "call_mode") == "parallel"
               ? DownstreamCaller::Mode::Parallel
               : DownstreamCaller::Mode::Sequence;
}

} // namespace

ServiceBehaviour::ServiceBehaviour(Engine& engine, ComponentIndex index)
    : Behaviour(engine, index),
      m_downstream(engine, index, *this, callMode(engine.design().components[index]))
{
    const auto& c = component();
    m_workers = static_cast<std::uint32_t>(std::max(1.0, c.number(ParameterScope::Sim, "workers")));
    m_queueCapacity =
        static_cast<std::uint64_t>(std::max(0.0, c.number(ParameterScope::Sim, "queue_capacity")));
    m_duration = c.distribution("duration");
    m_errorRate = c.number(ParameterScope::Sim, "error_rate");
    m_failPattern = EventSelector(engine, c.parameter(ParameterScope::Sim, "fail_pattern"));
}

bool ServiceBehaviour::throttleAdmits()
{
    const double limit = faults().throttleLimit;
    if (limit < 0.0)
        return true;
    // Token bucket at the fault's rate holding one second of requests.
    return m_throttle.tryTake(now(), limit, limit);
}

Outcome ServiceBehaviour::admit(CallId call, MessageId message, std::uint32_t records)
{
    stats().received += records;
    if (faults().outage) {
        stats().failed += records;
        return Outcome::Error;
    }
    const bool workerFree = m_busy < m_workers;
    if (!throttleAdmits() ||
        (!workerFree && m_queueCapacity != 0 && m_waiting.size() >= m_queueCapacity)) {
        stats().throttled += records;
        return Outcome::Throttled;
    }
    const std::uint32_t slot = acquireSlot(m_requests, m_free);
    m_requests[slot] = Request{call, message, now(), 0, records};
    if (workerFree) {
        ++m_busy;
        beginRecord(slot);
    } else {
        m_waiting.push_back(slot);
    }
    updateGauges();
    return Outcome::Success;
}

void ServiceBehaviour::onCall(CallId call)
{
    const auto records = static_cast<std::uint32_t>(engine().callMessages(call).size());
    if (records == 0) {
        engine().respond(call, Outcome::Success);
        return;
    }
    const Outcome refusal = admit(call, kNone, records);
    if (refusal != Outcome::Success)
        engine().respond(call, refusal);
}

Delivery ServiceBehaviour::receive(MessageId message, const Link&)
{
    return deliveryOf(admit(kNone, message, 1));
}

MessageId ServiceBehaviour::recordMessage(const Request& request) const
{
    if (request.call == kNone)
        return request.message;
    return engine().callMessages(request.call)[request.record];
}

void ServiceBehaviour::beginRecord(std::uint32_t slot)
{
    const double millis = random().sample(m_duration) * faults().latencyMultiplier;
    engine().schedule(fromMillis(millis), index(), WorkDone, slot);
}

void ServiceBehaviour::handle(std::uint32_t action, std::uint64_t argument)
{
    if (m_downstream.ownsAction(action)) {
        m_downstream.handle(action, argument);
        return;
    }
    const auto slot = static_cast<std::uint32_t>(argument);
    const MessageId message = recordMessage(m_requests[slot]);
    if (random().chance(errorRate(m_errorRate)) || m_failPattern.selects(engine(), message)) {
        recordEnded(slot, Outcome::Error);
        return;
    }
    m_downstream.start(slot, message);
}

void ServiceBehaviour::onResponse(std::uint64_t token, CallId call, Outcome outcome)
{
    if (m_downstream.ownsToken(token))
        m_downstream.onResponse(token, call, outcome);
}

void ServiceBehaviour::onDownstreamDone(std::uint64_t job, Outcome outcome)
{
    if (faults().outage && outcome == Outcome::Success)
        outcome = Outcome::Error;
    recordEnded(static_cast<std::uint32_t>(job), outcome);
}

void ServiceBehaviour::recordEnded(std::uint32_t slot, Outcome outcome)
{
    Request& r = m_requests[slot];
    if (outcome == Outcome::Success && ++r.record < r.records) {
        beginRecord(slot);
        return;
    }
    complete(slot, outcome);
}

void ServiceBehaviour::complete(std::uint32_t slot, Outcome outcome)
{
    const Request r = m_requests[slot];
    // Counted by cause, as the API counts its integration: a dependency's throttle or timeout
    // shows as such here too.
    countOutcome(outcome, r.records);
    for (std::uint32_t i = 0; i < r.records; ++i)
        stats().latency.record(now() - r.arrival);
    m_free.push_back(slot);
    // The worker takes the next request before the answer goes out: the caller may call again
    // from inside respond().
    if (!m_waiting.empty()) {
        const std::uint32_t next = m_waiting.front();
        m_waiting.pop_front();
        beginRecord(next);
    } else {
        --m_busy;
    }
    updateGauges();
    if (r.call != kNone)
        engine().respond(r.call, outcome);
    else
        engine().finish(r.message, fateOf(outcome));
}

void ServiceBehaviour::onFaultChanged()
{
    if (!faults().outage)
        return;
    // The process is down: whoever waits in line gets an error now.
    while (!m_waiting.empty()) {
        const std::uint32_t slot = m_waiting.front();
        m_waiting.pop_front();
        const Request r = m_requests[slot];
        stats().failed += r.records;
        m_free.push_back(slot);
        updateGauges();
        if (r.call != kNone)
            engine().respond(r.call, Outcome::Error);
        else
            engine().finish(r.message, Fate::Failed);
    }
}

void ServiceBehaviour::updateGauges()
{
    stats().backlog.set(now(), static_cast<double>(m_waiting.size()));
    stats().inFlight.set(now(), m_busy);
    stats().concurrency.set(now(), m_busy);
}

SimTime ServiceBehaviour::oldestAge() const
{
    return m_waiting.empty() ? 0 : now() - m_requests[m_waiting.front()].arrival;
}

} // namespace eventflow::sim
