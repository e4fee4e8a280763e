#pragma once

#include "Behaviour.h"

namespace eventflow::sim {

class StateMachineBehaviour : public Behaviour {
public:
    StateMachineBehaviour(Engine& engine, ComponentIndex index);
};

} // namespace eventflow::sim
