#include "StreamBehaviour.h"

#include "Engine.h"

namespace eventflow::sim {

StreamBehaviour::StreamBehaviour(Engine& engine, ComponentIndex index) : Behaviour(engine, index) {}

} // namespace eventflow::sim
