#include "ModelTestSupport.h"
#include "model/CatalogReference.h"
#include "model/ComponentCatalog.h"
#include "model/DesignFile.h"
#include "model/DesignGraph.h"
#include "model/Validator.h"

#include <QtTest>

#include <fstream>
#include <set>
#include <sstream>

using namespace eventflow::model;

using eventflow::test::describe;

namespace {

/// docs/file-format.md as lines.
std::vector<std::string> documentLines()
{
    std::ifstream in(EVENTFLOW_SOURCE_DIR "/docs/file-format.md");
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}

/// The lines of the section whose heading begins with "`name`" (after the #s), up to the next
/// heading; empty when there is no such section.
std::vector<std::string> section(const std::vector<std::string>& lines, const std::string& name)
{
    std::vector<std::string> body;
    bool inside = false;
    for (const auto& line : lines) {
        const bool heading = line.rfind('#', 0) == 0;
        if (heading && inside)
            break;
        if (heading) {
            const auto text = line.find_first_not_of('#');
            inside = text != std::string::npos &&
                     line.compare(text, name.size() + 3, " `" + name + "`") == 0;
            continue;
        }
        if (inside)
            body.push_back(line);
    }
    return body;
}

/// Cells of a Markdown table row, trimmed; empty for other lines.
std::vector<std::string> cells(const std::string& line)
{
    std::vector<std::string> result;
    if (line.rfind("| ", 0) != 0)
        return result;
    std::string cell;
    std::istringstream in(line.substr(1));
    while (std::getline(in, cell, '|')) {
        const auto first = cell.find_first_not_of(' ');
        const auto last = cell.find_last_not_of(' ');
        result.push_back(first == std::string::npos ? std::string{}
                                                    : cell.substr(first, last - first + 1));
    }
    return result;
}

std::string code(const std::string& text)
{
    return "`" + text + "`";
}

/// The fenced ```json blocks of the document.
std::vector<std::string> jsonBlocks(const std::vector<std::string>& lines)
{
    std::vector<std::string> blocks;
    std::string current;
    bool inside = false;
    for (const auto& line : lines) {
        if (!inside && line == "```json") {
            inside = true;
            current.clear();
        } else if (inside && line == "```") {
            inside = false;
            blocks.push_back(current);
        } else if (inside) {
            current += line + "\n";
        }
    }
    return blocks;
}

} // namespace

/// Keeps docs/file-format.md in step with the catalogue: every parameter of every component type
/// and connection kind has its row (with scope, unit, range and default), the table of allowed
/// connections matches ComponentCatalog::allowedKinds, and every JSON example is valid.
class TestFileFormatDoc : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void documentsEveryParameter_data();
    void documentsEveryParameter();
    void documentsEveryAllowedConnection();
    void examplesAreValid();

private:
    std::vector<std::string> m_lines;
};

void TestFileFormatDoc::initTestCase()
{
    m_lines = documentLines();
    QVERIFY2(!m_lines.empty(), "docs/file-format.md is missing or empty");
}

void TestFileFormatDoc::documentsEveryParameter_data()
{
    QTest::addColumn<QString>("section");
    QTest::addColumn<int>("owner"); // 0: component type, 1: connection kind
    QTest::addColumn<int>("index");
    for (auto type : kAllComponentTypes) {
        const auto& specs = ComponentCatalog::componentParameters(type);
        for (std::size_t i = 0; i < specs.size(); ++i)
            QTest::addRow("%s %s", componentTypeName(type).data(), specs[i].key.c_str())
                << QString::fromUtf8(componentTypeName(type).data()) << 0 << static_cast<int>(i);
    }
    for (auto kind : kAllConnectionKinds) {
        const auto& specs = ComponentCatalog::connectionParameters(kind);
        for (std::size_t i = 0; i < specs.size(); ++i)
            QTest::addRow("%s %s", connectionKindName(kind).data(), specs[i].key.c_str())
                << QString::fromUtf8(connectionKindName(kind).data()) << 1 << static_cast<int>(i);
        if (specs.empty())
            QTest::addRow("%s (none)", connectionKindName(kind).data())
                << QString::fromUtf8(connectionKindName(kind).data()) << 1 << -1;
    }
}

void TestFileFormatDoc::documentsEveryParameter()
{
    QFETCH(QString, section);
    QFETCH(int, owner);
    QFETCH(int, index);
    const std::string name = section.toStdString();
    const auto body = ::section(m_lines, name);
    QVERIFY2(!body.empty(), qPrintable("no section headed `" + section + "`"));
    if (index < 0) {
        QVERIFY2(std::find(body.begin(), body.end(), "No parameters.") != body.end(),
                 qPrintable("section `" + section + "` should say \"No parameters.\""));
        return;
    }
    const ParameterSpec& spec =
        owner == 0 ? ComponentCatalog::componentParameters(*componentTypeFromName(name))[index]
                   : ComponentCatalog::connectionParameters(*connectionKindFromName(name))[index];

    std::vector<std::string> row;
    for (const auto& line : body) {
        auto c = cells(line);
        if (c.size() == 7 && c[0] == code(spec.key) &&
            c[1] == (spec.scope == ParameterScope::Aws ? "props" : "sim"))
            row = std::move(c);
    }
    QVERIFY2(!row.empty(), qPrintable(QStringLiteral("no row for `%1` in section `%2`")
                                          .arg(QString::fromStdString(spec.key), section)));
    QCOMPARE(QString::fromStdString(row[3]),
             QString::fromStdString(spec.unit.empty() ? "\u2014" : spec.unit));
    QCOMPARE(QString::fromStdString(row[4]), QString::fromStdString(parameterRangeText(spec)));
    if (spec.defaultValue.is_null()) {
        QCOMPARE(QString::fromStdString(row[5]), QStringLiteral("\u2014"));
    } else {
        const std::string cell = row[5];
        QVERIFY2(cell.size() > 2 && cell.front() == '`' && cell.back() == '`', cell.c_str());
        const auto documented =
            nlohmann::json::parse(cell.substr(1, cell.size() - 2), nullptr, false);
        QVERIFY2(documented == spec.defaultValue,
                 qPrintable(QStringLiteral("default %1, catalogue %2")
                                .arg(QString::fromStdString(cell),
                                     QString::fromStdString(spec.defaultValue.dump()))));
    }
}

void TestFileFormatDoc::documentsEveryAllowedConnection()
{
    std::set<std::string> rows;
    for (const auto& line : m_lines) {
        const auto c = cells(line);
        if (c.size() == 3 && c[0].size() > 2 && c[1].size() > 2 && c[0].front() == '`' &&
            c[1].front() == '`' && componentTypeFromName(c[0].substr(1, c[0].size() - 2)) &&
            componentTypeFromName(c[1].substr(1, c[1].size() - 2)))
            rows.insert(line);
    }
    std::size_t pairs = 0;
    for (auto from : kAllComponentTypes)
        for (auto to : kAllComponentTypes) {
            const auto kinds = ComponentCatalog::allowedKinds(from, to);
            if (kinds.empty())
                continue;
            ++pairs;
            std::string expected = "| " + code(std::string(componentTypeName(from))) + " | " +
                                   code(std::string(componentTypeName(to))) + " | ";
            for (std::size_t i = 0; i < kinds.size(); ++i)
                expected += (i ? ", " : "") + code(std::string(connectionKindName(kinds[i])));
            expected += " |";
            QVERIFY2(rows.count(expected),
                     qPrintable(QString::fromStdString("missing: " + expected)));
        }
    QCOMPARE(rows.size(), pairs); // and no pair the catalogue refuses
}

void TestFileFormatDoc::examplesAreValid()
{
    const auto blocks = jsonBlocks(m_lines);
    QVERIFY(blocks.size() >= 11);
    int designs = 0;
    int components = 0;
    for (const auto& block : blocks) {
        const auto value = nlohmann::json::parse(block, nullptr, false);
        QVERIFY2(!value.is_discarded(), qPrintable("not JSON:\n" + QString::fromStdString(block)));
        nlohmann::json document;
        const bool completeExample = designs == 0 && value.contains("format");
        if (value.contains("format")) {
            document = value;
            ++designs;
        } else if (value.contains("type") && value.contains("id")) {
            document = {{"format", "eventflow/1"}, {"components", {value}}};
            ++components;
        } else {
            continue; // a fragment (traffic entry, fault)
        }
        const auto loaded = DesignFile::fromJson(document);
        QVERIFY2(loaded.design,
                 qPrintable(QString::fromStdString(block) + describe(loaded.diagnostics)));
        const auto diagnostics = Validator::validate(*loaded.design);
        QVERIFY2(!hasErrors(diagnostics),
                 qPrintable(QString::fromStdString(block) + describe(diagnostics)));
        if (completeExample)
            QVERIFY2(diagnostics.empty(), qPrintable("the complete example should be advice-free:" +
                                                     describe(diagnostics)));
    }
    QCOMPARE(components, static_cast<int>(kAllComponentTypes.size())); // one example per type
    QVERIFY(designs >= 3); // the complete design and both sides of the migration
}

QTEST_APPLESS_MAIN(TestFileFormatDoc)
#include "TestFileFormatDoc.moc"
