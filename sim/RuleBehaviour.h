#pragma once

#include "Behaviour.h"
#include "EventSelector.h"
#include "PerMessage.h"

#include <vector>

namespace eventflow::sim {

class EventBusBehaviour;

/// An EventBridge rule. Its bus asks matches() and hands it the events that match; the rule
/// then sends one copy to each of its targets (outgoing RuleTarget links, at most 5) — Lambda
/// targets are invoked asynchronously, so every target is an asynchronous hand-over — each
/// invocation first taking its bus's invocation quota (delayed, never dropped).
///
/// A refused hand-over is retried under the target's RetryPolicy: exponential backoff from
/// 1 s, doubling, capped at 10 minutes, with equal jitter (half the wait fixed, half uniform),
/// so that the defaults — 185 retries, 24 h — run out at about the same time; no retry is made
/// past MaximumRetryAttempts or that would start after MaximumEventAgeInSeconds. Then the copy
/// goes to the rule's dead-letter queue for that target (an outgoing DeadLetter link whose
/// sim.for names the target, else one with an empty sim.for) or ends Failed.
///
/// The pattern is compiled once into an EventSelector (decisions cached per event type); a
/// DISABLED rule (or one whose pattern does not compile, which the validator reports) matches
/// nothing.
///
/// Stats: received per matching event, completed per delivered copy (latency: match →
/// delivery), retried, deadLettered, failed; inFlight counts copies held, backlog those
/// waiting for a retry or held back by the invocation quota.
class RuleBehaviour : public Behaviour {
public:
    RuleBehaviour(Engine& engine, ComponentIndex index);

    void start() override;
    void handle(std::uint32_t action, std::uint64_t argument) override;
    Delivery receive(MessageId message, const Link& via) override;

    /// Whether this rule selects the event `message` carries.
    bool matches(MessageId message);

    /// The wait before retry `retry` (1 = the first) before jitter: min(2^(retry-1) s, 10 min).
    static SimTime backoff(std::uint32_t retry);

private:
    enum Action : std::uint32_t { Admit, Attempt };

    struct Target {
        Link link;
        std::uint32_t maxRetries = 185;
        SimTime maxAge = 0;
        int deadLetter = -1; ///< index into outgoing(), or -1
    };

    void admit(std::uint64_t argument);
    void attempt(MessageId message, std::uint32_t target, std::uint32_t retry);

    EventSelector m_pattern; ///< empty (selects nothing) for a DISABLED rule
    std::vector<Target> m_targets;
    std::vector<MessageId> m_copies;
    EventBusBehaviour* m_bus = nullptr;
    PerMessage<SimTime> m_arrivedAt;
    std::size_t m_waiting = 0; ///< copies waiting for a retry or for the invocation quota
};

} // namespace eventflow::sim
