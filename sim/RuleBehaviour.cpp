#include "RuleBehaviour.h"

#include "Engine.h"
#include "EventBusBehaviour.h"

#include <algorithm>

namespace eventflow::sim {

using model::ComponentType;
using model::ConnectionKind;
using model::ParameterScope;

namespace {

constexpr SimTime kBackoffCap = 600 * kSecond;

// Event arguments: [message: 32][target: 16][retry: 16]; retries are at most 185.
std::uint64_t pack(MessageId message, std::uint32_t target, std::uint32_t retry)
{
    return (std::uint64_t(message) << 32) | (std::uint64_t(target) << 16) | retry;
}

} // namespace

RuleBehaviour::RuleBehaviour(Engine& engine, ComponentIndex index) : Behaviour(engine, index)
{
    const auto& self = component();
    if (self.text(ParameterScope::Aws, "State") != "DISABLED")
        m_pattern = EventSelector(engine, self.parameter(ParameterScope::Aws, "EventPattern"));

    const auto& design = engine.design();
    const auto& links = outgoing();
    for (const Link& link : links) {
        if (link.kind != ConnectionKind::RuleTarget)
            continue;
        const auto& connection = engine.connection(link);
        Target t;
        t.link = link;
        t.maxRetries = static_cast<std::uint32_t>(
            std::clamp(connection.number(ParameterScope::Aws, "RetryPolicy.MaximumRetryAttempts"),
                       0.0, 185.0));
        t.maxAge = fromSeconds(
            connection.number(ParameterScope::Aws, "RetryPolicy.MaximumEventAgeInSeconds"));
        const std::string& targetId = design.components[link.target].id;
        for (std::size_t i = 0; i < links.size(); ++i) {
            if (links[i].kind != ConnectionKind::DeadLetter)
                continue;
            const auto forWhom = engine.connection(links[i]).parameter(ParameterScope::Sim, "for");
            const std::string name = forWhom.is_string() ? forWhom.get<std::string>() : "";
            if (name == targetId) {
                t.deadLetter = static_cast<int>(i);
                break;
            }
            if (name.empty() && t.deadLetter < 0)
                t.deadLetter = static_cast<int>(i);
        }
        m_targets.push_back(t);
    }
    m_copies.reserve(m_targets.size());
}

void RuleBehaviour::start()
{
    for (const Link& link : incoming())
        if (link.kind == ConnectionKind::Subscription &&
            engine().design().components[link.target].type == ComponentType::EventBus) {
            m_bus = static_cast<EventBusBehaviour*>(&engine().behaviour(link.target));
            break;
        }
}

SimTime RuleBehaviour::backoff(std::uint32_t retry)
{
    if (retry == 0)
        return 0;
    if (retry > 20)
        return kBackoffCap;
    return std::min(kBackoffCap, kSecond << (retry - 1));
}

bool RuleBehaviour::matches(MessageId message)
{
    return m_pattern.selects(engine(), message);
}

Delivery RuleBehaviour::receive(MessageId message, const Link&)
{
    ++stats().received;
    if (m_targets.empty()) {
        ++stats().completed;
        engine().finish(message, Fate::Completed);
        return Delivery::Accepted;
    }
    m_copies.clear();
    m_copies.push_back(message);
    for (std::size_t i = 1; i < m_targets.size(); ++i)
        m_copies.push_back(engine().fork(message));
    // Invocations run as their own events: a target may be this rule's own bus.
    for (std::uint32_t t = 0; t < m_targets.size(); ++t) {
        m_arrivedAt[m_copies[t]] = now();
        engine().schedule(0, index(), Admit, pack(m_copies[t], t, 0));
    }
    stats().inFlight.add(now(), static_cast<double>(m_targets.size()));
    return Delivery::Accepted;
}

void RuleBehaviour::handle(std::uint32_t action, std::uint64_t argument)
{
    const auto message = static_cast<MessageId>(argument >> 32);
    const auto target = static_cast<std::uint32_t>((argument >> 16) & 0xFFFF);
    const auto retry = static_cast<std::uint32_t>(argument & 0xFFFF);
    if (action == Admit) {
        if (retry > 0)
            stats().backlog.set(now(), static_cast<double>(--m_waiting));
        const SimTime wait = m_bus ? m_bus->admitInvocation() : 0;
        if (wait > 0) {
            stats().backlog.set(now(), static_cast<double>(++m_waiting));
            engine().schedule(wait, index(), Attempt, argument);
            return;
        }
    } else {
        stats().backlog.set(now(), static_cast<double>(--m_waiting));
    }
    attempt(message, target, retry);
}

void RuleBehaviour::attempt(MessageId message, std::uint32_t target, std::uint32_t retry)
{
    const Target& t = m_targets[target];
    const SimTime arrivedAt = m_arrivedAt[message];
    if (engine().deliver(index(), t.link, message) == Delivery::Accepted) {
        ++stats().completed;
        stats().latency.record(now() - arrivedAt);
        stats().inFlight.add(now(), -1);
        return;
    }

    const std::uint32_t next = retry + 1;
    if (next <= t.maxRetries) {
        const SimTime base = backoff(next);
        const SimTime wait = base / 2 + static_cast<SimTime>(random().uniform() * double(base / 2));
        if (now() + wait - arrivedAt <= t.maxAge) {
            ++stats().retried;
            stats().backlog.set(now(), static_cast<double>(++m_waiting));
            engine().schedule(wait, index(), Admit, pack(message, target, next));
            return;
        }
    }
    stats().inFlight.add(now(), -1);
    if (t.deadLetter >= 0) {
        engine().detach(message);
        if (engine().deliver(index(), outgoing()[static_cast<std::size_t>(t.deadLetter)],
                             message) == Delivery::Accepted) {
            ++stats().deadLettered;
            return;
        }
    }
    ++stats().failed;
    engine().finish(message, Fate::Failed);
}

} // namespace eventflow::sim
