#pragma once

#include "Behaviour.h"

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
/// it forks the message onto every Send link, and calls every Invoke link — one after another
/// or all at once — under each connection's call policy (sim.timeout_ms, max_retries,
/// backoff_ms doubling up to backoff_max_ms with optional full jitter, and a circuit breaker per
/// connection). Several jobs may be under way at once.
///
/// The owner behaviour forwards to it: `handle()` for actions where ownsAction() is true, and
/// `onResponse()` for tokens where ownsToken() is true. A refused Send counts as a failure of the
/// unit (Throttled or Error) and its copy is finished with that fate. The message stays the
/// owner's throughout.
class DownstreamCaller {
public:
    static constexpr std::uint32_t kActionBase = 0x40000000u;
    static constexpr std::uint64_t kTokenFlag = 1ull << 63;

    enum class Mode { Sequence, Parallel };

    DownstreamCaller(Engine& engine, ComponentIndex owner, DownstreamClient& client, Mode mode);

    /// Starts the outbound work for `job` carrying `message`. If there is nothing to call, the
    /// sends happen and onDownstreamDone(job, …) runs before start() returns.
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
    Engine& m_engine;
    ComponentIndex m_owner;
    DownstreamClient& m_client;
    Mode m_mode;
    std::vector<Link> m_invokes;
    std::vector<Link> m_sends;
};

} // namespace eventflow::sim
