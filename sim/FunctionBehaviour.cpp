#include "FunctionBehaviour.h"

#include "Engine.h"
#include "SlotPool.h"

#include <algorithm>
#include <limits>

namespace eventflow::sim {

using model::ConnectionKind;
using model::ParameterScope;

namespace {

constexpr SimTime kScalingPeriod = 10 * kSecond;
// invocation-async-error-handling: about 1 min before the second attempt, 2 min before the
// third; throttled events come back after 1 s, doubling up to 5 min.
constexpr SimTime kFirstErrorRetry = 60 * kSecond;
constexpr SimTime kFirstThrottleRetry = kSecond;
constexpr SimTime kMaxThrottleRetry = 300 * kSecond;

DownstreamCaller::Mode callMode(const model::Component& c)
{
    return c.text(ParameterScope::Sim, "call_mode") == "parallel"
               ? DownstreamCaller::Mode::Parallel
               : DownstreamCaller::Mode::Sequence;
}

} // namespace

FunctionBehaviour::FunctionBehaviour(Engine& engine, ComponentIndex index)
    : Behaviour(engine, index),
      m_downstream(engine, index, *this, callMode(engine.design().components[index]))
{
    const auto& self = component();
    m_timeout = fromSeconds(self.number(ParameterScope::Aws, "Timeout"));
    const auto reserved = self.parameter(ParameterScope::Aws, "ReservedConcurrentExecutions");
    if (reserved.is_number())
        m_reserved = std::max(0.0, reserved.get<double>());
    m_maxRetries = static_cast<std::uint32_t>(std::clamp(
        self.number(ParameterScope::Aws, "EventInvokeConfig.MaximumRetryAttempts"), 0.0, 2.0));
    m_maxEventAge =
        fromSeconds(self.number(ParameterScope::Aws, "EventInvokeConfig.MaximumEventAgeInSeconds"));
    m_duration = self.distribution("duration");
    m_coldStart = self.distribution("cold_start");
    m_errorRate = self.number(ParameterScope::Sim, "error_rate");
    m_failPattern = EventSelector(engine, self.parameter(ParameterScope::Sim, "fail_pattern"));
    m_idleLifetime = fromSeconds(self.number(ParameterScope::Sim, "idle_lifetime_s"));
    m_scalingPer10s = std::max(1.0, self.number(ParameterScope::Sim, "scaling_per_10s"));
    m_scalingTokens = TokenBucket(m_scalingPer10s);

    const auto& links = outgoing();
    for (std::size_t i = 0; i < links.size() && m_failureLink < 0; ++i)
        if (links[i].kind == ConnectionKind::OnFailure)
            m_failureLink = static_cast<int>(i);
    for (std::size_t i = 0; i < links.size() && m_failureLink < 0; ++i)
        if (links[i].kind == ConnectionKind::DeadLetter)
            m_failureLink = static_cast<int>(i);
}

SimTime FunctionBehaviour::errorRetryDelay(std::uint32_t retry)
{
    return kFirstErrorRetry * std::max<std::uint32_t>(1, retry);
}

SimTime FunctionBehaviour::throttleRetryDelay(std::uint32_t throttles)
{
    const std::uint32_t doublings = std::min<std::uint32_t>(throttles > 0 ? throttles - 1 : 0, 20);
    return std::min(kMaxThrottleRetry, kFirstThrottleRetry << doublings);
}

// --- Environments -----------------------------------------------------------------------------

bool FunctionBehaviour::atOwnCeiling() const
{
    double ceiling = m_reserved >= 0 ? m_reserved : std::numeric_limits<double>::infinity();
    if (faults().throttleLimit >= 0.0)
        ceiling = std::min(ceiling, faults().throttleLimit);
    return m_busy + 1 > ceiling;
}

bool FunctionBehaviour::acquireEnvironment(bool& cold)
{
    if (atOwnCeiling())
        return false;
    auto& account = engine().lambdaAccount();
    if (m_reserved < 0 && account.unreservedAvailable() < 1.0)
        return false;

    while (!m_idle.empty() && m_idle.front() + m_idleLifetime <= now())
        m_idle.pop_front(); // reclaimed by Lambda after its idle lifetime
    if (!m_idle.empty()) {
        m_idle.pop_back();
        cold = false;
    } else {
        if (!m_scalingTokens.tryTake(now(), m_scalingPer10s / toSeconds(kScalingPeriod),
                                     m_scalingPer10s))
            return false;
        cold = true;
        ++stats().coldStarts;
    }
    ++m_busy;
    if (m_reserved < 0)
        account.unreservedInUse += 1.0;
    return true;
}

void FunctionBehaviour::releaseEnvironment(bool keepWarm)
{
    --m_busy;
    if (m_reserved < 0)
        engine().lambdaAccount().unreservedInUse -= 1.0;
    if (keepWarm)
        m_idle.push_back(now());
}

// --- Invocations ------------------------------------------------------------------------------

void FunctionBehaviour::onCall(CallId call)
{
    ++stats().received;
    if (faults().outage) {
        ++stats().failed;
        engine().respond(call, Outcome::Error);
        return;
    }
    bool cold = false;
    if (!acquireEnvironment(cold)) {
        ++stats().throttled;
        engine().respond(call, Outcome::Throttled);
        return;
    }
    startInvocation(call, kNone, now(), cold);
}

void FunctionBehaviour::startInvocation(CallId call, std::uint32_t event, SimTime arrivedAt,
                                        bool cold)
{
    const std::uint32_t slot = acquireSlot(m_invocations, m_freeInvocations);
    Invocation& inv = m_invocations[slot];
    inv = Invocation{};
    inv.call = call;
    inv.event = event;
    inv.arrivedAt = arrivedAt;
    inv.records =
        call != kNone ? static_cast<std::uint32_t>(engine().callMessages(call).size()) : 1;
    inv.itemFailures = call != kNone ? engine().callItemFailures(call) : ItemFailures::None;
    inv.active = true;
    updateGauges();

    const SimTime init = cold ? fromMillis(random().sample(m_coldStart)) : 0;
    const SimTime run =
        fromMillis(random().sample(m_duration) * std::max(0.0, faults().latencyMultiplier));
    if (run >= m_timeout) {
        inv.timeout = engine().scheduleTimer(init + m_timeout, index(), InvocationTimeout, slot);
        return;
    }
    engine().schedule(init + run, index(), RunDone, slot);
    if (m_downstream.hasCalls()) // only calls can outlast the timeout after the run
        inv.timeout = engine().scheduleTimer(init + m_timeout, index(), InvocationTimeout, slot);
}

MessageId FunctionBehaviour::recordMessage(const Invocation& invocation, std::uint32_t record) const
{
    if (invocation.call != kNone)
        return engine().callMessages(invocation.call)[record];
    return m_events[invocation.event].message;
}

void FunctionBehaviour::runRecords(std::uint32_t slot)
{
    // Iterative, so a long batch whose records finish inline does not recurse.
    for (;;) {
        Invocation& inv = m_invocations[slot];
        if (inv.nextRecord >= inv.records) {
            endInvocation(slot, Outcome::Success);
            return;
        }
        const std::uint32_t record = inv.nextRecord++;
        const MessageId message = recordMessage(inv, record);
        if (m_failPattern.selects(engine(), message)) {
            // A poison message: the handler throws on it before doing any work for it.
            if (!recordFailed(slot, record))
                return;
            continue;
        }
        inv.inDownstream = true;
        inv.starting = true;
        inv.doneInline = false;
        m_downstream.start(job(slot, record), message);
        // start() may hand messages back to this function and grow m_invocations.
        Invocation& after = m_invocations[slot];
        after.starting = false;
        if (!after.doneInline)
            return; // onDownstreamDone continues
        if (after.downstreamOutcome != Outcome::Success && !recordFailed(slot, record))
            return;
    }
}

bool FunctionBehaviour::recordFailed(std::uint32_t slot, std::uint32_t record)
{
    const Invocation& inv = m_invocations[slot];
    if (inv.itemFailures == ItemFailures::None) {
        endInvocation(slot, Outcome::Error); // the exception ends the handler and the batch
        return false;
    }
    if (inv.itemFailures == ItemFailures::Any) {
        engine().reportItemFailure(inv.call, record);
        return true;
    }
    for (std::uint32_t r = record; r < inv.records; ++r)
        engine().reportItemFailure(inv.call, r);
    endInvocation(slot, Outcome::Success);
    return false;
}

void FunctionBehaviour::onDownstreamDone(std::uint64_t job, Outcome outcome)
{
    const auto slot = static_cast<std::uint32_t>(job >> 32);
    Invocation& inv = m_invocations[slot];
    inv.inDownstream = false;
    inv.downstreamOutcome = outcome;
    if (inv.starting) {
        inv.doneInline = true;
        return;
    }
    // The handler fails with its downstream call, or reports that record and goes on.
    if (outcome != Outcome::Success && !recordFailed(slot, static_cast<std::uint32_t>(job)))
        return;
    runRecords(slot);
}

void FunctionBehaviour::endInvocation(std::uint32_t slot, Outcome outcome)
{
    Invocation inv = m_invocations[slot];
    engine().cancelTimer(m_invocations[slot].timeout);
    m_invocations[slot].active = false;
    m_freeInvocations.push_back(slot);
    releaseEnvironment(outcome != Outcome::TimedOut);

    switch (outcome) {
    case Outcome::Success:
        ++stats().completed;
        stats().latency.record(now() - inv.arrivedAt);
        break;
    case Outcome::TimedOut:
        ++stats().timedOut;
        break;
    case Outcome::Error:
    case Outcome::Throttled:
        ++stats().failed;
        break;
    }

    if (inv.call != kNone) {
        updateGauges();
        pumpEvents();
        engine().respond(inv.call, outcome);
        return;
    }
    if (outcome == Outcome::Success) {
        const MessageId message = m_events[inv.event].message;
        freeEvent(inv.event);
        engine().finish(message, Fate::Completed);
    } else {
        asyncAttemptFailed(inv.event);
    }
    updateGauges();
    pumpEvents();
}

// --- Asynchronous invocation ------------------------------------------------------------------

Delivery FunctionBehaviour::receive(MessageId message, const Link&)
{
    ++stats().received;
    const std::uint32_t slot = acquireSlot(m_events, m_freeEvents);
    m_events[slot] = AsyncEvent{message, now(), 0, 0};
    ++m_queued;
    m_ready.push_back(slot);
    pumpEvents();
    updateGauges();
    return Delivery::Accepted;
}

void FunctionBehaviour::pumpEvents()
{
    if (m_pumping)
        return;
    m_pumping = true;
    while (!m_ready.empty()) {
        const std::uint32_t slot = m_ready.front();
        if (now() - m_events[slot].acceptedAt >= m_maxEventAge) {
            m_ready.pop_front();
            --m_queued;
            ++stats().expired;
            giveUp(slot, Fate::Expired);
            continue;
        }
        if (faults().outage) {
            m_ready.pop_front();
            --m_queued;
            ++stats().failed;
            asyncAttemptFailed(slot);
            continue;
        }
        // At its own ceiling the function frees an environment before anything could run:
        // the queue waits in order for that completion (Lambda slows its reading).
        if (atOwnCeiling())
            break;
        bool cold = false;
        if (!acquireEnvironment(cold)) {
            // The limit is elsewhere (unreserved pool, scaling rate), and its release is not
            // signalled here: this event backs off, the rest wait for the next arrival,
            // completion or return from a wait.
            m_ready.pop_front();
            ++stats().throttled;
            AsyncEvent& e = m_events[slot];
            ++e.throttles;
            requeue(slot, throttleRetryDelay(e.throttles));
            break;
        }
        m_ready.pop_front();
        --m_queued;
        AsyncEvent& e = m_events[slot];
        startInvocation(kNone, slot, e.acceptedAt, cold);
    }
    m_pumping = false;
    updateGauges();
}

void FunctionBehaviour::asyncAttemptFailed(std::uint32_t event)
{
    AsyncEvent& e = m_events[event];
    if (e.attempts < std::numeric_limits<std::uint16_t>::max())
        ++e.attempts;
    if (e.attempts > m_maxRetries) {
        giveUp(event, Fate::Failed);
        return;
    }
    ++stats().retried;
    ++m_queued;
    requeue(event, errorRetryDelay(e.attempts));
}

void FunctionBehaviour::requeue(std::uint32_t event, SimTime wait)
{
    // An event that would come back too old is discarded when its age runs out.
    const SimTime ageLeft = m_events[event].acceptedAt + m_maxEventAge - now();
    engine().schedule(std::clamp<SimTime>(wait, 0, std::max<SimTime>(0, ageLeft)), index(),
                      AsyncDue, event);
}

void FunctionBehaviour::giveUp(std::uint32_t event, Fate fate)
{
    const MessageId message = m_events[event].message;
    freeEvent(event);
    if (m_failureLink < 0) {
        engine().finish(message, fate);
        return;
    }
    engine().detach(message);
    if (engine().deliver(index(), outgoing()[static_cast<std::size_t>(m_failureLink)], message) ==
        Delivery::Accepted) {
        ++stats().deadLettered;
    } else {
        engine().finish(message, Fate::Failed); // DestinationDeliveryFailures: the record is lost
    }
}

void FunctionBehaviour::freeEvent(std::uint32_t event)
{
    m_events[event].message = kNone;
    m_freeEvents.push_back(event);
}

// --- Dispatch ---------------------------------------------------------------------------------

void FunctionBehaviour::handle(std::uint32_t action, std::uint64_t argument)
{
    if (m_downstream.ownsAction(action)) {
        m_downstream.handle(action, argument);
        return;
    }
    const auto slot = static_cast<std::uint32_t>(argument);
    switch (action) {
    case RunDone:
        if (random().chance(errorRate(m_errorRate)))
            endInvocation(slot, Outcome::Error);
        else
            runRecords(slot);
        break;
    case InvocationTimeout: {
        Invocation& inv = m_invocations[slot];
        inv.timeout = {};
        if (inv.inDownstream)
            m_downstream.abandon(job(slot, inv.nextRecord - 1));
        endInvocation(slot, Outcome::TimedOut);
        break;
    }
    case AsyncDue:
        m_ready.push_back(slot);
        pumpEvents();
        break;
    default:
        break;
    }
}

void FunctionBehaviour::onResponse(std::uint64_t token, CallId call, Outcome outcome)
{
    if (m_downstream.ownsToken(token))
        m_downstream.onResponse(token, call, outcome);
}

SimTime FunctionBehaviour::oldestAge() const
{
    return m_ready.empty() ? 0 : now() - m_events[m_ready.front()].acceptedAt;
}

void FunctionBehaviour::updateGauges()
{
    stats().concurrency.set(now(), m_busy);
    stats().inFlight.set(now(), m_busy);
    stats().backlog.set(now(), m_queued);
}

} // namespace eventflow::sim
