#pragma once

#include "Behaviour.h"

#include <memory>

namespace eventflow::sim {

/// The behaviour that simulates a component of the given type.
std::unique_ptr<Behaviour> createBehaviour(Engine& engine, ComponentIndex index,
                                           model::ComponentType type);

} // namespace eventflow::sim
