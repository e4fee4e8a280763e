#include "ApiBehaviour.h"

#include "Engine.h"

namespace eventflow::sim {

ApiBehaviour::ApiBehaviour(Engine& engine, ComponentIndex index) : Behaviour(engine, index) {}

} // namespace eventflow::sim
