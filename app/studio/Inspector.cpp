#include "Inspector.h"

#include "Wording.h"

#include "ComponentStyle.h"
#include "DesignCommands.h"
#include "DesignPointer.h"
#include "ParameterField.h"

#include "model/ComponentCatalog.h"
#include "model/DesignFile.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QVBoxLayout>

namespace eventflow::studio {

namespace {

using model::ParameterScope;
using model::ParameterSpec;
using model::ParameterType;
using nlohmann::json;

/// Writes `value` at a dotted path, creating objects on the way; null erases the key and any
/// object the erase leaves empty.
void setPath(json& object, const std::string& dotted, const json& value)
{
    const auto dot = dotted.find('.');
    if (dot == std::string::npos) {
        if (value.is_null())
            object.erase(dotted);
        else
            object[dotted] = value;
        return;
    }
    const std::string head = dotted.substr(0, dot);
    if (!object.contains(head) || !object[head].is_object()) {
        if (value.is_null())
            return;
        object[head] = json::object();
    }
    setPath(object[head], dotted.substr(dot + 1), value);
    if (object[head].empty())
        object.erase(head);
}

json valueAt(const json& object, const std::string& dotted)
{
    const json* found = model::findPath(object, dotted);
    return found ? *found : json();
}

ParameterSpec number(std::string key, std::string unit, double min, double max, json def,
                     std::string help, ParameterType type = ParameterType::Number)
{
    ParameterSpec spec;
    spec.key = std::move(key);
    spec.scope = ParameterScope::Sim;
    spec.type = type;
    spec.unit = std::move(unit);
    spec.minimum = min;
    spec.maximum = max;
    spec.defaultValue = std::move(def);
    spec.help = std::move(help);
    return spec;
}

/// The traffic fields a rate profile kind uses, beyond its kind and base rate.
std::vector<ParameterSpec> profileSpecs(model::RateProfile::Kind kind)
{
    using K = model::RateProfile::Kind;
    std::vector<ParameterSpec> specs;
    ParameterSpec kindSpec = number("profile.kind", "", 0, 0, "poisson",
                                    "How arrivals are spread over time", ParameterType::Enum);
    for (auto k : {K::Constant, K::Poisson, K::Bursty, K::Ramp, K::Spike, K::Diurnal})
        kindSpec.choices.emplace_back(model::rateProfileKindName(k));
    specs.push_back(kindSpec);
    specs.push_back(number("profile.rate", "1/s", 0, 1e7, 1.0,
                           "Events per second (bursty: while on; ramp: at the start)"));
    switch (kind) {
    case K::Bursty:
        specs.push_back(number("profile.on_s", "s", 0, 1e7, 10.0, "Length of each burst"));
        specs.push_back(number("profile.off_s", "s", 0, 1e7, 10.0, "Quiet time between bursts"));
        break;
    case K::Ramp:
        specs.push_back(number("profile.to_rate", "1/s", 0, 1e7, 1.0, "Rate reached at the end"));
        specs.push_back(number("profile.start_s", "s", 0, 1e7, 0.0, "When the ramp starts"));
        specs.push_back(number("profile.end_s", "s", 0, 1e7, 60.0, "When the ramp ends"));
        break;
    case K::Spike:
        specs.push_back(number("profile.peak_rate", "1/s", 0, 1e7, 10.0, "Rate during the spike"));
        specs.push_back(number("profile.start_s", "s", 0, 1e7, 0.0, "When the spike starts"));
        specs.push_back(number("profile.end_s", "s", 0, 1e7, 60.0, "When the spike ends"));
        break;
    case K::Diurnal:
        specs.push_back(number("profile.amplitude", "", 0, 1, 0.5,
                               "Relative swing around the base rate (0..1)"));
        specs.push_back(number("profile.period_s", "s", 1, 1e9, 86400.0, "Length of one cycle"));
        break;
    default:
        break;
    }
    ParameterSpec events = number("events", "", 0, 0, nullptr,
                                  "The events this producer sends, as JSON: [{\"weight\", "
                                  "\"source\", \"detail-type\", \"detail\", \"attributes\", "
                                  "\"size_bytes\"}]. detail values may be {\"dist\": ...} or "
                                  "{\"oneOf\": [...]}; rules and filter policies match on them",
                                  ParameterType::Json);
    specs.push_back(events);
    return specs;
}

double* profileMember(model::RateProfile& p, const std::string& key)
{
    if (key == "profile.rate") return &p.rate;
    if (key == "profile.on_s") return &p.onSeconds;
    if (key == "profile.off_s") return &p.offSeconds;
    if (key == "profile.to_rate") return &p.toRate;
    if (key == "profile.start_s") return &p.startSeconds;
    if (key == "profile.end_s") return &p.endSeconds;
    if (key == "profile.peak_rate") return &p.peakRate;
    if (key == "profile.amplitude") return &p.amplitude;
    if (key == "profile.period_s") return &p.periodSeconds;
    return nullptr;
}

std::vector<ParameterSpec> simulationSpecs()
{
    return {
        number("duration_s", "s", 0.001, 1e7, 60.0, "How much simulated time a run covers"),
        number("warmup_s", "s", 0, 1e7, 0.0,
               "Time at the start left out of the statistics (the system filling up)"),
        number("seed", "", 0, 9007199254740991.0, 1, "The same seed gives the same run",
               ParameterType::Integer),
        number("sample_interval_s", "s", 0.001, 1e6, 1.0, "Spacing of the time-series samples"),
    };
}

} // namespace

Inspector::Inspector(DesignDocument* document, QWidget* parent)
    : QScrollArea(parent)
    , m_document(document)
{
    setWidgetResizable(true);
    setFrameShape(NoFrame);
    setMinimumWidth(300);
    connect(document, &DesignDocument::componentChanged, this, [this](int index) {
        if (m_subject == Subject::Component &&
            m_document->design().components[std::size_t(index)].id == m_componentId)
            refreshValues();
    });
    connect(document, &DesignDocument::connectionChanged, this, [this](int index) {
        if (m_subject != Subject::Connection || index != m_connectionIndex)
            return;
        // A new kind has other parameters.
        if (m_document->design().connections[std::size_t(index)].kind != m_pageKind)
            rebuild();
        else
            refreshValues();
    });
    connect(document, &DesignDocument::scenarioChanged, this, [this] {
        if (m_subject == Subject::Design)
            refreshValues();
        else if (m_subject == Subject::Component && profileKind() != m_profileKind)
            rebuild(); // the profile kind decides which traffic fields exist
        else
            refreshValues();
    });
    connect(document, &DesignDocument::componentRemoved, this, [this] {
        if (m_subject == Subject::Component && m_document->design().indexOf(m_componentId) < 0)
            showDesign();
    });
    // The inspected connection keeps its page while others before it come and go.
    connect(document, &DesignDocument::connectionRemoved, this, [this](int index) {
        if (m_subject != Subject::Connection)
            return;
        if (index == m_connectionIndex)
            showDesign();
        else if (index < m_connectionIndex)
            --m_connectionIndex;
    });
    connect(document, &DesignDocument::connectionInserted, this, [this](int index) {
        if (m_subject == Subject::Connection && index <= m_connectionIndex)
            ++m_connectionIndex;
    });
    connect(document, &DesignDocument::designReset, this, [this] {
        m_subject = Subject::Design;
        m_componentId.clear();
        m_connectionIndex = -1;
        rebuild();
    });
    connect(document, &DesignDocument::diagnosticsChanged, this, &Inspector::refreshProblems);
    showDesign();
}

void Inspector::showDesign()
{
    // Rubber-band selection changes the selection many times a second: keep the page.
    if (m_subject == Subject::Design && m_page)
        return;
    m_subject = Subject::Design;
    m_componentId.clear();
    m_connectionIndex = -1;
    rebuild();
}

void Inspector::showComponent(const std::string& id)
{
    if (m_subject == Subject::Component && m_componentId == id && m_page)
        return;
    m_subject = Subject::Component;
    m_componentId = id;
    m_connectionIndex = -1;
    rebuild();
}

void Inspector::showConnection(int index)
{
    if (m_subject == Subject::Connection && m_connectionIndex == index && m_page)
        return;
    m_subject = Subject::Connection;
    m_componentId.clear();
    m_connectionIndex = index;
    rebuild();
}

QWidget* Inspector::beginPage(const QString& title, const QString& subtitle)
{
    m_page = new QWidget;
    auto* column = new QVBoxLayout(m_page);
    m_heading = new QLabel(m_page);
    m_heading->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_heading->setWordWrap(true);
    m_headingSubtitle = subtitle;
    setHeading(title);
    column->addWidget(m_heading);
    m_problems = new QLabel(m_page);
    m_problems->setWordWrap(true);
    m_problems->setVisible(false);
    column->addWidget(m_problems);
    m_form = new QFormLayout;
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_form->setRowWrapPolicy(QFormLayout::WrapLongRows);
    column->addLayout(m_form);
    column->addStretch(1);
    return m_page;
}

void Inspector::setHeading(const QString& title)
{
    m_heading->setText(QStringLiteral("<b style='font-size:large'>%1</b><br>%2")
                           .arg(title.toHtmlEscaped(), m_headingSubtitle.toHtmlEscaped()));
}

void Inspector::addSection(const QString& title)
{
    auto* label = new QLabel(QStringLiteral("<b>%1</b>").arg(title.toHtmlEscaped()), m_page);
    label->setContentsMargins(0, 10, 0, 2);
    m_form->addRow(label);
}

ParameterField* Inspector::addField(const ParameterSpec& spec, const QString& scope)
{
    auto* field = new ParameterField(spec, m_page);
    auto* caption = new QLabel(field->caption(), m_page);
    caption->setToolTip(qs(spec.help));
    if (spec.type == ParameterType::Json) {
        m_form->addRow(caption);
        m_form->addRow(field);
    } else {
        m_form->addRow(caption, field);
    }
    caption->setBuddy(field->editor());
    m_fields.push_back({scope, field});
    return field;
}

void Inspector::addParameterFields(const std::vector<ParameterSpec>& specs,
                                   void (Inspector::*edit)(const ParameterSpec&, const json&))
{
    bool awsSection = false;
    bool simSection = false;
    for (const auto& spec : specs) {
        if (spec.scope == ParameterScope::Aws && !awsSection) {
            addSection(tr("AWS properties"));
            awsSection = true;
        }
        if (spec.scope == ParameterScope::Sim && !simSection) {
            addSection(tr("Simulation"));
            simSection = true;
        }
        auto* field = addField(spec, spec.scope == ParameterScope::Aws ? QStringLiteral("props")
                                                                      : QStringLiteral("sim"));
        connect(field, &ParameterField::valueEdited, this,
                [this, spec, edit](const json& value) { (this->*edit)(spec, value); });
    }
}

void Inspector::rebuild()
{
    const int scroll = verticalScrollBar()->value();
    m_fields.clear();
    m_labelEdit = nullptr;
    m_kindCombo = nullptr;
    m_nameEdit = nullptr;
    m_descriptionEdit = nullptr;
    const auto& design = m_document->design();

    if (m_subject == Subject::Component) {
        const auto* component = design.findComponent(m_componentId);
        if (!component) {
            m_subject = Subject::Design;
            rebuild();
            return;
        }
        beginPage(qs(component->label.empty() ? component->id : component->label),
                  ComponentStyle::title(component->type) + QStringLiteral(" · ") +
                      qs(component->id));
        m_labelEdit = new QLineEdit(m_page);
        m_labelEdit->setToolTip(tr("The name shown on the canvas"));
        m_form->addRow(tr("Label"), m_labelEdit);
        connect(m_labelEdit, &QLineEdit::textEdited, this, [this](const QString& text) {
            const auto* current = m_document->design().findComponent(m_componentId);
            model::Component after = *current;
            after.label = text.toStdString();
            m_document->undoStack()->push(new EditComponentCommand(
                m_document, *current, after, QStringLiteral("label"), tr("Rename component")));
        });
        addParameterFields(model::ComponentCatalog::componentParameters(component->type),
                           &Inspector::editComponentParameter);
        if (component->type == model::ComponentType::Producer) {
            addSection(tr("Traffic"));
            m_profileKind = profileKind();
            for (const auto& spec : profileSpecs(m_profileKind)) {
                auto* field = addField(spec, QStringLiteral("traffic"));
                const QString key = qs(spec.key);
                connect(field, &ParameterField::valueEdited, this,
                        [this, key](const json& value) { editScenario(key, value); });
            }
        }
    } else if (m_subject == Subject::Connection && m_connectionIndex >= 0 &&
               m_connectionIndex < int(design.connections.size())) {
        const auto& connection = design.connections[std::size_t(m_connectionIndex)];
        const auto* from = design.findComponent(connection.from);
        const auto* to = design.findComponent(connection.to);
        beginPage(tr("Connection"), qs(connection.from) + QStringLiteral(" → ") + qs(connection.to));
        m_pageKind = connection.kind;
        m_kindCombo = new QComboBox(m_page);
        if (from && to)
            for (auto kind : model::ComponentCatalog::allowedKinds(from->type, to->type))
                m_kindCombo->addItem(ComponentStyle::kindTitle(kind) +
                                         (ComponentStyle::isSynchronous(kind) ? tr(" (synchronous)")
                                                                              : tr(" (asynchronous)")),
                                     int(kind));
        if (m_kindCombo->findData(int(connection.kind)) < 0)
            m_kindCombo->addItem(ComponentStyle::kindTitle(connection.kind), int(connection.kind));
        m_kindCombo->setCurrentIndex(m_kindCombo->findData(int(connection.kind)));
        m_kindCombo->setToolTip(tr("How the message travels: only the kinds AWS allows between "
                                   "these two are offered"));
        m_form->addRow(tr("Kind"), m_kindCombo);
        connect(m_kindCombo, &QComboBox::activated, this, [this](int index) {
            const auto& before = m_document->design().connections[std::size_t(m_connectionIndex)];
            model::Connection after = before;
            after.kind = model::ConnectionKind(m_kindCombo->itemData(index).toInt());
            if (after.kind == before.kind)
                return;
            m_document->undoStack()->push(new EditConnectionCommand(
                m_document, m_connectionIndex, before, after, QString(),
                tr("Change connection kind")));
        });
        addParameterFields(model::ComponentCatalog::connectionParameters(connection.kind),
                           &Inspector::editConnectionParameter);
    } else {
        m_subject = Subject::Design;
        beginPage(qs(design.name.empty() ? "Untitled design" : design.name),
                  tr("Design · select a component or connection to edit it"));
        m_nameEdit = new QLineEdit(m_page);
        m_form->addRow(tr("Name"), m_nameEdit);
        connect(m_nameEdit, &QLineEdit::textEdited, this,
                [this](const QString& text) { editScenario(QStringLiteral("name"), text.toStdString()); });
        m_descriptionEdit = new QPlainTextEdit(m_page);
        m_descriptionEdit->setTabChangesFocus(true);
        m_descriptionEdit->setFixedHeight(110);
        m_form->addRow(tr("Description"), m_descriptionEdit);
        connect(m_descriptionEdit, &QPlainTextEdit::textChanged, this, [this] {
            if (!m_descriptionEdit->hasFocus())
                return;
            m_descriptionSent = m_descriptionEdit->toPlainText();
            editScenario(QStringLiteral("description"), m_descriptionSent.toStdString());
        });
        if (!design.lesson.outcome.empty()) {
            // A workshop scenario says what its run should show, so the class knows what to
            // look for.
            auto* outcome = new QLabel(qs(design.lesson.outcome), m_page);
            outcome->setWordWrap(true);
            outcome->setObjectName(QStringLiteral("lessonOutcome"));
            outcome->setTextInteractionFlags(Qt::TextSelectableByMouse);
            m_form->addRow(tr("A run shows"), outcome);
        }
        addSection(tr("Simulation"));
        for (const auto& spec : simulationSpecs()) {
            auto* field = addField(spec, QStringLiteral("simulation"));
            const QString key = qs(spec.key);
            connect(field, &ParameterField::valueEdited, this,
                    [this, key](const json& value) { editScenario(key, value); });
        }
    }
    // The old page goes later: rebuild() may run inside a signal of one of its own editors
    // (a combo box whose choice changes the fields), which must not be deleted under it.
    if (QWidget* old = takeWidget()) {
        old->hide();
        old->deleteLater();
    }
    setWidget(m_page);
    refreshValues();
    refreshProblems();
    verticalScrollBar()->setValue(scroll);
}

void Inspector::refreshValues()
{
    const auto& design = m_document->design();
    if (m_subject == Subject::Component) {
        const auto* component = design.findComponent(m_componentId);
        if (!component)
            return;
        const QString label = qs(component->label);
        if (m_labelEdit && m_labelEdit->text() != label)
            m_labelEdit->setText(label);
        setHeading(label.isEmpty() ? qs(component->id) : label);
        for (const auto& [scope, field] : m_fields) {
            const std::string& key = field->spec().key;
            if (scope == QLatin1String("props"))
                field->setValue(valueAt(component->props, key));
            else if (scope == QLatin1String("sim"))
                field->setValue(valueAt(component->sim, key));
            else if (scope == QLatin1String("traffic"))
                field->setValue(scenarioValue(qs(key)));
        }
    } else if (m_subject == Subject::Connection) {
        const auto& connection = design.connections[std::size_t(m_connectionIndex)];
        for (const auto& [scope, field] : m_fields)
            field->setValue(valueAt(scope == QLatin1String("props") ? connection.props
                                                                   : connection.sim,
                                    field->spec().key));
    } else {
        if (m_nameEdit && m_nameEdit->text() != qs(design.name))
            m_nameEdit->setText(qs(design.name));
        setHeading(qs(design.name.empty() ? "Untitled design" : design.name));
        // While the user types, the model echoes the text back: leave the editor alone then;
        // anything else (an undo) is shown even in the focused editor.
        const QString description = qs(design.description);
        if (m_descriptionEdit && m_descriptionEdit->toPlainText() != description &&
            !(m_descriptionEdit->hasFocus() && description == m_descriptionSent))
            m_descriptionEdit->setPlainText(description);
        for (const auto& [scope, field] : m_fields)
            field->setValue(scenarioValue(qs(field->spec().key)));
    }
}

void Inspector::refreshProblems()
{
    if (!m_problems)
        return;
    const auto& design = m_document->design();
    const int componentIndex = m_subject == Subject::Component ? design.indexOf(m_componentId) : -1;
    for (auto& [scope, field] : m_fields)
        field->setProblem(QString());
    QStringList general;
    for (const auto& diagnostic : m_document->diagnostics()) {
        const auto place = DesignPointer::resolve(diagnostic.pointer, design);
        bool mine = false;
        if (m_subject == Subject::Component)
            mine = place.target == DesignPointer::Target::Component && place.index == componentIndex;
        else if (m_subject == Subject::Connection)
            mine = place.target == DesignPointer::Target::Connection &&
                   place.index == m_connectionIndex;
        else
            mine = place.target == DesignPointer::Target::Design;
        if (!mine)
            continue;
        QString text = qs(diagnostic.message);
        if (!diagnostic.fix.empty())
            text += QStringLiteral(" — ") + qs(diagnostic.fix);
        bool placed = false;
        for (auto& [scope, field] : m_fields)
            if (scope.toStdString() == place.scope && !place.key.empty() &&
                (place.key == field->spec().key || place.key.rfind(field->spec().key + ".", 0) == 0)) {
                field->setProblem(text);
                placed = true;
            }
        if (!placed)
            general << QStringLiteral("%1 %2")
                           .arg(diagnostic.severity == model::Severity::Error ? QStringLiteral("⛔")
                                                                              : QStringLiteral("⚠"),
                                text.toHtmlEscaped());
    }
    m_problems->setText(general.join(QStringLiteral("<br>")));
    m_problems->setVisible(!general.isEmpty());
}

bool Inspector::focusField(const std::string& scope, const std::string& key)
{
    ParameterField* found = field(scope, key);
    if (!found && scope == "label" && m_labelEdit) {
        m_labelEdit->setFocus();
        return true;
    }
    if (!found)
        return false;
    ensureWidgetVisible(found);
    found->focusEditor();
    return true;
}

ParameterField* Inspector::field(const std::string& scope, const std::string& key) const
{
    for (const auto& [fieldScope, field] : m_fields)
        if (fieldScope.toStdString() == scope &&
            (field->spec().key == key || key.rfind(field->spec().key + ".", 0) == 0))
            return field;
    return nullptr;
}

void Inspector::editComponentParameter(const ParameterSpec& spec, const json& value)
{
    const auto* current = m_document->design().findComponent(m_componentId);
    if (!current)
        return;
    model::Component after = *current;
    setPath(spec.scope == ParameterScope::Aws ? after.props : after.sim, spec.key, value);
    if (after.props == current->props && after.sim == current->sim)
        return;
    const QString field = (spec.scope == ParameterScope::Aws ? QStringLiteral("props.")
                                                             : QStringLiteral("sim.")) +
                          qs(spec.key);
    m_document->undoStack()->push(new EditComponentCommand(
        m_document, *current, after, field, tr("Set %1").arg(qs(spec.key))));
}

void Inspector::editConnectionParameter(const ParameterSpec& spec, const json& value)
{
    const auto& current = m_document->design().connections[std::size_t(m_connectionIndex)];
    model::Connection after = current;
    setPath(spec.scope == ParameterScope::Aws ? after.props : after.sim, spec.key, value);
    if (after.props == current.props && after.sim == current.sim)
        return;
    const QString field = (spec.scope == ParameterScope::Aws ? QStringLiteral("props.")
                                                             : QStringLiteral("sim.")) +
                          qs(spec.key);
    m_document->undoStack()->push(new EditConnectionCommand(
        m_document, m_connectionIndex, current, after, field, tr("Set %1").arg(qs(spec.key))));
}

model::RateProfile::Kind Inspector::profileKind() const
{
    for (const auto& t : m_document->design().traffic)
        if (t.producer == m_componentId)
            return t.profile.kind;
    return model::RateProfile().kind;
}

json Inspector::scenarioValue(const QString& field) const
{
    const auto& design = m_document->design();
    const std::string key = field.toStdString();
    if (field.startsWith(QLatin1String("profile.")) || key == "events") {
        for (const auto& t : design.traffic)
            if (t.producer == m_componentId) {
                if (key == "profile.kind")
                    return std::string(model::rateProfileKindName(t.profile.kind));
                if (key == "events")
                    return model::DesignFile::eventsToJson(t.events);
                model::RateProfile profile = t.profile;
                if (double* member = profileMember(profile, key))
                    return *member;
            }
        return nullptr;
    }
    const auto& s = design.simulation;
    if (key == "duration_s") return s.durationSeconds;
    if (key == "warmup_s") return s.warmupSeconds;
    if (key == "seed") return s.seed;
    if (key == "sample_interval_s") return s.sampleIntervalSeconds;
    return nullptr;
}

void Inspector::editScenario(const QString& field, const json& value)
{
    const DesignDocument::Scenario before = m_document->scenario();
    DesignDocument::Scenario after = before;
    const std::string key = field.toStdString();
    if (field.startsWith(QLatin1String("profile.")) || key == "events") {
        auto it = std::find_if(after.traffic.begin(), after.traffic.end(),
                               [&](const model::TrafficSpec& t) { return t.producer == m_componentId; });
        if (it == after.traffic.end()) {
            model::TrafficSpec spec;
            spec.producer = m_componentId;
            model::EventTemplate event;
            event.source = "app." + m_componentId;
            event.detailType = "Event";
            spec.events.push_back(event);
            after.traffic.push_back(spec);
            it = after.traffic.end() - 1;
        }
        model::RateProfile defaults;
        if (key == "events") {
            model::Diagnostics problems;
            auto events = model::DesignFile::eventsFromJson(
                value.is_null() ? json::array() : value, "", problems);
            if (problems.empty() && events.empty())
                problems.push_back({model::Severity::Error, "",
                                    "a producer needs at least one event", {}});
            if (!problems.empty()) {
                if (ParameterField* eventsField = this->field("traffic", "events"))
                    eventsField->setProblem(qs(problems.front().pointer + ": " +
                                               problems.front().message));
                return;
            }
            it->events = std::move(events);
        } else if (key == "profile.kind") {
            if (auto kind = model::rateProfileKindFromName(value.is_string()
                                                               ? value.get<std::string>()
                                                               : "poisson"))
                it->profile.kind = *kind;
        } else if (double* member = profileMember(it->profile, key)) {
            *member = value.is_number() ? value.get<double>() : *profileMember(defaults, key);
        }
    } else if (key == "name") {
        after.name = value.get<std::string>();
    } else if (key == "description") {
        after.description = value.get<std::string>();
    } else {
        auto& s = after.simulation;
        const model::SimulationSettings defaults;
        if (key == "duration_s")
            s.durationSeconds = value.is_number() ? value.get<double>() : defaults.durationSeconds;
        else if (key == "warmup_s")
            s.warmupSeconds = value.is_number() ? value.get<double>() : defaults.warmupSeconds;
        else if (key == "seed")
            s.seed = value.is_number() ? value.get<std::uint64_t>() : defaults.seed;
        else if (key == "sample_interval_s")
            s.sampleIntervalSeconds =
                value.is_number() ? value.get<double>() : defaults.sampleIntervalSeconds;
    }
    // Edits of the same field merge only for the same producer.
    const QString mergeKey = field.startsWith(QLatin1String("profile.")) || key == "events"
                                 ? qs(m_componentId) + QLatin1Char(':') + field
                                 : field;
    m_document->undoStack()->push(
        new EditScenarioCommand(m_document, before, after, mergeKey, tr("Set %1").arg(field)));
}

} // namespace eventflow::studio
