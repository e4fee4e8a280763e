#pragma once

#include "Behaviour.h"
#include "TokenBucket.h"
#include "model/Distribution.h"

#include <vector>

namespace eventflow::sim {

/// An API Gateway stage (REST or HTTP API) in front of one integration.
///
/// A request first meets the stage's token bucket (ThrottlingRateLimit tokens/s, holding
/// ThrottlingBurstLimit; a throttle fault replaces the rate): without a token it gets 429
/// (Throttled). Then API Gateway adds `sim.overhead` (× the latency fault) and runs the
/// integration on one outgoing link (picked at random when there are several, as routes):
/// - Invoke (Lambda, HTTP/service, StartSyncExecution): a synchronous call limited to
///   TimeoutInMillis (REST at most 29,000 ms, HTTP 30,000 ms, and no longer than the link's
///   sim.timeout_ms). When it runs out the client gets 504 (TimedOut) and the integration call is
///   abandoned. An integration error answers 5xx (Error); an integration throttle answers 500
///   (Error) too — API Gateway shows Lambda throttling as 500 — but counts under `throttled`;
///   an integration that answers TimedOut (a proxied 504) answers TimedOut. No retries.
/// - Send (service integration with SQS, SNS, EventBridge, Kinesis, StartExecution): the
///   message is forked and handed over; 200 at once, 429 (Throttled) when the target throttles,
///   500 (Error) when it refuses.
/// With no integration the stage answers 200 itself (a mock integration). An outage answers 5xx
/// at once. Latency is recorded for every request that passed the throttle; inFlight counts
/// requests inside the stage.
class ApiBehaviour : public Behaviour {
public:
    ApiBehaviour(Engine& engine, ComponentIndex index);

    void handle(std::uint32_t action, std::uint64_t argument) override;
    void onCall(CallId call) override;
    void onResponse(std::uint64_t token, CallId call, Outcome outcome) override;

private:
    enum Action : std::uint32_t { OverheadDone, IntegrationTimeout };
    enum class Phase : std::uint8_t { Idle, Overhead, Integrating };
    struct Request {
        CallId inbound = kNone;
        CallId integration = kNone;
        SimTime arrival = 0;
        TimerHandle timer;
        std::uint32_t generation = 0;
        Phase phase = Phase::Idle;
    };
    struct Integration {
        Link link;
        SimTime timeout = 0;
    };

    bool takeToken();
    static std::uint64_t pack(std::uint32_t slot, std::uint32_t generation)
    {
        return (static_cast<std::uint64_t>(generation) << 32) | slot;
    }
    bool unpack(std::uint64_t value, Phase expected, std::uint32_t& slot) const;
    void integrate(std::uint32_t slot);
    /// Ends the request and answers the client; the caller has counted the outcome.
    void answer(std::uint32_t slot, Outcome outcome);

    double m_rate = 0.0;
    double m_burst = 0.0;
    TokenBucket m_bucket;
    model::Distribution m_overhead;
    std::vector<Integration> m_integrations;
    std::vector<Request> m_requests;
    std::vector<std::uint32_t> m_free;
    std::uint32_t m_inside = 0;
};

} // namespace eventflow::sim
