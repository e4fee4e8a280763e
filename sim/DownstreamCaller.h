#pragma once

#include "Behaviour.h"
#include "EventSelector.h"
#include "JobIndex.h"

#include <cstdint>
#include <vector>

namespace eventflow::sim {

/// Told when the outbound work of one unit has ended.
class DownstreamClient {
public:
    virtual ~DownstreamClient() = default;
    /// All calls and sends of `job` have ended; `outcome` is Success, or the worst failure
    /// (TimedOut > Throttled > Error) among them.
    virtual void onDownstreamDone(std::uint64_t job, Outcome outcome) = 0;
};

/// The outbound work a component does for one unit of work (a request, or a record of a batch):
/// it forks the message onto every Send link, and calls every Invoke link that routes the unit
/// (below) — one after another or all at once — under each connection's call policy
/// (sim.timeout_ms, max_retries, backoff_ms doubling up to backoff_max_ms with optional full
/// jitter, a circuit breaker and a bulkhead per connection). Several jobs may be under way at
/// once.
///
/// The owner behaviour forwards to it: `handle()` for actions where ownsAction() is true, and
/// `onResponse()` for tokens where ownsToken() is true. A refused Send counts as a failure of the
/// unit (Throttled or Error) and its copy is finished with that fate. The message stays the
/// owner's throughout.
///
/// Order of the work: in Sequence mode the calls go out one after another and the first call
/// that fails for good (after its retries) ends the job, the later links are not called (the
/// unit stops at the exception, as code does); in Parallel mode every call goes out at once and
/// the job waits for all of them. Sends happen last, and only when every call succeeded: a unit
/// that failed downstream publishes nothing. Each attempt is timed out on its own; every failed
/// attempt (error, throttle, timeout, or a fast failure of an open breaker) is retried up to
/// max_retries times, each retry counted in the owner's stats().retried. The breaker counts
/// attempt outcomes over the window; open, it fails attempts at once with Error without calling;
/// after breaker_open_s the next attempt is a trial whose outcome closes or re-opens it, and
/// attempts meanwhile fail fast. Job and lane state live in pools: once warm, nothing allocates.
///
/// Routing: an Invoke link with sim.call_pattern (an EventBridge event pattern) is called only
/// for units whose event matches it, as code calls a dependency only for the requests that need
/// it; the others skip the link (Sequence: on to the next link; Parallel: no lane). A pattern
/// that does not compile (the validator reports it) routes nothing.
///
/// Bulkhead: sim.max_concurrent_calls > 0 caps the calls this owner has open on the link at
/// once, over all its jobs (a semaphore per dependency, as in resilience libraries). An attempt
/// that finds the link full fails fast with Error without calling — it is retried like any
/// failed attempt, and its unit counts as failed by its owner — so a slow dependency can tie up
/// at most that many of the owner's workers. A call holds its place until it is answered, timed
/// out or abandoned. A full bulkhead is checked before the breaker and says nothing about the
/// callee's health: it neither feeds the breaker's window nor uses its trial.
class DownstreamCaller {
public:
    static constexpr std::uint32_t kActionBase = 0x40000000u;
    static constexpr std::uint64_t kTokenFlag = 1ull << 63;

    enum class Mode { Sequence, Parallel };

    DownstreamCaller(Engine& engine, ComponentIndex owner, DownstreamClient& client, Mode mode);

    /// Starts the outbound work for `job` (an id unique among the jobs under way) carrying
    /// `message`. If there is nothing to call, the sends happen and onDownstreamDone(job, …)
    /// runs before start() returns; otherwise it runs later, from an event.
    void start(std::uint64_t job, MessageId message);
    /// Gives up on `job` (its owner timed out): open calls are abandoned, timers cancelled, and
    /// onDownstreamDone is not called for it.
    void abandon(std::uint64_t job);

    bool hasCalls() const { return !m_invokes.empty(); }
    bool ownsAction(std::uint32_t action) const { return action >= kActionBase; }
    bool ownsToken(std::uint64_t token) const { return (token & kTokenFlag) != 0; }
    void handle(std::uint32_t action, std::uint64_t argument);
    void onResponse(std::uint64_t token, CallId call, Outcome outcome);

private:
    /// The call policy of one Invoke connection, read once.
    struct Policy {
        SimTime timeout = 0;
        std::uint32_t maxRetries = 0;
        double backoffMicros = 0.0;
        double backoffMaxMicros = 0.0;
        bool jitter = false;
        bool breaker = false;
        double breakerRatio = 0.5;
        std::uint32_t breakerMinCalls = 20;
        SimTime breakerBucket = kSecond; ///< the window is kBreakerBuckets of these
        SimTime breakerOpen = 30 * kSecond;
        std::uint32_t maxConcurrent = 0; ///< bulkhead; 0 = no limit
        bool routed = false;             ///< has a call_pattern (none: called for every unit)
        EventSelector pattern;           ///< the call_pattern
    };
    static constexpr std::uint32_t kBreakerBuckets = 20;
    /// Circuit breaker of one connection. The failure window slides in steps of a twentieth
    /// of breaker_window_s (a bucketed count, as resilience libraries keep it).
    struct Breaker {
        enum class State : std::uint8_t { Closed, Open, HalfOpen };
        State state = State::Closed;
        bool trialOut = false;
        SimTime openUntil = 0;
        std::int64_t headBucket = 0;
        std::uint32_t calls = 0;
        std::uint32_t failures = 0;
        std::uint32_t bucketCalls[kBreakerBuckets] = {};
        std::uint32_t bucketFailures[kBreakerBuckets] = {};
    };
    struct Job {
        std::uint64_t id = 0;
        MessageId message = kNone;
        std::uint32_t next = 0;        ///< Sequence: the invoke link being called
        std::uint32_t outstanding = 0; ///< Parallel: calls not yet ended
        Outcome worst = Outcome::Success;
    };
    enum class Phase : std::uint8_t { Idle, Calling, Waiting };
    /// One lane of a job: the call (with its retries) to one link. Lane slot =
    /// job slot × lanes per job + lane.
    struct Lane {
        std::uint32_t generation = 0;
        std::uint32_t attempt = 0;
        CallId call = kNone;
        TimerHandle timer;
        Phase phase = Phase::Idle;
        bool trial = false; ///< this attempt is the half-open breaker's trial call
    };
    /// FastFailure: an attempt refused by the open breaker or the full bulkhead.
    enum Action : std::uint32_t { CallTimeout = kActionBase, RetryDue, FastFailure };

    std::uint32_t lanesPerJob() const { return m_mode == Mode::Parallel ? m_invokeCount : 1u; }
    std::uint32_t linkOf(std::uint32_t laneSlot) const;
    static std::uint64_t pack(std::uint32_t laneSlot, std::uint32_t generation)
    {
        return (static_cast<std::uint64_t>(generation & 0x7FFFFFFFu) << 32) | laneSlot;
    }
    bool unpack(std::uint64_t value, Phase expected, std::uint32_t& laneSlot) const;
    /// Whether `link` is called for the unit carrying `message` (its call_pattern).
    bool routes(std::uint32_t link, MessageId message);
    /// Sequence: the first link from `from` on that the job's unit calls, or m_invokeCount.
    std::uint32_t nextRouted(std::uint32_t from, MessageId message);
    void attempt(std::uint32_t laneSlot);
    /// The open call on `link` ended (answered, timed out or abandoned): frees its bulkhead place.
    void callClosed(std::uint32_t link);
    /// `called`: the attempt reached the callee (not refused by the breaker).
    void attemptEnded(std::uint32_t laneSlot, Outcome outcome, bool called);
    void laneEnded(std::uint32_t jobSlot, Outcome outcome);
    void finishJob(std::uint32_t jobSlot);
    void releaseJob(std::uint32_t jobSlot);
    /// Whether a call on `link` may go out now; marks the half-open trial.
    bool breakerAdmits(std::uint32_t link, Lane& lane);
    void breakerRecord(std::uint32_t link, bool trial, bool failed);
    SimTime backoff(const Policy& policy, std::uint32_t retry);

    Engine& m_engine;
    ComponentIndex m_owner;
    DownstreamClient& m_client;
    Mode m_mode;
    std::uint32_t m_invokeCount = 0;
    std::vector<Link> m_invokes;
    std::vector<Link> m_sends;
    std::vector<Policy> m_policies;
    std::vector<Breaker> m_breakers;
    std::vector<std::uint32_t> m_openCalls;    ///< per invoke link: calls open now (bulkhead)
    std::vector<std::uint8_t> m_routedScratch; ///< Parallel start(): which links route the unit
    std::vector<Job> m_jobs;
    std::vector<Lane> m_lanes;
    std::vector<std::uint32_t> m_freeJobs;
    JobIndex m_index;
};

} // namespace eventflow::sim
