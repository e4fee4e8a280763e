#include "TopicBehaviour.h"

#include "Engine.h"

namespace eventflow::sim {

TopicBehaviour::TopicBehaviour(Engine& engine, ComponentIndex index) : Behaviour(engine, index) {}

} // namespace eventflow::sim
