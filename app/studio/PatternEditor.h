#pragma once

#include "model/FilterPolicy.h"

#include <QString>
#include <QWidget>
#include <nlohmann/json.hpp>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace eventflow::studio {

class JsonHighlighter;
class PatternTestDialog;

/// What a PatternEditor holds, which decides how its text is checked: an EventBridge event
/// pattern, an SNS filter policy (in the editor's filter scope), or any JSON value (Step
/// Functions Retry/Catch and other JSON parameters).
enum class JsonContent { EventPattern, FilterPolicy, Json };

/// The inspector's editor for a JSON parameter: a monospace, highlighted text field and, under
/// it, a one-line status that says live what is wrong (the first problem: a JSON syntax error
/// as "line L, column C: ...", or the pattern's own diagnostic and where in the pattern it is)
/// or what the valid value means. Patterns and filter policies also get a "Test pattern…" button
/// that opens a PatternTestDialog on the current value.
/// The editor never writes the model: it reports user edits through valueEdited() and is told
/// the model's value through setValue(). Lives in the GUI thread.
class PatternEditor : public QWidget {
    Q_OBJECT
public:
    explicit PatternEditor(JsonContent content, QWidget* parent = nullptr);

    JsonContent content() const { return m_content; }

    /// Shows `value` pretty-printed with a 2-space indent; null shows empty text. Never emits
    /// valueEdited(). value() returns `value` afterwards even when it is not a valid pattern, so
    /// the status can show what is wrong with a value read from a file. The value the valid text
    /// already holds (the model echoing an edit) leaves the text and the cursor alone.
    void setValue(const nlohmann::json& value);
    /// The last valid value: the one setValue() gave or the user last typed; null when empty.
    nlohmann::json value() const { return m_value; }

    /// The scope a FilterPolicy is checked and tested in (default MessageAttributes); rechecks
    /// the text. Ignored by the other contents.
    void setFilterScope(model::FilterPolicyScope scope);
    model::FilterPolicyScope filterScope() const { return m_scope; }

    /// The sample the Test dialog starts from: a whole event for EventPattern; for FilterPolicy
    /// a message {"attributes": {...}, "body": {...}}. Null means the dialog's default sample.
    /// A sample the user edits in the dialog is kept for the next time it opens.
    void setSampleEvent(const nlohmann::json& event);
    nlohmann::json sampleEvent() const { return m_sample; }

    /// A read-only editor shows the value and its status but takes no typing and has no Test
    /// button (the Test dialog shows its pattern this way).
    void setReadOnly(bool readOnly);
    /// Hides the status line, for hosts that report problems themselves.
    void setStatusVisible(bool visible);

    /// True when the text is empty or valid for the content.
    bool isValid() const { return m_problem.isEmpty(); }
    /// The first problem in the text, as the status shows it; empty when valid.
    QString problem() const { return m_problem; }
    /// The status line's text, whether valid or not.
    QString statusText() const;
    QPlainTextEdit* textEdit() const { return m_edit; }

    /// Opens the Test dialog on the current value (window-modal, deleted on close) and returns
    /// it; nullptr for JsonContent::Json or while the text is invalid or empty.
    PatternTestDialog* openTestDialog();

Q_SIGNALS:
    /// The user changed the text to a valid value different from value(): emitted as they type,
    /// never for invalid text. Empty text is null, meaning "unset".
    void valueEdited(const nlohmann::json& value);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void check();
    /// Sets m_problem or the valid status for `value`, a JSON value parsed from the text.
    void checkContent(const nlohmann::json& value);
    void showStatus();
    void showReadOnly();
    void markError(int position);

    JsonContent m_content;
    model::FilterPolicyScope m_scope = model::FilterPolicyScope::MessageAttributes;
    nlohmann::json m_value;
    nlohmann::json m_sample;
    QString m_problem;
    QString m_validText;
    bool m_settingValue = false;
    bool m_readOnly = false;
    QPlainTextEdit* m_edit = nullptr;
    JsonHighlighter* m_highlighter = nullptr;
    QLabel* m_status = nullptr;
    QPushButton* m_testButton = nullptr;
};

} // namespace eventflow::studio
