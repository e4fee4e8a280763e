#include "PatternTestDialog.h"

#include "JsonHighlighter.h"

#include <QDialogButtonBox>
#include <QEvent>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>

namespace eventflow::studio {

using Json = nlohmann::json;
using model::FilterPolicyScope;

namespace {

// Written out rather than built as a Json so the fields keep the order EventBridge delivers.
const char* const kDefaultEvent = R"json({
  "version": "0",
  "id": "6f1e3c52-8a4b-4d0e-9b7a-2c5d9e8f1a30",
  "detail-type": "OrderPlaced",
  "source": "shop.orders",
  "account": "123456789012",
  "time": "2026-01-01T00:00:00Z",
  "region": "eu-west-1",
  "resources": [],
  "detail": {
    "orderId": "o-1001",
    "amount": 42.5,
    "currency": "EUR",
    "customer": {
      "id": "c-17",
      "tier": "gold"
    },
    "items": [
      { "sku": "SKU-1", "quantity": 2 }
    ]
  }
})json";

const char* const kDefaultMessage = R"json({
  "attributes": {
    "event": "order_placed",
    "store": "example_corp",
    "price_usd": 42.5,
    "customer_interests": ["soccer", "rugby"]
  },
  "body": {
    "orderId": "o-1001",
    "amount": 42.5,
    "currency": "EUR",
    "customer": {
      "id": "c-17",
      "tier": "gold"
    }
  }
})json";

// Lets an editor fill its share of the dialog instead of the inspector's fixed eight lines.
void letGrow(PatternEditor* editor)
{
    QPlainTextEdit* edit = editor->textEdit();
    edit->setMaximumHeight(QWIDGETSIZE_MAX);
    edit->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

QLabel* heading(const QString& text, QWidget* parent)
{
    auto* label = new QLabel(text, parent);
    QFont font = label->font();
    font.setBold(true);
    label->setFont(font);
    return label;
}

} // namespace

PatternTestDialog::PatternTestDialog(JsonContent content, const Json& pattern,
                                     FilterPolicyScope scope, QWidget* parent)
    : QDialog(parent), m_content(content), m_scope(scope)
{
    const bool policy = content == JsonContent::FilterPolicy;
    setWindowTitle(policy ? tr("Test filter policy") : tr("Test event pattern"));

    model::Diagnostics diagnostics;
    if (policy)
        m_policy = model::FilterPolicy::parse(pattern, scope, std::string(), diagnostics);
    else
        m_pattern = model::EventPattern::parse(pattern, std::string(), diagnostics,
                                               model::PatternDialect::EventBridge);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setChildrenCollapsible(false);

    auto* patternSide = new QWidget(splitter);
    auto* patternLayout = new QVBoxLayout(patternSide);
    patternLayout->setContentsMargins(0, 0, 6, 0);
    const QString scopeName = scope == FilterPolicyScope::MessageAttributes
                                  ? tr("message attributes")
                                  : tr("message body");
    patternLayout->addWidget(
        heading(policy ? tr("Filter policy (on the %1)").arg(scopeName) : tr("Event pattern"),
                patternSide));
    m_patternView = new PatternEditor(
        policy ? JsonContent::FilterPolicy : JsonContent::EventPattern, patternSide);
    m_patternView->setObjectName(QStringLiteral("patternView"));
    m_patternView->setFilterScope(scope);
    m_patternView->setValue(pattern);
    m_patternView->setReadOnly(true);
    letGrow(m_patternView);
    patternLayout->addWidget(m_patternView);
    m_patternProblem = m_patternView->problem();

    auto* sampleSide = new QWidget(splitter);
    auto* sampleLayout = new QVBoxLayout(sampleSide);
    sampleLayout->setContentsMargins(6, 0, 0, 0);
    sampleLayout->addWidget(
        heading(policy ? tr("Sample message") : tr("Sample event"), sampleSide));
    auto* hint = new QLabel(sampleSide);
    hint->setObjectName(QStringLiteral("hint"));
    hint->setWordWrap(true);
    hint->setText(policy ? tr("A message as SNS shows it to the policy: \"attributes\" holds its "
                              "message attributes as {\"name\": value} (a string, a number or an "
                              "array of them), \"body\" its JSON body. This policy reads only "
                              "the %1.")
                               .arg(scopeName)
                         : tr("A whole event as EventBridge delivers it to rules; the result "
                              "updates as you type."));
    sampleLayout->addWidget(hint);
    m_sample = new PatternEditor(JsonContent::Json, sampleSide);
    m_sample->setObjectName(QStringLiteral("sampleEditor"));
    m_sample->setStatusVisible(false);
    letGrow(m_sample);
    sampleLayout->addWidget(m_sample);
    splitter->addWidget(patternSide);
    splitter->addWidget(sampleSide);

    m_result = new QLabel(this);
    m_result->setObjectName(QStringLiteral("result"));
    m_result->setTextFormat(Qt::PlainText);
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont resultFont = m_result->font();
    resultFont.setBold(true);
    resultFont.setPointSizeF(resultFont.pointSizeF() * 1.15);
    m_result->setFont(resultFont);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton* reset = buttons->addButton(tr("Default sample"), QDialogButtonBox::ResetRole);
    reset->setToolTip(tr("Replace the sample with the default one"));
    connect(reset, &QPushButton::clicked, this, [this] { setSampleEvent(Json()); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_result);
    layout->addWidget(buttons);

    connect(m_sample->textEdit(), &QPlainTextEdit::textChanged, this, &PatternTestDialog::evaluate);
    setSampleText(defaultSampleText(content));
    resize(900, 560);
    splitter->setSizes({450, 450});
}

QString PatternTestDialog::defaultSampleText(JsonContent content)
{
    return QString::fromUtf8(content == JsonContent::FilterPolicy ? kDefaultMessage
                                                                  : kDefaultEvent);
}

void PatternTestDialog::setSampleEvent(const Json& event)
{
    if (event.is_null())
        setSampleText(defaultSampleText(m_content));
    else
        setSampleText(
            QString::fromStdString(event.dump(2, ' ', false, Json::error_handler_t::replace)));
}

Json PatternTestDialog::sampleEvent() const
{
    return m_sample->isValid() ? m_sample->value() : Json();
}

void PatternTestDialog::setSampleText(const QString& text)
{
    // Assigning the text emits textChanged, which evaluates; so does typing.
    m_sample->textEdit()->setPlainText(text);
}

QString PatternTestDialog::sampleText() const
{
    return m_sample->textEdit()->toPlainText();
}

QString PatternTestDialog::resultText() const
{
    return m_result->text();
}

bool PatternTestDialog::evaluate()
{
    m_matches = false;
    const bool policy = m_content == JsonContent::FilterPolicy;
    if (!m_pattern && !m_policy) {
        showResult(Outcome::Problem, tr("The pattern is not valid: %1").arg(m_patternProblem));
        return false;
    }
    if (!m_sample->isValid()) {
        showResult(Outcome::Problem, tr("Sample: %1").arg(m_sample->problem()));
        return false;
    }
    const Json sample = m_sample->value();
    if (sample.is_null()) {
        showResult(Outcome::Neutral, policy ? tr("Write a sample message to test the policy")
                                            : tr("Write a sample event to test the pattern"));
        return false;
    }
    if (!sample.is_object()) {
        showResult(Outcome::Problem,
                   policy ? tr("Sample: a message is an object {\"attributes\": {...}, "
                               "\"body\": {...}}")
                          : tr("Sample: an event is a JSON object"));
        return false;
    }
    QString note;
    if (policy) {
        const auto attributesIt = sample.find("attributes");
        const auto bodyIt = sample.find("body");
        const Json attributes = attributesIt == sample.end() ? Json() : *attributesIt;
        const Json body = bodyIt == sample.end() ? Json() : *bodyIt;
        m_matches = m_policy->matches(attributes, body);
        if (!m_matches && m_scope == FilterPolicyScope::MessageAttributes &&
            (!attributes.is_object() || attributes.empty()))
            note = tr("a message without attributes never passes an attribute policy");
        else if (!m_matches && m_scope == FilterPolicyScope::MessageBody && !body.is_object())
            note = tr("a body policy needs a JSON object body");
    } else {
        m_matches = m_pattern->matches(sample);
    }
    if (m_matches)
        showResult(Outcome::Matches, tr("✔ Matches"));
    else if (note.isEmpty())
        showResult(Outcome::NoMatch, tr("✘ Does not match"));
    else
        showResult(Outcome::NoMatch, tr("✘ Does not match · %1").arg(note));
    return m_matches;
}

void PatternTestDialog::changeEvent(QEvent* event)
{
    QDialog::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && m_result)
        showResult(m_outcome, m_result->text());
}

void PatternTestDialog::showResult(Outcome outcome, const QString& text)
{
    m_outcome = outcome;
    m_result->setText(text);
    const QPalette& own = palette();
    QColor colour = own.color(QPalette::WindowText);
    if (outcome == Outcome::Matches)
        colour = JsonHighlighter::colour(JsonHighlighter::Role::Success, own);
    else if (outcome != Outcome::Neutral)
        colour = JsonHighlighter::colour(JsonHighlighter::Role::Error, own);
    QPalette resultPalette = m_result->palette();
    resultPalette.setColor(QPalette::WindowText, colour);
    m_result->setPalette(resultPalette);
}

} // namespace eventflow::studio
