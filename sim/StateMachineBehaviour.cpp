#include "StateMachineBehaviour.h"

#include "Engine.h"

namespace eventflow::sim {

StateMachineBehaviour::StateMachineBehaviour(Engine& engine, ComponentIndex index) : Behaviour(engine, index) {}

} // namespace eventflow::sim
