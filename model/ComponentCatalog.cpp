#include "ComponentCatalog.h"

#include <map>

namespace eventflow::model {

namespace {

using T = ParameterType;
using S = ParameterScope;
using nlohmann::json;

ParameterSpec aws(std::string key, T type, std::string unit, double min, double max, json def,
                  std::string help, std::vector<std::string> choices = {})
{
    return {std::move(key), S::Aws, type, std::move(unit), min, max, std::move(def),
            std::move(choices), std::move(help)};
}

ParameterSpec sim(std::string key, T type, std::string unit, double min, double max, json def,
                  std::string help, std::vector<std::string> choices = {})
{
    return {std::move(key), S::Sim, type, std::move(unit), min, max, std::move(def),
            std::move(choices), std::move(help)};
}

json dist(const char* kind, double a, double b = 0)
{
    if (std::string_view(kind) == "exponential")
        return {{"dist", kind}, {"mean", a}};
    if (std::string_view(kind) == "lognormal")
        return {{"dist", kind}, {"p50", a}, {"p99", b}};
    return {{"dist", "constant"}, {"value", a}};
}

constexpr double kNoLimit = 1e12;

std::vector<ParameterSpec> callPolicy()
{
    return {
        sim("timeout_ms", T::Number, "ms", 1, 3.6e6, 30000,
            "How long the caller waits for an answer before it gives up on the call"),
        sim("max_retries", T::Integer, "", 0, 20, 0,
            "How many times a failed or timed-out call is repeated"),
        sim("backoff_ms", T::Number, "ms", 0, 600000, 100,
            "Wait before the first retry; doubles on each further retry (0 = retry at once)"),
        sim("backoff_max_ms", T::Number, "ms", 0, 3.6e6, 10000, "Longest wait between retries"),
        sim("jitter", T::Boolean, "", 0, 1, true,
            "Full jitter: each wait is drawn uniformly between 0 and the backoff"),
        sim("circuit_breaker", T::Boolean, "", 0, 1, false,
            "Stop calling while the failure share is high, and fail fast instead"),
        sim("breaker_failure_ratio", T::Number, "", 0.01, 1, 0.5,
            "Failure share over the window that opens the breaker"),
        sim("breaker_min_calls", T::Integer, "", 1, 100000, 20,
            "Calls needed in the window before the breaker may open"),
        sim("breaker_window_s", T::Number, "s", 0.1, 3600, 10,
            "Sliding window over which the failure share is measured"),
        sim("breaker_open_s", T::Number, "s", 0.1, 3600, 30,
            "How long the breaker stays open before it lets one trial call through"),
        sim("max_concurrent_calls", T::Integer, "", 0, 100000, 0,
            "Services and functions: most calls the caller has open on this connection at once "
            "(a bulkhead); further calls fail fast without calling (0 = no limit). A function's "
            "limit is shared by all its execution environments, unlike a bulkhead in its code"),
        sim("call_pattern", T::Json, "", 0, 0, nullptr,
            "Services and functions: make this call only for events that match this EventBridge "
            "event pattern, as code calls a dependency only for the requests that need it "
            "(absent: every event)"),
        sim("step", T::Integer, "", 0, 1000, nullptr,
            "State machines: the order of this Task; Tasks sharing a step run as one Parallel "
            "state (default: the order of the connections)"),
        sim("catch_only", T::Boolean, "", 0, 1, false,
            "State machines: this Task runs only when a Catch sends the execution to it (a "
            "compensation step), then the execution ends"),
        sim("operation", T::Enum, "", 0, 0, "write",
            "Calls to DynamoDB: whether a call uses write or read capacity", {"write", "read"}),
        aws("Retry", T::Json, "", 0, 0, nullptr,
            "State machines: the Task's retriers, as in Amazon States Language "
            "([{\"ErrorEquals\": [\"States.ALL\"], \"IntervalSeconds\": 1, \"MaxAttempts\": 3, "
            "\"BackoffRate\": 2}])"),
        aws("Catch", T::Json, "", 0, 0, nullptr,
            "State machines: the Task's catchers; a caught error goes to the Task the catcher's "
            "Next names by its state name or the id of the component it calls (a step to go on "
            "from, or a catch_only Task), to the end for \"Done\", or without a Next to the "
            "next step"),
        aws("TimeoutSeconds", T::Integer, "s", 1, 99999999, nullptr,
            "State machines: the Task's timeout (States.Timeout)"),
    };
}

const std::map<ComponentType, std::vector<ParameterSpec>>& componentTable()
{
    static const std::map<ComponentType, std::vector<ParameterSpec>> table = {
        {ComponentType::Producer,
         {sim("client_timeout_ms", T::Number, "ms", 0, 3.6e6, 0,
              "For synchronous calls: how long a client waits before giving up (0 = wait for the "
              "answer)")}},
        {ComponentType::Api,
         {aws("ApiType", T::Enum, "", 0, 0, "REST",
              "REST API (29 s integration timeout) or HTTP API (30 s)", {"REST", "HTTP"}),
          aws("ThrottlingRateLimit", T::Number, "1/s", 0, 10000, 10000,
              "Steady-state requests per second the stage accepts (token bucket refill)"),
          aws("ThrottlingBurstLimit", T::Integer, "", 0, 5000, 5000,
              "Requests the token bucket can absorb at once; beyond it callers get 429"),
          aws("TimeoutInMillis", T::Integer, "ms", 50, 30000, 29000,
              "Integration timeout: after it the client gets 504 (REST: at most 29,000 ms)"),
          sim("overhead", T::Distribution, "ms", 0, 60000, dist("constant", 5),
              "Time API Gateway itself adds to each request")}},
        {ComponentType::Service,
         {sim("workers", T::Integer, "", 1, 100000, 10,
              "Requests the service works on at once (threads, tasks or containers)"),
          sim("queue_capacity", T::Integer, "", 0, 1e9, 100,
              "Requests that may wait for a worker; beyond it they are refused (0 = unbounded)"),
          sim("duration", T::Distribution, "ms", 0, 3.6e6, dist("exponential", 50),
              "Time a worker spends on one request, before any downstream call"),
          sim("error_rate", T::Number, "", 0, 1, 0.0,
              "Share of requests that fail inside the service"),
          sim("fail_pattern", T::Json, "", 0, 0, nullptr,
              "Poison messages: requests whose event matches this EventBridge event pattern "
              "always fail here (e.g. {\"detail\": {\"malformed\": [true]}})"),
          sim("call_mode", T::Enum, "", 0, 0, "sequence",
              "Whether downstream calls are made one after another or all at once",
              {"sequence", "parallel"})}},
        {ComponentType::Function,
         {aws("Timeout", T::Integer, "s", 1, 900, 3,
              "Longest an invocation may run; then it is stopped and counts as an error"),
          aws("MemorySize", T::Integer, "MB", 128, 10240, 128,
              "Memory (and proportional CPU); sets the GB-seconds billed"),
          aws("ReservedConcurrentExecutions", T::Integer, "", 0, 1e6, nullptr,
              "Concurrency reserved for this function: both a guaranteed floor and a ceiling"),
          aws("EventInvokeConfig.MaximumRetryAttempts", T::Integer, "", 0, 2, 2,
              "Asynchronous invocation: retries after a function error (3 attempts in all)"),
          aws("EventInvokeConfig.MaximumEventAgeInSeconds", T::Integer, "s", 60, 21600, 21600,
              "Asynchronous invocation: events older than this are discarded"),
          sim("duration", T::Distribution, "ms", 0, 900000, dist("lognormal", 80, 400),
              "Run time of one invocation, before downstream calls"),
          sim("error_rate", T::Number, "", 0, 1, 0.0, "Share of invocations that fail"),
          sim("fail_pattern", T::Json, "", 0, 0, nullptr,
              "Poison messages: records whose event matches this EventBridge event pattern "
              "always fail here (e.g. {\"detail\": {\"malformed\": [true]}})"),
          sim("cold_start", T::Distribution, "ms", 0, 10000, dist("lognormal", 250, 1000),
              "Extra time when a new execution environment has to start (INIT)"),
          sim("idle_lifetime_s", T::Number, "s", 1, 7200, 600,
              "How long an idle execution environment stays warm"),
          sim("scaling_per_10s", T::Integer, "", 1, 100000, 1000,
              "New execution environments the function may add every 10 s"),
          sim("call_mode", T::Enum, "", 0, 0, "sequence",
              "Whether downstream calls are made one after another or all at once",
              {"sequence", "parallel"})}},
        {ComponentType::Queue,
         {aws("FifoQueue", T::Boolean, "", 0, 1, false,
              "FIFO: ordered per message group, 300 API calls/s (3,000 messages/s batched)"),
          aws("VisibilityTimeout", T::Integer, "s", 0, 43200, 30,
              "How long a received message stays hidden before it may be received again"),
          aws("MessageRetentionPeriod", T::Integer, "s", 60, 1209600, 345600,
              "Messages older than this are deleted, delivered or not"),
          aws("DelaySeconds", T::Integer, "s", 0, 900, 0,
              "Delivery delay before a new message becomes visible"),
          aws("RedrivePolicy.maxReceiveCount", T::Integer, "", 1, 1000, 10,
              "Receives after which a message moves to the dead-letter queue"),
          aws("FifoThroughputLimit", T::Enum, "", 0, 0, "perQueue",
              "FIFO throughput quota per queue or per message group (high throughput)",
              {"perQueue", "perMessageGroupId"}),
          sim("group_key", T::String, "", 0, 0, "",
              "FIFO: event field that gives the MessageGroupId, e.g. detail.customerId "
              "(empty: one group)"),
          sim("api_limit_per_s", T::Number, "1/s", 1, kNoLimit, 300,
              "FIFO: SendMessage calls per second before ThrottlingException")}},
        {ComponentType::Topic,
         {aws("FifoTopic", T::Boolean, "", 0, 1, false,
              "FIFO topic: ordered, delivers only to SQS FIFO queues"),
          sim("delivery_latency", T::Distribution, "ms", 0, 60000, dist("lognormal", 60, 200),
              "Time from publish to delivery at each subscriber")}},
        {ComponentType::EventBus,
         {sim("put_events_limit_per_s", T::Number, "1/s", 1, kNoLimit, 10000,
              "PutEvents quota (us-east-1: 10,000/s); excess calls are throttled"),
          sim("invocations_limit_per_s", T::Number, "1/s", 1, kNoLimit, 18750,
              "Target invocations per second; excess invocations are delayed, not dropped"),
          sim("delivery_latency", T::Distribution, "ms", 0, 60000, dist("lognormal", 150, 390),
              "Time from PutEvents to target invocation")}},
        {ComponentType::Rule,
         {aws("EventPattern", T::Json, "", 0, 0, nullptr,
              "The events this rule selects (EventBridge event pattern; required)"),
          aws("State", T::Enum, "", 0, 0, "ENABLED", "A disabled rule matches nothing",
              {"ENABLED", "DISABLED"})}},
        {ComponentType::Stream,
         {aws("ShardCount", T::Integer, "", 1, 500, 1,
              "Shards: each takes 1,000 records/s or 1 MB/s of writes"),
          aws("RetentionPeriodHours", T::Integer, "h", 24, 8760, 24,
              "Records older than this expire, processed or not"),
          sim("partition_key", T::String, "", 0, 0, "",
              "Event field used as the partition key, e.g. detail.customerId (empty: random keys)")}},
        {ComponentType::StateMachine,
         {aws("Type", T::Enum, "", 0, 0, "STANDARD",
              "STANDARD (exactly once, up to a year) or EXPRESS (at least once, up to 5 minutes)",
              {"STANDARD", "EXPRESS"}),
          sim("transition_latency", T::Distribution, "ms", 0, 60000, dist("constant", 20),
              "Time Step Functions adds to each state transition")}},
        {ComponentType::Database,
         {sim("engine", T::Enum, "", 0, 0, "dynamodb",
              "DynamoDB (capacity in requests/s, excess throttled) or a relational database "
              "(a connection limit, excess refused)",
              {"dynamodb", "relational"}),
          aws("BillingMode", T::Enum, "", 0, 0, "PROVISIONED",
              "DynamoDB: PROVISIONED capacity or PAY_PER_REQUEST (on demand)",
              {"PROVISIONED", "PAY_PER_REQUEST"}),
          aws("ProvisionedThroughput.WriteCapacityUnits", T::Integer, "1/s", 1, 40000, 100,
              "DynamoDB provisioned mode: writes per second (items up to 1 KB)"),
          aws("ProvisionedThroughput.ReadCapacityUnits", T::Integer, "1/s", 1, 40000, 100,
              "DynamoDB provisioned mode: strongly consistent reads per second (items up to 4 KB)"),
          sim("max_connections", T::Integer, "", 1, 100000, 100,
              "Relational: connections the database accepts; more are refused"),
          sim("latency", T::Distribution, "ms", 0, 60000, dist("lognormal", 5, 20),
              "Latency of one request on an idle database"),
          sim("error_rate", T::Number, "", 0, 1, 0.0, "Share of requests that fail")}},
    };
    return table;
}

const std::map<ConnectionKind, std::vector<ParameterSpec>>& connectionTable()
{
    static const std::map<ConnectionKind, std::vector<ParameterSpec>> table = {
        {ConnectionKind::Invoke, callPolicy()},
        {ConnectionKind::Send,
         {aws("Source", T::String, "", 0, 0, nullptr,
              "Sends to an event bus, with DetailType: the PutEvents entry's source (both unset: "
              "the event's own), as a choreography step emits its own event"),
          aws("DetailType", T::String, "", 0, 0, nullptr,
              "Sends to an event bus, with Source: the PutEvents entry's detail-type (both "
              "unset: the event's own)")}},
        {ConnectionKind::Subscription,
         {aws("FilterPolicy", T::Json, "", 0, 0, nullptr,
              "SNS subscription filter: only matching messages are delivered"),
          aws("FilterPolicyScope", T::Enum, "", 0, 0, "MessageAttributes",
              "Whether the filter policy reads message attributes or the message body",
              {"MessageAttributes", "MessageBody"}),
          aws("RawMessageDelivery", T::Boolean, "", 0, 1, false,
              "Deliver the message without the SNS envelope")}},
        {ConnectionKind::RuleTarget,
         {aws("RetryPolicy.MaximumRetryAttempts", T::Integer, "", 0, 185, 185,
              "Retries when delivery to the target fails"),
          aws("RetryPolicy.MaximumEventAgeInSeconds", T::Integer, "s", 60, 86400, 86400,
              "Events older than this are no longer retried")}},
        {ConnectionKind::EventSource,
         {aws("BatchSize", T::Integer, "", 1, 10000, 10,
              "Records per invocation (queues: default 10, FIFO at most 10; streams: default 100)"),
          aws("MaximumBatchingWindowInSeconds", T::Integer, "s", 0, 300, 0,
              "How long to gather records before invoking"),
          aws("ScalingConfig.MaximumConcurrency", T::Integer, "", 2, 1000, nullptr,
              "Queues: most concurrent invocations this mapping may drive"),
          aws("FunctionResponseTypes", T::Json, "", 0, 0, nullptr,
              "[\"ReportBatchItemFailures\"]: the function names the records of a batch that "
              "failed and only those return to the queue (streams: exported, not simulated)"),
          aws("ParallelizationFactor", T::Integer, "", 1, 10, 1,
              "Streams: concurrent batches per shard"),
          aws("BisectBatchOnFunctionError", T::Boolean, "", 0, 1, false,
              "Streams: split a failing batch in two and retry each half"),
          aws("MaximumRetryAttempts", T::Integer, "", -1, 10000, -1,
              "Streams: retries of a failing batch (-1 = until the record expires)"),
          aws("MaximumRecordAgeInSeconds", T::Integer, "s", -1, 604800, -1,
              "Streams: records older than this are skipped (-1 = until they expire)"),
          aws("StartingPosition", T::Enum, "", 0, 0, "LATEST", "Streams: where reading starts",
              {"LATEST", "TRIM_HORIZON"}),
          sim("poll_latency", T::Distribution, "ms", 0, 60000, dist("lognormal", 15, 100),
              "Time from a record becoming available to the poller picking it up")}},
        {ConnectionKind::DeadLetter,
         {sim("for", T::String, "", 0, 0, "",
              "Rules and topics: the target or subscriber this dead-letter queue serves (empty: "
              "all of them)")}},
        {ConnectionKind::OnFailure, {}},
    };
    return table;
}

const ParameterSpec* findIn(const std::vector<ParameterSpec>& specs, ParameterScope scope,
                            std::string_view key)
{
    for (const auto& spec : specs)
        if (spec.scope == scope && spec.key == key)
            return &spec;
    return nullptr;
}

using C = ComponentType;
using K = ConnectionKind;

bool isAsyncSink(C to)
{
    return to == C::Queue || to == C::Topic || to == C::EventBus || to == C::Stream ||
           to == C::Function || to == C::StateMachine;
}

bool isCallable(C to)
{
    return to == C::Service || to == C::Function || to == C::Database || to == C::StateMachine ||
           to == C::Api;
}

} // namespace

const std::vector<ParameterSpec>& ComponentCatalog::componentParameters(ComponentType type)
{
    return componentTable().at(type);
}

const std::vector<ParameterSpec>& ComponentCatalog::connectionParameters(ConnectionKind kind)
{
    return connectionTable().at(kind);
}

const ParameterSpec* ComponentCatalog::findComponentParameter(ComponentType type,
                                                              ParameterScope scope,
                                                              std::string_view key)
{
    return findIn(componentParameters(type), scope, key);
}

const ParameterSpec* ComponentCatalog::findConnectionParameter(ConnectionKind kind,
                                                               ParameterScope scope,
                                                               std::string_view key)
{
    return findIn(connectionParameters(kind), scope, key);
}

std::vector<ConnectionKind> ComponentCatalog::allowedKinds(ComponentType from, ComponentType to)
{
    std::vector<ConnectionKind> kinds;
    switch (from) {
    case C::Producer:
    case C::Service:
    case C::Function:
    case C::StateMachine:
        if (isCallable(to) && !(from != C::Producer && to == C::Api))
            kinds.push_back(K::Invoke);
        if (isAsyncSink(to))
            kinds.push_back(K::Send);
        if (from == C::Producer && to == C::Api)
            kinds = {K::Invoke};
        if (from == C::Function && (to == C::Queue || to == C::Topic || to == C::EventBus ||
                                    to == C::Function))
            kinds.push_back(K::OnFailure);
        if (from == C::Function && (to == C::Queue || to == C::Topic))
            kinds.push_back(K::DeadLetter);
        break;
    case C::Api:
        if (to == C::Service || to == C::Function || to == C::StateMachine)
            kinds.push_back(K::Invoke);
        if (to == C::Queue || to == C::Topic || to == C::EventBus || to == C::Stream ||
            to == C::StateMachine)
            kinds.push_back(K::Send);
        break;
    case C::Queue:
        if (to == C::Function || to == C::Service)
            kinds.push_back(K::EventSource);
        if (to == C::Queue)
            kinds.push_back(K::DeadLetter);
        break;
    case C::Topic:
        if (to == C::Queue || to == C::Function || to == C::Service)
            kinds.push_back(K::Subscription);
        if (to == C::Queue)
            kinds.push_back(K::DeadLetter);
        break;
    case C::EventBus:
        if (to == C::Rule)
            kinds.push_back(K::Subscription);
        break;
    case C::Rule:
        if (to == C::Function || to == C::Queue || to == C::Topic || to == C::StateMachine ||
            to == C::Stream || to == C::EventBus)
            kinds.push_back(K::RuleTarget);
        if (to == C::Queue)
            kinds.push_back(K::DeadLetter);
        break;
    case C::Stream:
        if (to == C::Function)
            kinds.push_back(K::EventSource);
        break;
    case C::Database:
        break;
    }
    return kinds;
}

std::optional<std::string> ComponentCatalog::refusal(ComponentType from, ComponentType to,
                                                     ConnectionKind kind)
{
    const auto kinds = allowedKinds(from, to);
    for (auto k : kinds)
        if (k == kind)
            return std::nullopt;
    std::string message = "a " + std::string(componentTypeTitle(from)) + " cannot " +
                          std::string(connectionKindName(kind)) + " to a " +
                          std::string(componentTypeTitle(to));
    if (kinds.empty()) {
        message += "; no connection from a " + std::string(componentTypeTitle(from)) +
                   " to a " + std::string(componentTypeTitle(to)) + " is possible";
        if (from == C::Rule && to == C::Rule)
            message += " (a rule selects events on its bus: target an event bus, whose rules then "
                       "see the event)";
        else if (from == C::EventBus)
            message += " (an event bus delivers only to its rules: add a rule and target it)";
        else if (to == C::Rule)
            message += " (a rule receives events only from the event bus it is attached to)";
        else if (from == C::Database)
            message += " (a database only answers calls)";
    } else {
        message += "; allowed here: ";
        for (std::size_t i = 0; i < kinds.size(); ++i)
            message += (i ? ", " : "") + std::string(connectionKindName(kinds[i]));
    }
    return message;
}

} // namespace eventflow::model
