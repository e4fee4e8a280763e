#pragma once

#include "Diagnostic.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

namespace eventflow::model {

/// Reads a CloudFormation / SAM template written in YAML (or JSON, which is YAML too) into JSON,
/// the way CloudFormation reads it:
/// - the short-form intrinsic tags become their long form: `!Ref X` → {"Ref": "X"},
///   `!Condition X` → {"Condition": "X"}, `!GetAtt A.B` → {"Fn::GetAtt": ["A", "B"]} (the list
///   form stays a list), every other `!Name v` → {"Fn::Name": v}; tags nest;
/// - mapping keys keep their order;
/// - a scalar is a number, a boolean or null only when it is plain (unquoted, not a block
///   scalar) and reads as one (YAML 1.2 core schema); "123" quoted stays a string. Plain numbers
///   with a leading zero ("0123", account ids) stay strings, so no digit is lost.
/// Problems (syntax errors, unknown tags, anchors that do not resolve) are appended as errors
/// whose message starts with "line L, column C:" (1-based); then nullopt is returned.
std::optional<nlohmann::ordered_json> readYaml(std::string_view text, Diagnostics& diagnostics);

} // namespace eventflow::model
