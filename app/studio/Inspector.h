#pragma once

#include "DesignDocument.h"

#include <QScrollArea>

#include <optional>
#include <string>
#include <vector>

class QFormLayout;
class QLabel;
class QLineEdit;
class QComboBox;
class QPlainTextEdit;

namespace eventflow::studio {

class ParameterField;

/// The properties of what is selected, with editors generated from the model's parameter
/// metadata (ComponentCatalog): a component's label, AWS properties and simulation behaviour (and
/// a producer's traffic); a connection's kind and settings; with nothing selected, the design's
/// name, description and simulation settings. Every edit becomes an undo command; the
/// validator's findings appear under the field they concern, the rest at the top.
class Inspector : public QScrollArea {
    Q_OBJECT
public:
    explicit Inspector(DesignDocument* document, QWidget* parent = nullptr);

    void showDesign();
    void showComponent(const std::string& id);
    void showConnection(int index);

    /// Focuses the editor of a parameter ("props"/"sim"/"traffic", dotted key); false if absent.
    bool focusField(const std::string& scope, const std::string& key);
    /// The field for a parameter, for tests; nullptr if not shown.
    ParameterField* field(const std::string& scope, const std::string& key) const;
    QLineEdit* labelEdit() const { return m_labelEdit; }
    QComboBox* kindCombo() const { return m_kindCombo; }

private:
    enum class Subject { Design, Component, Connection };
    void rebuild();
    void refreshValues();
    void refreshProblems();
    QWidget* beginPage(const QString& title, const QString& subtitle);
    void addSection(const QString& title);
    void setHeading(const QString& title);
    ParameterField* addField(const model::ParameterSpec& spec, const QString& scope);
    /// A field per parameter under "AWS properties" and "Simulation" headings, each edit going
    /// to `edit`.
    void addParameterFields(const std::vector<model::ParameterSpec>& specs,
                            void (Inspector::*edit)(const model::ParameterSpec&,
                                                    const nlohmann::json&));
    void editComponentParameter(const model::ParameterSpec& spec, const nlohmann::json& value);
    void editConnectionParameter(const model::ParameterSpec& spec, const nlohmann::json& value);
    void editScenario(const QString& field, const nlohmann::json& value);
    nlohmann::json scenarioValue(const QString& field) const;
    model::RateProfile::Kind profileKind() const;

    DesignDocument* m_document;
    Subject m_subject = Subject::Design;
    std::string m_componentId;
    int m_connectionIndex = -1;

    QWidget* m_page = nullptr;
    QFormLayout* m_form = nullptr;
    QLabel* m_problems = nullptr;
    QLabel* m_heading = nullptr;
    QString m_headingSubtitle;
    model::RateProfile::Kind m_profileKind = model::RateProfile::Kind::Poisson;
    model::ConnectionKind m_pageKind = model::ConnectionKind::Invoke;
    QString m_descriptionSent;
    QLineEdit* m_labelEdit = nullptr;
    QComboBox* m_kindCombo = nullptr;
    QLineEdit* m_nameEdit = nullptr;
    QPlainTextEdit* m_descriptionEdit = nullptr;
    struct Entry {
        QString scope; // "props", "sim", "traffic", "simulation"
        ParameterField* field;
    };
    std::vector<Entry> m_fields;
};

} // namespace eventflow::studio
