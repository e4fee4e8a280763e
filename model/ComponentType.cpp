#include "ComponentType.h"
#include "ConnectionKind.h"

namespace eventflow::model {

namespace {
struct TypeNames {
    ComponentType type;
    std::string_view name;
    std::string_view title;
};
constexpr std::array kTypeNames = {
    TypeNames{ComponentType::Producer, "producer", "producer"},
    TypeNames{ComponentType::Api, "api", "API"},
    TypeNames{ComponentType::Service, "service", "service"},
    TypeNames{ComponentType::Function, "function", "function"},
    TypeNames{ComponentType::Queue, "queue", "queue"},
    TypeNames{ComponentType::Topic, "topic", "topic"},
    TypeNames{ComponentType::EventBus, "event_bus", "event bus"},
    TypeNames{ComponentType::Rule, "rule", "rule"},
    TypeNames{ComponentType::Stream, "stream", "stream"},
    TypeNames{ComponentType::StateMachine, "state_machine", "state machine"},
    TypeNames{ComponentType::Database, "database", "database"},
};

struct KindNames {
    ConnectionKind kind;
    std::string_view name;
};
constexpr std::array kKindNames = {
    KindNames{ConnectionKind::Invoke, "invoke"},
    KindNames{ConnectionKind::Send, "send"},
    KindNames{ConnectionKind::Subscription, "subscription"},
    KindNames{ConnectionKind::RuleTarget, "rule_target"},
    KindNames{ConnectionKind::EventSource, "event_source"},
    KindNames{ConnectionKind::DeadLetter, "dead_letter"},
    KindNames{ConnectionKind::OnFailure, "on_failure"},
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

std::optional<ConnectionKind> connectionKindFromName(std::string_view name)
{
    for (const auto& entry : kKindNames)
        if (entry.name == name)
            return entry.kind;
    return std::nullopt;
}

} // namespace eventflow::model
