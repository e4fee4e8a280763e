#pragma once

#include "Behaviour.h"
#include "DownstreamCaller.h"
#include "EventSelector.h"
#include "TokenBucket.h"
#include "model/Distribution.h"

#include <cstdint>
#include <deque>
#include <vector>

namespace eventflow::sim {

/// An AWS Lambda function.
///
/// Concurrency: an invocation needs an execution environment. A function with
/// ReservedConcurrentExecutions R runs at most R at once out of its reservation (the engine
/// sets reservations aside from the account at start); the others draw on the account's
/// unreserved pool (Engine::lambdaAccount). A throttle fault lowers the ceiling. An idle
/// environment is reused (most recent first) while younger than sim.idle_lifetime_s; otherwise
/// a new one is started, which costs a cold start (sim.cold_start, not counted in Timeout) and
/// a token of the scaling allowance (sim.scaling_per_10s per 10 s, refilled continuously, at
/// most one 10 s allowance banked). No concurrency or no allowance: the invocation is throttled.
///
/// An invocation runs sim.duration × the latency fault multiplier, fails with sim.error_rate,
/// else does its downstream work (DownstreamCaller over its Invoke and Send links, sim.call_mode)
/// and fails if that fails. A record whose event matches sim.fail_pattern (a poison message)
/// fails before its downstream work, every time. Past Timeout it is stopped (downstream work
/// abandoned) and counts as timed out; a timed-out environment is discarded (Lambda resets it).
/// In an outage every invocation fails at once, without running.
///
/// Synchronous invokes (onCall, including an event-source mapping's callBatch) are answered
/// Success, Error, TimedOut or Throttled (429). A batch is one invocation whose records are
/// worked through one after another, each record's downstream work one DownstreamCaller job,
/// stopping at the first record that fails (as a handler's loop does): the whole batch fails.
/// When the caller takes a partial batch response (ReportBatchItemFailures), the handler
/// instead reports a failed record and goes on, and the invocation succeeds with the failed
/// records named (Engine::reportItemFailure); from a FIFO queue (ItemFailures::StopAtFirst) it
/// stops at the first failure and names that record and every one after it, as AWS advises to
/// keep a group's order. An invocation that errs, times out or is throttled still fails as a
/// whole.
///
/// Asynchronous invokes (receive) are always accepted into Lambda's internal queue, served
/// in arrival order as concurrency allows: at the function's own ceiling the queue waits for
/// one of its invocations to end; an attempt refused by a limit outside the function (the
/// unreserved pool, the scaling rate) is a throttle, and that event comes back after 1 s,
/// 2 s, 4 s… up to 5 min. A function error or timeout is retried up to
/// EventInvokeConfig.MaximumRetryAttempts times, 1 min and then 2 min later. Events older than
/// MaximumEventAgeInSeconds are discarded. A failed or discarded event goes to the OnFailure
/// destination, else to the DeadLetter queue (detached, counted deadLettered), else ends
/// Failed or Expired.
///
/// Stats: received per call or event, completed/failed/timedOut per invocation (one with a
/// partial batch response is completed, as Lambda's Errors metric leaves it out), throttled per
/// refused invocation, retried per error retry, coldStarts, deadLettered, expired; latency of
/// a successful invocation (asynchronous: from acceptance, queueing and retries included);
/// gauges concurrency and inFlight (busy environments) and backlog (events in the internal
/// queue, retries waiting included).
class FunctionBehaviour : public Behaviour, private DownstreamClient {
public:
    FunctionBehaviour(Engine& engine, ComponentIndex index);

    void handle(std::uint32_t action, std::uint64_t argument) override;
    Delivery receive(MessageId message, const Link& via) override;
    void onCall(CallId call) override;
    void onResponse(std::uint64_t token, CallId call, Outcome outcome) override;
    SimTime oldestAge() const override;

    /// Wait before asynchronous retry number `retry` (1-based) after a function error.
    static SimTime errorRetryDelay(std::uint32_t retry);
    /// Wait before the event goes back to the function after its `throttles`-th throttle.
    static SimTime throttleRetryDelay(std::uint32_t throttles);

private:
    enum Action : std::uint32_t { RunDone, InvocationTimeout, AsyncDue };

    /// One running invocation, in a slot of m_invocations.
    struct Invocation {
        CallId call = kNone;         ///< synchronous: the call to answer
        std::uint32_t event = kNone; ///< asynchronous: slot in m_events
        SimTime arrivedAt = 0;
        TimerHandle timeout;
        std::uint32_t records = 1;
        std::uint32_t nextRecord = 0;
        Outcome downstreamOutcome = Outcome::Success;
        ItemFailures itemFailures = ItemFailures::None; ///< the caller's partial batch response
        bool inDownstream = false;
        bool starting = false;   ///< inside DownstreamCaller::start
        bool doneInline = false; ///< the job ended before start() returned
        bool active = false;
    };
    /// An event in Lambda's internal queue.
    struct AsyncEvent {
        MessageId message = kNone;
        SimTime acceptedAt = 0;
        std::uint16_t attempts = 0;  ///< invocations that failed
        std::uint16_t throttles = 0; ///< times it was throttled
    };

    void onDownstreamDone(std::uint64_t job, Outcome outcome) override;

    /// No environment may be added under the function's own ceiling (reservation, fault).
    bool atOwnCeiling() const;
    bool acquireEnvironment(bool& cold);
    void releaseEnvironment(bool keepWarm);
    void startInvocation(CallId call, std::uint32_t event, SimTime arrivedAt, bool cold);
    void runRecords(std::uint32_t slot);
    /// Record `record` failed. Reports it when the caller takes item failures and returns true
    /// if the invocation goes on; otherwise the invocation has ended.
    bool recordFailed(std::uint32_t slot, std::uint32_t record);
    void endInvocation(std::uint32_t slot, Outcome outcome);
    MessageId recordMessage(const Invocation& invocation, std::uint32_t record) const;

    void pumpEvents();
    void asyncAttemptFailed(std::uint32_t event);
    void requeue(std::uint32_t event, SimTime wait);
    /// The event leaves for good: to the failure destination, else ends with `fate`.
    void giveUp(std::uint32_t event, Fate fate);
    void freeEvent(std::uint32_t event);
    void updateGauges();

    static std::uint64_t job(std::uint32_t slot, std::uint32_t record)
    {
        return (static_cast<std::uint64_t>(slot) << 32) | record;
    }

    DownstreamCaller m_downstream;

    // Configuration, read once.
    SimTime m_timeout = 0;
    double m_reserved = -1; ///< < 0: no reservation
    std::uint32_t m_maxRetries = 2;
    SimTime m_maxEventAge = 0;
    model::Distribution m_duration;
    model::Distribution m_coldStart;
    double m_errorRate = 0;
    EventSelector m_failPattern;
    SimTime m_idleLifetime = 0;
    double m_scalingPer10s = 1000;
    int m_failureLink = -1; ///< index into outgoing(): OnFailure, else DeadLetter; -1 if none

    // Environments.
    std::uint32_t m_busy = 0;
    std::deque<SimTime> m_idle; ///< when each idle environment became idle, oldest first
    TokenBucket m_scalingTokens;

    // Invocations and the asynchronous queue.
    std::vector<Invocation> m_invocations;
    std::vector<std::uint32_t> m_freeInvocations;
    std::vector<AsyncEvent> m_events;
    std::vector<std::uint32_t> m_freeEvents;
    std::deque<std::uint32_t> m_ready;
    std::uint32_t m_queued = 0; ///< events accepted and not being invoked
    bool m_pumping = false;
};

} // namespace eventflow::sim
