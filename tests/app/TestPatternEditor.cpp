#include "app/studio/JsonHighlighter.h"
#include "app/studio/PatternEditor.h"
#include "app/studio/PatternTestDialog.h"
#include "model/EventPattern.h"
#include "model/FilterPolicy.h"

#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTextBlock>
#include <QTextLayout>
#include <QtTest>
#include <nlohmann/json.hpp>

using eventflow::model::Diagnostics;
using eventflow::model::EventPattern;
using eventflow::model::FilterPolicy;
using eventflow::model::FilterPolicyScope;
using eventflow::studio::JsonContent;
using eventflow::studio::JsonHighlighter;
using eventflow::studio::PatternEditor;
using eventflow::studio::PatternTestDialog;
using Json = nlohmann::json;

Q_DECLARE_METATYPE(JsonContent)
Q_DECLARE_METATYPE(FilterPolicyScope)

namespace {

const char* const kInvalidNumeric = R"({"detail":{"amount":[{"numeric":[">","x"]}]}})";

// An event like the dialog's default sample, with the fields the rows below vary.
QByteArray orderEvent(const char* detailType, double amount)
{
    Json event =
        Json::parse(PatternTestDialog::defaultSampleText(JsonContent::EventPattern).toStdString());
    event["detail-type"] = detailType;
    event["detail"]["amount"] = amount;
    return QByteArray::fromStdString(event.dump());
}

Json lastEmitted(const QSignalSpy& spy)
{
    return spy.isEmpty() ? Json() : spy.last().first().value<Json>();
}

} // namespace

class TestPatternEditor : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void typingChecksAndEmitsOnlyValidText_data();
    void typingChecksAndEmitsOnlyValidText();
    void syntaxErrorsNameLineAndColumn_data();
    void syntaxErrorsNameLineAndColumn();
    void validStatusSaysWhatThePatternReads();
    void filterPolicyIsCheckedInItsScope();
    void setValueShowsPrettyJsonWithoutEmitting();
    void emptyTextIsNull();
    void tabInsertsTwoSpaces();
    void testButtonOnlyForValidPatterns();
    void highlightsKeysStringsNumbersAndLiterals_data();
    void highlightsKeysStringsNumbersAndLiterals();
    void dialogMatchesLikeTheEngine_data();
    void dialogMatchesLikeTheEngine();
    void dialogReportsSampleErrors();
    void dialogMatchesFilterPolicies_data();
    void dialogMatchesFilterPolicies();
    void editorOpensDialogWithItsSample();
};

void TestPatternEditor::typingChecksAndEmitsOnlyValidText_data()
{
    QTest::addColumn<JsonContent>("content");
    QTest::addColumn<QString>("typed");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("problemContains");
    QTest::addColumn<int>("emitted");
    QTest::addColumn<QByteArray>("lastValue");

    QTest::newRow("pattern") << JsonContent::EventPattern
                             << QString(R"({"source":["shop.orders"]})") << true << QString() << 1
                             << QByteArray(R"({"source":["shop.orders"]})");
    QTest::newRow("pattern, unclosed")
        << JsonContent::EventPattern << QString(R"({"source":["shop.orders"])") << false
        << QString("line 1, column 26: unexpected end of input") << 0 << QByteArray();
    QTest::newRow("pattern, numeric operand not a number")
        << JsonContent::EventPattern << QString(kInvalidNumeric) << false
        << QString(R"(At /detail/amount/0/numeric/1: numeric comparison ">" must be followed)") << 0
        << QByteArray();
    QTest::newRow("pattern, leaf not an array")
        << JsonContent::EventPattern << QString(R"({"source":"shop.orders"})") << false
        << QString("At /source: a pattern leaf must be an array") << 0 << QByteArray();
    QTest::newRow("pattern, not an object")
        << JsonContent::EventPattern << QString("[1]") << false << QString("must be a JSON object")
        << 0 << QByteArray();
    QTest::newRow("filter policy")
        << JsonContent::FilterPolicy << QString(R"({"store":["example_corp"]})") << true
        << QString() << 1 << QByteArray(R"({"store":["example_corp"]})");
    QTest::newRow("filter policy, nested on attributes")
        << JsonContent::FilterPolicy << QString(R"({"a":{"b":["x"]}})") << false
        << QString("At /a: the MessageAttributes scope does not support nested") << 0
        << QByteArray();
    // Every prefix of a number is a number: each keystroke is a new valid value.
    QTest::newRow("json, number") << JsonContent::Json << QString("42") << true << QString() << 2
                                  << QByteArray("42");
    QTest::newRow("json, retry") << JsonContent::Json
                                 << QString(R"([{"ErrorEquals":["States.ALL"],"MaxAttempts":3}])")
                                 << true << QString() << 1
                                 << QByteArray(
                                        R"([{"ErrorEquals":["States.ALL"],"MaxAttempts":3}])");
    QTest::newRow("json, trailing comma")
        << JsonContent::Json << QString("[1,]") << false
        << QString("line 1, column 4: unexpected ']'") << 0 << QByteArray();
}

void TestPatternEditor::typingChecksAndEmitsOnlyValidText()
{
    QFETCH(JsonContent, content);
    QFETCH(QString, typed);
    QFETCH(bool, valid);
    QFETCH(QString, problemContains);
    QFETCH(int, emitted);
    QFETCH(QByteArray, lastValue);

    PatternEditor editor(content);
    QSignalSpy spy(&editor, &PatternEditor::valueEdited);
    QTest::keyClicks(editor.textEdit(), typed);

    QCOMPARE(editor.textEdit()->toPlainText(), typed);
    QCOMPARE(editor.isValid(), valid);
    QVERIFY2(editor.problem().contains(problemContains), qPrintable(editor.problem()));
    QCOMPARE(editor.problem().isEmpty(), valid);
    QCOMPARE(editor.statusText().isEmpty(), false);
    QCOMPARE(spy.count(), emitted);
    if (!lastValue.isEmpty()) {
        QCOMPARE(lastEmitted(spy), Json::parse(lastValue.constData()));
        QCOMPARE(editor.value(), Json::parse(lastValue.constData()));
    } else {
        QVERIFY(editor.value().is_null());
    }
}

void TestPatternEditor::syntaxErrorsNameLineAndColumn_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("problemStart");
    QTest::addColumn<QString>("underlined");

    QTest::newRow("bad literal") << QString("{x") << QString("line 1, column 2: invalid literal")
                                 << QString("x");
    QTest::newRow("missing bracket, third line")
        << QString("{\n  \"source\": [\"a\"\n}") << QString("line 3, column 1: unexpected '}'")
        << QString("}");
    QTest::newRow("key where a comma belongs")
        << QString("{\n  \"source\": [\"a\"]\n  \"detail\": {}\n}")
        << QString("line 3, column 10: unexpected string literal") << QString("\"detail\"");
    QTest::newRow("non-ASCII before the error")
        << QString::fromUtf8("{\"é\": tru}") << QString("line 1, column 10: invalid literal")
        << QString("tru}");
    QTest::newRow("end of input") << QString("{\n  \"a\": ")
                                  << QString("line 2, column 8: unexpected end of input")
                                  << QString(" ");
}

void TestPatternEditor::syntaxErrorsNameLineAndColumn()
{
    QFETCH(QString, text);
    QFETCH(QString, problemStart);
    QFETCH(QString, underlined);

    PatternEditor editor(JsonContent::Json);
    QSignalSpy spy(&editor, &PatternEditor::valueEdited);
    editor.textEdit()->setPlainText(text);

    QVERIFY2(editor.problem().startsWith(problemStart), qPrintable(editor.problem()));
    QCOMPARE(editor.statusText(), editor.problem());
    QCOMPARE(spy.count(), 0);
    // The token the parser stopped in is underlined (the last character at the end of input).
    const auto selections = editor.textEdit()->extraSelections();
    QCOMPARE(selections.size(), 1);
    QCOMPARE(selections.first().cursor.selectedText(), underlined);
}

void TestPatternEditor::validStatusSaysWhatThePatternReads()
{
    PatternEditor editor(JsonContent::EventPattern);
    editor.textEdit()->setPlainText(
        R"({"source":["shop.orders"],"detail":{"amount":[{"numeric":[">",100]}]}})");
    QVERIFY(editor.isValid());
    QCOMPARE(editor.statusText(), QString("Valid pattern · reads detail.amount, source"));
    QVERIFY(editor.textEdit()->extraSelections().isEmpty());
}

void TestPatternEditor::filterPolicyIsCheckedInItsScope()
{
    PatternEditor editor(JsonContent::FilterPolicy);
    QSignalSpy spy(&editor, &PatternEditor::valueEdited);
    const Json nested = Json::parse(R"({"customer":{"tier":["gold","silver"]},"c":["x"]})");
    editor.setValue(nested);
    QVERIFY(!editor.isValid());
    QVERIFY2(editor.problem().contains("nested"), qPrintable(editor.problem()));

    editor.setFilterScope(FilterPolicyScope::MessageBody);
    QVERIFY2(editor.isValid(), qPrintable(editor.problem()));
    QCOMPARE(FilterPolicy::combinations(nested), 4);
    QCOMPARE(editor.statusText(),
             QString("Valid filter policy on the message body · 4 combinations of 150"));
    QCOMPARE(spy.count(), 0);
}

void TestPatternEditor::setValueShowsPrettyJsonWithoutEmitting()
{
    PatternEditor editor(JsonContent::EventPattern);
    QSignalSpy spy(&editor, &PatternEditor::valueEdited);
    const Json pattern = Json::parse(R"({"source":["shop.orders"]})");

    editor.setValue(pattern);
    QCOMPARE(editor.textEdit()->toPlainText(),
             QString("{\n  \"source\": [\n    \"shop.orders\"\n  ]\n}"));
    QCOMPARE(editor.value(), pattern);
    QVERIFY(editor.isValid());

    // A value from a file that is not a valid pattern is shown with its problem.
    const Json invalid = Json::parse(kInvalidNumeric);
    editor.setValue(invalid);
    QCOMPARE(editor.value(), invalid);
    QVERIFY(editor.problem().contains("/detail/amount/0/numeric/1"));

    editor.setValue(Json());
    QVERIFY(editor.textEdit()->toPlainText().isEmpty());
    QVERIFY(editor.value().is_null());
    QVERIFY(editor.isValid());
    QCOMPARE(spy.count(), 0);
}

void TestPatternEditor::emptyTextIsNull()
{
    PatternEditor editor(JsonContent::EventPattern);
    editor.setValue(Json::parse(R"({"source":["shop.orders"]})"));
    QSignalSpy spy(&editor, &PatternEditor::valueEdited);

    editor.textEdit()->selectAll();
    QTest::keyClick(editor.textEdit(), Qt::Key_Backspace);

    QCOMPARE(spy.count(), 1);
    QVERIFY(lastEmitted(spy).is_null());
    QVERIFY(editor.value().is_null());
    QVERIFY(editor.isValid());
    QVERIFY(editor.problem().isEmpty());
}

void TestPatternEditor::tabInsertsTwoSpaces()
{
    PatternEditor editor(JsonContent::Json);
    QTest::keyClick(editor.textEdit(), Qt::Key_Tab);
    QTest::keyClicks(editor.textEdit(), "1");
    QCOMPARE(editor.textEdit()->toPlainText(), QString("  1"));
    QCOMPARE(editor.value(), Json(1));
}

void TestPatternEditor::testButtonOnlyForValidPatterns()
{
    PatternEditor json(JsonContent::Json);
    QVERIFY(!json.findChild<QPushButton*>("testButton"));
    QVERIFY(!json.openTestDialog());

    PatternEditor editor(JsonContent::EventPattern);
    auto* button = editor.findChild<QPushButton*>("testButton");
    QVERIFY(button);
    QVERIFY(!button->toolTip().isEmpty());
    QVERIFY(!button->isEnabled()); // nothing to test yet
    editor.textEdit()->setPlainText(R"({"source":["a"]})");
    QVERIFY(button->isEnabled());
    editor.textEdit()->setPlainText(R"({"source":"a"})");
    QVERIFY(!button->isEnabled());
    QVERIFY(!editor.openTestDialog());
}

void TestPatternEditor::highlightsKeysStringsNumbersAndLiterals_data()
{
    QTest::addColumn<bool>("dark");
    QTest::newRow("light palette") << false;
    QTest::newRow("dark palette") << true;
}

void TestPatternEditor::highlightsKeysStringsNumbersAndLiterals()
{
    QFETCH(bool, dark);
    QPalette palette;
    palette.setColor(QPalette::Base, dark ? QColor(0x1E, 0x1E, 0x1E) : QColor(Qt::white));
    palette.setColor(QPalette::Text, dark ? QColor(0xE0, 0xE0, 0xE0) : QColor(Qt::black));
    QCOMPARE(JsonHighlighter::isDark(palette), dark);

    PatternEditor editor(JsonContent::Json);
    editor.setPalette(palette);
    const QString text = R"({"key": "text", "n": -1.5e3, "t": true})";
    editor.textEdit()->setPlainText(text);

    const auto colourAt = [&](int position) {
        for (const auto& range : editor.textEdit()->document()->firstBlock().layout()->formats())
            if (position >= range.start && position < range.start + range.length)
                return range.format.foreground().color();
        return QColor();
    };
    using Role = JsonHighlighter::Role;
    QCOMPARE(colourAt(int(text.indexOf("key"))), JsonHighlighter::colour(Role::Key, palette));
    QCOMPARE(colourAt(int(text.indexOf("text"))), JsonHighlighter::colour(Role::String, palette));
    QCOMPARE(colourAt(int(text.indexOf("1.5e3"))), JsonHighlighter::colour(Role::Number, palette));
    QCOMPARE(colourAt(int(text.indexOf("true"))), JsonHighlighter::colour(Role::Literal, palette));
    QCOMPARE(colourAt(0), JsonHighlighter::colour(Role::Punctuation, palette));
    // Each role stands out from the background it is drawn on.
    const QColor base = palette.color(QPalette::Base);
    for (Role role :
         {Role::Key, Role::String, Role::Number, Role::Literal, Role::Error, Role::Success})
        QVERIFY(std::abs(JsonHighlighter::colour(role, palette).lightness() - base.lightness()) >
                90);
}

void TestPatternEditor::dialogMatchesLikeTheEngine_data()
{
    QTest::addColumn<QByteArray>("pattern");
    QTest::addColumn<QByteArray>("event"); // empty: the default sample
    QTest::addColumn<bool>("expected");

    const QByteArray bigOrders = R"({"detail":{"amount":[{"numeric":[">",100]}]}})";
    QTest::newRow("source, default sample")
        << QByteArray(R"({"source":["shop.orders"]})") << QByteArray() << true;
    QTest::newRow("detail-type differs")
        << QByteArray(R"({"detail-type":["OrderShipped"]})") << QByteArray() << false;
    QTest::newRow("numeric, small order") << bigOrders << orderEvent("OrderPlaced", 42.5) << false;
    QTest::newRow("numeric, big order") << bigOrders << orderEvent("OrderPlaced", 150) << true;
    QTest::newRow("prefix and nested field")
        << QByteArray(
               R"({"detail-type":[{"prefix":"Order"}],"detail":{"customer":{"tier":["gold"]}}})")
        << QByteArray() << true;
    QTest::newRow("anything-but") << QByteArray(R"({"region":[{"anything-but":["eu-west-1"]}]})")
                                  << QByteArray() << false;
}

void TestPatternEditor::dialogMatchesLikeTheEngine()
{
    QFETCH(QByteArray, pattern);
    QFETCH(QByteArray, event);
    QFETCH(bool, expected);

    const Json patternJson = Json::parse(pattern.constData());
    PatternTestDialog dialog(JsonContent::EventPattern, patternJson);
    if (!event.isEmpty())
        dialog.setSampleText(QString::fromUtf8(event));
    const Json sample = dialog.sampleEvent();
    QVERIFY(sample.is_object());

    Diagnostics diagnostics;
    const auto engine = EventPattern::parse(patternJson, "", diagnostics);
    QVERIFY(engine);
    QCOMPARE(engine->matches(sample), expected);
    QCOMPARE(dialog.matches(), expected);
    QCOMPARE(dialog.evaluate(), expected);
    QCOMPARE(dialog.resultText(), expected ? QString("✔ Matches") : QString("✘ Does not match"));
}

void TestPatternEditor::dialogReportsSampleErrors()
{
    PatternTestDialog dialog(JsonContent::EventPattern, Json::parse(R"({"source":["a"]})"));
    dialog.setSampleText("{\n  \"source\": \"a\",\n}");
    QVERIFY(!dialog.matches());
    QVERIFY2(dialog.resultText().startsWith("Sample: line 3, column 1:"),
             qPrintable(dialog.resultText()));
    QVERIFY(dialog.sampleEvent().is_null());

    dialog.setSampleText("[]");
    QVERIFY(!dialog.matches());
    QVERIFY(dialog.resultText().contains("JSON object"));

    dialog.setSampleText(R"({"source":"a"})");
    QVERIFY(dialog.matches());

    dialog.setSampleEvent(Json());
    QCOMPARE(dialog.sampleText(), PatternTestDialog::defaultSampleText(JsonContent::EventPattern));

    PatternTestDialog invalid(JsonContent::EventPattern, Json::parse(kInvalidNumeric));
    QVERIFY(!invalid.matches());
    QVERIFY2(invalid.resultText().contains("/detail/amount/0/numeric/1"),
             qPrintable(invalid.resultText()));
}

void TestPatternEditor::dialogMatchesFilterPolicies_data()
{
    QTest::addColumn<QByteArray>("policy");
    QTest::addColumn<FilterPolicyScope>("scope");
    QTest::addColumn<QByteArray>("message"); // empty: the default sample
    QTest::addColumn<bool>("expected");

    const auto attributes = FilterPolicyScope::MessageAttributes;
    const auto body = FilterPolicyScope::MessageBody;
    QTest::newRow("attribute equals")
        << QByteArray(R"({"store":["example_corp"]})") << attributes << QByteArray() << true;
    QTest::newRow("attribute array")
        << QByteArray(R"({"customer_interests":["rugby"]})") << attributes << QByteArray() << true;
    QTest::newRow("attribute numeric") << QByteArray(R"({"price_usd":[{"numeric":[">=",100]}]})")
                                       << attributes << QByteArray() << false;
    QTest::newRow("no attributes") << QByteArray(R"({"store":[{"exists":false}]})") << attributes
                                   << QByteArray(R"({"body":{"store":"x"}})") << false;
    QTest::newRow("body nested") << QByteArray(R"({"customer":{"tier":["gold"]}})") << body
                                 << QByteArray() << true;
    QTest::newRow("body ignores attributes")
        << QByteArray(R"({"store":["example_corp"]})") << body << QByteArray() << false;
}

void TestPatternEditor::dialogMatchesFilterPolicies()
{
    QFETCH(QByteArray, policy);
    QFETCH(FilterPolicyScope, scope);
    QFETCH(QByteArray, message);
    QFETCH(bool, expected);

    const Json policyJson = Json::parse(policy.constData());
    PatternTestDialog dialog(JsonContent::FilterPolicy, policyJson, scope);
    if (!message.isEmpty())
        dialog.setSampleText(QString::fromUtf8(message));
    const Json sample = dialog.sampleEvent();

    Diagnostics diagnostics;
    const auto engine = FilterPolicy::parse(policyJson, scope, "", diagnostics);
    QVERIFY(engine);
    const Json attributes = sample.contains("attributes") ? sample["attributes"] : Json();
    const Json body = sample.contains("body") ? sample["body"] : Json();
    QCOMPARE(engine->matches(attributes, body), expected);
    QCOMPARE(dialog.matches(), expected);
    QVERIFY2(dialog.resultText().startsWith(expected ? "✔ Matches" : "✘ Does not match"),
             qPrintable(dialog.resultText()));
    QVERIFY(!dialog.findChild<QLabel*>("hint")->text().isEmpty());
}

void TestPatternEditor::editorOpensDialogWithItsSample()
{
    PatternEditor editor(JsonContent::EventPattern);
    editor.setValue(Json::parse(R"({"source":["shop.orders"]})"));
    const Json sample = Json::parse(R"({"source":"billing"})");
    editor.setSampleEvent(sample);

    PatternTestDialog* dialog = editor.openTestDialog();
    QVERIFY(dialog);
    QCOMPARE(dialog->sampleEvent(), sample);
    QVERIFY(!dialog->matches());

    // What the user tried in the dialog is where it starts next time.
    dialog->setSampleText(R"({"source":"shop.orders"})");
    QVERIFY(dialog->matches());
    QPointer<PatternTestDialog> closing(dialog);
    dialog->reject();
    QCOMPARE(editor.sampleEvent(), Json::parse(R"({"source":"shop.orders"})"));
    QTRY_VERIFY(closing.isNull()); // deleted on close
}

QTEST_MAIN(TestPatternEditor)
#include "TestPatternEditor.moc"
