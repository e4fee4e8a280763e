#pragma once

#include <string>
#include <vector>

namespace eventflow::model {

enum class Severity { Error, Warning };

/// A problem found in user content: where (a JSON pointer into the design file, e.g.
/// "/components/3/props/VisibilityTimeout"), what, and — for design advice — how to fix it.
/// Diagnostics are values: user content never throws across a library boundary.
struct Diagnostic {
    Severity severity = Severity::Error;
    std::string pointer;
    std::string message;
    std::string fix;
};

using Diagnostics = std::vector<Diagnostic>;

inline bool hasErrors(const Diagnostics& diagnostics)
{
    for (const auto& d : diagnostics)
        if (d.severity == Severity::Error)
            return true;
    return false;
}

inline const char* severityName(Severity severity)
{
    return severity == Severity::Error ? "error" : "warning";
}

} // namespace eventflow::model
