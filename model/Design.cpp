#include "Design.h"

#include "ComponentCatalog.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

namespace eventflow::model {

const nlohmann::json* findPath(const nlohmann::json& object, std::string_view dottedPath)
{
    const nlohmann::json* node = &object;
    while (!dottedPath.empty()) {
        const auto dot = dottedPath.find('.');
        const std::string head(dottedPath.substr(0, dot));
        if (!node->is_object())
            return nullptr;
        auto it = node->find(head);
        if (it == node->end())
            return nullptr;
        node = &*it;
        dottedPath = dot == std::string_view::npos ? std::string_view{} : dottedPath.substr(dot + 1);
    }
    return node;
}

namespace {
double asNumber(const nlohmann::json& value)
{
    if (value.is_number())
        return value.get<double>();
    if (value.is_boolean())
        return value.get<bool>() ? 1.0 : 0.0;
    return 0.0;
}

template <typename Lookup>
nlohmann::json valueOrDefault(const nlohmann::json& props, const nlohmann::json& sim,
                              ParameterScope scope, std::string_view key, Lookup findSpec)
{
    const auto* value = findPath(scope == ParameterScope::Aws ? props : sim, key);
    if (value && !value->is_null())
        return *value;
    if (const ParameterSpec* spec = findSpec())
        return spec->defaultValue;
    return nullptr;
}
} // namespace

nlohmann::json Component::parameter(ParameterScope scope, std::string_view key) const
{
    return valueOrDefault(props, sim, scope, key, [&] {
        return ComponentCatalog::findComponentParameter(type, scope, key);
    });
}

double Component::number(ParameterScope scope, std::string_view key) const
{
    return asNumber(parameter(scope, key));
}

std::string Component::text(ParameterScope scope, std::string_view key) const
{
    const auto value = parameter(scope, key);
    return value.is_string() ? value.get<std::string>() : std::string{};
}

bool Component::flag(ParameterScope scope, std::string_view key) const
{
    const auto value = parameter(scope, key);
    return value.is_boolean() ? value.get<bool>() : asNumber(value) != 0.0;
}

Distribution Component::distribution(std::string_view simKey) const
{
    Diagnostics ignored; // the validator reports malformed values; the engine takes the default
    if (auto d = Distribution::parse(parameter(ParameterScope::Sim, simKey), {}, ignored))
        return *d;
    const auto* spec = ComponentCatalog::findComponentParameter(type, ParameterScope::Sim, simKey);
    if (spec)
        if (auto d = Distribution::parse(spec->defaultValue, {}, ignored))
            return *d;
    return Distribution::constant(0.0);
}

nlohmann::json Connection::parameter(ParameterScope scope, std::string_view key) const
{
    return valueOrDefault(props, sim, scope, key, [&] {
        return ComponentCatalog::findConnectionParameter(kind, scope, key);
    });
}

double Connection::number(ParameterScope scope, std::string_view key) const
{
    return asNumber(parameter(scope, key));
}

bool Connection::flag(ParameterScope scope, std::string_view key) const
{
    const auto value = parameter(scope, key);
    return value.is_boolean() ? value.get<bool>() : asNumber(value) != 0.0;
}

PutEventsEntry Connection::putEventsEntry() const
{
    auto text = [&](std::string_view key) {
        const auto value = parameter(ParameterScope::Aws, key);
        return value.is_string() ? value.get<std::string>() : std::string();
    };
    return {text("Source"), text("DetailType")};
}

double RateProfile::rateAt(double t) const
{
    switch (kind) {
    case Kind::Constant:
    case Kind::Poisson:
        return rate;
    case Kind::Bursty: {
        const double cycle = onSeconds + offSeconds;
        return std::fmod(t, cycle) < onSeconds ? rate : 0.0;
    }
    case Kind::Ramp:
        if (t <= startSeconds)
            return rate;
        if (t >= endSeconds)
            return toRate;
        return rate + (toRate - rate) * (t - startSeconds) / (endSeconds - startSeconds);
    case Kind::Spike:
        return (t >= startSeconds && t < endSeconds) ? peakRate : rate;
    case Kind::Diurnal:
        return std::max(0.0, rate * (1.0 + amplitude * std::sin(2.0 * std::numbers::pi * t /
                                                                periodSeconds)));
    }
    return rate;
}

double RateProfile::maximumRate() const
{
    switch (kind) {
    case Kind::Ramp:
        return std::max(rate, toRate);
    case Kind::Spike:
        return std::max(rate, peakRate);
    case Kind::Diurnal:
        return rate * (1.0 + amplitude);
    default:
        return rate;
    }
}

const Component* Design::findComponent(std::string_view id) const
{
    const int index = indexOf(id);
    return index < 0 ? nullptr : &components[static_cast<std::size_t>(index)];
}

int Design::indexOf(std::string_view id) const
{
    for (std::size_t i = 0; i < components.size(); ++i)
        if (components[i].id == id)
            return static_cast<int>(i);
    return -1;
}

namespace {
constexpr std::array<std::pair<Fault::Kind, std::string_view>, 4> kFaultNames = {{
    {Fault::Kind::Outage, "outage"},
    {Fault::Kind::Latency, "latency"},
    {Fault::Kind::ErrorRate, "error_rate"},
    {Fault::Kind::Throttle, "throttle"},
}};
constexpr std::array<std::pair<RateProfile::Kind, std::string_view>, 6> kProfileNames = {{
    {RateProfile::Kind::Constant, "constant"},
    {RateProfile::Kind::Poisson, "poisson"},
    {RateProfile::Kind::Bursty, "bursty"},
    {RateProfile::Kind::Ramp, "ramp"},
    {RateProfile::Kind::Spike, "spike"},
    {RateProfile::Kind::Diurnal, "diurnal"},
}};

template <typename Table, typename Kind>
std::string_view nameOf(const Table& table, Kind kind)
{
    for (const auto& [k, name] : table)
        if (k == kind)
            return name;
    return {};
}

template <typename Table>
auto kindOf(const Table& table, std::string_view name)
    -> std::optional<typename Table::value_type::first_type>
{
    for (const auto& [k, n] : table)
        if (n == name)
            return k;
    return std::nullopt;
}
} // namespace

std::string_view faultKindName(Fault::Kind kind) { return nameOf(kFaultNames, kind); }
std::optional<Fault::Kind> faultKindFromName(std::string_view name)
{
    return kindOf(kFaultNames, name);
}
std::string_view rateProfileKindName(RateProfile::Kind kind) { return nameOf(kProfileNames, kind); }
std::optional<RateProfile::Kind> rateProfileKindFromName(std::string_view name)
{
    return kindOf(kProfileNames, name);
}

} // namespace eventflow::model
