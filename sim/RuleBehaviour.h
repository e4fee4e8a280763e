#pragma once

#include "Behaviour.h"

namespace eventflow::sim {

class RuleBehaviour : public Behaviour {
public:
    RuleBehaviour(Engine& engine, ComponentIndex index);
};

} // namespace eventflow::sim
