#include "EventSelector.h"

#include "Engine.h"

namespace eventflow::sim {

EventSelector::EventSelector(const Engine& engine, const nlohmann::json& pattern)
{
    if (pattern.is_null())
        return;
    model::Diagnostics ignored; // the validator reports an invalid pattern
    m_pattern = model::EventPattern::parse(pattern, "", ignored);
    m_decisions.assign(engine.eventTypes().size(), -1);
}

bool EventSelector::selects(Engine& engine, MessageId message)
{
    if (!m_pattern)
        return false;
    const std::uint32_t type = engine.message(message).eventType;
    const bool cacheable = type < m_decisions.size() && !engine.eventTypes()[type].dynamic;
    if (cacheable && m_decisions[type] >= 0)
        return m_decisions[type] != 0;
    const bool match = m_pattern->matches(engine.eventDocument(message));
    if (cacheable)
        m_decisions[type] = match ? 1 : 0;
    return match;
}

} // namespace eventflow::sim
