#pragma once

#include "Behaviour.h"

namespace eventflow::sim {

class ApiBehaviour : public Behaviour {
public:
    ApiBehaviour(Engine& engine, ComponentIndex index);
};

} // namespace eventflow::sim
