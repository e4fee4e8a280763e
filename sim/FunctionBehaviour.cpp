#include "FunctionBehaviour.h"

#include "Engine.h"

namespace eventflow::sim {

FunctionBehaviour::FunctionBehaviour(Engine& engine, ComponentIndex index) : Behaviour(engine, index) {}

} // namespace eventflow::sim
