#pragma once

#include "model/Design.h"

#include <string>
#include <string_view>

namespace eventflow::studio {

/// What a diagnostic's JSON pointer is about, resolved against a design: a component (also for
/// its traffic and faults), a connection, or the design itself; plus the parameter, when the
/// pointer names one ("/components/3/props/RedrivePolicy/maxReceiveCount" is component 3,
/// scope "props", key "RedrivePolicy.maxReceiveCount").
struct DesignPointer {
    enum class Target { Design, Component, Connection };
    Target target = Target::Design;
    int index = -1;       ///< into components or connections
    std::string scope;    ///< "props", "sim", "label", "traffic", "faults", ... or empty
    std::string key;      ///< dotted parameter path inside the scope, or empty

    static DesignPointer resolve(std::string_view pointer, const model::Design& design);
};

} // namespace eventflow::studio
