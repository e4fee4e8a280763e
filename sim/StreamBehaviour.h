#pragma once

#include "Behaviour.h"

namespace eventflow::sim {

class StreamBehaviour : public Behaviour {
public:
    StreamBehaviour(Engine& engine, ComponentIndex index);
};

} // namespace eventflow::sim
