#include "DownstreamCaller.h"

#include "Engine.h"

#include <algorithm>
#include <cmath>

namespace eventflow::sim {

using model::ConnectionKind;
using model::ParameterScope;

namespace {

int severity(Outcome outcome)
{
    switch (outcome) {
    case Outcome::Success:
        return 0;
    case Outcome::Error:
        return 1;
    case Outcome::Throttled:
        return 2;
    case Outcome::TimedOut:
        return 3;
    }
    return 0;
}

Outcome worse(Outcome a, Outcome b)
{
    return severity(b) > severity(a) ? b : a;
}

} // namespace

DownstreamCaller::DownstreamCaller(Engine& engine, ComponentIndex owner, DownstreamClient& client,
                                   Mode mode)
    : m_engine(engine), m_owner(owner), m_client(client), m_mode(mode)
{
    // The engine resolves links before it creates behaviours, so they can be read here.
    for (const Link& link : engine.outgoing(owner)) {
        if (link.kind == ConnectionKind::Send) {
            m_sends.push_back(link);
            continue;
        }
        if (link.kind != ConnectionKind::Invoke)
            continue;
        m_invokes.push_back(link);
        const model::Connection& c = engine.connection(link);
        Policy p;
        p.timeout = fromMillis(c.number(ParameterScope::Sim, "timeout_ms"));
        p.maxRetries =
            static_cast<std::uint32_t>(std::max(0.0, c.number(ParameterScope::Sim, "max_retries")));
        p.backoffMicros = c.number(ParameterScope::Sim, "backoff_ms") * 1e3;
        p.backoffMaxMicros = c.number(ParameterScope::Sim, "backoff_max_ms") * 1e3;
        p.jitter = c.flag(ParameterScope::Sim, "jitter");
        p.breaker = c.flag(ParameterScope::Sim, "circuit_breaker");
        p.breakerRatio = c.number(ParameterScope::Sim, "breaker_failure_ratio");
        p.breakerMinCalls = static_cast<std::uint32_t>(
            std::max(1.0, c.number(ParameterScope::Sim, "breaker_min_calls")));
        p.breakerBucket = std::max<SimTime>(
            1, fromSeconds(c.number(ParameterScope::Sim, "breaker_window_s")) / kBreakerBuckets);
        p.breakerOpen = fromSeconds(c.number(ParameterScope::Sim, "breaker_open_s"));
        p.maxConcurrent = static_cast<std::uint32_t>(
            std::max(0.0, c.number(ParameterScope::Sim, "max_concurrent_calls")));
        if (const auto pattern = c.parameter(ParameterScope::Sim, "call_pattern");
            !pattern.is_null()) {
            p.routed = true;
            p.pattern = EventSelector(engine, pattern);
        }
        m_policies.push_back(std::move(p));
    }
    m_invokeCount = static_cast<std::uint32_t>(m_invokes.size());
    m_breakers.resize(m_invokes.size());
    m_openCalls.assign(m_invokes.size(), 0);
    m_routedScratch.resize(m_invokes.size());
}

bool DownstreamCaller::routes(std::uint32_t link, MessageId message)
{
    Policy& policy = m_policies[link];
    return !policy.routed || policy.pattern.selects(m_engine, message);
}

std::uint32_t DownstreamCaller::nextRouted(std::uint32_t from, MessageId message)
{
    while (from < m_invokeCount && !routes(from, message))
        ++from;
    return from;
}

std::uint32_t DownstreamCaller::linkOf(std::uint32_t laneSlot) const
{
    if (m_mode == Mode::Parallel)
        return laneSlot % m_invokeCount;
    return m_jobs[laneSlot].next;
}

bool DownstreamCaller::unpack(std::uint64_t value, Phase expected, std::uint32_t& laneSlot) const
{
    laneSlot = static_cast<std::uint32_t>(value & 0xFFFFFFFFu);
    const auto generation = static_cast<std::uint32_t>((value >> 32) & 0x7FFFFFFFu);
    if (laneSlot >= m_lanes.size())
        return false;
    const Lane& lane = m_lanes[laneSlot];
    return lane.phase == expected && (lane.generation & 0x7FFFFFFFu) == generation;
}

void DownstreamCaller::start(std::uint64_t job, MessageId message)
{
    std::uint32_t slot;
    if (!m_freeJobs.empty()) {
        slot = m_freeJobs.back();
        m_freeJobs.pop_back();
    } else {
        slot = static_cast<std::uint32_t>(m_jobs.size());
        m_jobs.emplace_back();
        m_lanes.resize(m_lanes.size() + lanesPerJob());
    }
    Job& j = m_jobs[slot];
    j.id = job;
    j.message = message;
    j.next = 0;
    j.outstanding = 0;
    j.worst = Outcome::Success;
    m_index.insert(job, slot);

    if (m_mode == Mode::Sequence) {
        j.next = nextRouted(0, message);
        if (j.next == m_invokeCount) {
            finishJob(slot);
            return;
        }
        m_lanes[slot].attempt = 0;
        attempt(slot);
        return;
    }
    // Count the routed links first: a lane's attempt must not see the job as complete. Answers
    // and fast failures come as events, so nothing re-enters start() while the scratch is read.
    for (std::uint32_t link = 0; link < m_invokeCount; ++link) {
        m_routedScratch[link] = routes(link, message) ? 1 : 0;
        j.outstanding += m_routedScratch[link];
    }
    if (j.outstanding == 0) {
        finishJob(slot);
        return;
    }
    for (std::uint32_t link = 0; link < m_invokeCount; ++link) {
        if (m_routedScratch[link] == 0)
            continue;
        m_lanes[slot * m_invokeCount + link].attempt = 0;
        attempt(slot * m_invokeCount + link);
    }
}

void DownstreamCaller::abandon(std::uint64_t job)
{
    const std::uint32_t slot = m_index.find(job);
    if (slot == JobIndex::kMissing)
        return;
    const std::uint32_t lanes = lanesPerJob();
    for (std::uint32_t lane = 0; lane < lanes; ++lane) {
        const std::uint32_t laneSlot = slot * lanes + lane;
        Lane& l = m_lanes[laneSlot];
        if (l.phase == Phase::Calling) {
            m_engine.abandon(l.call);
            callClosed(linkOf(laneSlot));
            if (l.trial) // let the next attempt be the breaker's trial instead
                m_breakers[linkOf(laneSlot)].trialOut = false;
        }
        if (l.phase != Phase::Idle)
            m_engine.cancelTimer(l.timer);
        l.phase = Phase::Idle;
        l.trial = false;
        ++l.generation;
    }
    releaseJob(slot);
}

void DownstreamCaller::attempt(std::uint32_t laneSlot)
{
    const std::uint32_t link = linkOf(laneSlot);
    Lane& l = m_lanes[laneSlot];
    ++l.generation;
    l.trial = false;
    const Policy& policy = m_policies[link];
    const bool bulkheadFull = policy.maxConcurrent > 0 && m_openCalls[link] >= policy.maxConcurrent;
    if (bulkheadFull || !breakerAdmits(link, l)) {
        // Failing fast still answers through an event, so start() never calls back early.
        l.phase = Phase::Waiting;
        l.timer = m_engine.scheduleTimer(0, m_owner, FastFailure, pack(laneSlot, l.generation));
        return;
    }
    ++m_openCalls[link];
    l.phase = Phase::Calling;
    l.timer = {};
    const std::uint32_t generation = l.generation;
    const std::uint32_t jobSlot = laneSlot / lanesPerJob();
    // The engine answers through an event, never inside call(), so the lane stays valid here.
    const CallId call = m_engine.call(m_owner, m_invokes[link], m_jobs[jobSlot].message,
                                      kTokenFlag | pack(laneSlot, generation));
    Lane& after = m_lanes[laneSlot];
    after.call = call;
    const SimTime timeout = m_policies[link].timeout;
    // A timeout beyond the end of the run can never fire: no timer, no dead heap entry.
    if (timeout > 0 && m_engine.now() + timeout <= m_engine.endTime())
        after.timer =
            m_engine.scheduleTimer(timeout, m_owner, CallTimeout, pack(laneSlot, generation));
}

void DownstreamCaller::onResponse(std::uint64_t token, CallId, Outcome outcome)
{
    std::uint32_t laneSlot;
    if (!unpack(token & ~kTokenFlag, Phase::Calling, laneSlot))
        return;
    Lane& l = m_lanes[laneSlot];
    m_engine.cancelTimer(l.timer);
    l.phase = Phase::Idle;
    callClosed(linkOf(laneSlot));
    attemptEnded(laneSlot, outcome, true);
}

void DownstreamCaller::callClosed(std::uint32_t link)
{
    --m_openCalls[link];
}

void DownstreamCaller::handle(std::uint32_t action, std::uint64_t argument)
{
    std::uint32_t laneSlot;
    if (action == CallTimeout) {
        if (!unpack(argument, Phase::Calling, laneSlot))
            return;
        Lane& l = m_lanes[laneSlot];
        l.timer = {};
        l.phase = Phase::Idle;
        m_engine.abandon(l.call);
        callClosed(linkOf(laneSlot));
        attemptEnded(laneSlot, Outcome::TimedOut, true);
    } else if (action == RetryDue || action == FastFailure) {
        if (!unpack(argument, Phase::Waiting, laneSlot))
            return;
        Lane& l = m_lanes[laneSlot];
        l.timer = {};
        l.phase = Phase::Idle;
        if (action == RetryDue)
            attempt(laneSlot);
        else
            attemptEnded(laneSlot, Outcome::Error, false);
    }
}

void DownstreamCaller::attemptEnded(std::uint32_t laneSlot, Outcome outcome, bool called)
{
    const std::uint32_t link = linkOf(laneSlot);
    Lane& l = m_lanes[laneSlot];
    if (called)
        breakerRecord(link, l.trial, outcome != Outcome::Success);
    l.trial = false;
    l.call = kNone;
    const Policy& policy = m_policies[link];
    if (outcome != Outcome::Success && l.attempt < policy.maxRetries) {
        const SimTime wait = backoff(policy, l.attempt);
        ++l.attempt;
        ++m_engine.stats(m_owner).retried;
        l.phase = Phase::Waiting;
        l.timer = m_engine.scheduleTimer(wait, m_owner, RetryDue, pack(laneSlot, l.generation));
        return;
    }
    laneEnded(laneSlot / lanesPerJob(), outcome);
}

SimTime DownstreamCaller::backoff(const Policy& policy, std::uint32_t retry)
{
    double wait = policy.backoffMicros * std::ldexp(1.0, static_cast<int>(std::min(retry, 60u)));
    wait = std::min(wait, policy.backoffMaxMicros);
    if (policy.jitter)
        wait *= m_engine.random(m_owner).uniform();
    return static_cast<SimTime>(std::llround(std::max(0.0, wait)));
}

void DownstreamCaller::laneEnded(std::uint32_t jobSlot, Outcome outcome)
{
    Job& j = m_jobs[jobSlot];
    j.worst = worse(j.worst, outcome);
    if (m_mode == Mode::Sequence) {
        if (outcome != Outcome::Success) {
            finishJob(jobSlot);
            return;
        }
        j.next = nextRouted(j.next + 1, j.message);
        if (j.next == m_invokeCount) {
            finishJob(jobSlot);
            return;
        }
        m_lanes[jobSlot].attempt = 0;
        attempt(jobSlot);
        return;
    }
    if (--j.outstanding == 0)
        finishJob(jobSlot);
}

void DownstreamCaller::finishJob(std::uint32_t jobSlot)
{
    Outcome outcome = m_jobs[jobSlot].worst;
    if (outcome == Outcome::Success) {
        for (const Link& link : m_sends) {
            // fork() may grow the message pool: fetch the message id afresh each time.
            const MessageId copy = m_engine.fork(m_jobs[jobSlot].message);
            const Delivery d = m_engine.deliver(m_owner, link, copy);
            if (d == Delivery::Accepted)
                continue;
            const bool throttled = d == Delivery::Throttled;
            m_engine.finish(copy, throttled ? Fate::Throttled : Fate::Failed);
            outcome = worse(outcome, throttled ? Outcome::Throttled : Outcome::Error);
        }
    }
    const std::uint64_t job = m_jobs[jobSlot].id;
    releaseJob(jobSlot);
    m_client.onDownstreamDone(job, outcome);
}

void DownstreamCaller::releaseJob(std::uint32_t jobSlot)
{
    Job& j = m_jobs[jobSlot];
    m_index.erase(j.id);
    j.message = kNone;
    m_freeJobs.push_back(jobSlot);
}

bool DownstreamCaller::breakerAdmits(std::uint32_t link, Lane& lane)
{
    if (!m_policies[link].breaker)
        return true;
    Breaker& b = m_breakers[link];
    const SimTime now = m_engine.now();
    if (b.state == Breaker::State::Open) {
        if (now < b.openUntil)
            return false;
        b.state = Breaker::State::HalfOpen;
        b.trialOut = false;
    }
    if (b.state == Breaker::State::HalfOpen) {
        if (b.trialOut)
            return false;
        b.trialOut = true;
        lane.trial = true;
    }
    return true;
}

void DownstreamCaller::breakerRecord(std::uint32_t link, bool trial, bool failed)
{
    const Policy& p = m_policies[link];
    if (!p.breaker)
        return;
    Breaker& b = m_breakers[link];
    const SimTime now = m_engine.now();
    if (trial) {
        b.trialOut = false;
        if (failed) {
            b.state = Breaker::State::Open;
            b.openUntil = now + p.breakerOpen;
        } else {
            b = Breaker{};
            b.headBucket = now / p.breakerBucket;
        }
        return;
    }
    // Answers to calls made before the breaker opened say nothing new about the trial.
    if (b.state != Breaker::State::Closed)
        return;
    const std::int64_t bucket = now / p.breakerBucket;
    if (bucket > b.headBucket) {
        const std::int64_t steps = std::min<std::int64_t>(bucket - b.headBucket, kBreakerBuckets);
        for (std::int64_t k = 1; k <= steps; ++k) {
            const auto i = static_cast<std::size_t>((b.headBucket + k) % kBreakerBuckets);
            b.calls -= b.bucketCalls[i];
            b.failures -= b.bucketFailures[i];
            b.bucketCalls[i] = b.bucketFailures[i] = 0;
        }
        b.headBucket = bucket;
    }
    const auto i = static_cast<std::size_t>(bucket % kBreakerBuckets);
    ++b.bucketCalls[i];
    ++b.calls;
    if (failed) {
        ++b.bucketFailures[i];
        ++b.failures;
    }
    if (b.calls >= p.breakerMinCalls &&
        static_cast<double>(b.failures) >= p.breakerRatio * static_cast<double>(b.calls)) {
        b = Breaker{};
        b.state = Breaker::State::Open;
        b.openUntil = now + p.breakerOpen;
        b.headBucket = bucket;
    }
}

} // namespace eventflow::sim
