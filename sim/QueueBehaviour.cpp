#include "QueueBehaviour.h"

#include "Engine.h"

namespace eventflow::sim {

QueueBehaviour::QueueBehaviour(Engine& engine, ComponentIndex index) : Behaviour(engine, index) {}

} // namespace eventflow::sim
