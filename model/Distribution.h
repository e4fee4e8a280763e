#pragma once

#include "Diagnostic.h"

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

namespace eventflow::model {

/// A random quantity in a design (a duration, a cold start, a numeric event attribute), written
/// in files as {"dist": "exponential", "mean": 50}. Values are in the unit of the parameter that
/// holds the distribution (milliseconds for durations). The model only describes it; the
/// simulation draws from it with its own random streams.
struct Distribution {
    enum class Kind { Constant, Exponential, Uniform, Normal, LogNormal };

    Kind kind = Kind::Constant;
    /// Constant: value; Exponential: mean; Uniform: min; Normal: mean; LogNormal: p50.
    double first = 0.0;
    /// Uniform: max; Normal: standard deviation; LogNormal: p99. Unused otherwise.
    double second = 0.0;

    static Distribution constant(double value) { return {Kind::Constant, value, 0.0}; }
    static Distribution exponential(double mean) { return {Kind::Exponential, mean, 0.0}; }

    /// Parses a distribution or a bare number (a constant). Appends an error diagnostic at
    /// `pointer` and returns nullopt when the value is malformed or describes negative values.
    static std::optional<Distribution> parse(const nlohmann::json& value, const std::string& pointer,
                                             Diagnostics& diagnostics);
    nlohmann::json toJson() const;

    double mean() const;
    /// An upper figure for worst-case reasoning: the 99th percentile (the maximum for bounded ones).
    double high() const;
    /// Log-normal parameters derived from (p50, p99): mu = ln p50, sigma = ln(p99/p50) / z99.
    double logMu() const;
    double logSigma() const;
};

} // namespace eventflow::model
