#include "StateMachineBehaviour.h"

#include "Engine.h"
#include "model/CatchPaths.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace eventflow::sim {

using model::ComponentType;
using model::ConnectionKind;
using model::ParameterScope;

namespace {

constexpr double kStandardMaxSeconds = 365.0 * 24 * 3600;
constexpr double kExpressMaxSeconds = 5.0 * 60;
// StartExecution token buckets (us-east-1, us-west-2, eu-west-1).
constexpr double kStandardStartBurst = 1300.0;
constexpr double kStandardStartRate = 300.0;
constexpr double kExpressStartBurst = 6000.0;
constexpr double kExpressStartRate = 6000.0;

double numberOr(const nlohmann::json& object, const char* key, double fallback)
{
    const auto it = object.find(key);
    return it != object.end() && it->is_number() ? it->get<double>() : fallback;
}

std::uint8_t errorFor(Outcome outcome)
{
    switch (outcome) {
    case Outcome::Success:
        return 0;
    case Outcome::Error:
        return 4;
    case Outcome::Throttled:
        return 2;
    case Outcome::TimedOut:
        return 8;
    }
    return 4;
}

} // namespace

StateMachineBehaviour::StateMachineBehaviour(Engine& engine, ComponentIndex index)
    : Behaviour(engine, index)
{
    const auto& c = component();
    m_transition = c.distribution("transition_latency");
    const bool express = c.text(ParameterScope::Aws, "Type") == "EXPRESS";
    m_maxDuration = fromSeconds(express ? kExpressMaxSeconds : kStandardMaxSeconds);
    m_startBurst = express ? kExpressStartBurst : kStandardStartBurst;
    m_startRate = express ? kExpressStartRate : kStandardStartRate;
    m_startTokens = TokenBucket(m_startBurst);
    readTasks();
}

std::uint8_t StateMachineBehaviour::errorMask(const nlohmann::json& names,
                                              ComponentType target) const
{
    std::uint8_t mask = 0;
    if (!names.is_array())
        return mask;
    for (const auto& item : names) {
        if (!item.is_string())
            continue;
        const std::string name = item.get<std::string>();
        if (name == "States.ALL")
            mask |= kTimeoutError | kThrottleError | kFailureError | kTargetTimedOut;
        else if (name == "States.TaskFailed")
            mask |= kThrottleError | kFailureError | kTargetTimedOut;
        else if (name == "States.Timeout")
            mask |= kTimeoutError;
        else if (target == ComponentType::Function && name == "Lambda.TooManyRequestsException")
            mask |= kThrottleError;
        else if (target == ComponentType::Function && name == "Lambda.Unknown")
            mask |= kFailureError | kTargetTimedOut;
        else if (target == ComponentType::Database &&
                 name == "DynamoDB.ProvisionedThroughputExceededException")
            mask |= kThrottleError;
    }
    return mask;
}

void StateMachineBehaviour::readTasks()
{
    const model::CatchPaths paths(engine().design(), index());
    std::vector<model::CatchPaths::Target> catchTargets; // per catcher, where its Next leads
    std::uint32_t order = 0;
    for (const Link& link : outgoing()) {
        if (link.kind == ConnectionKind::Send) {
            m_sends.push_back(link);
            continue;
        }
        if (link.kind != ConnectionKind::Invoke)
            continue;
        const model::Connection& c = engine().connection(link);
        const ComponentType target = engine().design().components[link.target].type;
        Task t;
        t.link = link;
        t.order = order;
        const auto step = c.parameter(ParameterScope::Sim, "step");
        t.step = step.is_number() ? std::llround(step.get<double>()) : order;
        ++order;
        const auto timeoutSeconds = c.parameter(ParameterScope::Aws, "TimeoutSeconds");
        if (timeoutSeconds.is_number())
            t.timeout = fromSeconds(timeoutSeconds.get<double>());
        else if (c.sim.contains("timeout_ms"))
            t.timeout = fromMillis(c.number(ParameterScope::Sim, "timeout_ms"));
        t.firstRetrier = static_cast<std::uint32_t>(m_retriers.size());
        const auto retry = c.parameter(ParameterScope::Aws, "Retry");
        if (retry.is_array()) {
            for (const auto& r : retry) {
                if (!r.is_object())
                    continue;
                Retrier rt;
                rt.matches = errorMask(r.value("ErrorEquals", nlohmann::json()), target);
                rt.intervalMicros = numberOr(r, "IntervalSeconds", 1.0) * 1e6;
                rt.maxAttempts =
                    static_cast<std::uint32_t>(std::max(0.0, numberOr(r, "MaxAttempts", 3.0)));
                rt.backoffRate = numberOr(r, "BackoffRate", 2.0);
                rt.maxDelayMicros = numberOr(r, "MaxDelaySeconds", 0.0) * 1e6;
                rt.fullJitter = r.value("JitterStrategy", std::string("NONE")) == "FULL";
                m_retriers.push_back(rt);
            }
        }
        t.retriers = static_cast<std::uint32_t>(m_retriers.size()) - t.firstRetrier;
        m_maxRetriers = std::max(m_maxRetriers, t.retriers);
        t.catchOnly = paths.contains(link.connection);
        t.firstCatcher = static_cast<std::uint32_t>(m_catchers.size());
        const auto catchers = c.parameter(ParameterScope::Aws, "Catch");
        if (catchers.is_array())
            for (const auto& k : catchers) {
                if (!k.is_object())
                    continue;
                m_catchers.push_back({errorMask(k.value("ErrorEquals", nlohmann::json()), target)});
                catchTargets.push_back(paths.resolve(k.value("Next", nlohmann::json())));
            }
        t.catchers = static_cast<std::uint32_t>(m_catchers.size()) - t.firstCatcher;
        m_tasks.push_back(t);
    }
    // Catch-only Tasks go after the steps so that groups [0, m_steps) are exactly the states an
    // execution walks through in order, and each is alone in its group because a catch path
    // runs by itself, never as a branch of a Parallel state.
    std::stable_sort(m_tasks.begin(), m_tasks.end(), [](const Task& a, const Task& b) {
        if (a.catchOnly != b.catchOnly)
            return b.catchOnly;
        return a.step != b.step ? a.step < b.step : a.order < b.order;
    });
    std::map<std::size_t, std::uint32_t> groupOf; // by connection
    for (std::uint32_t i = 0; i < m_tasks.size(); ++i) {
        const bool newGroup = m_groups.empty() || m_tasks[i].catchOnly ||
                              m_tasks[m_groups.back().begin].step != m_tasks[i].step;
        if (newGroup)
            m_groups.push_back({i, i});
        m_groups.back().end = i + 1;
        m_maxBranches = std::max(m_maxBranches, i + 1 - m_groups.back().begin);
        if (!m_tasks[i].catchOnly)
            m_steps = static_cast<std::uint32_t>(m_groups.size());
        groupOf[m_tasks[i].link.connection] = static_cast<std::uint32_t>(m_groups.size() - 1);
    }
    for (std::uint32_t k = 0; k < m_catchers.size(); ++k) {
        const auto& target = catchTargets[k];
        if (target.kind == model::CatchPaths::Kind::End) {
            m_catchers[k].to = CatchTo::End;
        } else if (target.kind == model::CatchPaths::Kind::Task) {
            // A Task whose target is missing is no link here (the validator reports it).
            if (const auto it = groupOf.find(target.connection); it != groupOf.end()) {
                m_catchers[k].to = CatchTo::Group;
                m_catchers[k].group = it->second;
            }
        }
    }
    // A branch cannot leave its Parallel state.
    for (const Group& g : m_groups)
        if (g.end - g.begin > 1)
            for (std::uint32_t i = g.begin; i < g.end; ++i)
                for (std::uint32_t k = 0; k < m_tasks[i].catchers; ++k)
                    m_catchers[m_tasks[i].firstCatcher + k].to = CatchTo::NextStep;
}

bool StateMachineBehaviour::takeStartToken()
{
    const double rate = faults().throttleLimit >= 0.0 ? faults().throttleLimit : m_startRate;
    return m_startTokens.tryTake(now(), rate, m_startBurst);
}

Outcome StateMachineBehaviour::begin(CallId inbound, MessageId message)
{
    ++stats().received;
    if (faults().outage) {
        ++stats().failed;
        return Outcome::Error;
    }
    if (!takeStartToken()) {
        ++stats().throttled;
        return Outcome::Throttled;
    }
    std::uint32_t slot;
    if (!m_free.empty()) {
        slot = m_free.back();
        m_free.pop_back();
    } else {
        slot = static_cast<std::uint32_t>(m_executions.size());
        m_executions.emplace_back();
        m_lanes.resize(m_lanes.size() + m_maxBranches);
        m_retryCounts.resize(m_retryCounts.size() + std::size_t{m_maxBranches} * m_maxRetriers);
    }
    Execution& e = m_executions[slot];
    e.inbound = inbound;
    e.message = message;
    e.start = now();
    e.group = 0;
    e.outstanding = 0;
    e.onCatchPath = false;
    e.active = true;
    ++e.generation;
    e.deadline = {};
    if (now() + m_maxDuration <= engine().endTime())
        e.deadline =
            engine().scheduleTimer(m_maxDuration, index(), Deadline, pack(slot, e.generation));
    ++m_running;
    stats().inFlight.set(now(), m_running);
    stats().concurrency.set(now(), m_running);
    transition(slot);
    return Outcome::Success;
}

void StateMachineBehaviour::onCall(CallId call)
{
    const Outcome refusal = begin(call, engine().callMessage(call));
    if (refusal != Outcome::Success)
        engine().respond(call, refusal);
}

Delivery StateMachineBehaviour::receive(MessageId message, const Link&)
{
    return deliveryOf(begin(kNone, message));
}

void StateMachineBehaviour::transition(std::uint32_t slot)
{
    const double millis = random().sample(m_transition) * faults().latencyMultiplier;
    engine().schedule(fromMillis(millis), index(), Transition,
                      pack(slot, m_executions[slot].generation));
}

bool StateMachineBehaviour::liveExecution(std::uint64_t argument, std::uint32_t& slot) const
{
    slot = static_cast<std::uint32_t>(argument & 0xFFFFFFFFu);
    return slot < m_executions.size() && m_executions[slot].active &&
           m_executions[slot].generation == static_cast<std::uint32_t>(argument >> 32);
}

bool StateMachineBehaviour::liveLane(std::uint64_t argument, LanePhase expected,
                                     std::uint32_t& lane) const
{
    lane = static_cast<std::uint32_t>(argument & 0xFFFFFFFFu);
    return lane < m_lanes.size() && m_lanes[lane].phase == expected &&
           m_lanes[lane].generation == static_cast<std::uint32_t>(argument >> 32);
}

const StateMachineBehaviour::Task& StateMachineBehaviour::taskOf(std::uint32_t lane) const
{
    const Execution& e = m_executions[lane / m_maxBranches];
    return m_tasks[m_groups[e.group].begin + lane % m_maxBranches];
}

void StateMachineBehaviour::handle(std::uint32_t action, std::uint64_t argument)
{
    std::uint32_t id;
    switch (action) {
    case Transition:
        if (liveExecution(argument, id))
            enterStep(id);
        break;
    case Deadline:
        if (liveExecution(argument, id)) {
            m_executions[id].deadline = {};
            stopBranches(id);
            complete(id, Outcome::TimedOut);
        }
        break;
    case TaskTimeout:
        if (liveLane(argument, LanePhase::Calling, id)) {
            m_lanes[id].timer = {};
            engine().abandon(m_lanes[id].call);
            attemptFailed(id, kTimeoutError);
        }
        break;
    case RetryDue:
        if (liveLane(argument, LanePhase::Waiting, id)) {
            m_lanes[id].timer = {};
            attempt(id);
        }
        break;
    default:
        break;
    }
}

void StateMachineBehaviour::enterStep(std::uint32_t slot)
{
    Execution& e = m_executions[slot];
    if (e.group == kNone || (!e.onCatchPath && e.group == m_steps)) {
        complete(slot, Outcome::Success, e.group != kNone);
        return;
    }
    const Group g = m_groups[e.group];
    e.outstanding = g.end - g.begin;
    for (std::uint32_t b = 0; b < g.end - g.begin; ++b) {
        const std::uint32_t lane = slot * m_maxBranches + b;
        std::fill_n(m_retryCounts.begin() + std::ptrdiff_t{lane} * m_maxRetriers, m_maxRetriers,
                    0u);
        attempt(lane);
    }
}

void StateMachineBehaviour::attempt(std::uint32_t lane)
{
    const Task& task = taskOf(lane);
    const MessageId message = m_executions[lane / m_maxBranches].message;
    Lane& l = m_lanes[lane];
    l.phase = LanePhase::Calling;
    l.timer = {};
    const std::uint64_t token = pack(lane, ++l.generation);
    // Answers come back as events, never inside call(): the lane is still calling afterwards.
    const CallId call = engine().call(index(), task.link, message, token);
    m_lanes[lane].call = call;
    if (task.timeout > 0 && now() + task.timeout <= engine().endTime())
        m_lanes[lane].timer = engine().scheduleTimer(task.timeout, index(), TaskTimeout, token);
}

void StateMachineBehaviour::onResponse(std::uint64_t token, CallId, Outcome outcome)
{
    std::uint32_t lane;
    if (!liveLane(token, LanePhase::Calling, lane))
        return;
    engine().cancelTimer(m_lanes[lane].timer);
    m_lanes[lane].call = kNone;
    if (outcome == Outcome::Success)
        branchEnded(lane, true);
    else
        attemptFailed(lane, errorFor(outcome));
}

void StateMachineBehaviour::attemptFailed(std::uint32_t lane, std::uint8_t error)
{
    const Task& task = taskOf(lane);
    for (std::uint32_t r = 0; r < task.retriers; ++r) {
        const Retrier& retrier = m_retriers[task.firstRetrier + r];
        if (!(retrier.matches & error))
            continue;
        // The first matching retrier decides; once it is spent, the error goes to Catch.
        std::uint32_t& count = m_retryCounts[std::size_t{lane} * m_maxRetriers + r];
        if (count >= retrier.maxAttempts)
            break;
        double wait = retrier.intervalMicros * std::pow(retrier.backoffRate, count);
        if (retrier.maxDelayMicros > 0.0)
            wait = std::min(wait, retrier.maxDelayMicros);
        if (retrier.fullJitter)
            wait *= random().uniform();
        ++count;
        ++stats().retried;
        Lane& l = m_lanes[lane];
        l.phase = LanePhase::Waiting;
        l.timer = engine().scheduleTimer(static_cast<SimTime>(std::llround(wait)), index(),
                                         RetryDue, pack(lane, ++l.generation));
        return;
    }
    for (std::uint32_t k = 0; k < task.catchers; ++k) {
        const Catcher& catcher = m_catchers[task.firstCatcher + k];
        if (!(catcher.matches & error))
            continue;
        switch (catcher.to) {
        case CatchTo::NextStep:
            branchEnded(lane, true);
            break;
        case CatchTo::End:
            catchInto(lane, kNone);
            break;
        case CatchTo::Group:
            catchInto(lane, catcher.group);
            break;
        }
        return;
    }
    branchEnded(lane, false);
}

void StateMachineBehaviour::catchInto(std::uint32_t lane, std::uint32_t group)
{
    m_lanes[lane].phase = LanePhase::Done;
    const std::uint32_t slot = lane / m_maxBranches;
    stopBranches(slot);
    Execution& e = m_executions[slot];
    e.group = group;
    e.outstanding = 0;
    e.onCatchPath = group != kNone && group >= m_steps;
    transition(slot);
}

void StateMachineBehaviour::branchEnded(std::uint32_t lane, bool succeeded)
{
    m_lanes[lane].phase = LanePhase::Done;
    const std::uint32_t slot = lane / m_maxBranches;
    if (!succeeded) {
        stopBranches(slot);
        complete(slot, Outcome::Error);
        return;
    }
    Execution& e = m_executions[slot];
    if (--e.outstanding == 0) {
        // A catch-path Task is the execution's last state.
        e.group = e.onCatchPath ? kNone : e.group + 1;
        transition(slot);
    }
}

void StateMachineBehaviour::stopBranches(std::uint32_t slot)
{
    for (std::uint32_t b = 0; b < m_maxBranches; ++b) {
        Lane& l = m_lanes[slot * m_maxBranches + b];
        if (l.phase == LanePhase::Calling)
            engine().abandon(l.call);
        if (l.phase == LanePhase::Calling || l.phase == LanePhase::Waiting)
            engine().cancelTimer(l.timer);
        l.phase = LanePhase::Idle;
        l.call = kNone;
        ++l.generation;
    }
}

void StateMachineBehaviour::complete(std::uint32_t slot, Outcome outcome, bool handOver)
{
    if (outcome == Outcome::Success && handOver) {
        for (const Link& link : m_sends) {
            const MessageId copy = engine().fork(m_executions[slot].message);
            const Delivery d = engine().deliver(index(), link, copy);
            if (d == Delivery::Accepted)
                continue;
            engine().finish(copy, d == Delivery::Throttled ? Fate::Throttled : Fate::Failed);
            outcome = Outcome::Error;
        }
    }
    // Fetched after the sends: a send may start another execution here and grow the pool.
    Execution& done = m_executions[slot];
    engine().cancelTimer(done.deadline);
    for (std::uint32_t b = 0; b < m_maxBranches; ++b)
        m_lanes[slot * m_maxBranches + b].phase = LanePhase::Idle;
    const CallId inbound = done.inbound;
    const MessageId message = done.message;
    stats().latency.record(now() - done.start);
    done.active = false;
    ++done.generation;
    m_free.push_back(slot);
    --m_running;
    stats().inFlight.set(now(), m_running);
    stats().concurrency.set(now(), m_running);
    Fate fate = Fate::Completed;
    switch (outcome) {
    case Outcome::Success:
        ++stats().completed;
        break;
    case Outcome::TimedOut:
        ++stats().timedOut;
        fate = Fate::TimedOut;
        break;
    default:
        ++stats().failed;
        fate = Fate::Failed;
        break;
    }
    if (inbound != kNone)
        engine().respond(inbound, outcome);
    else
        engine().finish(message, fate);
}

} // namespace eventflow::sim
