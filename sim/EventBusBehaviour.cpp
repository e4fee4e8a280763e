#include "EventBusBehaviour.h"

#include "Engine.h"
#include "RuleBehaviour.h"

#include <algorithm>

namespace eventflow::sim {

using model::ComponentType;
using model::ConnectionKind;
using model::ParameterScope;

EventBusBehaviour::EventBusBehaviour(Engine& engine, ComponentIndex index)
    : Behaviour(engine, index)
{
    const auto& self = component();
    m_latency = self.distribution("delivery_latency");
    m_putLimit = self.number(ParameterScope::Sim, "put_events_limit_per_s");
    m_invocationLimit = std::max(1.0, self.number(ParameterScope::Sim, "invocations_limit_per_s"));
    m_invocationTokens = TokenBucket(m_invocationLimit);
    for (const Link& link : outgoing())
        if (link.kind == ConnectionKind::Subscription &&
            engine.design().components[link.target].type == ComponentType::Rule)
            m_rules.push_back({link, nullptr});
    m_matched.reserve(m_rules.size());
    m_copies.reserve(m_rules.size());
}

void EventBusBehaviour::start()
{
    // Behaviours are built in component order, so the rules exist only from now on.
    for (auto& r : m_rules)
        r.rule = static_cast<RuleBehaviour*>(&engine().behaviour(r.link.target));
}

SimTime EventBusBehaviour::admitInvocation()
{
    return m_invocationTokens.takeOrWait(now(), m_invocationLimit, m_invocationLimit);
}

Delivery EventBusBehaviour::receive(MessageId message, const Link& via)
{
    ++stats().received;
    if (faults().outage) {
        ++stats().failed;
        return Delivery::Failed;
    }
    const double limit = faults().throttleLimit >= 0.0 ? faults().throttleLimit : m_putLimit;
    if (!m_putQuota.tryTake(now(), 1.0, limit)) {
        ++stats().throttled;
        return Delivery::Throttled;
    }
    engine().stampEvent(message, via);
    stats().inFlight.add(now(), 1);
    engine().schedule(fromMillis(random().sample(m_latency) * faults().latencyMultiplier), index(),
                      Route, message);
    return Delivery::Accepted;
}

void EventBusBehaviour::handle(std::uint32_t action, std::uint64_t argument)
{
    if (action != Route)
        return;
    const auto message = static_cast<MessageId>(argument);
    stats().inFlight.add(now(), -1);
    // Untouched while the event waited here: the engine set it when the bus accepted it.
    stats().latency.record(now() - engine().message(message).enqueuedAt);
    m_matched.clear();
    for (std::uint32_t r = 0; r < m_rules.size(); ++r)
        if (m_rules[r].rule->matches(message))
            m_matched.push_back(r);
    if (m_matched.empty()) {
        ++stats().unmatched;
        engine().finish(message, Fate::Completed);
        return;
    }
    ++stats().completed;
    // Every copy exists before the first hand-over: a rule may end its copy at once.
    m_copies.clear();
    m_copies.push_back(message);
    for (std::size_t i = 1; i < m_matched.size(); ++i)
        m_copies.push_back(engine().fork(message));
    for (std::size_t i = 0; i < m_matched.size(); ++i) {
        const MessageId copy = m_copies[i];
        if (engine().deliver(index(), m_rules[m_matched[i]].link, copy) != Delivery::Accepted) {
            ++stats().failed;
            engine().finish(copy, Fate::Failed);
        }
    }
}

} // namespace eventflow::sim
