#pragma once

#include "Behaviour.h"

namespace eventflow::sim {

class ServiceBehaviour : public Behaviour {
public:
    ServiceBehaviour(Engine& engine, ComponentIndex index);
};

} // namespace eventflow::sim
