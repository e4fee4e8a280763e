#pragma once

#include "Diagnostic.h"
#include "EventPattern.h"

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

namespace eventflow::model {

/// What an SNS subscription's filter policy looks at (the subscription's FilterPolicyScope).
enum class FilterPolicyScope { MessageAttributes, MessageBody };

/// An SNS subscription filter policy. SNS filters with the same engine as EventBridge, so the
/// policy compiles into an EventPattern (SNS dialect); this class adds what is SNS's own: the
/// scope, the policy limits (flat policies and at most 5 keys for message attributes, at most 150
/// combinations of values) and how attributes and bodies are presented to the matcher.
/// A value type, immutable after parse; safe to share between threads.
class FilterPolicy {
public:
    static constexpr int kMaxAttributeKeys = 5;
    static constexpr int kMaxCombinations = 150;

    /// Compiles `policy` for `scope`. On an invalid policy returns nullopt and appends one Error
    /// per problem at `pointer` + the JSON pointer inside the policy. Never throws for user
    /// content.
    static std::optional<FilterPolicy> parse(const nlohmann::json& policy, FilterPolicyScope scope,
                                             const std::string& pointer, Diagnostics& diagnostics);

    /// True when SNS would deliver the message to the subscription. `attributes` is a flat object
    /// {"name": value} (a string, a number, or an array of them for String.Array); `body` is the
    /// message body parsed as JSON. Only the one the scope names is read. As in SNS, a message
    /// without attributes never passes an attribute policy (not even `exists: false`), and a body
    /// that is not a JSON object never passes a body policy.
    bool matches(const nlohmann::json& attributes, const nlohmann::json& body) const;

    FilterPolicyScope scope() const { return m_scope; }

    /// The number of value combinations SNS counts against the limit of 150: the product over
    /// the policy's leaves of (number of values x nesting depth, 1 at the top), each `$or`
    /// contributing the sum over its branches. Malformed parts count as 1; saturates at 2^62.
    static std::int64_t combinations(const nlohmann::json& policy);

private:
    FilterPolicy(EventPattern pattern, FilterPolicyScope scope);

    EventPattern m_pattern;
    FilterPolicyScope m_scope;
};

} // namespace eventflow::model
