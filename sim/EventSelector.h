#pragma once

#include "Message.h"
#include "model/EventPattern.h"

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <vector>

namespace eventflow::sim {

class Engine;

/// An EventBridge event pattern a component applies to the messages it handles (a rule's
/// EventPattern, a function's or service's sim.fail_pattern, an invoke's sim.call_pattern).
/// Compiled once; an absent, null or invalid pattern (the validator reports the latter) selects
/// nothing. Decisions are cached per event type for event types without random fields, so a
/// static event costs one match per run. Owned by its behaviour; not thread-safe.
class EventSelector {
public:
    EventSelector() = default;
    /// `pattern` may be null.
    EventSelector(const Engine& engine, const nlohmann::json& pattern);

    bool empty() const { return !m_pattern; }
    /// Whether the event `message` carries matches the pattern.
    bool selects(Engine& engine, MessageId message);

private:
    std::optional<model::EventPattern> m_pattern;
    std::vector<std::int8_t> m_decisions; ///< per event type: -1 unknown, 0 no, 1 yes
};

} // namespace eventflow::sim
