#pragma once

#include "Behaviour.h"

namespace eventflow::sim {

class DatabaseBehaviour : public Behaviour {
public:
    DatabaseBehaviour(Engine& engine, ComponentIndex index);
};

} // namespace eventflow::sim
