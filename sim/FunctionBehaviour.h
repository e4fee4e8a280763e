#pragma once

#include "Behaviour.h"

namespace eventflow::sim {

class FunctionBehaviour : public Behaviour {
public:
    FunctionBehaviour(Engine& engine, ComponentIndex index);
};

} // namespace eventflow::sim
