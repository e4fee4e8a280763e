#pragma once

#include "Diagnostic.h"

#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

namespace eventflow::model {

/// Which service's grammar a pattern follows. SNS filter policies use the EventBridge engine's
/// grammar minus wildcard, the case-insensitive prefix/suffix forms and anything-but beyond
/// prefix; SNS also requires `exists: true` to see a non-null, non-empty value.
enum class PatternDialect { EventBridge, SnsFilterPolicy };

/// An EventBridge event pattern compiled into a matcher tree, as EventBridge's rule engine
/// (aws/event-ruler) decides matches: fields AND, a leaf's values OR, an event array matches when
/// any element does, and fields reached through an array of objects must all come from the same
/// element (array consistency). The JSON is read once, in parse(); matching walks the tree and
/// the event and never allocates.
/// A value type: copies share the immutable tree, so any thread may call matches() concurrently.
class EventPattern {
public:
    /// Compiles `pattern`. On an invalid pattern returns nullopt and appends one Error per problem
    /// found, each at `pointer` + the JSON pointer of the offending value inside the pattern
    /// (a leaf operand such as "/detail/amount/0/numeric/1" where one is to blame). Never throws
    /// for user content.
    static std::optional<EventPattern> parse(const nlohmann::json& pattern,
                                             const std::string& pointer, Diagnostics& diagnostics,
                                             PatternDialect dialect = PatternDialect::EventBridge);

    /// True when `event` (a whole event object: source, detail-type, detail, ...) matches, as
    /// TestEventPattern would answer. A field missing from the event matches only
    /// `exists: false`; anything-but never matches a missing field. O(pattern size x the event
    /// values it reads); a non-object event never matches.
    bool matches(const nlohmann::json& event) const;

    /// The dotted paths of the leaves the pattern reads ("source", "detail.amount"), sorted and
    /// unique, `$or` branches included. Two events equal on these paths get the same decision.
    std::vector<std::string> fieldPaths() const;

private:
    struct Tree;
    explicit EventPattern(std::shared_ptr<const Tree> tree);

    std::shared_ptr<const Tree> m_tree;
};

} // namespace eventflow::model
