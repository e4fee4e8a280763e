#include "CatchPaths.h"

#include "TemplateExporter.h"

#include <algorithm>
#include <optional>

namespace eventflow::model {

namespace {

using nlohmann::json;

/// The definition a state machine came with from a template: props.Definition, or
/// props.DefinitionString as a string or inside Fn::Sub; null when there is none to read.
json importedDefinition(const Component& machine)
{
    const auto definition = machine.props.find("Definition");
    if (definition != machine.props.end() && definition->is_object())
        return *definition;
    const auto text = machine.props.find("DefinitionString");
    if (text == machine.props.end())
        return nullptr;
    const json* body = &*text;
    if (body->is_object() && body->contains("Fn::Sub")) {
        body = &(*body)["Fn::Sub"];
        if (body->is_array() && !body->empty())
            body = &(*body)[0];
    }
    if (!body->is_string())
        return nullptr;
    return json::parse(body->get<std::string>(), nullptr, false);
}

void collectStateNames(const json& graph, std::set<std::string>& names)
{
    const auto states = graph.find("States");
    if (states == graph.end() || !states->is_object())
        return;
    for (auto it = states->begin(); it != states->end(); ++it) {
        names.insert(it.key());
        if (!it->is_object())
            continue;
        if (const auto branches = it->find("Branches");
            branches != it->end() && branches->is_array())
            for (const auto& branch : *branches)
                if (branch.is_object())
                    collectStateNames(branch, names);
        for (const char* key : {"ItemProcessor", "Iterator"})
            if (const auto inner = it->find(key); inner != it->end() && inner->is_object())
                collectStateNames(*inner, names);
    }
}

const std::string* originState(const Connection& c)
{
    const auto origin = c.props.find("TemplateOrigin");
    if (origin == c.props.end() || !origin->is_object())
        return nullptr;
    const auto state = origin->find("State");
    return state != origin->end() && state->is_string() ? &state->get_ref<const std::string&>()
                                                        : nullptr;
}

} // namespace

CatchPaths::CatchPaths(const Design& design, std::size_t machine)
    : CatchPaths(design, machine, TemplateExporter::taskStateNames(design, machine))
{
}

CatchPaths::CatchPaths(const Design& design, std::size_t machine,
                       std::map<std::size_t, std::string> stateNames)
    : m_design(design), m_stateNames(std::move(stateNames))
{
    const Component& sm = design.components[machine];
    for (std::size_t c = 0; c < design.connections.size(); ++c) {
        const Connection& link = design.connections[c];
        if (link.from != sm.id || link.kind != ConnectionKind::Invoke)
            continue;
        m_tasks.push_back(c);
        if (isCatchOnly(link))
            m_paths.push_back(c);
    }
    const json definition = importedDefinition(sm);
    if (definition.is_object())
        collectStateNames(definition, m_definitionStates);
}

bool CatchPaths::isCatchOnly(const Connection& connection)
{
    return connection.flag(ParameterScope::Sim, "catch_only");
}

CatchPaths::Target CatchPaths::resolve(const nlohmann::json& next) const
{
    if (next.is_null())
        return {Kind::NextStep};
    if (!next.is_string())
        return {Kind::Unknown};
    const std::string& name = next.get_ref<const std::string&>();
    // State names first: they are what a definition's Next holds, and unlike component ids
    // they tell apart two Tasks that invoke the same component.
    for (std::size_t c : m_tasks)
        if (const std::string* state = originState(m_design.connections[c]);
            state && *state == name)
            return {Kind::Task, c};
    for (std::size_t c : m_tasks)
        if (const auto it = m_stateNames.find(c); it != m_stateNames.end() && it->second == name)
            return {Kind::Task, c};
    if (name == "Done")
        return {Kind::End};
    // A component invoked both as a step and as compensation is named for the compensation:
    // a catcher hardly sends an error back into a step of the same component.
    std::optional<std::size_t> first;
    for (std::size_t c : m_tasks) {
        if (m_design.connections[c].to != name)
            continue;
        if (contains(c))
            return {Kind::Task, c};
        if (!first)
            first = c;
    }
    if (first)
        return {Kind::Task, *first};
    if (m_definitionStates.count(name) != 0)
        return {Kind::DefinitionState};
    return {Kind::Unknown};
}

bool CatchPaths::contains(std::size_t connection) const
{
    return std::binary_search(m_paths.begin(), m_paths.end(), connection);
}

} // namespace eventflow::model
