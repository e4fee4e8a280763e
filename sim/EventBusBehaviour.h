#pragma once

#include "Behaviour.h"

namespace eventflow::sim {

class EventBusBehaviour : public Behaviour {
public:
    EventBusBehaviour(Engine& engine, ComponentIndex index);
};

} // namespace eventflow::sim
