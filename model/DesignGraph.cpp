#include "DesignGraph.h"

#include <cmath>
#include <locale>
#include <sstream>

namespace eventflow::model {

namespace {
std::optional<double> numeric(const nlohmann::json& value)
{
    if (value.is_number())
        return value.get<double>();
    return std::nullopt;
}
} // namespace

DesignGraph::DesignGraph(const Design& design)
    : m_design(design), m_outgoing(design.components.size()), m_incoming(design.components.size())
{
    for (std::size_t i = 0; i < design.connections.size(); ++i) {
        const auto& c = design.connections[i];
        const auto from = indexOf(c.from);
        const auto to = indexOf(c.to);
        if (!from || !to)
            continue;
        const Edge edge{i, *from, *to, c.kind};
        m_edges.push_back(edge);
        m_outgoing[*from].push_back(edge);
        m_incoming[*to].push_back(edge);
    }
}

bool DesignGraph::hasOutgoing(std::size_t component, ConnectionKind kind) const
{
    for (const auto& edge : m_outgoing[component])
        if (edge.kind == kind)
            return true;
    return false;
}

std::optional<std::size_t> DesignGraph::indexOf(std::string_view id) const
{
    const int index = m_design.indexOf(id);
    if (index < 0)
        return std::nullopt;
    return static_cast<std::size_t>(index);
}

bool DesignGraph::isFifo(std::size_t component) const
{
    const auto& c = m_design.components[component];
    const char* key = c.type == ComponentType::Queue   ? "FifoQueue"
                      : c.type == ComponentType::Topic ? "FifoTopic"
                                                       : nullptr;
    if (!key)
        return false;
    const auto value = c.parameter(ParameterScope::Aws, key);
    return value.is_boolean() && value.get<bool>();
}

std::optional<double> DesignGraph::number(const Component& component, ParameterScope scope,
                                          std::string_view key)
{
    return numeric(component.parameter(scope, key));
}

std::optional<double> DesignGraph::number(const Connection& connection, ParameterScope scope,
                                          std::string_view key)
{
    return numeric(connection.parameter(scope, key));
}

std::string DesignGraph::componentPointer(std::size_t index)
{
    return "/components/" + std::to_string(index);
}

std::string DesignGraph::connectionPointer(std::size_t index)
{
    return "/connections/" + std::to_string(index);
}

std::string DesignGraph::parameterPointer(const std::string& base, ParameterScope scope,
                                          std::string_view dottedKey)
{
    std::string pointer = base + (scope == ParameterScope::Aws ? "/props" : "/sim");
    while (true) {
        const auto dot = dottedKey.find('.');
        pointer += '/';
        pointer += escapeToken(dottedKey.substr(0, dot));
        if (dot == std::string_view::npos)
            return pointer;
        dottedKey = dottedKey.substr(dot + 1);
    }
}

std::string DesignGraph::escapeToken(std::string_view token)
{
    std::string escaped;
    escaped.reserve(token.size());
    for (const char ch : token) {
        if (ch == '~')
            escaped += "~0";
        else if (ch == '/')
            escaped += "~1";
        else
            escaped += ch;
    }
    return escaped;
}

std::string DesignGraph::describe(std::size_t component) const
{
    const auto& c = m_design.components[component];
    return std::string(componentTypeTitle(c.type)) + " \"" + c.id + "\"";
}

std::string DesignGraph::formatNumber(double value)
{
    if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) < 1e15)
        return std::to_string(static_cast<long long>(value));
    std::ostringstream out;
    out.imbue(std::locale::classic());
    out.precision(6);
    out << value;
    return out.str();
}

std::string DesignGraph::quoted(std::string_view text)
{
    std::string result(1, '"');
    result.append(text);
    result += '"';
    return result;
}

} // namespace eventflow::model
