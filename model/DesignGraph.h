#pragma once

#include "Design.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace eventflow::model {

/// A read-only view of a design's connections as a graph over component indices, with the JSON
/// pointers diagnostics name. Connections whose ends do not resolve are left out (the Validator
/// reports them); when ids repeat, the first component with the id is the one connected.
/// Holds a reference to the design, which must outlive it. Built in O(components + connections).
class DesignGraph {
public:
    struct Edge {
        std::size_t connection = 0; ///< index into Design::connections
        std::size_t from = 0;       ///< index into Design::components
        std::size_t to = 0;
        ConnectionKind kind = ConnectionKind::Invoke;
    };

    explicit DesignGraph(const Design& design);

    const Design& design() const { return m_design; }
    const Component& component(std::size_t index) const { return m_design.components[index]; }
    const Connection& connection(const Edge& edge) const
    {
        return m_design.connections[edge.connection];
    }
    /// Resolved connections, in file order.
    const std::vector<Edge>& edges() const { return m_edges; }
    const std::vector<Edge>& outgoing(std::size_t component) const { return m_outgoing[component]; }
    const std::vector<Edge>& incoming(std::size_t component) const { return m_incoming[component]; }
    bool hasOutgoing(std::size_t component, ConnectionKind kind) const;
    std::optional<std::size_t> indexOf(std::string_view id) const;

    /// Queue.FifoQueue or Topic.FifoTopic set to true; false for every other type.
    bool isFifo(std::size_t component) const;
    /// A number the user wrote (or the catalogue default); nullopt when unset or not a number,
    /// so checks that derive from a parameter stay quiet while its own error is reported.
    static std::optional<double> number(const Component& component, ParameterScope scope,
                                        std::string_view key);
    static std::optional<double> number(const Connection& connection, ParameterScope scope,
                                        std::string_view key);

    static std::string componentPointer(std::size_t index);
    static std::string connectionPointer(std::size_t index);
    /// `base` + "/props" or "/sim" + the dotted key as pointer tokens, each escaped (RFC 6901).
    static std::string parameterPointer(const std::string& base, ParameterScope scope,
                                        std::string_view dottedKey);
    static std::string escapeToken(std::string_view token);
    /// "function \"orders\"": the type's title and the id, for messages.
    std::string describe(std::size_t component) const;
    /// A number for messages: whole numbers without decimals, others with up to 6 digits.
    static std::string formatNumber(double value);
    /// `text` in double quotes, for messages that name an id or a value.
    static std::string quoted(std::string_view text);

private:
    const Design& m_design;
    std::vector<Edge> m_edges;
    std::vector<std::vector<Edge>> m_outgoing;
    std::vector<std::vector<Edge>> m_incoming;
};

} // namespace eventflow::model
