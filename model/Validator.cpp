#include "Validator.h"

#include "CatchPaths.h"
#include "ComponentCatalog.h"
#include "DesignAdvice.h"
#include "DesignGraph.h"
#include "EventPattern.h"
#include "FilterPolicy.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace eventflow::model {

namespace {

using nlohmann::json;
using C = ComponentType;
using K = ConnectionKind;

constexpr std::size_t kMaxRuleTargets = 5;        // EventBridge quota, not adjustable
constexpr double kMinUnreservedConcurrency = 100; // Lambda keeps this much unreserved
constexpr double kMaxFifoBatch = 10;              // Lambda ESM on a FIFO queue
constexpr double kMaxReceiveBatch = 10;           // SQS ReceiveMessage returns at most 10
constexpr double kMaxBatchWithoutWindow = 10;     // larger batches need a batching window
constexpr double kMinRecordAge = 60;              // MaximumRecordAgeInSeconds: -1 or 60..604800
constexpr double kNoUpperLimit = 1e12;            // the catalogue's "unbounded" maximum

std::string fmt(double value) { return DesignGraph::formatNumber(value); }
std::string inQuotes(std::string_view text) { return DesignGraph::quoted(text); }

std::string article(std::string_view word)
{
    const char first = word.empty() ? 'x' : word.front();
    return std::string_view("aeiouAEIOU").find(first) != std::string_view::npos ? "an" : "a";
}

std::string withArticle(std::string_view word)
{
    return article(word) + " " + std::string(word);
}

std::string unitSuffix(const std::string& unit)
{
    if (unit.empty())
        return {};
    if (unit == "1/s")
        return " per second";
    return " " + unit;
}

std::string rangeText(const ParameterSpec& spec)
{
    if (spec.maximum >= kNoUpperLimit)
        return "at least " + fmt(spec.minimum) + unitSuffix(spec.unit);
    return "from " + fmt(spec.minimum) + " to " + fmt(spec.maximum) + unitSuffix(spec.unit);
}

std::string found(const json& value)
{
    std::string text = value.dump();
    if (text.size() > 40)
        text = text.substr(0, 37) + "...";
    return "found " + std::string(value.type_name()) + " " + text;
}

std::string joined(const std::vector<std::string>& items)
{
    std::string text;
    for (std::size_t i = 0; i < items.size(); ++i)
        text += (i ? ", " : "") + items[i];
    return text;
}

std::size_t editDistance(std::string_view a, std::string_view b)
{
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] =
                std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0u : 1u)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

/// Compiles the EventBridge event pattern at `value` (a rule's EventPattern, a fail_pattern, a
/// call_pattern), appending its errors at `pointer`; returns false when there is none (absent
/// or null).
bool checkEventPattern(const json* value, const std::string& pointer, Diagnostics& diagnostics)
{
    if (!value || value->is_null())
        return false;
    EventPattern::parse(*value, pointer, diagnostics);
    return true;
}

/// Checks one design's meaning and appends an Error per problem. The checks read the design
/// through DesignGraph, so connections with a missing end are reported once and then ignored.
class DesignChecker {
public:
    DesignChecker(const DesignGraph& graph, Diagnostics& diagnostics)
        : m_design(graph.design()), m_graph(graph), m_diagnostics(diagnostics)
    {
    }

    void run()
    {
        checkComponentIds();
        for (std::size_t i = 0; i < m_design.components.size(); ++i)
            checkComponent(i);
        for (std::size_t i = 0; i < m_design.connections.size(); ++i)
            checkConnectionShape(i);
        for (const auto& edge : m_graph.edges())
            if (!ComponentCatalog::refusal(m_graph.component(edge.from).type,
                                           m_graph.component(edge.to).type, edge.kind))
                checkConnectionMeaning(edge);
        checkRuleTargetCounts();
        checkDeadLetterCounts();
        checkReservedConcurrency();
        checkTraffic();
        checkFaults();
        checkSimulation();
    }

private:
    void error(std::string pointer, std::string message, std::string fix = {})
    {
        m_diagnostics.push_back(
            {Severity::Error, std::move(pointer), std::move(message), std::move(fix)});
    }

    /// A setting that is legal but does nothing, or not what it may seem, where it is.
    void warning(std::string pointer, std::string message, std::string fix)
    {
        m_diagnostics.push_back(
            {Severity::Warning, std::move(pointer), std::move(message), std::move(fix)});
    }

    void checkComponentIds()
    {
        std::map<std::string, std::size_t> first;
        for (std::size_t i = 0; i < m_design.components.size(); ++i) {
            const auto& id = m_design.components[i].id;
            const std::string pointer = DesignGraph::componentPointer(i) + "/id";
            if (id.empty()) {
                error(pointer, "the component id is empty; every component needs a unique, "
                               "non-empty id that connections, traffic and faults refer to");
                continue;
            }
            const auto [it, inserted] = first.emplace(id, i);
            if (!inserted)
                error(pointer,
                      "duplicate component id " + inQuotes(id) + ", already used by " +
                          DesignGraph::componentPointer(it->second) +
                          "; ids must be unique because connections refer to components by id");
        }
    }

    void checkComponent(std::size_t index)
    {
        const auto& c = m_design.components[index];
        const std::string base = DesignGraph::componentPointer(index);
        const auto& specs = ComponentCatalog::componentParameters(c.type);
        checkParameters(specs, c.props, c.sim, base, withArticle(componentTypeTitle(c.type)));
        if (c.type == C::Rule) {
            const std::string pointer =
                DesignGraph::parameterPointer(base, ParameterScope::Aws, "EventPattern");
            if (!checkEventPattern(findPath(c.props, "EventPattern"), pointer, m_diagnostics))
                error(pointer,
                      "rule " + inQuotes(c.id) +
                          " has no EventPattern: EventBridge requires the "
                          "pattern that selects the rule's events, and without one it matches "
                          "nothing",
                      "add props.EventPattern, e.g. {\"source\": [\"shop.orders\"]}");
        }
        if (c.type == C::Function || c.type == C::Service)
            checkEventPattern(
                findPath(c.sim, "fail_pattern"),
                DesignGraph::parameterPointer(base, ParameterScope::Sim, "fail_pattern"),
                m_diagnostics);
        if (c.type == C::StateMachine)
            checkCatchers(index);
    }

    /// A state machine's catchers and catch paths (CatchPaths): a catcher's Next leads to a Task
    /// of the machine, to "Done" or to a state of its imported definition; a catcher of a Task in
    /// a Parallel state stays in its branch; a catch-only Task runs alone (no step shared with
    /// other Tasks) and some catcher leads to it.
    void checkCatchers(std::size_t machine)
    {
        const CatchPaths paths(m_design, machine);
        // The steps as the simulation orders them: `step`, else the Task's position. Tasks in
        // a step: the steps' Tasks, and catch-only Tasks whose step is set.
        std::map<std::size_t, long long> stepOf;
        std::map<long long, std::size_t> stepTasks;
        std::map<long long, std::size_t> tasksInStep;
        long long position = 0;
        for (std::size_t c : paths.tasks()) {
            const Connection& task = m_design.connections[c];
            const json step = task.parameter(ParameterScope::Sim, "step");
            stepOf[c] = step.is_number() ? std::llround(step.get<double>()) : position;
            ++position;
            if (!paths.contains(c))
                ++stepTasks[stepOf[c]];
            if (!paths.contains(c) || findPath(task.sim, "step"))
                ++tasksInStep[stepOf[c]];
        }
        std::set<std::size_t> caughtInto;
        for (std::size_t c : paths.tasks()) {
            const json catchers = m_design.connections[c].parameter(ParameterScope::Aws, "Catch");
            if (!catchers.is_array())
                continue;
            const bool parallel = !paths.contains(c) && stepTasks[stepOf[c]] > 1;
            for (std::size_t k = 0; k < catchers.size(); ++k) {
                if (!catchers[k].is_object() || !catchers[k].contains("Next"))
                    continue;
                const json& next = catchers[k]["Next"];
                const std::string pointer =
                    DesignGraph::parameterPointer(DesignGraph::connectionPointer(c),
                                                  ParameterScope::Aws, "Catch") +
                    "/" + std::to_string(k) + "/Next";
                const auto target = paths.resolve(next);
                if (!next.is_string()) {
                    error(pointer, "a catcher's Next must be the name of a state; " + found(next));
                    continue;
                }
                if (target.kind == CatchPaths::Kind::Unknown) {
                    error(pointer,
                          "the catcher's Next " + inQuotes(next.get<std::string>()) +
                              " names no Task of state machine " +
                              inQuotes(m_design.components[machine].id) +
                              ": a Next names a Task the state machine invokes (by its state "
                              "name or by the id of the component it calls) or \"Done\"",
                          "name a Task, use \"Done\" to end the execution, or leave Next out "
                          "to go on with the next step");
                    continue;
                }
                if (target.kind != CatchPaths::Kind::Task)
                    continue;
                const bool intoPath = paths.contains(target.connection);
                if (intoPath)
                    caughtInto.insert(target.connection);
                if (parallel && (intoPath || stepOf[target.connection] != stepOf[c]))
                    error(pointer,
                          "a catcher of a Task in a Parallel state (step " +
                              std::to_string(stepOf[c]) +
                              ", shared with other Tasks) cannot leave it: in Step Functions a "
                              "branch's catchers stay in the branch, and the Parallel state's "
                              "own catchers would catch the other branches' errors too",
                          "give the Task a step of its own, or leave Next out: the branch then "
                          "ends and the execution goes on once the other branches have");
            }
        }
        for (std::size_t c : paths.tasks()) {
            if (!paths.contains(c))
                continue;
            const std::string base = DesignGraph::connectionPointer(c);
            const std::string& to = m_design.connections[c].to;
            if (findPath(m_design.connections[c].sim, "step") && tasksInStep[stepOf[c]] > 1)
                error(DesignGraph::parameterPointer(base, ParameterScope::Sim, "step"),
                      "the catch-only Task calling " + inQuotes(to) + " shares step " +
                          std::to_string(stepOf[c]) +
                          " with other Tasks; a catch path runs alone, never in a Parallel state",
                      "remove its step: a catch-only Task takes no place among the steps");
            if (caughtInto.count(c) == 0)
                warning(DesignGraph::parameterPointer(base, ParameterScope::Sim, "catch_only"),
                        "no catcher leads to the catch-only Task calling " + inQuotes(to) +
                            ", so it never runs",
                        "name it in a catcher's Next, or clear catch_only to make it a step");
        }
    }

    /// Every catalogued parameter present in `props`/`sim` against its spec, and every key in
    /// `sim` against the catalogue. Unknown `props` keys are AWS properties the simulation does
    /// not model: they are kept as written and not reported.
    void checkParameters(const std::vector<ParameterSpec>& specs, const json& props,
                         const json& sim, const std::string& base, const std::string& owner)
    {
        std::set<std::string> reportedContainers;
        for (const auto& spec : specs) {
            const json& scopeObject = spec.scope == ParameterScope::Aws ? props : sim;
            if (const json* value = findValue(scopeObject, spec, base, reportedContainers))
                checkValue(spec, *value, DesignGraph::parameterPointer(base, spec.scope, spec.key));
        }
        checkUnknownSimKeys(specs, sim, base + "/sim", {}, owner);
    }

    /// The value at the spec's dotted key, or null when absent; reports a container on the way
    /// that is not an object (once per container).
    const json* findValue(const json& scopeObject, const ParameterSpec& spec,
                          const std::string& base, std::set<std::string>& reportedContainers)
    {
        const json* node = &scopeObject;
        std::string_view rest = spec.key;
        std::string pointer = base + (spec.scope == ParameterScope::Aws ? "/props" : "/sim");
        std::string path;
        while (true) {
            const auto dot = rest.find('.');
            const std::string token(rest.substr(0, dot));
            const auto it = node->find(token);
            if (it == node->end() || it->is_null())
                return nullptr;
            pointer += '/';
            pointer += DesignGraph::escapeToken(token);
            path += (path.empty() ? "" : ".") + token;
            if (dot == std::string_view::npos)
                return &*it;
            rest = rest.substr(dot + 1);
            if (!it->is_object()) {
                if (reportedContainers.insert(pointer).second)
                    error(pointer, path + " must be an object (it holds " + std::string(rest) +
                                       "); " + found(*it));
                return nullptr;
            }
            node = &*it;
        }
    }

    void checkValue(const ParameterSpec& spec, const json& value, const std::string& pointer)
    {
        const std::string name = spec.key.substr(spec.key.rfind('.') + 1);
        switch (spec.type) {
        case ParameterType::Integer:
        case ParameterType::Number: {
            const bool integer = spec.type == ParameterType::Integer;
            const std::string expected =
                name + " must be " + (integer ? "a whole number " : "a number ") + rangeText(spec);
            if (!value.is_number()) {
                error(pointer, expected + "; " + found(value));
                return;
            }
            const double v = value.get<double>();
            if (!std::isfinite(v) || (integer && v != std::floor(v)) || v < spec.minimum ||
                v > spec.maximum)
                error(pointer, expected + "; found " + fmt(v));
            return;
        }
        case ParameterType::Boolean:
            if (!value.is_boolean())
                error(pointer, name + " must be true or false; " + found(value));
            return;
        case ParameterType::String:
            if (!value.is_string())
                error(pointer, name + " must be a string; " + found(value));
            return;
        case ParameterType::Enum: {
            const bool known =
                value.is_string() && std::find(spec.choices.begin(), spec.choices.end(),
                                               value.get<std::string>()) != spec.choices.end();
            if (!known)
                error(pointer,
                      name + " must be one of " + joined(spec.choices) + "; " + found(value));
            return;
        }
        case ParameterType::Distribution: {
            const auto d = Distribution::parse(value, pointer, m_diagnostics);
            if (d && (d->mean() < spec.minimum || d->mean() > spec.maximum))
                error(pointer, name + " has a mean of " + fmt(d->mean()) + unitSuffix(spec.unit) +
                                   "; its mean must be " + rangeText(spec));
            return;
        }
        case ParameterType::Json:
            // EventPattern, fail_pattern and FilterPolicy are compiled by their matchers, which
            // know their grammar; other JSON parameters are free-form.
            return;
        }
    }

    void checkUnknownSimKeys(const std::vector<ParameterSpec>& specs, const json& object,
                             const std::string& pointer, const std::string& prefix,
                             const std::string& owner)
    {
        for (auto it = object.begin(); it != object.end(); ++it) {
            const std::string key = prefix.empty() ? it.key() : prefix + "." + it.key();
            bool exact = false;
            bool container = false;
            for (const auto& spec : specs) {
                if (spec.scope != ParameterScope::Sim)
                    continue;
                exact = exact || spec.key == key;
                container = container || spec.key.rfind(key + ".", 0) == 0;
            }
            const std::string at = pointer + "/" + DesignGraph::escapeToken(it.key());
            if (exact)
                continue;
            if (container) {
                if (it->is_object())
                    checkUnknownSimKeys(specs, *it, at, key, owner);
                continue;
            }
            reportUnknownSimKey(specs, key, at, owner);
        }
    }

    void reportUnknownSimKey(const std::vector<ParameterSpec>& specs, const std::string& key,
                             const std::string& pointer, const std::string& owner)
    {
        std::vector<std::string> known;
        std::string closest;
        std::size_t closestDistance = 3; // suggest only near misses
        for (const auto& spec : specs) {
            if (spec.scope != ParameterScope::Sim)
                continue;
            known.push_back(spec.key);
            const std::size_t distance = editDistance(key, spec.key);
            if (distance < closestDistance)
                closest = spec.key, closestDistance = distance;
        }
        std::string message = "unknown simulation parameter " + inQuotes(key) + " for " + owner;
        if (known.empty())
            message += ", which takes no simulation parameters";
        else
            message += "; it takes: " + joined(known);
        error(pointer, message,
              closest.empty() ? std::string{} : "did you mean " + inQuotes(closest) + "?");
    }

    void checkConnectionShape(std::size_t index)
    {
        const auto& c = m_design.connections[index];
        const std::string base = DesignGraph::connectionPointer(index);
        const auto from = m_graph.indexOf(c.from);
        const auto to = m_graph.indexOf(c.to);
        if (!from)
            error(base + "/from", "no component has the id " + inQuotes(c.from) +
                                      ": the connection starts at a component that does not exist");
        if (!to)
            error(base + "/to", "no component has the id " + inQuotes(c.to) +
                                    ": the connection ends at a component that does not exist");
        if (from && to)
            if (auto refusal = ComponentCatalog::refusal(m_graph.component(*from).type,
                                                         m_graph.component(*to).type, c.kind))
                error(base + "/kind", *refusal);

        const std::string owner = withArticle(connectionKindName(c.kind)) + " connection";
        checkParameters(ComponentCatalog::connectionParameters(c.kind), c.props, c.sim, base,
                        owner);

        if (c.kind == K::Subscription)
            checkFilterPolicy(c, base);
        if (c.kind == K::Invoke) {
            checkStatesErrorHandlers(c, base, "Retry");
            checkStatesErrorHandlers(c, base, "Catch");
            checkEventPattern(
                findPath(c.sim, "call_pattern"),
                DesignGraph::parameterPointer(base, ParameterScope::Sim, "call_pattern"),
                m_diagnostics);
        }
        if (c.kind == K::EventSource)
            if (auto age = explicitNumber(c.props, "MaximumRecordAgeInSeconds");
                age && *age >= 0 && *age < kMinRecordAge)
                error(DesignGraph::parameterPointer(base, ParameterScope::Aws,
                                                    "MaximumRecordAgeInSeconds"),
                      "MaximumRecordAgeInSeconds must be -1 (keep records until they expire) or "
                      "from 60 to 604800 s; found " +
                          fmt(*age));
        if (c.kind == K::EventSource)
            checkFunctionResponseTypes(c, base);
    }

    /// An event source mapping's FunctionResponseTypes: a list whose one possible value is
    /// ReportBatchItemFailures.
    void checkFunctionResponseTypes(const Connection& c, const std::string& base)
    {
        const json* types = findPath(c.props, "FunctionResponseTypes");
        if (!types || types->is_null())
            return;
        const std::string pointer =
            DesignGraph::parameterPointer(base, ParameterScope::Aws, "FunctionResponseTypes");
        if (!types->is_array()) {
            error(pointer, "FunctionResponseTypes must be a list; " + found(*types),
                  "use [\"ReportBatchItemFailures\"]");
            return;
        }
        for (std::size_t i = 0; i < types->size(); ++i)
            if ((*types)[i] != "ReportBatchItemFailures")
                error(pointer + "/" + std::to_string(i),
                      "the only function response type is \"ReportBatchItemFailures\"; " +
                          found((*types)[i]));
    }

    /// A Task's `Retry` or `Catch` list as Amazon States Language defines it: objects, each with
    /// a non-empty ErrorEquals of error names, where States.ALL stands alone and comes last;
    /// retriers with whole IntervalSeconds and MaxDelaySeconds of at least 1, MaxAttempts of at
    /// least 0, BackoffRate of at least 1 and JitterStrategy FULL or NONE.
    void checkStatesErrorHandlers(const Connection& c, const std::string& base, const char* key)
    {
        const json* list = findPath(c.props, key);
        if (!list || list->is_null())
            return;
        const std::string pointer = DesignGraph::parameterPointer(base, ParameterScope::Aws, key);
        const bool retry = std::string_view(key) == "Retry";
        if (!list->is_array()) {
            error(pointer,
                  std::string(key) + " must be an array of " + (retry ? "retriers" : "catchers") +
                      "; " + found(*list),
                  retry ? "e.g. [{\"ErrorEquals\": [\"States.ALL\"], \"MaxAttempts\": 3}]"
                        : "e.g. [{\"ErrorEquals\": [\"States.ALL\"]}]");
            return;
        }
        for (std::size_t i = 0; i < list->size(); ++i) {
            const json& handler = (*list)[i];
            const std::string at = pointer + "/" + std::to_string(i);
            if (!handler.is_object()) {
                error(at, std::string(retry ? "a retrier" : "a catcher") + " must be an object; " +
                              found(handler));
                continue;
            }
            checkErrorEquals(handler, at, i + 1 == list->size());
            if (!retry)
                continue;
            checkWholeNumber(handler, at, "MaxAttempts", 0);
            checkWholeNumber(handler, at, "IntervalSeconds", 1);
            checkWholeNumber(handler, at, "MaxDelaySeconds", 1);
            if (const auto rate = handler.find("BackoffRate");
                rate != handler.end() && (!rate->is_number() || *rate < 1.0))
                error(at + "/BackoffRate",
                      "BackoffRate must be a number of at least 1; " + found(*rate));
            if (const auto jitter = handler.find("JitterStrategy");
                jitter != handler.end() && *jitter != "FULL" && *jitter != "NONE")
                error(at + "/JitterStrategy",
                      "JitterStrategy must be one of FULL, NONE; " + found(*jitter));
        }
    }

    void checkErrorEquals(const json& handler, const std::string& pointer, bool last)
    {
        const auto errors = handler.find("ErrorEquals");
        if (errors == handler.end() || !errors->is_array() || errors->empty()) {
            error(pointer + "/ErrorEquals",
                  "ErrorEquals must be a non-empty array of error names, such as "
                  "[\"States.Timeout\"] or [\"States.ALL\"]");
            return;
        }
        for (std::size_t i = 0; i < errors->size(); ++i) {
            const json& name = (*errors)[i];
            const std::string at = pointer + "/ErrorEquals/" + std::to_string(i);
            if (!name.is_string())
                error(at, "an error name must be a string; " + found(name));
            else if (name == "States.ALL" && (errors->size() > 1 || !last))
                error(at, "States.ALL must stand alone in ErrorEquals and be in the last "
                          "retrier or catcher");
        }
    }

    void checkWholeNumber(const json& object, const std::string& pointer, const char* key,
                          double minimum)
    {
        const auto value = object.find(key);
        if (value == object.end())
            return;
        if (!value->is_number() || value->get<double>() < minimum ||
            value->get<double>() != std::floor(value->get<double>()))
            error(pointer + "/" + key, std::string(key) + " must be a whole number of at least " +
                                           fmt(minimum) + "; " + found(*value));
    }

    void checkFilterPolicy(const Connection& c, const std::string& base)
    {
        const json* policy = findPath(c.props, "FilterPolicy");
        if (!policy || policy->is_null())
            return;
        const auto scopeValue = c.parameter(ParameterScope::Aws, "FilterPolicyScope");
        const auto scope = scopeValue.is_string() && scopeValue.get<std::string>() == "MessageBody"
                               ? FilterPolicyScope::MessageBody
                               : FilterPolicyScope::MessageAttributes;
        FilterPolicy::parse(
            *policy, scope,
            DesignGraph::parameterPointer(base, ParameterScope::Aws, "FilterPolicy"),
            m_diagnostics);
    }

    /// What AWS refuses between two components that may be connected in general.
    void checkConnectionMeaning(const DesignGraph::Edge& edge)
    {
        switch (edge.kind) {
        case K::DeadLetter:
            checkDeadLetterType(edge);
            checkDeadLetterFor(edge);
            break;
        case K::OnFailure:
            if (m_graph.isFifo(edge.to))
                error(DesignGraph::connectionPointer(edge.connection) + "/to",
                      m_graph.describe(edge.to) +
                          " is FIFO; Lambda destinations must be a "
                          "standard queue, a standard topic, an event bus or a function",
                      "use a standard queue or topic as the on-failure destination");
            break;
        case K::Subscription:
            if (m_graph.component(edge.from).type == C::Topic && m_graph.isFifo(edge.from) &&
                !(m_graph.component(edge.to).type == C::Queue && m_graph.isFifo(edge.to)))
                error(DesignGraph::connectionPointer(edge.connection) + "/to",
                      "FIFO " + m_graph.describe(edge.from) +
                          " delivers only to SQS FIFO "
                          "queues, and " +
                          m_graph.describe(edge.to) +
                          (m_graph.component(edge.to).type == C::Queue ? " is a standard queue"
                                                                       : " is not a queue"),
                      "subscribe a FIFO queue to the topic and let the consumer poll that queue");
            break;
        case K::EventSource:
            if (m_graph.component(edge.from).type == C::Queue)
                checkQueueEventSource(edge);
            break;
        case K::Invoke:
            checkCallerPolicy(edge);
            break;
        case K::Send:
            checkPutEventsEntry(edge);
            break;
        default:
            break;
        }
    }

    /// call_pattern and max_concurrent_calls are the code of a service or function choosing and
    /// guarding its calls; a function's bulkhead is shared by all its execution environments.
    void checkCallerPolicy(const DesignGraph::Edge& edge)
    {
        const auto& c = m_graph.connection(edge);
        const std::string base = DesignGraph::connectionPointer(edge.connection);
        const auto callerType = m_graph.component(edge.from).type;
        const json* pattern = findPath(c.sim, "call_pattern");
        const json* bulkhead = findPath(c.sim, "max_concurrent_calls");
        const bool routed = pattern && !pattern->is_null();
        const bool guarded = bulkhead && bulkhead->is_number() && bulkhead->get<double>() > 0;
        if (callerType != C::Service && callerType != C::Function) {
            for (const auto& [set, key] :
                 {std::pair{routed, "call_pattern"}, std::pair{guarded, "max_concurrent_calls"}})
                if (set)
                    warning(DesignGraph::parameterPointer(base, ParameterScope::Sim, key),
                            std::string(key) + " does nothing on a call from " +
                                m_graph.describe(edge.from) +
                                ": only services and functions choose which events to call for "
                                "and guard their calls with a bulkhead",
                            std::string("remove ") + key +
                                ", or put a service or function in front of the call");
            return;
        }
        if (callerType == C::Function && guarded)
            warning(
                DesignGraph::parameterPointer(base, ParameterScope::Sim, "max_concurrent_calls"),
                "max_concurrent_calls on a call from " + m_graph.describe(edge.from) +
                    " is one limit shared by all its execution environments, not a bulkhead in "
                    "each: an environment runs one invocation at a time, so an in-process "
                    "bulkhead never holds more than one call",
                "keep it only to model a limiter the environments share; to bound the "
                "function's calls, set its ReservedConcurrentExecutions");
    }

    /// A send's Source and DetailType make a PutEvents entry: both or neither, and only on a
    /// send to an event bus.
    void checkPutEventsEntry(const DesignGraph::Edge& edge)
    {
        const PutEventsEntry entry = m_graph.connection(edge).putEventsEntry();
        if (!entry.any())
            return;
        const std::string base = DesignGraph::connectionPointer(edge.connection);
        if (m_graph.component(edge.to).type != C::EventBus) {
            warning(DesignGraph::parameterPointer(base, ParameterScope::Aws,
                                                  entry.source.empty() ? "DetailType" : "Source"),
                    "Source and DetailType make a PutEvents entry; a send to " +
                        m_graph.describe(edge.to) + " ignores them",
                    "remove Source and DetailType, or send to an event bus");
            return;
        }
        if (entry.complete())
            return;
        const std::string set = entry.source.empty() ? "DetailType" : "Source";
        const std::string missing = entry.source.empty() ? "Source" : "DetailType";
        error(DesignGraph::parameterPointer(base, ParameterScope::Aws, missing),
              "PutEvents needs both Source and DetailType: this send to " +
                  m_graph.describe(edge.to) + " sets only " + set,
              "set " + missing + " too, or remove " + set + " to forward the event as it is");
    }

    void checkDeadLetterType(const DesignGraph::Edge& edge)
    {
        const auto sourceType = m_graph.component(edge.from).type;
        const bool sourceFifo = m_graph.isFifo(edge.from);
        const bool dlqFifo = m_graph.isFifo(edge.to);
        const std::string pointer = DesignGraph::connectionPointer(edge.connection) + "/to";
        const std::string dlq = m_graph.describe(edge.to);
        const std::string source = m_graph.describe(edge.from);
        if (edge.from == edge.to) {
            error(pointer,
                  source + " is its own dead-letter queue: messages it gives up on would return "
                           "to it and be received again",
                  "send dead letters to a separate queue");
            return;
        }
        switch (sourceType) {
        case C::Queue:
        case C::Topic:
            if (sourceFifo != dlqFifo)
                error(pointer,
                      "dead-letter " + dlq + " is " + (dlqFifo ? "FIFO" : "standard") + " but " +
                          source + " is " + (sourceFifo ? "FIFO" : "standard") +
                          (sourceType == C::Queue
                               ? "; SQS requires a dead-letter queue of the same type as its "
                                 "source queue"
                               : "; SNS requires a dead-letter queue of the same type as the "
                                 "topic (FIFO topics need a FIFO queue)"),
                      std::string("use a ") + (sourceFifo ? "FIFO" : "standard") +
                          " queue as the dead-letter queue");
            break;
        case C::Rule:
            if (dlqFifo)
                error(pointer,
                      "dead-letter " + dlq +
                          " is FIFO; an EventBridge target's "
                          "dead-letter queue must be a standard SQS queue",
                      "use a standard queue as the dead-letter queue");
            break;
        case C::Function:
            if (dlqFifo)
                error(pointer,
                      "dead-letter " + dlq +
                          " is FIFO; a function's dead-letter queue "
                          "must be a standard queue or topic",
                      "use a standard queue or topic as the dead-letter queue");
            break;
        default:
            break;
        }
    }

    /// `for` names the target (rule) or subscriber (topic) a dead-letter queue serves.
    void checkDeadLetterFor(const DesignGraph::Edge& edge)
    {
        const auto& c = m_graph.connection(edge);
        const json* forValue = findPath(c.sim, "for");
        if (!forValue || !forValue->is_string() || forValue->get<std::string>().empty())
            return;
        const std::string id = forValue->get<std::string>();
        const std::string pointer = DesignGraph::parameterPointer(
            DesignGraph::connectionPointer(edge.connection), ParameterScope::Sim, "for");
        const auto sourceType = m_graph.component(edge.from).type;
        if (sourceType != C::Rule && sourceType != C::Topic) {
            error(pointer,
                  "\"for\" applies only to dead-letter queues of rules and topics; " +
                      m_graph.describe(edge.from) +
                      " has one dead-letter queue for all "
                      "its messages",
                  "remove \"for\"");
            return;
        }
        const K servedKind = sourceType == C::Rule ? K::RuleTarget : K::Subscription;
        std::vector<std::string> served;
        for (const auto& out : m_graph.outgoing(edge.from))
            if (out.kind == servedKind) {
                if (m_graph.component(out.to).id == id)
                    return;
                served.push_back(inQuotes(m_graph.component(out.to).id));
            }
        const std::string role = sourceType == C::Rule ? "target" : "subscriber";
        error(pointer,
              m_graph.describe(edge.from) + " has no " + role + " " + inQuotes(id) +
                  "; \"for\" "
                  "names one of its " +
                  role + "s" +
                  (served.empty() ? std::string(" (it has none)") : ": " + joined(served)));
    }

    void checkQueueEventSource(const DesignGraph::Edge& edge)
    {
        const auto& c = m_graph.connection(edge);
        const auto& queue = m_graph.component(edge.from);
        const auto& consumer = m_graph.component(edge.to);
        const std::string base = DesignGraph::connectionPointer(edge.connection);
        const std::string batchPointer =
            DesignGraph::parameterPointer(base, ParameterScope::Aws, "BatchSize");
        const auto batch = DesignGraph::number(c, ParameterScope::Aws, "BatchSize");
        if (consumer.type == C::Service) {
            if (batch && *batch > kMaxReceiveBatch)
                error(batchPointer,
                      "BatchSize " + fmt(*batch) +
                          " is more than a service can "
                          "receive at once: SQS ReceiveMessage returns at most 10 "
                          "messages",
                      "set BatchSize to 10 or less");
            return;
        }
        if (consumer.type != C::Function)
            return;
        const bool fifo = m_graph.isFifo(edge.from);
        if (batch && fifo && *batch > kMaxFifoBatch) {
            error(batchPointer,
                  "BatchSize " + fmt(*batch) + " is too large for FIFO " +
                      m_graph.describe(edge.from) +
                      ": Lambda takes at most 10 messages per batch from a FIFO queue",
                  "set BatchSize to 10 or less");
        } else if (batch && *batch > kMaxBatchWithoutWindow) {
            const auto window =
                DesignGraph::number(c, ParameterScope::Aws, "MaximumBatchingWindowInSeconds");
            if (window && *window < 1)
                error(
                    batchPointer,
                    "BatchSize " + fmt(*batch) +
                        " above 10 needs "
                        "MaximumBatchingWindowInSeconds of at least 1 s (it is " +
                        fmt(*window) + " s); Lambda refuses such an SQS event source mapping",
                    "set MaximumBatchingWindowInSeconds to 1 or more, or BatchSize to 10 or less");
        }
        const auto timeout = DesignGraph::number(consumer, ParameterScope::Aws, "Timeout");
        const auto visibility =
            DesignGraph::number(queue, ParameterScope::Aws, "VisibilityTimeout");
        if (timeout && visibility && *timeout > *visibility)
            error(DesignGraph::parameterPointer(DesignGraph::componentPointer(edge.from),
                                                ParameterScope::Aws, "VisibilityTimeout"),
                  "VisibilityTimeout " + fmt(*visibility) + " s is shorter than the " +
                      fmt(*timeout) + " s Timeout of " + m_graph.describe(edge.to) +
                      ", which consumes this queue (" + base +
                      "); Lambda refuses an event source mapping whose function may run longer "
                      "than the queue hides a message",
                  "raise VisibilityTimeout to at least " + fmt(6 * *timeout) +
                      " s (6 x the function timeout), or lower the function's Timeout");
    }

    void checkRuleTargetCounts()
    {
        for (std::size_t i = 0; i < m_design.components.size(); ++i) {
            if (m_design.components[i].type != C::Rule)
                continue;
            std::vector<std::size_t> targets;
            for (const auto& edge : m_graph.outgoing(i))
                if (edge.kind == K::RuleTarget)
                    targets.push_back(edge.connection);
            if (targets.size() > kMaxRuleTargets)
                error(DesignGraph::connectionPointer(targets[kMaxRuleTargets]),
                      m_graph.describe(i) + " has " + std::to_string(targets.size()) +
                          " targets; EventBridge allows at most 5 targets per rule (a hard limit)",
                      "split the targets over two rules with the same event pattern, or fan out "
                      "through an SNS topic");
        }
    }

    /// A queue's RedrivePolicy, a function's DeadLetterConfig and OnFailure destination, and a
    /// rule target's or subscription's DeadLetterConfig each name one queue.
    void checkDeadLetterCounts()
    {
        for (std::size_t i = 0; i < m_design.components.size(); ++i) {
            const auto type = m_design.components[i].type;
            std::map<std::string, std::size_t> servedBy; // `for` ("" = all) -> connection
            std::optional<std::size_t> onFailure;
            for (const auto& edge : m_graph.outgoing(i)) {
                if (edge.kind == K::OnFailure) {
                    if (onFailure)
                        error(DesignGraph::connectionPointer(edge.connection),
                              m_graph.describe(i) + " already has an on-failure destination (" +
                                  DesignGraph::connectionPointer(*onFailure) +
                                  "); Lambda sends failed invocation records to one destination",
                              "keep one on_failure connection; fan out behind it with a topic");
                    else
                        onFailure = edge.connection;
                }
                if (edge.kind != K::DeadLetter)
                    continue;
                std::string served;
                if (type == C::Rule || type == C::Topic)
                    if (const json* f = findPath(m_graph.connection(edge).sim, "for");
                        f && f->is_string())
                        served = f->get<std::string>();
                // A dead-letter queue with `for` overrides one without for that target or
                // subscriber, as the rule and topic behaviours resolve them.
                const auto clash = servedBy.find(served);
                if (clash == servedBy.end()) {
                    servedBy.emplace(served, edge.connection);
                    continue;
                }
                std::string what;
                if (type == C::Queue)
                    what = "a RedrivePolicy names one dead-letter queue";
                else if (type == C::Function)
                    what = "a function's DeadLetterConfig names one queue or topic";
                else
                    what = std::string("each ") + (type == C::Rule ? "target" : "subscription") +
                           " has one dead-letter queue";
                const std::string scope = type != C::Rule && type != C::Topic ? std::string()
                                          : served.empty()
                                              ? std::string(" for all its ") +
                                                    (type == C::Rule ? "targets" : "subscribers")
                                              : " for " + inQuotes(served);
                error(DesignGraph::connectionPointer(edge.connection),
                      m_graph.describe(i) + " already has a dead-letter queue" + scope + " (" +
                          DesignGraph::connectionPointer(clash->second) + "); " + what,
                      type == C::Rule || type == C::Topic
                          ? "remove one, or give each its own with \"for\""
                          : "remove one of the dead_letter connections");
            }
        }
    }

    void checkReservedConcurrency()
    {
        const double account = m_design.simulation.accountConcurrency;
        const double limit = account - kMinUnreservedConcurrency;
        double reserved = 0;
        for (std::size_t i = 0; i < m_design.components.size(); ++i) {
            const auto& c = m_design.components[i];
            if (c.type != C::Function)
                continue;
            const auto value =
                DesignGraph::number(c, ParameterScope::Aws, "ReservedConcurrentExecutions");
            if (!value || *value <= 0)
                continue;
            const bool wasWithin = reserved <= limit;
            reserved += *value;
            if (wasWithin && reserved > limit) {
                double total = reserved;
                for (std::size_t j = i + 1; j < m_design.components.size(); ++j)
                    if (m_design.components[j].type == C::Function)
                        if (auto more =
                                DesignGraph::number(m_design.components[j], ParameterScope::Aws,
                                                    "ReservedConcurrentExecutions");
                            more && *more > 0)
                            total += *more;
                error(DesignGraph::parameterPointer(DesignGraph::componentPointer(i),
                                                    ParameterScope::Aws,
                                                    "ReservedConcurrentExecutions"),
                      "functions reserve " + fmt(total) + " concurrent executions in all, but " +
                          "Lambda keeps at least 100 of the account's " + fmt(account) +
                          " unreserved: at most " + fmt(std::max(0.0, limit)) + " can be reserved",
                      "lower ReservedConcurrentExecutions, or raise "
                      "simulation.account_concurrency (a quota increase)");
            }
        }
    }

    void checkTraffic()
    {
        for (std::size_t t = 0; t < m_design.traffic.size(); ++t) {
            const auto& spec = m_design.traffic[t];
            const std::string base = "/traffic/" + std::to_string(t);
            if (const auto producer = m_graph.indexOf(spec.producer); !producer)
                error(base + "/producer", "no component has the id " + inQuotes(spec.producer) +
                                              "; traffic names the producer that emits it");
            else if (m_graph.component(*producer).type != C::Producer)
                error(base + "/producer",
                      m_graph.describe(*producer) + " is not a producer; traffic is emitted by "
                                                    "producer components",
                      "add a producer that sends or calls into " + inQuotes(spec.producer) +
                          " and give the traffic to it");
            checkProfile(spec.profile, base + "/profile");
            for (std::size_t e = 0; e < spec.events.size(); ++e)
                checkEventTemplate(spec.events[e], base + "/events/" + std::to_string(e));
        }
    }

    void checkProfile(const RateProfile& p, const std::string& base)
    {
        using Kind = RateProfile::Kind;
        auto atLeastZero = [&](const char* field, double value, const char* what) {
            if (value < 0)
                error(base + "/" + field, std::string(field) + " is " + fmt(value) + "; " + what +
                                              " cannot be negative");
        };
        atLeastZero("rate", p.rate, "a rate in events per second");
        switch (p.kind) {
        case Kind::Bursty:
            if (p.onSeconds <= 0)
                error(base + "/on_s", "on_s is " + fmt(p.onSeconds) +
                                          "; a bursty profile needs "
                                          "bursts longer than 0 s");
            atLeastZero("off_s", p.offSeconds, "the pause between bursts");
            break;
        case Kind::Ramp:
        case Kind::Spike:
            if (p.kind == Kind::Ramp)
                atLeastZero("to_rate", p.toRate, "a rate in events per second");
            else
                atLeastZero("peak_rate", p.peakRate, "a rate in events per second");
            atLeastZero("start_s", p.startSeconds, "a start time");
            if (p.endSeconds <= p.startSeconds)
                error(base + "/end_s", "end_s (" + fmt(p.endSeconds) +
                                           " s) must be after start_s (" + fmt(p.startSeconds) +
                                           " s)");
            break;
        case Kind::Diurnal:
            if (p.amplitude < 0 || p.amplitude > 1)
                error(base + "/amplitude", "amplitude is " + fmt(p.amplitude) +
                                               "; it is the relative swing around the rate, "
                                               "from 0 to 1");
            if (p.periodSeconds <= 0)
                error(base + "/period_s", "period_s is " + fmt(p.periodSeconds) +
                                              "; the period must be longer than 0 s");
            break;
        default:
            break;
        }
    }

    void checkEventTemplate(const EventTemplate& e, const std::string& base)
    {
        if (!(e.weight > 0))
            error(base + "/weight",
                  "weight is " + fmt(e.weight) +
                      "; event weights must be greater than 0 (they are relative "
                      "shares of the producer's events)",
                  "remove the event, or give it a positive weight");
        if (!(e.sizeBytes >= 1))
            error(base + "/size_bytes",
                  "size_bytes is " + fmt(e.sizeBytes) + "; an event has at least 1 byte");
        checkRandomFields(e.detail, base + "/detail");
        checkRandomFields(e.attributes, base + "/attributes");
    }

    /// {"dist": ...} is a random number and {"oneOf": [...]} a random pick; anything else is
    /// a literal, searched for nested random fields.
    void checkRandomFields(const json& value, const std::string& pointer)
    {
        if (value.is_object()) {
            if (const auto oneOf = value.find("oneOf"); oneOf != value.end()) {
                if (!oneOf->is_array() || oneOf->empty())
                    error(pointer + "/oneOf", "oneOf needs a non-empty array of values to pick "
                                              "from; " +
                                                  found(*oneOf));
                return;
            }
            if (value.contains("dist")) {
                Distribution::parse(value, pointer, m_diagnostics);
                if (const auto integer = value.find("integer");
                    integer != value.end() && !integer->is_boolean())
                    error(pointer + "/integer",
                          "integer must be true or false; " + found(*integer));
                return;
            }
            for (auto it = value.begin(); it != value.end(); ++it)
                checkRandomFields(*it, pointer + "/" + DesignGraph::escapeToken(it.key()));
        } else if (value.is_array()) {
            for (std::size_t i = 0; i < value.size(); ++i)
                checkRandomFields(value[i], pointer + "/" + std::to_string(i));
        }
    }

    void checkFaults()
    {
        for (std::size_t i = 0; i < m_design.faults.size(); ++i) {
            const auto& f = m_design.faults[i];
            const std::string base = "/faults/" + std::to_string(i);
            if (!m_graph.indexOf(f.component))
                error(base + "/component", "no component has the id " + inQuotes(f.component) +
                                               "; a fault names the component it disturbs");
            if (f.startSeconds < 0)
                error(base + "/start_s",
                      "start_s is " + fmt(f.startSeconds) + "; a fault cannot start before 0 s");
            if (f.endSeconds < f.startSeconds)
                error(base + "/end_s", "end_s (" + fmt(f.endSeconds) + " s) is before start_s (" +
                                           fmt(f.startSeconds) + " s)");
            switch (f.kind) {
            case Fault::Kind::Latency:
                if (f.value < 1)
                    error(base + "/value", "a latency fault's value is a multiplier of at least 1 "
                                           "(2 = twice as slow); found " +
                                               fmt(f.value));
                break;
            case Fault::Kind::ErrorRate:
                if (f.value < 0 || f.value > 1)
                    error(base + "/value", "an error_rate fault's value is the share of failing "
                                           "requests, from 0 to 1; found " +
                                               fmt(f.value));
                break;
            case Fault::Kind::Throttle:
                if (f.value < 0)
                    error(base + "/value", "a throttle fault's value is a limit in requests per "
                                           "second, at least 0; found " +
                                               fmt(f.value));
                break;
            case Fault::Kind::Outage:
                break;
            }
        }
    }

    void checkSimulation()
    {
        const auto& s = m_design.simulation;
        if (!(s.durationSeconds > 0))
            error("/simulation/duration_s",
                  "duration_s is " + fmt(s.durationSeconds) + "; a run lasts longer than 0 s");
        if (s.warmupSeconds < 0 || (s.durationSeconds > 0 && s.warmupSeconds >= s.durationSeconds))
            error("/simulation/warmup_s", "warmup_s is " + fmt(s.warmupSeconds) +
                                              "; the warm-up must be at least 0 s "
                                              "and shorter than the run (" +
                                              fmt(s.durationSeconds) + " s)");
        if (!(s.sampleIntervalSeconds > 0))
            error("/simulation/sample_interval_s",
                  "sample_interval_s is " + fmt(s.sampleIntervalSeconds) +
                      "; samples need an interval longer than 0 s");
        if (!(s.accountConcurrency > 0))
            error("/simulation/account_concurrency",
                  "account_concurrency is " + fmt(s.accountConcurrency) +
                      "; the Region's Lambda concurrency must be greater than 0 (AWS default "
                      "1000)");
        if (!(s.maxEventsPerSimSecond > 0))
            error("/simulation/max_events_per_sim_second",
                  "max_events_per_sim_second must be greater than 0; found " +
                      fmt(s.maxEventsPerSimSecond));
        if (!(s.maxEventsTotal > 0))
            error("/simulation/max_events_total",
                  "max_events_total must be greater than 0; found " + fmt(s.maxEventsTotal));
    }

    static std::optional<double> explicitNumber(const json& object, std::string_view key)
    {
        const json* value = findPath(object, key);
        if (value && value->is_number())
            return value->get<double>();
        return std::nullopt;
    }

    const Design& m_design;
    const DesignGraph& m_graph;
    Diagnostics& m_diagnostics;
};

} // namespace

Diagnostics Validator::validate(const Design& design)
{
    Diagnostics diagnostics;
    const DesignGraph graph(design);
    DesignChecker(graph, diagnostics).run();
    DesignAdvice::review(graph, diagnostics);
    return diagnostics;
}

} // namespace eventflow::model
