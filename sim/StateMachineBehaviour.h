#pragma once

#include "Behaviour.h"
#include "TokenBucket.h"
#include "model/Distribution.h"

#include <vector>

namespace eventflow::sim {

/// A Step Functions state machine whose Task states are its outgoing Invoke links.
///
/// Steps: links run in ascending order of their connection's `sim.step` integer (default: the
/// link's position among the machine's Invoke links, so plain designs run one task after
/// another); links sharing a step form one Parallel state whose branches all must finish. A
/// catch-only link (`sim.catch_only`) is no step: it runs only when a catcher sends the
/// execution to it. Each transition (into every state, and out of the last one) takes
/// `sim.transition_latency`.
///
/// Errors, with Amazon States Language semantics read from the connection's props:
/// "Retry": [{"ErrorEquals", "IntervalSeconds" (1), "MaxAttempts" (3), "BackoffRate" (2.0),
/// "MaxDelaySeconds", "JitterStrategy" ("FULL" | "NONE")}] — the first retrier whose ErrorEquals
/// matches handles the error; its own attempt count persists for the state's run; wait before
/// retry n (1-based) is IntervalSeconds × BackoffRate^(n−1), capped by MaxDelaySeconds, drawn
/// uniformly below it under FULL jitter. "Catch": [{"ErrorEquals", "Next"}] — the first catcher
/// whose ErrorEquals matches handles the error and sends the execution where its Next leads
/// (model::CatchPaths resolves it): without a Next, on with the next step; to a Task of a step,
/// on from that step (ahead or back); to a catch-only Task (a catch path, such as a saga's
/// compensation), which runs alone and then ends the execution successfully (End: true); to
/// "Done", the end. An execution that a catcher ends, or that ends on a catch path, succeeds
/// without the Send hand-overs. In a Parallel state every catcher ends its branch, which counts
/// as done, since a branch cannot leave its Parallel state. A Next that names nothing the
/// machine has lets the execution go on (the validator refuses it). An uncaught error fails the
/// execution, abandoning the other branches at once.
/// "TimeoutSeconds" (props; else an explicitly set `sim.timeout_ms`; else none, as ASL's
/// 99,999,999 s) raises States.Timeout. Error names: States.ALL; States.TaskFailed (all but
/// States.Timeout); States.Timeout; for a function target Lambda.TooManyRequestsException
/// (throttled) and Lambda.Unknown (error, or the function timed out); for a database
/// target DynamoDB.ProvisionedThroughputExceededException. Other names never match.
///
/// Entry: onCall (StartSyncExecution: API Gateway or a caller) answers when the execution ends
/// (Success, Error when it failed, TimedOut when it ran past its maximum duration); receive
/// (StartExecution from a producer, rule or API Send integration) owns the message and finishes
/// it Completed, Failed or TimedOut. Executions start through the StartExecution token bucket
/// (STANDARD: 1,300 burst, 300/s; EXPRESS: 6,000, 6,000/s; a throttle fault replaces the rate):
/// without a token the call answers Throttled, the hand-over returns Throttled. Type EXPRESS
/// fails an execution after 5 minutes, STANDARD after a year. Send links get a copy of the
/// message when an execution succeeds (a refused copy fails the execution). An outage refuses
/// every start with Error.
///
/// Stats: received (starts), completed, failed, timedOut (execution time limit), throttled
/// (StartExecution), retried (Retry attempts); inFlight = concurrency = running executions;
/// latency = execution duration.
class StateMachineBehaviour : public Behaviour {
public:
    StateMachineBehaviour(Engine& engine, ComponentIndex index);

    void handle(std::uint32_t action, std::uint64_t argument) override;
    Delivery receive(MessageId message, const Link& via) override;
    void onCall(CallId call) override;
    void onResponse(std::uint64_t token, CallId call, Outcome outcome) override;

private:
    enum Action : std::uint32_t { Transition, TaskTimeout, RetryDue, Deadline };
    /// Error classes a task can raise (bit masks for ErrorEquals).
    enum ErrorBits : std::uint8_t {
        kTimeoutError = 1,   ///< States.Timeout: the task's own TimeoutSeconds ran out
        kThrottleError = 2,  ///< the target throttled
        kFailureError = 4,   ///< the target failed
        kTargetTimedOut = 8, ///< the target answered TimedOut (e.g. a Lambda timeout)
    };
    struct Retrier {
        std::uint8_t matches = 0;
        double intervalMicros = 1e6;
        std::uint32_t maxAttempts = 3;
        double backoffRate = 2.0;
        double maxDelayMicros = 0.0; ///< 0: no cap
        bool fullJitter = false;
    };
    /// Where a catcher sends the execution.
    enum class CatchTo : std::uint8_t {
        NextStep, ///< nowhere: the branch counts as done
        End,      ///< the end ("Done")
        Group,    ///< Catcher::group: a step to go on from, or a catch path
    };
    struct Catcher {
        std::uint8_t matches = 0;
        CatchTo to = CatchTo::NextStep;
        std::uint32_t group = 0;
    };
    struct Task {
        Link link;
        std::int64_t step = 0;
        std::uint32_t order = 0;
        SimTime timeout = 0; ///< 0: none
        std::uint32_t firstRetrier = 0;
        std::uint32_t retriers = 0;
        std::uint32_t firstCatcher = 0;
        std::uint32_t catchers = 0;
        bool catchOnly = false;
    };
    struct Group {
        std::uint32_t begin = 0;
        std::uint32_t end = 0;
    };
    struct Execution {
        CallId inbound = kNone; ///< kNone for an asynchronous start
        MessageId message = kNone;
        SimTime start = 0;
        TimerHandle deadline;
        std::uint32_t generation = 0;
        std::uint32_t group = 0; ///< into m_groups, or kNone: ends without the hand-overs
        std::uint32_t outstanding = 0;
        bool onCatchPath = false; ///< whether `group` is a catch path, whose end ends the execution
        bool active = false;
    };
    enum class LanePhase : std::uint8_t { Idle, Calling, Waiting, Done };
    /// One branch of the current step of an execution: slot × m_maxBranches + branch.
    struct Lane {
        CallId call = kNone;
        TimerHandle timer;
        std::uint32_t generation = 0;
        LanePhase phase = LanePhase::Idle;
    };

    void readTasks();
    std::uint8_t errorMask(const nlohmann::json& names, model::ComponentType target) const;
    static std::uint64_t pack(std::uint32_t slot, std::uint32_t generation)
    {
        return (static_cast<std::uint64_t>(generation) << 32) | slot;
    }
    bool takeStartToken();
    /// Starts an execution when a StartExecution token is free; returns the refusal otherwise.
    Outcome begin(CallId inbound, MessageId message);
    bool liveExecution(std::uint64_t argument, std::uint32_t& slot) const;
    bool liveLane(std::uint64_t argument, LanePhase expected, std::uint32_t& lane) const;
    void transition(std::uint32_t slot);
    void enterStep(std::uint32_t slot);
    void attempt(std::uint32_t lane);
    void attemptFailed(std::uint32_t lane, std::uint8_t error);
    void branchEnded(std::uint32_t lane, bool succeeded);
    /// A caught error leaves the lane's step for `group` (kNone: the end), abandoning the
    /// step's other branches.
    void catchInto(std::uint32_t lane, std::uint32_t group);
    void stopBranches(std::uint32_t slot);
    /// Ends the execution; a successful one hands copies to the Send links when `handOver`.
    void complete(std::uint32_t slot, Outcome outcome, bool handOver = false);
    const Task& taskOf(std::uint32_t lane) const;

    model::Distribution m_transition;
    SimTime m_maxDuration = 0;
    double m_startBurst = 0.0;
    double m_startRate = 0.0;
    TokenBucket m_startTokens;
    std::vector<Task> m_tasks; ///< sorted by (catch-only, step, order)
    std::vector<Retrier> m_retriers;
    std::vector<Catcher> m_catchers;
    std::vector<Group> m_groups; ///< the steps, then one group per catch-path Task
    std::uint32_t m_steps = 0;   ///< groups that are steps
    std::vector<Link> m_sends;
    std::uint32_t m_maxBranches = 1;
    std::uint32_t m_maxRetriers = 0;

    std::vector<Execution> m_executions;
    std::vector<Lane> m_lanes;
    std::vector<std::uint32_t> m_retryCounts; ///< lane × m_maxRetriers + retrier
    std::vector<std::uint32_t> m_free;
    std::uint32_t m_running = 0;
};

} // namespace eventflow::sim
