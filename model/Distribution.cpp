#include "Distribution.h"

#include <cmath>
#include <nlohmann/json.hpp>

namespace eventflow::model {

namespace {
constexpr double kZ99 = 2.3263478740408408; // standard normal 99th percentile

bool readNumber(const nlohmann::json& object, const char* key, double& out)
{
    auto it = object.find(key);
    if (it == object.end() || !it->is_number())
        return false;
    out = it->get<double>();
    return std::isfinite(out);
}
} // namespace

std::optional<Distribution> Distribution::parse(const nlohmann::json& value,
                                                const std::string& pointer,
                                                Diagnostics& diagnostics)
{
    auto fail = [&](std::string message) {
        diagnostics.push_back({Severity::Error, pointer, std::move(message), {}});
        return std::nullopt;
    };
    if (value.is_number()) {
        const double v = value.get<double>();
        if (!std::isfinite(v) || v < 0)
            return fail("a duration or quantity must be a non-negative number");
        return constant(v);
    }
    if (!value.is_object())
        return fail("expected a number or a distribution such as {\"dist\": \"exponential\", "
                    "\"mean\": 50}");
    auto dist = value.find("dist");
    if (dist == value.end() || !dist->is_string())
        return fail("a distribution needs \"dist\": one of constant, exponential, uniform, normal, "
                    "lognormal");
    const std::string name = dist->get<std::string>();
    Distribution d;
    if (name == "constant") {
        d.kind = Kind::Constant;
        if (!readNumber(value, "value", d.first))
            return fail("a constant distribution needs a numeric \"value\"");
    } else if (name == "exponential") {
        d.kind = Kind::Exponential;
        if (!readNumber(value, "mean", d.first))
            return fail("an exponential distribution needs a numeric \"mean\"");
    } else if (name == "uniform") {
        d.kind = Kind::Uniform;
        if (!readNumber(value, "min", d.first) || !readNumber(value, "max", d.second))
            return fail("a uniform distribution needs numeric \"min\" and \"max\"");
        if (d.second < d.first)
            return fail("a uniform distribution needs \"min\" <= \"max\"");
    } else if (name == "normal") {
        d.kind = Kind::Normal;
        if (!readNumber(value, "mean", d.first) || !readNumber(value, "stddev", d.second))
            return fail("a normal distribution needs numeric \"mean\" and \"stddev\"");
        if (d.second < 0)
            return fail("a normal distribution needs \"stddev\" >= 0");
    } else if (name == "lognormal") {
        d.kind = Kind::LogNormal;
        if (!readNumber(value, "p50", d.first) || !readNumber(value, "p99", d.second))
            return fail("a lognormal distribution needs numeric \"p50\" and \"p99\"");
        if (d.first <= 0 || d.second < d.first)
            return fail("a lognormal distribution needs 0 < \"p50\" <= \"p99\"");
    } else {
        return fail("unknown distribution \"" + name +
                    "\"; use constant, exponential, uniform, normal or lognormal");
    }
    if (d.first < 0)
        return fail("a distribution of durations or quantities cannot be negative");
    return d;
}

nlohmann::json Distribution::toJson() const
{
    switch (kind) {
    case Kind::Constant:
        return {{"dist", "constant"}, {"value", first}};
    case Kind::Exponential:
        return {{"dist", "exponential"}, {"mean", first}};
    case Kind::Uniform:
        return {{"dist", "uniform"}, {"min", first}, {"max", second}};
    case Kind::Normal:
        return {{"dist", "normal"}, {"mean", first}, {"stddev", second}};
    case Kind::LogNormal:
        return {{"dist", "lognormal"}, {"p50", first}, {"p99", second}};
    }
    return nullptr;
}

double Distribution::logMu() const { return std::log(first); }

double Distribution::logSigma() const { return std::log(second / first) / kZ99; }

double Distribution::mean() const
{
    switch (kind) {
    case Kind::Constant:
    case Kind::Exponential:
    case Kind::Normal:
        return first;
    case Kind::Uniform:
        return (first + second) / 2.0;
    case Kind::LogNormal: {
        const double s = logSigma();
        return std::exp(logMu() + s * s / 2.0);
    }
    }
    return first;
}

double Distribution::high() const
{
    switch (kind) {
    case Kind::Constant:
        return first;
    case Kind::Exponential:
        return first * std::log(100.0);
    case Kind::Uniform:
        return second;
    case Kind::Normal:
        return first + kZ99 * second;
    case Kind::LogNormal:
        return second;
    }
    return first;
}

} // namespace eventflow::model
