#pragma once

#include "Behaviour.h"

namespace eventflow::sim {

class TopicBehaviour : public Behaviour {
public:
    TopicBehaviour(Engine& engine, ComponentIndex index);
};

} // namespace eventflow::sim
