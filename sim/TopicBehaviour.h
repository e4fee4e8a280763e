#pragma once

#include "Behaviour.h"
#include "PerMessage.h"
#include "model/Distribution.h"
#include "model/FilterPolicy.h"

#include <optional>
#include <vector>

namespace eventflow::sim {

/// An SNS topic. A publish (receive) is accepted unless the topic is in outage; it is then
/// fanned out to every subscription (outgoing Subscription link) whose filter policy passes —
/// one copy per delivered subscription, the original being the first — each delivered after
/// sim.delivery_latency: a hand-over to queues and functions (Lambda invoked asynchronously),
/// a synchronous call to services (an HTTP/S endpoint, answered within 15 s).
///
/// A failed delivery (refused hand-over, error, throttle or timeout of the endpoint) is retried
/// under SNS's delivery policy: the AWS-managed one for SQS and Lambda (3 immediate retries, 2
/// one second apart, 10 with exponential backoff 1 → 20 s, then 100,000 twenty seconds apart)
/// and the HTTP/S default (3 retries 20 s apart); delayed retries get ±10% jitter. When retries
/// run out the copy goes to the subscription's dead-letter queue (an outgoing DeadLetter link
/// whose sim.for names the subscriber, else one with an empty sim.for), or ends Failed.
///
/// A FIFO topic keeps each subscription's deliveries in publish order (a copy is never
/// delivered before the one published ahead of it). Filter decisions are cached per event type
/// for event types without random fields. Stats: received per publish, unmatched per
/// subscription a filter skipped, completed per delivered copy (latency: publish → delivery),
/// retried, deadLettered, failed; inFlight counts copies held, backlog those waiting to retry.
class TopicBehaviour : public Behaviour {
public:
    TopicBehaviour(Engine& engine, ComponentIndex index);

    void handle(std::uint32_t action, std::uint64_t argument) override;
    Delivery receive(MessageId message, const Link& via) override;
    void onResponse(std::uint64_t token, CallId call, Outcome outcome) override;

    /// The wait before retry number `retry` (1 = the first retry) of a subscription, before
    /// jitter, or a negative value when the policy has no such retry.
    static SimTime retryDelay(bool httpEndpoint, std::uint32_t retry);

private:
    enum Action : std::uint32_t { Deliver, HttpTimeout };

    struct Subscription {
        Link link;
        std::optional<model::FilterPolicy> filter;
        std::vector<std::int8_t> decisions; ///< per event type: -1 unknown, 0 skip, 1 deliver
        bool http = false;                  ///< a service endpoint: synchronous HTTP/S delivery
        int deadLetter = -1;                ///< index into outgoing(), or -1
        SimTime lastDue = 0;                ///< FIFO: when the last copy was due
    };
    /// An HTTP/S delivery waiting for its answer.
    struct HttpDelivery {
        MessageId message = kNone;
        std::uint32_t subscription = 0;
        std::uint32_t retry = 0;
        CallId call = 0;
        TimerHandle timer;
        bool open = false;
    };

    bool passes(Subscription& subscription, MessageId message);
    void attempt(MessageId message, std::uint32_t subscription, std::uint32_t retry);
    void delivered(MessageId message);
    void failedAttempt(MessageId message, std::uint32_t subscription, std::uint32_t retry);
    void closeHttp(std::uint32_t slot);

    model::Distribution m_latency;
    bool m_fifo = false;
    std::vector<Subscription> m_subscriptions;
    std::vector<std::uint32_t> m_matched;
    std::vector<MessageId> m_copies;
    std::vector<HttpDelivery> m_http;
    std::vector<std::uint32_t> m_freeHttp;
    PerMessage<SimTime> m_publishedAt;
    std::size_t m_waitingRetry = 0;
};

} // namespace eventflow::sim
