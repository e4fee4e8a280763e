#include "DesignAdvice.h"

#include "CatchPaths.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <locale>
#include <map>
#include <sstream>

namespace eventflow::model {

namespace {

using nlohmann::json;
using C = ComponentType;
using K = ConnectionKind;
using Edge = DesignGraph::Edge;

constexpr double kVisibilityPerTimeout = 6; // AWS: queue VisibilityTimeout >= 6 x function timeout
constexpr double kMinReceiveCount = 5;      // AWS: maxReceiveCount >= 5 when throttles may occur
constexpr double kRestTimeoutMs = 29000;    // API Gateway REST integration timeout
constexpr double kHttpTimeoutMs = 30000;    // API Gateway HTTP API integration timeout
constexpr double kExpressMaxMs = 300000;    // Step Functions Express: at most 5 minutes

std::string fmt(double value) { return DesignGraph::formatNumber(value); }
std::string inQuotes(std::string_view text) { return DesignGraph::quoted(text); }

std::string seconds(double milliseconds)
{
    std::ostringstream text;
    text.imbue(std::locale::classic()); // messages never follow the user's decimal comma
    text << std::fixed << std::setprecision(1) << milliseconds / 1000.0 << " s";
    return text.str();
}

/// Seconds for messages, with days or hours when they read better ("345600 s (4 days)").
std::string duration(double secondsValue)
{
    std::string text = fmt(secondsValue) + " s";
    if (secondsValue >= 2 * 86400)
        text += " (" + fmt(std::round(secondsValue / 8640.0) / 10.0) + " days)";
    else if (secondsValue >= 2 * 3600)
        text += " (" + fmt(std::round(secondsValue / 360.0) / 10.0) + " h)";
    return text;
}

bool isSet(const json& object, std::string_view key)
{
    const json* value = findPath(object, key);
    return value && !value->is_null();
}

/// The worst-case answer time of synchronous calls, following invoke connections depth-first.
/// A hop costs its high() durations; a call costs (1 + max_retries) attempts, each cut at the
/// caller's timeout_ms, plus the backoffs before the retries; a function stops at its Timeout.
/// State machines run their Tasks step by step with their own timeouts and retriers, one
/// transition per state, and an Express workflow stops at 5 minutes; a catch-only Task
/// (CatchPaths) counts nothing, as it runs in place of the steps after a caught error. A call back
/// into a component already on the path counts nothing (the chain is cut there).
class SyncChain {
public:
    struct Worst {
        double ms = 0;
        std::vector<std::size_t> path; ///< from the component along its largest contributor
    };

    explicit SyncChain(const DesignGraph& graph)
        : m_graph(graph), m_onPath(graph.design().components.size(), false)
    {
    }

    const Worst& worst(std::size_t node)
    {
        if (const auto it = m_memo.find(node); it != m_memo.end())
            return it->second;
        static const Worst kCut;
        if (m_onPath[node])
            return kCut;
        m_onPath[node] = true;
        const auto& c = m_graph.component(node);
        const bool stateMachine = c.type == C::StateMachine;
        const bool parallel = c.text(ParameterScope::Sim, "call_mode") == "parallel";
        // Calls in one group run at once (the slowest counts); groups run one after another.
        // A state machine groups its Tasks by `step` (default: their order), as a Parallel
        // state; other components make their calls one by one, or all in one group.
        std::map<long long, double> groups;
        long long order = 0;
        double largest = -1;
        std::vector<std::size_t> largestPath;
        for (const auto& edge : m_graph.outgoing(node)) {
            if (edge.kind != K::Invoke)
                continue;
            if (stateMachine && CatchPaths::isCatchOnly(m_graph.connection(edge))) {
                ++order; // still a Task: the default steps of the others count it
                continue;
            }
            const Worst callee = worst(edge.to);
            const double cost =
                stateMachine ? taskCost(edge, callee.ms) : callCost(edge, callee.ms, true);
            long long group = parallel ? 0 : order;
            if (stateMachine)
                if (auto step =
                        DesignGraph::number(m_graph.connection(edge), ParameterScope::Sim, "step"))
                    group = std::llround(*step);
            ++order;
            double& slowest = groups[group];
            slowest = std::max(slowest, cost);
            if (cost > largest)
                largest = cost, largestPath = callee.path;
        }
        double downstream = 0;
        for (const auto& [group, slowest] : groups)
            downstream += slowest;
        Worst result;
        result.ms = ownTime(c) + downstream;
        if (stateMachine) {
            // One transition to start and one after each Task or Parallel state.
            result.ms += static_cast<double>(groups.size()) * ownTime(c);
            if (c.text(ParameterScope::Aws, "Type") == "EXPRESS")
                result.ms = std::min(result.ms, kExpressMaxMs);
        }
        if (c.type == C::Function)
            if (auto timeout = DesignGraph::number(c, ParameterScope::Aws, "Timeout"))
                result.ms = std::min(result.ms, *timeout * 1000.0);
        result.path.push_back(node);
        result.path.insert(result.path.end(), largestPath.begin(), largestPath.end());
        m_onPath[node] = false;
        return m_memo.emplace(node, std::move(result)).first->second;
    }

    /// (1 + retries) attempts, each the callee's worst (cut at timeout_ms when `capped`), plus
    /// the backoffs: backoff_ms doubling per retry up to backoff_max_ms (jitter only shortens).
    double callCost(const Edge& edge, double calleeMs, bool capped) const
    {
        const auto& c = m_graph.connection(edge);
        const double timeout = c.number(ParameterScope::Sim, "timeout_ms");
        const double retries = std::max(0.0, c.number(ParameterScope::Sim, "max_retries"));
        const double backoff = c.number(ParameterScope::Sim, "backoff_ms");
        const double backoffMax = c.number(ParameterScope::Sim, "backoff_max_ms");
        const double attempt = capped ? std::min(timeout, calleeMs) : calleeMs;
        double waits = 0;
        for (int k = 0; k < static_cast<int>(retries); ++k)
            waits += std::min(backoff * std::pow(2.0, k), backoffMax);
        return (1.0 + retries) * attempt + waits;
    }

    /// A state machine's Task: cut at TimeoutSeconds (or an explicit timeout_ms), retried by
    /// its Amazon States Language retriers; the retrier with the longest worst case counts,
    /// IntervalSeconds x BackoffRate^(n-1) before retry n, at most MaxDelaySeconds when set.
    double taskCost(const Edge& edge, double calleeMs) const
    {
        const auto& c = m_graph.connection(edge);
        double attempt = calleeMs;
        if (auto timeout = DesignGraph::number(c, ParameterScope::Aws, "TimeoutSeconds"))
            attempt = std::min(attempt, *timeout * 1000.0);
        else if (const json* ms = findPath(c.sim, "timeout_ms"); ms && ms->is_number())
            attempt = std::min(attempt, ms->get<double>());
        double worstCase = attempt;
        const json retry = c.parameter(ParameterScope::Aws, "Retry");
        if (!retry.is_array())
            return worstCase;
        for (const auto& retrier : retry) {
            if (!retrier.is_object())
                continue;
            const int attempts =
                static_cast<int>(std::max(0.0, numberIn(retrier, "MaxAttempts", 3.0)));
            const double interval = numberIn(retrier, "IntervalSeconds", 1.0) * 1000.0;
            const double rate = numberIn(retrier, "BackoffRate", 2.0);
            const double maxDelay = numberIn(retrier, "MaxDelaySeconds", 0.0) * 1000.0;
            double total = (1.0 + attempts) * attempt;
            for (int k = 0; k < attempts; ++k) {
                const double wait = interval * std::pow(rate, k);
                total += maxDelay > 0 ? std::min(wait, maxDelay) : wait;
            }
            worstCase = std::max(worstCase, total);
        }
        return worstCase;
    }

private:
    static double numberIn(const json& object, const char* key, double fallback)
    {
        const auto it = object.find(key);
        return it != object.end() && it->is_number() ? it->get<double>() : fallback;
    }

    static double ownTime(const Component& c)
    {
        switch (c.type) {
        case C::Function:
            return c.distribution("cold_start").high() + c.distribution("duration").high();
        case C::Service:
            return c.distribution("duration").high();
        case C::Database:
            return c.distribution("latency").high();
        case C::StateMachine:
            return c.distribution("transition_latency").high();
        case C::Api:
            return c.distribution("overhead").high();
        default:
            return 0;
        }
    }

    const DesignGraph& m_graph;
    std::vector<bool> m_onPath;
    std::map<std::size_t, Worst> m_memo;
};

class Reviewer {
public:
    Reviewer(const DesignGraph& graph, Diagnostics& diagnostics)
        : m_graph(graph), m_diagnostics(diagnostics)
    {
    }

    void run()
    {
        const auto& components = m_graph.design().components;
        for (std::size_t i = 0; i < components.size(); ++i) {
            switch (components[i].type) {
            case C::Queue:
                reviewQueue(i);
                break;
            case C::Function:
                reviewAsyncFailures(i);
                break;
            case C::Producer:
                reviewProducerTraffic(i);
                break;
            case C::Api:
                reviewApiChains(i);
                break;
            default:
                break;
            }
        }
        for (const auto& edge : m_graph.edges()) {
            if (edge.kind == K::Invoke)
                reviewRetryBackoff(edge);
            if (edge.kind == K::EventSource && m_graph.component(edge.to).type == C::Function) {
                if (m_graph.component(edge.from).type == C::Queue)
                    reviewMaximumConcurrency(edge);
                else if (m_graph.component(edge.from).type == C::Stream)
                    reviewPoisonRecords(edge);
            }
        }
    }

private:
    void warn(std::string pointer, std::string message, std::string fix)
    {
        m_diagnostics.push_back(
            {Severity::Warning, std::move(pointer), std::move(message), std::move(fix)});
    }

    std::string queueSetting(std::size_t queue, std::string_view key) const
    {
        return DesignGraph::parameterPointer(DesignGraph::componentPointer(queue),
                                             ParameterScope::Aws, key);
    }

    bool hasDeadLetterQueue(std::size_t queue) const
    {
        // A RedrivePolicy imported with its target ARN names a queue outside the design.
        return m_graph.hasOutgoing(queue, K::DeadLetter) ||
               isSet(m_graph.component(queue).props, "RedrivePolicy.deadLetterTargetArn");
    }

    void reviewQueue(std::size_t queue)
    {
        const auto& q = m_graph.component(queue);
        std::vector<Edge> lambdaConsumers;
        bool consumed = false;
        for (const auto& edge : m_graph.outgoing(queue)) {
            if (edge.kind != K::EventSource)
                continue;
            consumed = true;
            if (m_graph.component(edge.to).type == C::Function)
                lambdaConsumers.push_back(edge);
        }
        reviewVisibilityTimeout(queue, lambdaConsumers);
        if (consumed && !hasDeadLetterQueue(queue))
            warn(DesignGraph::componentPointer(queue),
                 m_graph.describe(queue) +
                     " has no dead-letter queue: a message its consumer "
                     "keeps failing on (a poison message) is received again and again until it "
                     "expires after its MessageRetentionPeriod of " +
                     duration(q.number(ParameterScope::Aws, "MessageRetentionPeriod")) +
                     ", costing a receive and a processing attempt every visibility timeout",
                 "add a dead_letter connection from " + inQuotes(q.id) + " to a " +
                     (m_graph.isFifo(queue) ? "FIFO" : "standard") +
                     " queue, with RedrivePolicy.maxReceiveCount of 5 or more");
        reviewReceiveCount(queue, lambdaConsumers);
    }

    /// AWS: VisibilityTimeout >= 6 x function Timeout + MaximumBatchingWindowInSeconds, so a
    /// throttled or retried batch is not received again while still in work.
    void reviewVisibilityTimeout(std::size_t queue, const std::vector<Edge>& consumers)
    {
        const auto visibility =
            DesignGraph::number(m_graph.component(queue), ParameterScope::Aws, "VisibilityTimeout");
        if (!visibility)
            return;
        std::optional<Edge> strictest;
        double required = 0, timeout = 0, window = 0;
        for (const auto& edge : consumers) {
            const auto t =
                DesignGraph::number(m_graph.component(edge.to), ParameterScope::Aws, "Timeout");
            const auto w = DesignGraph::number(m_graph.connection(edge), ParameterScope::Aws,
                                               "MaximumBatchingWindowInSeconds");
            if (!t || !w)
                continue;
            if (*t > *visibility)
                return; // an error already: Lambda refuses this mapping
            const double need = kVisibilityPerTimeout * *t + *w;
            if (need > required)
                strictest = edge, required = need, timeout = *t, window = *w;
        }
        if (!strictest || *visibility >= required)
            return;
        warn(queueSetting(queue, "VisibilityTimeout"),
             "VisibilityTimeout " + fmt(*visibility) + " s is under 6 x the " + fmt(timeout) +
                 " s Timeout of " + m_graph.describe(strictest->to) + " plus its " + fmt(window) +
                 " s batching window (" + fmt(required) +
                 " s): a batch that is throttled or retried becomes visible again while it is "
                 "still in work, so messages are processed twice and reach maxReceiveCount early",
             "set VisibilityTimeout to at least " + fmt(required) + " s");
    }

    /// AWS: throttled receives count toward maxReceiveCount; keep it at 5 or more when the
    /// consumer can be throttled (a reserved function, or a capped event source).
    void reviewReceiveCount(std::size_t queue, const std::vector<Edge>& consumers)
    {
        if (!hasDeadLetterQueue(queue))
            return;
        const auto receives = DesignGraph::number(m_graph.component(queue), ParameterScope::Aws,
                                                  "RedrivePolicy.maxReceiveCount");
        if (!receives || *receives >= kMinReceiveCount)
            return;
        for (const auto& edge : consumers) {
            const auto& function = m_graph.component(edge.to);
            const bool reserved = isSet(function.props, "ReservedConcurrentExecutions");
            const bool capped =
                isSet(m_graph.connection(edge).props, "ScalingConfig.MaximumConcurrency");
            if (!reserved && !capped)
                continue;
            warn(queueSetting(queue, "RedrivePolicy.maxReceiveCount"),
                 "maxReceiveCount " + fmt(*receives) +
                     " is low for a queue whose consumer can be "
                     "throttled (" +
                     m_graph.describe(edge.to) +
                     (reserved ? " has reserved concurrency" : " is behind a MaximumConcurrency") +
                     "): every throttled receive counts, so healthy messages reach the "
                     "dead-letter queue during a burst",
                 "set RedrivePolicy.maxReceiveCount to 5 or more");
            return;
        }
    }

    /// Functions invoked asynchronously (rule targets, subscriptions, sends) drop an event after
    /// their retries unless a destination or dead-letter queue takes it.
    void reviewAsyncFailures(std::size_t function)
    {
        const Edge* asyncSource = nullptr;
        for (const auto& edge : m_graph.incoming(function))
            if (edge.kind == K::RuleTarget || edge.kind == K::Subscription ||
                edge.kind == K::Send) {
                asyncSource = &edge;
                break;
            }
        if (!asyncSource || m_graph.hasOutgoing(function, K::OnFailure) ||
            m_graph.hasOutgoing(function, K::DeadLetter))
            return;
        const auto& f = m_graph.component(function);
        const double retries =
            f.number(ParameterScope::Aws, "EventInvokeConfig.MaximumRetryAttempts");
        warn(DesignGraph::componentPointer(function),
             m_graph.describe(function) + " is invoked asynchronously (by " +
                 m_graph.describe(asyncSource->from) +
                 ") but has no on-failure destination or dead-letter queue: an event that still "
                 "fails after " +
                 fmt(retries) + " retr" + (retries == 1 ? "y" : "ies") +
                 ", or waits longer than MaximumEventAgeInSeconds, is discarded",
             "add an on_failure connection from " + inQuotes(f.id) +
                 " to a standard queue, topic, event bus or function (or a dead_letter "
                 "connection to a standard queue or topic)");
    }

    void reviewProducerTraffic(std::size_t producer)
    {
        const auto& id = m_graph.component(producer).id;
        for (const auto& t : m_graph.design().traffic)
            if (t.producer == id)
                return;
        warn(DesignGraph::componentPointer(producer),
             "producer " + inQuotes(id) +
                 " has no traffic entry, so it emits nothing and the "
                 "components behind it stay idle in the simulation",
             "add a traffic entry with \"producer\": " + inQuotes(id) +
                 " and a rate profile, or remove the producer");
    }

    void reviewApiChains(std::size_t api)
    {
        const auto& a = m_graph.component(api);
        double limit =
            a.text(ParameterScope::Aws, "ApiType") == "HTTP" ? kHttpTimeoutMs : kRestTimeoutMs;
        if (const json* set = findPath(a.props, "TimeoutInMillis"); set && set->is_number())
            limit = set->get<double>();
        SyncChain chain(m_graph);
        for (const auto& edge : m_graph.outgoing(api)) {
            if (edge.kind != K::Invoke)
                continue;
            const auto& callee = chain.worst(edge.to);
            // The API's own limit is the one that matters here, so the call is not cut at its
            // timeout_ms: the message shows how long the work behind it may really take.
            const double total = chain.callCost(edge, callee.ms, false);
            if (total <= limit)
                continue;
            std::string path = a.id;
            for (const std::size_t node : callee.path)
                path += " \u2192 " + m_graph.component(node).id;
            warn(DesignGraph::connectionPointer(edge.connection),
                 "the synchronous chain behind API " + inQuotes(a.id) + " can outlast its " +
                     fmt(limit / 1000.0) + " s integration timeout: " + path + ": up to " +
                     seconds(total) + "; clients then get 504 while the work goes on",
                 "bring the worst case under " + fmt(limit / 1000.0) + " s" +
                     ": lower timeout_ms or max_retries on the calls, speed up the slowest step, "
                     "or answer at once (202) and continue asynchronously through a queue");
        }
    }

    void reviewRetryBackoff(const Edge& edge)
    {
        const auto& c = m_graph.connection(edge);
        const double retries = c.number(ParameterScope::Sim, "max_retries");
        if (retries <= 0 || c.number(ParameterScope::Sim, "backoff_ms") > 0)
            return;
        warn(DesignGraph::parameterPointer(DesignGraph::connectionPointer(edge.connection),
                                           ParameterScope::Sim, "backoff_ms"),
             "the call from " + inQuotes(c.from) + " to " + inQuotes(c.to) + " retries " +
                 fmt(retries) + " time" + (retries == 1 ? "" : "s") +
                 " without backoff: when the callee slows down or fails, every caller repeats at "
                 "once and multiplies its load (a retry storm)",
             "set backoff_ms (e.g. 100) and keep jitter on, so retries spread out");
    }

    /// AWS: keep an event source's MaximumConcurrency at or below the function's reserved
    /// concurrency, or the mapping drives invocations that are throttled.
    void reviewMaximumConcurrency(const Edge& edge)
    {
        const auto& c = m_graph.connection(edge);
        const auto& function = m_graph.component(edge.to);
        if (!isSet(c.props, "ScalingConfig.MaximumConcurrency") ||
            !isSet(function.props, "ReservedConcurrentExecutions"))
            return;
        const auto maximum =
            DesignGraph::number(c, ParameterScope::Aws, "ScalingConfig.MaximumConcurrency");
        const auto reserved =
            DesignGraph::number(function, ParameterScope::Aws, "ReservedConcurrentExecutions");
        if (!maximum || !reserved || *maximum <= *reserved)
            return;
        warn(DesignGraph::parameterPointer(DesignGraph::connectionPointer(edge.connection),
                                           ParameterScope::Aws, "ScalingConfig.MaximumConcurrency"),
             "MaximumConcurrency " + fmt(*maximum) + " is above the " + fmt(*reserved) +
                 " reserved concurrent executions of " + m_graph.describe(edge.to) +
                 ": the event source pulls batches the function cannot take, they are throttled "
                 "and each throttle counts as a receive of its messages",
             "set ScalingConfig.MaximumConcurrency to at most " + fmt(*reserved) +
                 ", or raise the function's ReservedConcurrentExecutions");
    }

    /// Kinesis: a failing batch is retried until it succeeds or expires, and its shard waits.
    void reviewPoisonRecords(const Edge& edge)
    {
        const auto& c = m_graph.connection(edge);
        const auto retries = DesignGraph::number(c, ParameterScope::Aws, "MaximumRetryAttempts");
        if (!retries || *retries != -1)
            return;
        // A Kinesis mapping sends discarded batches to SQS or SNS only (or S3, not modelled).
        std::optional<std::size_t> unusable;
        for (const auto& out : m_graph.outgoing(edge.to)) {
            if (out.kind != K::OnFailure)
                continue;
            const auto type = m_graph.component(out.to).type;
            if (type == C::Queue || type == C::Topic)
                return;
            unusable = out.to;
        }
        const auto age = DesignGraph::number(c, ParameterScope::Aws, "MaximumRecordAgeInSeconds");
        const auto& stream = m_graph.component(edge.from);
        const std::string until =
            age && *age > 0 ? "until it is " + fmt(*age) + " s old"
                            : "until it expires after the stream's " +
                                  fmt(stream.number(ParameterScope::Aws, "RetentionPeriodHours")) +
                                  " h retention";
        warn(DesignGraph::connectionPointer(edge.connection),
             "with MaximumRetryAttempts -1, a record that " + m_graph.describe(edge.to) +
                 " keeps failing on (a poison record) is retried " + until +
                 ", its shard stops meanwhile, and no on-failure destination keeps a record of "
                 "what was skipped" +
                 (unusable ? " (" + m_graph.describe(*unusable) +
                                 " cannot be a stream mapping's destination: only a queue or "
                                 "topic can)"
                           : std::string()),
             "set MaximumRetryAttempts (e.g. 3) with BisectBatchOnFunctionError, and add an "
             "on_failure connection from " +
                 inQuotes(m_graph.component(edge.to).id) + " to a queue or topic");
    }

    const DesignGraph& m_graph;
    Diagnostics& m_diagnostics;
};

} // namespace

void DesignAdvice::review(const DesignGraph& graph, Diagnostics& diagnostics)
{
    Reviewer(graph, diagnostics).run();
}

} // namespace eventflow::model
