#pragma once

#include "Behaviour.h"
#include "DownstreamCaller.h"
#include "EventSelector.h"
#include "TokenBucket.h"
#include "model/Distribution.h"

#include <deque>
#include <vector>

namespace eventflow::sim {

/// A synchronous service (container, VM, on-premises): `sim.workers` workers take requests
/// from a FIFO wait line of at most `sim.queue_capacity` (0 = unbounded). A worker spends
/// `sim.duration` (× the latency fault) on a request, fails it with `sim.error_rate` — and always
/// when its event matches `sim.fail_pattern` (a poison message) — then does its downstream work
/// through a DownstreamCaller (`sim.call_mode`) and stays busy until that ends — so a slow
/// dependency exhausts the workers and the line backs up to the callers.
///
/// Entry points: onCall (API integrations, callers, queue event sources and topic
/// subscriptions; a batch call is one unit of work whose records a worker handles one after
/// another, and which fails at its first failed record) and receive (asynchronous hand-overs,
/// finished with the outcome's fate).
///
/// Refusals: a request that finds the line full is refused at once with Outcome::Throttled
/// (HTTP 503, load shedding for capacity) and counted in `throttled`; so is a request over the
/// rate of an active throttle fault (requests/s, one second of burst). An outage refuses every
/// request with Error, fails the waiting line at once and fails requests in work when their
/// work ends. A request that fails after admission answers with the cause and is counted by
/// it: its own error or a dependency's error → Error, `failed`; a dependency's throttle →
/// Throttled, `throttled`; a dependency's timeout → TimedOut (as a proxy's 504), `timedOut`.
/// Counters and latency are per record; latency (waiting included) is recorded for every request
/// a worker served, successful or not. Gauges: backlog = waiting, inFlight = concurrency = busy
/// workers.
class ServiceBehaviour : public Behaviour, private DownstreamClient {
public:
    ServiceBehaviour(Engine& engine, ComponentIndex index);

    void handle(std::uint32_t action, std::uint64_t argument) override;
    Delivery receive(MessageId message, const Link& via) override;
    void onCall(CallId call) override;
    void onResponse(std::uint64_t token, CallId call, Outcome outcome) override;
    void onFaultChanged() override;
    SimTime oldestAge() const override;

private:
    enum Action : std::uint32_t { WorkDone };
    struct Request {
        CallId call = kNone;       ///< kNone for an asynchronous hand-over
        MessageId message = kNone; ///< the hand-over's message (calls read theirs from the call)
        SimTime arrival = 0;
        std::uint32_t record = 0;
        std::uint32_t records = 1;
    };

    /// Admission shared by both entry points; returns the refusal, or Success when taken in.
    Outcome admit(CallId call, MessageId message, std::uint32_t records);
    bool throttleAdmits();
    void beginRecord(std::uint32_t slot);
    MessageId recordMessage(const Request& request) const;
    void onDownstreamDone(std::uint64_t job, Outcome outcome) override;
    void recordEnded(std::uint32_t slot, Outcome outcome);
    void complete(std::uint32_t slot, Outcome outcome);
    void updateGauges();

    std::uint32_t m_workers = 1;
    std::uint64_t m_queueCapacity = 0;
    model::Distribution m_duration;
    double m_errorRate = 0.0;
    EventSelector m_failPattern;
    DownstreamCaller m_downstream;

    std::vector<Request> m_requests;
    std::vector<std::uint32_t> m_free;
    std::deque<std::uint32_t> m_waiting;
    std::uint32_t m_busy = 0;
    TokenBucket m_throttle;
};

} // namespace eventflow::sim
