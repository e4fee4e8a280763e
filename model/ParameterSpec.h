#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace eventflow::model {

enum class ParameterType { Integer, Number, Boolean, String, Enum, Distribution, Json };

/// Where a parameter lives in a component or connection: `props` holds the AWS property under
/// its CloudFormation name; `sim` holds behaviour that exists only in the simulation.
enum class ParameterScope { Aws, Sim };

/// Metadata for one parameter: the desktop inspector builds its editors from it, the validator
/// checks values against it and the engine takes its defaults from it. `key` is a dotted path
/// inside the scope's object ("RedrivePolicy.maxReceiveCount" is props.RedrivePolicy.maxReceiveCount).
struct ParameterSpec {
    std::string key;
    ParameterScope scope = ParameterScope::Aws;
    ParameterType type = ParameterType::Number;
    std::string unit; ///< "s", "ms", "MB", "1/s", "%"... empty for counts and flags
    double minimum = 0.0;
    double maximum = 0.0;
    nlohmann::json defaultValue; ///< null: absent unless the user sets it
    std::vector<std::string> choices;
    std::string help;
};

} // namespace eventflow::model
