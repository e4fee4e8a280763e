#include "CatchPaths.h"

#include <algorithm>

namespace eventflow::model {

CatchPaths::CatchPaths(const Design& design, std::size_t machine) : m_design(design)
{
    const std::string& id = design.components[machine].id;
    for (std::size_t c = 0; c < design.connections.size(); ++c)
        if (design.connections[c].from == id &&
            design.connections[c].kind == ConnectionKind::Invoke)
            m_tasks.push_back(c);
    for (std::size_t c : m_tasks) {
        const auto catchers = design.connections[c].parameter(ParameterScope::Aws, "Catch");
        if (!catchers.is_array())
            continue;
        for (const auto& catcher : catchers) {
            if (!catcher.is_object() || !catcher.contains("Next"))
                continue;
            if (const auto named = resolve(catcher["Next"]))
                m_paths.push_back(*named);
        }
    }
    std::sort(m_paths.begin(), m_paths.end());
    m_paths.erase(std::unique(m_paths.begin(), m_paths.end()), m_paths.end());
}

std::optional<std::size_t> CatchPaths::resolve(const nlohmann::json& next) const
{
    if (!next.is_string())
        return std::nullopt;
    const std::string& name = next.get_ref<const std::string&>();
    if (name.empty())
        return std::nullopt;
    // The invoked component's id first, then an imported definition's state name.
    for (std::size_t c : m_tasks)
        if (m_design.connections[c].to == name)
            return c;
    for (std::size_t c : m_tasks) {
        const auto& props = m_design.connections[c].props;
        const auto origin = props.find("TemplateOrigin");
        if (origin != props.end() && origin->is_object()) {
            const auto state = origin->find("State");
            if (state != origin->end() && state->is_string() && *state == name)
                return c;
        }
    }
    return std::nullopt;
}

bool CatchPaths::contains(std::size_t connection) const
{
    return std::binary_search(m_paths.begin(), m_paths.end(), connection);
}

} // namespace eventflow::model
