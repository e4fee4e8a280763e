#include "BehaviourFactory.h"

#include "ApiBehaviour.h"
#include "DatabaseBehaviour.h"
#include "EventBusBehaviour.h"
#include "FunctionBehaviour.h"
#include "ProducerBehaviour.h"
#include "QueueBehaviour.h"
#include "RuleBehaviour.h"
#include "ServiceBehaviour.h"
#include "StateMachineBehaviour.h"
#include "StreamBehaviour.h"
#include "TopicBehaviour.h"

namespace eventflow::sim {

std::unique_ptr<Behaviour> createBehaviour(Engine& engine, ComponentIndex index,
                                           model::ComponentType type)
{
    using model::ComponentType;
    switch (type) {
    case ComponentType::Producer:
        return std::make_unique<ProducerBehaviour>(engine, index);
    case ComponentType::Api:
        return std::make_unique<ApiBehaviour>(engine, index);
    case ComponentType::Service:
        return std::make_unique<ServiceBehaviour>(engine, index);
    case ComponentType::Function:
        return std::make_unique<FunctionBehaviour>(engine, index);
    case ComponentType::Queue:
        return std::make_unique<QueueBehaviour>(engine, index);
    case ComponentType::Topic:
        return std::make_unique<TopicBehaviour>(engine, index);
    case ComponentType::EventBus:
        return std::make_unique<EventBusBehaviour>(engine, index);
    case ComponentType::Rule:
        return std::make_unique<RuleBehaviour>(engine, index);
    case ComponentType::Stream:
        return std::make_unique<StreamBehaviour>(engine, index);
    case ComponentType::StateMachine:
        return std::make_unique<StateMachineBehaviour>(engine, index);
    case ComponentType::Database:
        return std::make_unique<DatabaseBehaviour>(engine, index);
    }
    return nullptr;
}

} // namespace eventflow::sim
