#include "FilterPolicy.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

namespace eventflow::model {

namespace {

using Json = nlohmann::json;

constexpr std::int64_t kSaturated = std::int64_t{1} << 62;

std::int64_t saturatingMultiply(std::int64_t a, std::int64_t b)
{
    if (a == 0 || b == 0)
        return 0;
    return a > kSaturated / b ? kSaturated : std::min(kSaturated, a * b);
}

std::int64_t saturatingAdd(std::int64_t a, std::int64_t b)
{
    return a > kSaturated - b ? kSaturated : a + b;
}

std::int64_t combinationsOf(const Json& object, std::int64_t depth)
{
    std::int64_t total = 1;
    for (auto it = object.begin(); it != object.end(); ++it) {
        const Json& value = it.value();
        if (it.key() == "$or" && value.is_array()) {
            std::int64_t sum = 0;
            for (const Json& branch : value)
                if (branch.is_object())
                    sum = saturatingAdd(sum, combinationsOf(branch, depth));
            total = saturatingMultiply(total, std::max<std::int64_t>(sum, 1));
        } else if (value.is_object()) {
            total = saturatingMultiply(total, combinationsOf(value, depth + 1));
        } else if (value.is_array()) {
            const auto values = std::max<std::int64_t>(static_cast<std::int64_t>(value.size()), 1);
            total = saturatingMultiply(total, saturatingMultiply(values, depth));
        }
    }
    return total;
}

std::string childPointer(const std::string& pointer, const std::string& token)
{
    return pointer + (Json::json_pointer() / token).to_string();
}

// An attribute policy is flat: keys map to arrays, and "$or" to a list of flat objects.
// Collects the attribute names and reports any nesting.
void checkFlat(const Json& object, const std::string& pointer, std::set<std::string>& names,
               Diagnostics& diagnostics)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        const std::string keyPointer = childPointer(pointer, it.key());
        if (it.key() == "$or") {
            if (it.value().is_array())
                for (std::size_t i = 0; i < it.value().size(); ++i)
                    if (it.value()[i].is_object())
                        checkFlat(it.value()[i], keyPointer + "/" + std::to_string(i), names,
                                  diagnostics);
            continue;
        }
        names.insert(it.key());
        if (it.value().is_object())
            diagnostics.push_back(
                {Severity::Error, keyPointer,
                 "the MessageAttributes scope does not support nested filter policies",
                 "set FilterPolicyScope to MessageBody to filter on nested message body "
                 "properties"});
    }
}

} // namespace

FilterPolicy::FilterPolicy(EventPattern pattern, FilterPolicyScope scope)
    : m_pattern(std::move(pattern)), m_scope(scope)
{
}

std::int64_t FilterPolicy::combinations(const nlohmann::json& policy)
{
    return policy.is_object() ? combinationsOf(policy, 1) : 0;
}

std::optional<FilterPolicy> FilterPolicy::parse(const nlohmann::json& policy,
                                                FilterPolicyScope scope, const std::string& pointer,
                                                Diagnostics& diagnostics)
{
    const std::size_t before = diagnostics.size();
    if (policy.is_object()) {
        if (scope == FilterPolicyScope::MessageAttributes) {
            std::set<std::string> names;
            checkFlat(policy, pointer, names, diagnostics);
            if (names.size() > static_cast<std::size_t>(kMaxAttributeKeys))
                diagnostics.push_back(
                    {Severity::Error, pointer,
                     "a filter policy can have at most " + std::to_string(kMaxAttributeKeys) +
                         " attribute keys; this one has " + std::to_string(names.size()),
                     "split the filter across subscriptions, or filter on the message body"});
        }
        const std::int64_t total = combinations(policy);
        if (total > kMaxCombinations)
            diagnostics.push_back(
                {Severity::Error, pointer,
                 "the filter policy is too complex: its values make " + std::to_string(total) +
                     " combinations and SNS allows at most " + std::to_string(kMaxCombinations),
                 "use fewer values per key, or prefix/numeric ranges instead of value lists"});
    }
    std::optional<EventPattern> pattern =
        EventPattern::parse(policy, pointer, diagnostics, PatternDialect::SnsFilterPolicy);
    const bool limitsBroken =
        std::any_of(diagnostics.begin() + static_cast<std::ptrdiff_t>(before), diagnostics.end(),
                    [](const Diagnostic& d) { return d.severity == Severity::Error; });
    if (!pattern || limitsBroken)
        return std::nullopt;
    return FilterPolicy(std::move(*pattern), scope);
}

bool FilterPolicy::matches(const nlohmann::json& attributes, const nlohmann::json& body) const
{
    if (m_scope == FilterPolicyScope::MessageAttributes)
        return attributes.is_object() && !attributes.empty() && m_pattern.matches(attributes);
    return body.is_object() && m_pattern.matches(body);
}

} // namespace eventflow::model
