#include "DatabaseBehaviour.h"

#include "Engine.h"

namespace eventflow::sim {

DatabaseBehaviour::DatabaseBehaviour(Engine& engine, ComponentIndex index) : Behaviour(engine, index) {}

} // namespace eventflow::sim
