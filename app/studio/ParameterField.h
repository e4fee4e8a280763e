#pragma once

#include "model/ParameterSpec.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QCheckBox;
class QComboBox;

namespace eventflow::studio {

class PatternEditor;

/// One editor in the inspector, built from a parameter's metadata: a line edit with its unit for
/// numbers (checked against the type and range as the user types, the error shown under it), a
/// check box, a choice list, a distribution editor (kind and its one or two figures) or a JSON
/// editor (event patterns and filter policies with their live check). The help text is the
/// tooltip. It emits valueEdited only for values that pass the local check; null means "unset,
/// use the default". Problems the validator finds in the whole design are shown with setProblem.
class ParameterField : public QWidget {
    Q_OBJECT
public:
    explicit ParameterField(model::ParameterSpec spec, QWidget* parent = nullptr);

    const model::ParameterSpec& spec() const { return m_spec; }
    /// Shows `value` (null: the default, as a placeholder). Leaves an editor the user is typing
    /// in alone when it already holds the same value.
    void setValue(const nlohmann::json& value);
    void setProblem(const QString& problem);
    QString problem() const;
    void focusEditor();
    /// The widget that takes the keyboard (tests type into it).
    QWidget* editor() const { return m_editor; }
    /// A short caption for the form: the key's last part, spaced ("maxReceiveCount").
    QString caption() const;

Q_SIGNALS:
    void valueEdited(const nlohmann::json& value);

private:
    void numberEdited(const QString& text);
    void distributionEdited();
    void showLocalError(const QString& error);
    void refreshProblem();

    model::ParameterSpec m_spec;
    QWidget* m_editor = nullptr;
    QLineEdit* m_line = nullptr;
    QCheckBox* m_check = nullptr;
    QComboBox* m_combo = nullptr;
    PatternEditor* m_json = nullptr;
    QComboBox* m_distKind = nullptr;
    QLineEdit* m_distFirst = nullptr;
    QLineEdit* m_distSecond = nullptr;
    QLabel* m_distFirstCaption = nullptr;
    QLabel* m_distSecondCaption = nullptr;
    QLabel* m_problemLabel = nullptr;
    nlohmann::json m_lastEmitted; ///< what the distribution editor last sent
    QString m_localError;
    QString m_designProblem;
    bool m_updating = false;
};

} // namespace eventflow::studio
