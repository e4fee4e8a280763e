#include "ComponentType.h"
#include "ConnectionKind.h"

namespace eventflow::model {

namespace {
struct TypeNames {
    ComponentType type;
    std::string_view name;
    std::string_view title;
    std::string_view description;
};
constexpr std::array kTypeNames = {
    TypeNames{ComponentType::Producer, "producer", "producer",
              "Where traffic comes from: clients, devices, schedules"},
    TypeNames{ComponentType::Api, "api", "API",
              "API Gateway (REST or HTTP API): throttles and routes requests"},
    TypeNames{ComponentType::Service, "service", "service",
              "A synchronous microservice with a fixed pool of workers"},
    TypeNames{ComponentType::Function, "function", "function",
              "AWS Lambda: scales with concurrency, cold starts, retries"},
    TypeNames{ComponentType::Queue, "queue", "queue",
              "Amazon SQS: buffers messages, visibility timeout, dead letters"},
    TypeNames{ComponentType::Topic, "topic", "topic",
              "Amazon SNS: fans each message out to every subscription"},
    TypeNames{ComponentType::EventBus, "event_bus", "event bus",
              "Amazon EventBridge event bus: rules select its events"},
    TypeNames{ComponentType::Rule, "rule", "rule",
              "EventBridge rule: an event pattern and up to five targets"},
    TypeNames{ComponentType::Stream, "stream", "stream",
              "Amazon Kinesis Data Streams: ordered shards, per-shard limits"},
    TypeNames{ComponentType::StateMachine, "state_machine", "state machine",
              "AWS Step Functions: orchestrates Task states with retries"},
    TypeNames{ComponentType::Database, "database", "database",
              "DynamoDB table or relational database: capacity and latency"},
};

struct KindNames {
    ConnectionKind kind;
    std::string_view name;
    std::string_view description;
};
constexpr std::array kKindNames = {
    KindNames{ConnectionKind::Invoke, "invoke",
              "A synchronous call: the caller waits for the answer (API integration, RPC, Lambda RequestResponse, a Step Functions Task)"},
    KindNames{ConnectionKind::Send, "send",
              "An asynchronous hand-over: SendMessage, Publish, PutEvents, PutRecord; the sender goes on at once"},
    KindNames{ConnectionKind::Subscription, "subscription",
              "An SNS subscription, or an EventBridge rule attached to its bus"},
    KindNames{ConnectionKind::RuleTarget, "rule_target",
              "An EventBridge rule's target, delivered with the rule's retry policy"},
    KindNames{ConnectionKind::EventSource, "event_source",
              "A poller: a Lambda event source mapping, or service workers polling a queue"},
    KindNames{ConnectionKind::DeadLetter, "dead_letter",
              "Where messages go when they cannot be delivered or processed: a queue's redrive, a subscription's, rule's or function's dead-letter queue"},
    KindNames{ConnectionKind::OnFailure, "on_failure",
              "A Lambda on-failure destination (asynchronous invocation or stream mapping)"},
};
} // namespace

std::string_view componentTypeName(ComponentType type)
{
    return kTypeNames[static_cast<std::size_t>(type)].name;
}

std::string_view componentTypeTitle(ComponentType type)
{
    return kTypeNames[static_cast<std::size_t>(type)].title;
}

std::string_view componentTypeDescription(ComponentType type)
{
    return kTypeNames[static_cast<std::size_t>(type)].description;
}

std::optional<ComponentType> componentTypeFromName(std::string_view name)
{
    for (const auto& entry : kTypeNames)
        if (entry.name == name)
            return entry.type;
    return std::nullopt;
}

std::string_view connectionKindName(ConnectionKind kind)
{
    return kKindNames[static_cast<std::size_t>(kind)].name;
}

std::string_view connectionKindDescription(ConnectionKind kind)
{
    return kKindNames[static_cast<std::size_t>(kind)].description;
}

std::optional<ConnectionKind> connectionKindFromName(std::string_view name)
{
    for (const auto& entry : kKindNames)
        if (entry.name == name)
            return entry.kind;
    return std::nullopt;
}

} // namespace eventflow::model
