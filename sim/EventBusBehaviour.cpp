#include "EventBusBehaviour.h"

#include "Engine.h"

namespace eventflow::sim {

EventBusBehaviour::EventBusBehaviour(Engine& engine, ComponentIndex index) : Behaviour(engine, index) {}

} // namespace eventflow::sim
