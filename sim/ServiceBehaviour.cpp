#include "ServiceBehaviour.h"

#include "Engine.h"

namespace eventflow::sim {

ServiceBehaviour::ServiceBehaviour(Engine& engine, ComponentIndex index) : Behaviour(engine, index) {}

} // namespace eventflow::sim
