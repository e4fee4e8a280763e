#include "ParameterField.h"

#include "PatternEditor.h"

#include "model/Distribution.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QVBoxLayout>

#include <cmath>

namespace eventflow::studio {

namespace {

QString numberText(double value)
{
    return QLocale::c().toString(value, 'g', 12);
}

std::optional<double> parseNumber(const QString& text)
{
    bool ok = false;
    const double value = QLocale::c().toDouble(text.trimmed(), &ok);
    return ok && std::isfinite(value) ? std::optional(value) : std::nullopt;
}

struct DistributionShape {
    const char* name;
    const char* first;
    const char* second; // nullptr: one figure
};

constexpr DistributionShape kShapes[] = {
    {"constant", "value", nullptr},
    {"exponential", "mean", nullptr},
    {"uniform", "min", "max"},
    {"normal", "mean", "sd"},
    {"lognormal", "p50", "p99"},
};

} // namespace

ParameterField::ParameterField(model::ParameterSpec spec, QWidget* parent)
    : QWidget(parent)
    , m_spec(std::move(spec))
{
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(2);
    auto* row = new QHBoxLayout;
    row->setSpacing(4);
    column->addLayout(row);
    const QString help = QString::fromStdString(m_spec.help);
    const QString unit = QString::fromStdString(m_spec.unit);

    using model::ParameterType;
    switch (m_spec.type) {
    case ParameterType::Integer:
    case ParameterType::Number:
    case ParameterType::String: {
        m_line = new QLineEdit(this);
        m_line->setClearButtonEnabled(true);
        row->addWidget(m_line, 1);
        if (!unit.isEmpty())
            row->addWidget(new QLabel(unit, this));
        connect(m_line, &QLineEdit::textEdited, this, &ParameterField::numberEdited);
        m_editor = m_line;
        break;
    }
    case ParameterType::Boolean:
        m_check = new QCheckBox(this);
        row->addWidget(m_check, 1);
        connect(m_check, &QCheckBox::toggled, this, [this](bool on) {
            if (!m_updating)
                Q_EMIT valueEdited(on);
        });
        m_editor = m_check;
        break;
    case ParameterType::Enum: {
        m_combo = new QComboBox(this);
        if (m_spec.defaultValue.is_null())
            m_combo->addItem(tr("(not set)"), QString());
        for (const auto& choice : m_spec.choices)
            m_combo->addItem(QString::fromStdString(choice), QString::fromStdString(choice));
        row->addWidget(m_combo, 1);
        connect(m_combo, &QComboBox::activated, this, [this](int index) {
            const QString choice = m_combo->itemData(index).toString();
            Q_EMIT valueEdited(choice.isEmpty() ? nlohmann::json()
                                                : nlohmann::json(choice.toStdString()));
        });
        m_editor = m_combo;
        break;
    }
    case ParameterType::Distribution: {
        m_distKind = new QComboBox(this);
        for (const auto& shape : kShapes)
            m_distKind->addItem(QString::fromLatin1(shape.name));
        m_distFirstCaption = new QLabel(this);
        m_distFirst = new QLineEdit(this);
        m_distSecondCaption = new QLabel(this);
        m_distSecond = new QLineEdit(this);
        m_distFirst->setMinimumWidth(44);
        m_distSecond->setMinimumWidth(44);
        row->addWidget(m_distKind, 2);
        row->addWidget(m_distFirstCaption);
        row->addWidget(m_distFirst, 1);
        row->addWidget(m_distSecondCaption);
        row->addWidget(m_distSecond, 1);
        if (!unit.isEmpty())
            row->addWidget(new QLabel(unit, this));
        connect(m_distKind, &QComboBox::activated, this, [this] { distributionEdited(); });
        connect(m_distFirst, &QLineEdit::textEdited, this, [this] { distributionEdited(); });
        connect(m_distSecond, &QLineEdit::textEdited, this, [this] { distributionEdited(); });
        m_editor = m_distFirst;
        break;
    }
    case ParameterType::Json: {
        const bool eventPattern = m_spec.key == "EventPattern" || m_spec.key == "fail_pattern";
        const JsonContent content = eventPattern                   ? JsonContent::EventPattern
                                    : m_spec.key == "FilterPolicy" ? JsonContent::FilterPolicy
                                                                   : JsonContent::Json;
        m_json = new PatternEditor(content, this);
        row->addWidget(m_json, 1);
        connect(m_json, &PatternEditor::valueEdited, this,
                [this](const nlohmann::json& value) { Q_EMIT valueEdited(value); });
        m_editor = m_json->textEdit();
        break;
    }
    }
    setToolTip(help);
    m_editor->setToolTip(help);
    m_problemLabel = new QLabel(this);
    m_problemLabel->setWordWrap(true);
    m_problemLabel->setStyleSheet(QStringLiteral("color: #d13b3b;"));
    m_problemLabel->setVisible(false);
    column->addWidget(m_problemLabel);
    setValue(nullptr);
}

QString ParameterField::caption() const
{
    QString key = QString::fromStdString(m_spec.key);
    if (int dot = key.lastIndexOf(QLatin1Char('.')); dot >= 0)
        key = key.mid(dot + 1);
    return key;
}

void ParameterField::setValue(const nlohmann::json& value)
{
    m_updating = true;
    const nlohmann::json shown = value.is_null() ? m_spec.defaultValue : value;
    using model::ParameterType;
    switch (m_spec.type) {
    case ParameterType::Integer:
    case ParameterType::Number: {
        const QString placeholder =
            m_spec.defaultValue.is_number()
                ? tr("default %1").arg(numberText(m_spec.defaultValue.get<double>()))
                : tr("not set");
        m_line->setPlaceholderText(placeholder);
        const QString text = value.is_number() ? numberText(value.get<double>())
                             : value.is_null() ? QString()
                                               : QString::fromStdString(value.dump());
        const auto current = parseNumber(m_line->text());
        const bool same = value.is_number() ? current && *current == value.get<double>()
                                            : m_line->text().trimmed().isEmpty();
        if (!(m_line->hasFocus() && same))
            m_line->setText(text);
        if (!m_line->hasFocus())
            showLocalError(QString());
        break;
    }
    case ParameterType::String: {
        m_line->setPlaceholderText(m_spec.defaultValue.is_string()
                                       ? tr("default %1").arg(QString::fromStdString(
                                             m_spec.defaultValue.get<std::string>()))
                                       : tr("not set"));
        const QString text =
            value.is_string() ? QString::fromStdString(value.get<std::string>())
            : value.is_null() ? QString()
                              : QString::fromStdString(value.dump());
        if (!(m_line->hasFocus() && m_line->text() == text))
            m_line->setText(text);
        break;
    }
    case ParameterType::Boolean:
        m_check->setChecked(shown.is_boolean() && shown.get<bool>());
        m_check->setText(value.is_null() ? tr("(default)") : QString());
        break;
    case ParameterType::Enum: {
        const int index = m_combo->findData(shown.is_string()
                                                ? QString::fromStdString(shown.get<std::string>())
                                                : QString());
        m_combo->setCurrentIndex(std::max(0, index));
        break;
    }
    case ParameterType::Distribution: {
        model::Diagnostics ignored;
        const auto dist = model::Distribution::parse(shown, "", ignored);
        const auto json = dist ? dist->toJson() : nlohmann::json();
        const std::string kind = json.is_object() ? json.value("dist", "constant") : "constant";
        int index = 0;
        for (int i = 0; i < int(std::size(kShapes)); ++i)
            if (kind == kShapes[i].name)
                index = i;
        const auto& shape = kShapes[index];
        // The model echoing what the user is typing leaves the editors alone; an undo does not.
        const bool typing = (m_distFirst->hasFocus() || m_distSecond->hasFocus()) &&
                            value == m_lastEmitted;
        if (!typing) {
            m_distKind->setCurrentIndex(index);
            m_distFirst->setText(json.is_object() && json.contains(shape.first)
                                     ? numberText(json[shape.first].get<double>())
                                     : QString());
            m_distSecond->setText(shape.second && json.is_object() && json.contains(shape.second)
                                      ? numberText(json[shape.second].get<double>())
                                      : QString());
        }
        m_distFirstCaption->setText(QString::fromLatin1(shape.first));
        m_distSecondCaption->setText(shape.second ? QString::fromLatin1(shape.second) : QString());
        m_distSecondCaption->setVisible(shape.second != nullptr);
        m_distSecond->setVisible(shape.second != nullptr);
        break;
    }
    case ParameterType::Json:
        m_json->setValue(value); // leaves the text alone when it already holds this value
        break;
    }
    m_updating = false;
}

void ParameterField::numberEdited(const QString& text)
{
    if (m_spec.type == model::ParameterType::String) {
        Q_EMIT valueEdited(text.isEmpty() ? nlohmann::json() : nlohmann::json(text.toStdString()));
        return;
    }
    if (text.trimmed().isEmpty()) {
        showLocalError(QString());
        Q_EMIT valueEdited(nullptr);
        return;
    }
    const auto value = parseNumber(text);
    if (!value) {
        showLocalError(tr("“%1” is not a number").arg(text.trimmed()));
        return;
    }
    if (m_spec.type == model::ParameterType::Integer && std::floor(*value) != *value) {
        showLocalError(tr("%1 must be a whole number").arg(caption()));
        return;
    }
    if (m_spec.maximum > m_spec.minimum && (*value < m_spec.minimum || *value > m_spec.maximum)) {
        const QString unit = m_spec.unit.empty() ? QString()
                                                 : QLatin1Char(' ') +
                                                       QString::fromStdString(m_spec.unit);
        showLocalError(tr("%1 must be between %2 and %3%4")
                           .arg(caption(), numberText(m_spec.minimum),
                                numberText(m_spec.maximum), unit));
        return;
    }
    showLocalError(QString());
    if (m_spec.type == model::ParameterType::Integer)
        Q_EMIT valueEdited(static_cast<std::int64_t>(*value));
    else
        Q_EMIT valueEdited(*value);
}

void ParameterField::distributionEdited()
{
    if (m_updating)
        return;
    const auto& shape = kShapes[std::max(0, m_distKind->currentIndex())];
    m_distFirstCaption->setText(QString::fromLatin1(shape.first));
    m_distSecondCaption->setText(shape.second ? QString::fromLatin1(shape.second) : QString());
    m_distSecondCaption->setVisible(shape.second != nullptr);
    m_distSecond->setVisible(shape.second != nullptr);
    nlohmann::json value = {{"dist", shape.name}};
    const auto first = parseNumber(m_distFirst->text());
    const auto second = parseNumber(m_distSecond->text());
    if (!first) {
        showLocalError(tr("%1 needs a number").arg(QString::fromLatin1(shape.first)));
        return;
    }
    value[shape.first] = *first;
    if (shape.second) {
        if (!second) {
            showLocalError(tr("%1 needs a number").arg(QString::fromLatin1(shape.second)));
            return;
        }
        value[shape.second] = *second;
    }
    model::Diagnostics problems;
    if (!model::Distribution::parse(value, "", problems)) {
        showLocalError(problems.empty() ? tr("not a valid distribution")
                                        : QString::fromStdString(problems.front().message));
        return;
    }
    showLocalError(QString());
    m_lastEmitted = value;
    Q_EMIT valueEdited(value);
}

void ParameterField::showLocalError(const QString& error)
{
    m_localError = error;
    refreshProblem();
}

void ParameterField::setProblem(const QString& problem)
{
    m_designProblem = problem;
    refreshProblem();
}

QString ParameterField::problem() const
{
    return m_localError.isEmpty() ? m_designProblem : m_localError;
}

void ParameterField::refreshProblem()
{
    const QString text = problem();
    m_problemLabel->setText(text);
    m_problemLabel->setVisible(!text.isEmpty());
}

void ParameterField::focusEditor()
{
    m_editor->setFocus(Qt::OtherFocusReason);
}

} // namespace eventflow::studio
