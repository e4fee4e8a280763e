#pragma once

#include "ParameterSpec.h"

#include <string>

namespace eventflow::model {

/// The component and connection reference of the user guide, as Markdown, made from the
/// catalogue (ComponentCatalog, the type and kind descriptions): every parameter with where it
/// lives, its unit, range, default and meaning, and what connects to what. `eventflow reference`
/// prints it; docs/guide/components.md is its output, so the guide never drifts from the code.
std::string catalogReferenceMarkdown();

/// A parameter's allowed values as the reference shows them: "1–900", "≥ 1", "mean 0–60000",
/// "`REST`, `HTTP`", "`true`, `false`", or "—" for text and JSON.
std::string parameterRangeText(const ParameterSpec& spec);

} // namespace eventflow::model
