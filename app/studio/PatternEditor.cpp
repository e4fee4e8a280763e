#include "PatternEditor.h"

#include "JsonHighlighter.h"
#include "PatternTestDialog.h"
#include "model/EventPattern.h"

#include <QEvent>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>
#include <algorithm>
#include <cstdint>

namespace eventflow::studio {

using Json = nlohmann::json;

namespace {

constexpr int kVisibleLines = 8;
const QString kIndent = QStringLiteral("  ");

struct ParsedText {
    Json value;
    QString problem;
    int position = -1; ///< character the parser stopped at, for a syntax error
};

// nlohmann says "syntax error while parsing object key - unexpected '}'; ..."; the part after
// the dash is what the user needs, the position goes in front as line and column.
QString parseErrorMessage(const std::string& what)
{
    std::string message = what;
    const auto column = message.find(", column ");
    if (column != std::string::npos) {
        const auto colon = message.find(": ", column);
        if (colon != std::string::npos)
            message = message.substr(colon + 2);
    }
    if (message.rfind("syntax error while parsing ", 0) == 0) {
        const auto dash = message.find(" - ");
        if (dash != std::string::npos)
            message = message.substr(dash + 3);
    }
    return QString::fromStdString(message);
}

// Other json exceptions (a number too large) carry an "[json.exception.x.n] " prefix.
QString exceptionMessage(const std::string& what)
{
    const auto bracket = what.find("] ");
    return QString::fromStdString(bracket == std::string::npos ? what : what.substr(bracket + 2));
}

ParsedText parseText(const QString& text)
{
    ParsedText parsed;
    if (text.trimmed().isEmpty())
        return parsed;
    const QByteArray utf8 = text.toUtf8();
    try {
        parsed.value = Json::parse(utf8.constBegin(), utf8.constEnd());
    } catch (const Json::parse_error& error) {
        // error.byte counts bytes read, the offending one included; lines and columns are
        // counted in characters so they match what the editor shows.
        const qsizetype offset = std::clamp<qsizetype>(qsizetype(error.byte) - 1, 0, utf8.size());
        const QString before = QString::fromUtf8(utf8.left(offset));
        const qsizetype line = before.count(u'\n') + 1;
        const qsizetype column = before.size() - (before.lastIndexOf(u'\n') + 1) + 1;
        parsed.position = int(before.size());
        parsed.problem = PatternEditor::tr("line %1, column %2: %3")
                             .arg(line)
                             .arg(column)
                             .arg(parseErrorMessage(error.what()));
    } catch (const Json::exception& error) {
        parsed.problem = exceptionMessage(error.what());
    }
    return parsed;
}

bool isWordCharacter(QChar c)
{
    return c.isLetterOrNumber() || c == u'.' || c == u'-' || c == u'+' || c == u'_';
}

// The parser stops on a token's last character ("detail" at its closing quote, "tru}" at the
// brace); underlining from the token's start shows the user which token is to blame.
int tokenStart(const QString& text, int position)
{
    if (text[position] == u'"') {
        for (int i = position - 1; i >= 0 && text[i] != u'\n'; --i)
            if (text[i] == u'"' && (i == 0 || text[i - 1] != u'\\'))
                return i;
        return position;
    }
    int start = position;
    while (start > 0 && isWordCharacter(text[start - 1]))
        --start;
    return start;
}

QString describe(const model::Diagnostic& diagnostic)
{
    const QString message = QString::fromStdString(diagnostic.message);
    if (diagnostic.pointer.empty())
        return message;
    return PatternEditor::tr("At %1: %2").arg(QString::fromStdString(diagnostic.pointer), message);
}

QString describeAll(const model::Diagnostics& diagnostics)
{
    QStringList lines;
    for (const auto& diagnostic : diagnostics) {
        QString line = describe(diagnostic);
        if (!diagnostic.fix.empty())
            line += QStringLiteral("\n    ") +
                    PatternEditor::tr("Fix: %1").arg(QString::fromStdString(diagnostic.fix));
        lines << line;
    }
    return lines.join(u'\n');
}

} // namespace

PatternEditor::PatternEditor(JsonContent content, QWidget* parent)
    : QWidget(parent), m_content(content)
{
    m_edit = new QPlainTextEdit(this);
    m_edit->setObjectName(QStringLiteral("jsonEdit"));
    m_edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_edit->setTabStopDistance(m_edit->fontMetrics().horizontalAdvance(kIndent));
    const int lineHeight = m_edit->fontMetrics().lineSpacing();
    const int margins = 2 * (m_edit->frameWidth() + int(m_edit->document()->documentMargin()));
    m_edit->setFixedHeight(kVisibleLines * lineHeight + margins);
    m_edit->installEventFilter(this);
    m_highlighter = new JsonHighlighter(m_edit->document());
    m_highlighter->setPalette(palette());

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("status"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* statusRow = new QHBoxLayout;
    statusRow->setContentsMargins(0, 0, 0, 0);
    statusRow->addWidget(m_status, 1, Qt::AlignTop);
    if (m_content != JsonContent::Json) {
        m_testButton = new QPushButton(tr("Test pattern…"), this);
        m_testButton->setObjectName(QStringLiteral("testButton"));
        m_testButton->setToolTip(
            m_content == JsonContent::EventPattern
                ? tr("Try this pattern on a sample event and see whether EventBridge would "
                     "match it")
                : tr("Try this filter policy on a sample SNS message (attributes and body) and "
                     "see whether the subscription would receive it"));
        connect(m_testButton, &QPushButton::clicked, this, [this] { openTestDialog(); });
        statusRow->addWidget(m_testButton, 0, Qt::AlignTop);
    }

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(m_edit);
    layout->addLayout(statusRow);

    connect(m_edit, &QPlainTextEdit::textChanged, this, &PatternEditor::check);
    check();
}

void PatternEditor::setValue(const Json& value)
{
    // The model echoes every edit back; rewriting the text then would move the cursor.
    if (value == m_value && isValid() && !(value.is_null() && !m_edit->document()->isEmpty()))
        return;
    m_value = value;
    const QString text =
        value.is_null()
            ? QString()
            : QString::fromStdString(value.dump(2, ' ', false, Json::error_handler_t::replace));
    m_settingValue = true;
    m_edit->setPlainText(text);
    m_settingValue = false;
}

void PatternEditor::setFilterScope(model::FilterPolicyScope scope)
{
    if (scope == m_scope)
        return;
    m_scope = scope;
    check();
}

void PatternEditor::setSampleEvent(const Json& event)
{
    m_sample = event;
}

void PatternEditor::setReadOnly(bool readOnly)
{
    m_readOnly = readOnly;
    m_edit->setReadOnly(readOnly);
    if (m_testButton)
        m_testButton->setVisible(!readOnly);
    showReadOnly();
}

void PatternEditor::showReadOnly()
{
    // A read-only field drawn like an editable one invites typing that goes nowhere.
    // Only Base is set, so every other role still follows the editor's palette.
    QPalette palette;
    if (m_readOnly)
        palette.setColor(QPalette::Base, this->palette().color(QPalette::Window));
    m_edit->setPalette(palette);
}

void PatternEditor::setStatusVisible(bool visible)
{
    m_status->setVisible(visible);
}

QString PatternEditor::statusText() const
{
    return m_status->text();
}

PatternTestDialog* PatternEditor::openTestDialog()
{
    if (m_content == JsonContent::Json || !isValid() || m_value.is_null())
        return nullptr;
    auto* dialog = new PatternTestDialog(m_content, m_value, m_scope, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (!m_sample.is_null())
        dialog->setSampleEvent(m_sample);
    connect(dialog, &QDialog::finished, this, [this, dialog] {
        Json sample = dialog->sampleEvent();
        if (!sample.is_null())
            m_sample = std::move(sample);
    });
    dialog->open();
    return dialog;
}

bool PatternEditor::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_edit && event->type() == QEvent::KeyPress && !m_readOnly) {
        const auto* key = static_cast<QKeyEvent*>(event);
        if (key->key() == Qt::Key_Tab && !(key->modifiers() & ~Qt::KeypadModifier)) {
            m_edit->insertPlainText(kIndent);
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void PatternEditor::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    // Children get the new palette after this event, so read our own.
    if (event->type() == QEvent::PaletteChange && m_highlighter) {
        m_highlighter->setPalette(palette());
        if (m_readOnly)
            showReadOnly();
        check();
    }
}

void PatternEditor::check()
{
    ParsedText parsed = parseText(m_edit->toPlainText());
    m_problem = parsed.problem;
    m_status->setToolTip(QString());
    if (m_problem.isEmpty())
        checkContent(parsed.value);
    markError(m_problem.isEmpty() ? -1 : parsed.position);
    showStatus();
    if (!m_problem.isEmpty() || m_settingValue || parsed.value == m_value)
        return;
    m_value = std::move(parsed.value);
    Q_EMIT valueEdited(m_value);
}

void PatternEditor::checkContent(const Json& value)
{
    if (value.is_null()) {
        m_validText = tr("Empty · not set");
        return;
    }
    model::Diagnostics diagnostics;
    switch (m_content) {
    case JsonContent::EventPattern: {
        const auto pattern = model::EventPattern::parse(value, std::string(), diagnostics,
                                                        model::PatternDialect::EventBridge);
        if (!pattern)
            break;
        QStringList paths;
        for (const auto& path : pattern->fieldPaths())
            paths << QString::fromStdString(path);
        m_validText = paths.isEmpty()
                          ? tr("Valid pattern")
                          : tr("Valid pattern · reads %1").arg(paths.join(QStringLiteral(", ")));
        return;
    }
    case JsonContent::FilterPolicy: {
        if (!model::FilterPolicy::parse(value, m_scope, std::string(), diagnostics))
            break;
        const std::int64_t combinations = model::FilterPolicy::combinations(value);
        m_validText =
            (combinations == 1 ? tr("Valid filter policy on the %1 · %2 combination of %3")
                               : tr("Valid filter policy on the %1 · %2 combinations of %3"))
                .arg(m_scope == model::FilterPolicyScope::MessageAttributes
                         ? tr("message attributes")
                         : tr("message body"))
                .arg(combinations)
                .arg(model::FilterPolicy::kMaxCombinations);
        return;
    }
    case JsonContent::Json:
        m_validText = tr("Valid JSON");
        return;
    }
    m_problem = diagnostics.empty() ? tr("Not a valid pattern") : describe(diagnostics.front());
    m_status->setToolTip(describeAll(diagnostics));
}

void PatternEditor::showStatus()
{
    const bool valid = m_problem.isEmpty();
    m_status->setText(valid ? m_validText : m_problem);
    const bool empty = m_edit->toPlainText().trimmed().isEmpty();
    // Empty is neither right nor wrong, so it keeps the ordinary text colour.
    const QPalette& own = this->palette();
    QColor colour = own.color(QPalette::WindowText);
    if (!valid)
        colour = JsonHighlighter::colour(JsonHighlighter::Role::Error, own);
    else if (!empty)
        colour = JsonHighlighter::colour(JsonHighlighter::Role::Success, own);
    QPalette palette = m_status->palette();
    palette.setColor(QPalette::WindowText, colour);
    m_status->setPalette(palette);
    if (m_testButton)
        m_testButton->setEnabled(valid && !empty);
}

void PatternEditor::markError(int position)
{
    QList<QTextEdit::ExtraSelection> selections;
    const QString text = m_edit->toPlainText();
    if (position >= 0 && !text.isEmpty()) {
        const int last = std::min(position, int(text.size()) - 1);
        QTextEdit::ExtraSelection selection;
        selection.cursor = QTextCursor(m_edit->document());
        selection.cursor.setPosition(tokenStart(text, last));
        selection.cursor.setPosition(last + 1, QTextCursor::KeepAnchor);
        selection.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
        selection.format.setUnderlineColor(
            JsonHighlighter::colour(JsonHighlighter::Role::Error, palette()));
        selections << selection;
    }
    m_edit->setExtraSelections(selections);
}

} // namespace eventflow::studio
