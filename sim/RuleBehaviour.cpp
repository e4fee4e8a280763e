#include "RuleBehaviour.h"

#include "Engine.h"

namespace eventflow::sim {

RuleBehaviour::RuleBehaviour(Engine& engine, ComponentIndex index) : Behaviour(engine, index) {}

} // namespace eventflow::sim
