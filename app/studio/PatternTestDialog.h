#pragma once

#include "PatternEditor.h"
#include "model/EventPattern.h"
#include "model/FilterPolicy.h"

#include <QDialog>
#include <QString>
#include <nlohmann/json.hpp>
#include <optional>

class QLabel;

namespace eventflow::studio {

/// Tries a pattern on a sample the user edits, with the engine's own matcher: an EventBridge
/// event pattern on a whole event (EventPattern::matches), or an SNS filter policy on a message
/// written as {"attributes": {...}, "body": {...}} (FilterPolicy::matches in the policy's scope).
/// The pattern is shown read-only; the result ("✔ Matches", "✘ Does not match" or what is wrong
/// with the sample) updates as the user types. Everything the dialog shows can be driven without
/// exec(): setSampleText() evaluates at once, matches() and resultText() read the outcome.
/// Lives in the GUI thread.
class PatternTestDialog : public QDialog {
    Q_OBJECT
public:
    /// `content` is EventPattern or FilterPolicy (Json is tested as an event pattern); `scope` is
    /// read for FilterPolicy only. An invalid `pattern` shows its problem as the result.
    PatternTestDialog(JsonContent content, const nlohmann::json& pattern,
                      model::FilterPolicyScope scope = model::FilterPolicyScope::MessageAttributes,
                      QWidget* parent = nullptr);

    /// Starts from `event` (a message {"attributes", "body"} for a filter policy); null restores
    /// the default sample.
    void setSampleEvent(const nlohmann::json& event);
    /// The sample as last typed; null while its text is not valid JSON.
    nlohmann::json sampleEvent() const;
    void setSampleText(const QString& text);
    QString sampleText() const;

    /// Re-runs the matcher on the sample, updates the result line and returns matches(). Runs by
    /// itself whenever the sample text changes.
    bool evaluate();
    /// True when the last evaluation matched; false for a sample that is not valid.
    bool matches() const { return m_matches; }
    QString resultText() const;

    /// The sample a new dialog starts from: an OrderPlaced event from shop.orders for event
    /// patterns, an order message with attributes and a body for filter policies.
    static QString defaultSampleText(JsonContent content);

protected:
    void changeEvent(QEvent* event) override;

private:
    enum class Outcome { Matches, NoMatch, Problem, Neutral };
    void showResult(Outcome outcome, const QString& text);

    JsonContent m_content;
    model::FilterPolicyScope m_scope;
    std::optional<model::EventPattern> m_pattern;
    std::optional<model::FilterPolicy> m_policy;
    QString m_patternProblem;
    bool m_matches = false;
    Outcome m_outcome = Outcome::Neutral;
    PatternEditor* m_patternView = nullptr;
    PatternEditor* m_sample = nullptr;
    QLabel* m_result = nullptr;
};

} // namespace eventflow::studio
