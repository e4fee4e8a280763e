#pragma once

#include "Behaviour.h"
#include "PerSecondQuota.h"
#include "TokenBucket.h"
#include "model/Distribution.h"

#include <vector>

namespace eventflow::sim {

class RuleBehaviour;

/// An EventBridge event bus (classic rules and targets). A hand-over is one PutEvents entry:
/// refused (Failed) during an outage, Throttled beyond sim.put_events_limit_per_s in the
/// current second (a throttle fault replaces the quota), otherwise accepted — with the Source
/// and DetailType the sending connection sets, if it sets both (Engine::stampEvent). After
/// sim.delivery_latency the bus evaluates the event against each attached rule (outgoing
/// Subscription links), in link order, and hands one copy to every rule that matches — the
/// rules own target delivery and retries. An event no rule matches ends Completed and counts
/// as unmatched.
///
/// The bus also owns the account's target-invocation quota (sim.invocations_limit_per_s):
/// its rules ask admitInvocation() before each invocation, and beyond the quota invocations
/// are delayed, not dropped (a token bucket holding one second of quota, which may run into
/// debt; debt is paid back in arrival order).
///
/// Stats: received per PutEvents entry (refused ones included), throttled, failed (outage),
/// completed per event routed to at least one rule (latency: put → evaluation), unmatched;
/// inFlight counts accepted events not yet evaluated.
class EventBusBehaviour : public Behaviour {
public:
    EventBusBehaviour(Engine& engine, ComponentIndex index);

    void start() override;
    void handle(std::uint32_t action, std::uint64_t argument) override;
    Delivery receive(MessageId message, const Link& via) override;

    /// Takes one target invocation from the quota: the wait before it may be made (0 when the
    /// quota has room now).
    SimTime admitInvocation();

private:
    enum Action : std::uint32_t { Route };

    struct AttachedRule {
        Link link;
        RuleBehaviour* rule = nullptr;
    };

    model::Distribution m_latency;
    double m_putLimit = 0.0;
    double m_invocationLimit = 0.0;
    PerSecondQuota m_putQuota;
    TokenBucket m_invocationTokens;
    std::vector<AttachedRule> m_rules;
    std::vector<std::uint32_t> m_matched;
    std::vector<MessageId> m_copies;
};

} // namespace eventflow::sim
