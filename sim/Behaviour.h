#pragma once

#include "FutureEventSet.h"
#include "Message.h"
#include "SimTime.h"
#include "model/ConnectionKind.h"
#include "model/Design.h"

#include <cstdint>
#include <vector>

namespace eventflow::sim {

class Engine;
struct ComponentStats;
class RandomStream;

using ComponentIndex = std::uint32_t;
using CallId = std::uint32_t;

/// How a synchronous call ended, as the caller sees it.
enum class Outcome : std::uint8_t {
    Success,
    Error,     ///< the callee failed (5xx, function error, connection refused)
    Throttled, ///< the callee refused for capacity (429, TooManyRequests, throttling)
    TimedOut,  ///< the caller stopped waiting (504, client timeout, Lambda timeout)
};

/// What a batch call's caller takes back from its callee (an event source mapping's
/// FunctionResponseTypes).
enum class ItemFailures : std::uint8_t {
    None,        ///< the batch succeeds or fails as a whole
    Any,         ///< a partial batch response: the callee names each record that failed
    StopAtFirst, ///< ... from an ordered source (FIFO queue): the callee stops at the first
                 ///< failure and names it and every record after it
};

/// What an asynchronous hand-over did.
enum class Delivery : std::uint8_t {
    Accepted,  ///< the receiver owns the message now
    Throttled, ///< refused for capacity (PutEvents quota, shard limit, FIFO TPS); sender keeps it
    Failed,    ///< refused (outage); sender keeps it
};

/// How a request's journey ended, worst last: a request whose copies end differently takes
/// the worst of their fates.
enum class Fate : std::uint8_t { Completed, Expired, DeadLettered, Failed, Throttled, TimedOut };

/// The fate of a journey that ends with a call's outcome.
inline Fate fateOf(Outcome outcome)
{
    switch (outcome) {
    case Outcome::Success:
        return Fate::Completed;
    case Outcome::Error:
        return Fate::Failed;
    case Outcome::Throttled:
        return Fate::Throttled;
    case Outcome::TimedOut:
        return Fate::TimedOut;
    }
    return Fate::Failed;
}

/// What an asynchronous hand-over reports when the receiver admitted it with `outcome`.
inline Delivery deliveryOf(Outcome outcome)
{
    switch (outcome) {
    case Outcome::Success:
        return Delivery::Accepted;
    case Outcome::Throttled:
        return Delivery::Throttled;
    default:
        return Delivery::Failed;
    }
}

/// One outgoing connection of a component, resolved to indices.
struct Link {
    ComponentIndex target = 0;
    model::ConnectionKind kind = model::ConnectionKind::Invoke;
    std::uint32_t connection = 0; ///< index into design().connections
};

/// The faults active on a component right now (engine-maintained).
struct FaultState {
    bool outage = false;
    double latencyMultiplier = 1.0;
    double errorRate = -1.0;     ///< < 0: no override
    double throttleLimit = -1.0; ///< < 0: no override (requests/s, concurrency or capacity)
};

/// The simulated behaviour of one component. The engine owns one per component, calls it on
/// the simulation thread only, and routes to it: scheduled actions (`handle`), asynchronous
/// hand-overs (`receive`), synchronous calls (`onCall`) and the answers to its own calls
/// (`onResponse`). Behaviours read the model and never change it.
///
/// Message ownership: a message passed to `receive` that returns Accepted belongs to the
/// behaviour, which must eventually pass it on, `finish` it or `detach` it. A message seen in
/// `onCall` belongs to the caller: the callee reads it (and may fork copies of it) until it
/// responds.
class Behaviour {
public:
    Behaviour(Engine& engine, ComponentIndex index);
    virtual ~Behaviour() = default;
    Behaviour(const Behaviour&) = delete;
    Behaviour& operator=(const Behaviour&) = delete;

    /// Called once at time 0, after every behaviour exists (schedule first arrivals here).
    virtual void start() {}
    virtual void handle(std::uint32_t action, std::uint64_t argument);
    virtual Delivery receive(MessageId message, const Link& via);
    virtual void onCall(CallId call);
    virtual void onResponse(std::uint64_t token, CallId call, Outcome outcome);
    /// A fault began or ended on this component; the new state is in faults().
    virtual void onFaultChanged() {}
    /// Age of the oldest message waiting here, for the oldest-age series (0 when none).
    virtual SimTime oldestAge() const { return 0; }

    ComponentIndex index() const { return m_index; }
    const model::Component& component() const;
    const std::vector<Link>& outgoing() const;
    const std::vector<Link>& incoming() const;

protected:
    Engine& engine() const { return m_engine; }
    ComponentStats& stats() const { return *m_stats; }
    RandomStream& random() const { return *m_random; }
    const FaultState& faults() const { return *m_faults; }
    SimTime now() const { return *m_clock; }
    /// Counts `count` requests that ended with `outcome` under completed, failed, throttled or
    /// timedOut.
    void countOutcome(Outcome outcome, std::uint64_t count = 1) const;
    /// Error rate in force: the fault override when one is active, else `configured`.
    double errorRate(double configured) const;

private:
    Engine& m_engine;
    ComponentIndex m_index;
    // Cached from the engine, whose per-component storage never moves after compilation: these
    // accessors run on every event.
    const SimTime* m_clock;
    ComponentStats* m_stats;
    RandomStream* m_random;
    const FaultState* m_faults;
};

} // namespace eventflow::sim
