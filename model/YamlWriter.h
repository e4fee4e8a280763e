#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace eventflow::model {

/// Writes JSON as block-style YAML (yaml-cpp's emitter), keeping the key order of the JSON
/// value, so an ordered_json template reads in the order it was built. Strings that YAML would
/// read back as something else (true, null, 123, 1e3, yes...) are double-quoted; strings with
/// line breaks use the literal block style; empty objects and arrays are written as {} and [].
/// Output ends with a newline and is the same for the same input.
std::string toYaml(const nlohmann::ordered_json& value);
std::string toYaml(const nlohmann::json& value);

} // namespace eventflow::model
