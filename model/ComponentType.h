#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace eventflow::model {

/// The building blocks a design is drawn from. Each maps onto one AWS resource family
/// (or, for Producer and Service, onto what sits outside AWS's managed services).
enum class ComponentType {
    Producer,
    Api,
    Service,
    Function,
    Queue,
    Topic,
    EventBus,
    Rule,
    Stream,
    StateMachine,
    Database,
};

inline constexpr std::array kAllComponentTypes = {
    ComponentType::Producer, ComponentType::Api,      ComponentType::Service,
    ComponentType::Function, ComponentType::Queue,    ComponentType::Topic,
    ComponentType::EventBus, ComponentType::Rule,     ComponentType::Stream,
    ComponentType::StateMachine, ComponentType::Database,
};

/// The file-format name ("event_bus", "state_machine"...).
std::string_view componentTypeName(ComponentType type);
/// A human name for messages ("event bus", "state machine"...).
std::string_view componentTypeTitle(ComponentType type);
/// What the component stands for, in one line ("Amazon SQS: buffers messages, ...").
std::string_view componentTypeDescription(ComponentType type);
std::optional<ComponentType> componentTypeFromName(std::string_view name);

} // namespace eventflow::model
