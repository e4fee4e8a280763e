#pragma once

#include "Behaviour.h"
#include "ComponentStats.h"
#include "FutureEventSet.h"
#include "LatencyHistogram.h"
#include "Message.h"
#include "RandomStream.h"
#include "SimulationResults.h"
#include "model/Design.h"
#include "model/Diagnostic.h"

#include <atomic>
#include <memory>
#include <span>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace eventflow::sim {

/// Why a run stopped.
enum class RunStatus { Running, Finished, Cancelled, Runaway };

/// A kind of event a producer emits, as the EventBridge event document rules and filters see.
struct EventType {
    nlohmann::json document;   ///< {"version","id","detail-type","source","account","time","region","resources","detail"}
    nlohmann::json attributes; ///< SNS message attributes, flat {"name": value}
    bool dynamic = false;      ///< has random fields: each message gets its own document
    const model::EventTemplate* origin = nullptr;
    /// The producer's event type this one restamps (Engine::stampEvent), or its own index.
    std::uint32_t base = 0;
};

/// The discrete-event simulation of one design with one seed.
///
/// Built from a design (which must outlive the engine and must have passed the Validator), it
/// compiles components into behaviours and connections into links, then advances simulated
/// time on request. A run is a pure function of (design, seed). Not thread-safe: drive it from
/// one thread; `cancel()` alone may be called from any thread.
///
/// The hot path allocates nothing per event once pools have grown: events are PODs in the
/// FutureEventSet, messages and requests live in free-list pools.
class Engine {
public:
    explicit Engine(const model::Design& design);
    ~Engine();

    // --- Driving a run --------------------------------------------------------------------
    /// Processes every event up to and including `limit` (clamped to the run's end), then sets
    /// the clock to it. Returns the status after the step.
    RunStatus runUntil(SimTime limit);
    RunStatus run() { return runUntil(endTime()); }
    /// Asks a running `runUntil` to stop soon; safe from any thread.
    void cancel() { m_cancelRequested.store(true, std::memory_order_relaxed); }
    RunStatus status() const { return m_status; }
    SimTime endTime() const { return m_endTime; }
    /// Diagnostics raised while running (runaway loops).
    const model::Diagnostics& diagnostics() const { return m_diagnostics; }
    /// Results as of now: a consistent copy, complete when the run has finished.
    SimulationResults results() const;
    std::uint64_t eventsProcessed() const { return m_eventsProcessed; }

    // --- For behaviours ---------------------------------------------------------------------
    SimTime now() const { return m_now; }
    const SimTime& clock() const { return m_now; }
    const model::Design& design() const { return m_design; }
    std::size_t componentCount() const { return m_behaviours.size(); }
    Behaviour& behaviour(ComponentIndex index) { return *m_behaviours[index]; }
    ComponentStats& stats(ComponentIndex index) { return m_stats[index]; }
    RandomStream& random(ComponentIndex index) { return m_random[index]; }
    const FaultState& faults(ComponentIndex index) const { return m_faults[index]; }
    const std::vector<Link>& outgoing(ComponentIndex index) const { return m_outgoing[index]; }
    const std::vector<Link>& incoming(ComponentIndex index) const { return m_incoming[index]; }
    /// The connection a link stands for.
    const model::Connection& connection(const Link& link) const
    {
        return m_design.connections[link.connection];
    }

    /// Runs `target.handle(action, argument)` after `delay`. Zero-delay events run after the
    /// current one, in the order they were scheduled.
    void schedule(SimTime delay, ComponentIndex target, std::uint32_t action,
                  std::uint64_t argument = 0);
    TimerHandle scheduleTimer(SimTime delay, ComponentIndex target, std::uint32_t action,
                              std::uint64_t argument = 0);
    void cancelTimer(TimerHandle& handle) { m_events.cancel(handle); }

    // Messages and requests.
    Message& message(MessageId id) { return m_messages[id]; }
    /// Starts a request at a producer: one message, owned by the caller. `eventType` indexes
    /// eventTypes(); the document is drawn now when the type has random fields.
    MessageId createRequest(ComponentIndex producer, std::uint32_t eventType);
    /// A copy of `id` that belongs to the same request (fan-out); owned by the caller.
    MessageId fork(MessageId id);
    /// The end of this copy's journey. When the request's last copy finishes, the request ends
    /// with the worst fate of its copies, and its end-to-end latency is recorded.
    void finish(MessageId id, Fate fate);
    /// The copy leaves its request with fate DeadLettered but lives on (in a dead-letter queue);
    /// the caller still owns it and finishes it later like any other (its fate then ignored).
    void detach(MessageId id);

    // Events as rules and filters see them.
    const std::vector<EventType>& eventTypes() const { return m_eventTypes; }
    const nlohmann::json& eventDocument(MessageId id) const;
    const nlohmann::json& eventAttributes(MessageId id) const;
    /// Event types emitted by a producer, with their weights' cumulative sums.
    const std::vector<std::uint32_t>& producerEventTypes(ComponentIndex producer) const;
    /// A sender puts the event on a bus through `via`, a `send` connection whose props may set
    /// the PutEvents entry's Source and DetailType (model::PutEventsEntry): when it sets both,
    /// the message then carries a document with those two fields replaced (its detail
    /// unchanged, whatever an earlier stamp set), as the next event of a choreography does.
    /// No-op for other links and for a connection that sets only one (the validator refuses it). The message must be owned by the caller; O(1) unless its document has
    /// random fields and is shared with forks (then it is copied once).
    void stampEvent(MessageId id, const Link& via);

    // Hand-overs.
    /// Asynchronous: hands `id` to `link.target`. On Accepted the receiver owns the message;
    /// otherwise the sender still does. Counts a hop (runaway guard).
    Delivery deliver(ComponentIndex from, const Link& link, MessageId id);
    /// Synchronous: opens a call from `from` to `link.target` carrying `id` (which stays the
    /// caller's). The callee's onCall runs before this returns; its answer arrives through
    /// `from`'s onResponse(token, call, outcome), possibly before call() returns.
    CallId call(ComponentIndex from, const Link& link, MessageId id, std::uint64_t token);
    /// The callee answers. Calls the caller's onResponse at once unless the caller abandoned
    /// the call. Call it last in a handler: the caller may act (and call back) inside it.
    void respond(CallId call, Outcome outcome);
    /// The caller gives up (timeout, circuit breaker): a later answer is ignored.
    void abandon(CallId call);
    /// A synchronous call carrying a batch (event-source mappings): the callee sees every
    /// message through callMessages(); callMessage() is the first. Ownership as for call().
    /// `itemFailures`: whether and how the caller takes a partial batch response
    /// (ReportBatchItemFailures).
    CallId callBatch(ComponentIndex from, const Link& link, std::span<const MessageId> ids,
                     std::uint64_t token, ItemFailures itemFailures = ItemFailures::None);
    std::span<const MessageId> callMessages(CallId call) const;
    /// How the caller of a batch call takes a partial batch response (None for other calls).
    ItemFailures callItemFailures(CallId call) const { return m_calls[call].itemFailures; }
    /// Partial batch response: the callee names record `record` (an index into callMessages())
    /// as failed, then answers Success; the caller reads the list with itemFailures() in its
    /// onResponse. Records are named in ascending order, each once, as the caller relies on.
    /// Throws std::logic_error (a programming error) for a call that takes no item failures, a
    /// record out of range, or one not after the last named.
    void reportItemFailure(CallId call, std::uint32_t record);
    std::span<const std::uint32_t> itemFailures(CallId call) const;
    MessageId callMessage(CallId call) const { return m_calls[call].message; }
    ComponentIndex caller(CallId call) const { return m_calls[call].caller; }
    bool callAbandoned(CallId call) const { return m_calls[call].abandoned; }
    /// Outstanding synchronous calls (for tests).
    std::size_t openCalls() const { return m_calls.size() - m_freeCalls.size(); }
    std::size_t liveMessages() const { return m_messages.live(); }

    /// The Region's Lambda concurrency, shared by all functions: reserved concurrency is set
    /// aside at start; the rest is the unreserved pool functions without a reservation draw on.
    struct LambdaAccount {
        double limit = 1000;
        double reserved = 0;
        double unreservedInUse = 0;
        double unreservedAvailable() const { return limit - reserved - unreservedInUse; }
    };
    LambdaAccount& lambdaAccount() { return m_lambdaAccount; }

private:
    struct Request {
        SimTime createdAt = 0;
        std::uint32_t outstanding = 0;
        Fate fate = Fate::Completed;
        bool counted = false;
    };
    struct CallRecord {
        ComponentIndex caller = 0;
        ComponentIndex callee = 0;
        MessageId message = kNone;
        std::uint64_t token = 0;
        std::uint32_t batch = kNone; ///< slot in m_batches, or kNone for a single message
        ItemFailures itemFailures = ItemFailures::None;
        bool abandoned = false;
        bool answered = false;
    };
    enum SystemAction : std::uint32_t { Sample, WarmupEnd, FaultStart, FaultEnd };
    static constexpr ComponentIndex kSystem = UINT32_MAX;

    void compile();
    void buildEventTypes();
    void dispatch(const ScheduledEvent& event);
    void handleSystem(std::uint32_t action, std::uint64_t argument);
    void takeSample();
    void applyFaults(ComponentIndex index);
    void releaseMessage(MessageId id);
    void closeCall(CallId call);
    CallId openCall(ComponentIndex from, const Link& link, MessageId first, std::uint64_t token,
                    std::uint32_t batch);
    /// Counts a hop of `id` into `to`; false (and the run stopped) when it exceeds the guard.
    bool countHop(MessageId id, ComponentIndex from, ComponentIndex to);
    void endRequest(std::uint32_t request);
    void stopRunaway(std::string message, ComponentIndex where);
    std::string describeLoop(ComponentIndex start) const;

    const model::Design& m_design;
    SimTime m_now = 0;
    SimTime m_endTime = 0;
    SimTime m_warmupEnd = 0;
    SimTime m_sampleInterval = kSecond;
    RunStatus m_status = RunStatus::Running;
    bool m_started = false;
    std::atomic<bool> m_cancelRequested{false};
    model::Diagnostics m_diagnostics;

    FutureEventSet m_events;
    std::vector<std::unique_ptr<Behaviour>> m_behaviours;
    std::vector<ComponentStats> m_stats;
    std::vector<RandomStream> m_random;
    std::vector<FaultState> m_faults;
    std::vector<std::vector<Link>> m_outgoing;
    std::vector<std::vector<Link>> m_incoming;

    MessagePool m_messages;
    std::vector<Request> m_requests;
    std::vector<std::uint32_t> m_freeRequests;
    std::vector<CallRecord> m_calls;
    std::vector<CallId> m_freeCalls;
    std::vector<std::vector<MessageId>> m_batches;
    std::vector<std::vector<std::uint32_t>> m_batchFailures; ///< per slot of m_batches
    std::vector<std::uint32_t> m_freeBatches;
    LambdaAccount m_lambdaAccount;
    std::vector<nlohmann::json> m_payloads;
    std::vector<std::uint32_t> m_payloadReferences;
    std::vector<bool> m_activeFaults;
    std::vector<std::uint32_t> m_freePayloads;
    std::vector<EventType> m_eventTypes;
    std::vector<std::vector<std::uint32_t>> m_producerEventTypes;
    /// Per connection: the restamped event type per producer event type (empty: no restamp).
    std::vector<std::vector<std::uint32_t>> m_stampedTypes;

    // Runaway guards.
    std::uint32_t m_maxHops = 64;
    std::uint64_t m_eventsProcessed = 0;
    std::uint64_t m_eventsThisSecond = 0;
    SimTime m_currentSecond = 0;
    std::uint64_t m_maxEventsPerSecond = 0;
    std::uint64_t m_maxEventsTotal = 0;

    // Results.
    SummaryCounters m_summary;
    LatencyHistogram m_endToEnd;
    LatencyHistogram m_endToEndAll;
    LatencyHistogram m_endToEndInterval;
    TimeSeries m_series;
    struct CounterSnapshot {
        std::uint64_t received = 0, completed = 0, failed = 0, timedOut = 0, throttled = 0,
                      retried = 0;
    };
    std::vector<CounterSnapshot> m_lastSampled;
};

} // namespace eventflow::sim
