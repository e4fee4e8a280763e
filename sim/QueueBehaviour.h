#pragma once

#include "Behaviour.h"

namespace eventflow::sim {

class QueueBehaviour : public Behaviour {
public:
    QueueBehaviour(Engine& engine, ComponentIndex index);
};

} // namespace eventflow::sim
