#pragma once

#include "ComponentType.h"
#include "ConnectionKind.h"
#include "ParameterSpec.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace eventflow::model {

/// What each component type and connection kind accepts: its parameters with their metadata,
/// and which connections between types are possible. Static data, shared by validator,
/// inspector, engine and exporter; thread-safe after first use.
class ComponentCatalog {
public:
    static const std::vector<ParameterSpec>& componentParameters(ComponentType type);
    static const std::vector<ParameterSpec>& connectionParameters(ConnectionKind kind);
    static const ParameterSpec* findComponentParameter(ComponentType type, ParameterScope scope,
                                                       std::string_view key);
    static const ParameterSpec* findConnectionParameter(ConnectionKind kind, ParameterScope scope,
                                                        std::string_view key);

    /// The kinds a connection from `from` to `to` may have, in order of preference (the first is
    /// what the designer infers when the user does not choose).
    static std::vector<ConnectionKind> allowedKinds(ComponentType from, ComponentType to);
    /// Why a connection is impossible, naming both ends and what would be allowed; nullopt when
    /// the connection is allowed.
    static std::optional<std::string> refusal(ComponentType from, ComponentType to,
                                              ConnectionKind kind);
};

} // namespace eventflow::model
