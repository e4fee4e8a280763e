#include "ModelTestSupport.h"
#include "model/DesignFile.h"
#include "model/Validator.h"

#include <QtTest>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace eventflow::model;
namespace fs = std::filesystem;

using eventflow::test::describe;
using eventflow::test::readFile;
using eventflow::test::writeFile;

namespace {

bool hasDiagnostic(const Diagnostics& diagnostics, const QString& pointer, const QString& message)
{
    return std::any_of(diagnostics.begin(), diagnostics.end(), [&](const Diagnostic& d) {
        return QString::fromStdString(d.pointer) == pointer &&
               QString::fromStdString(d.message).contains(message);
    });
}

/// Everything the format can hold, including AWS properties the simulation does not model.
const char* const kRichDesign = R"({
  "format": "eventflow/1",
  "name": "Orders",
  "description": "Checkout \u2192 fulfilment, with a \u0022quoted\u0022 word",
  "components": [
    {"id": "web", "type": "producer", "label": "Web shop", "position": {"x": 10, "y": -20.5},
     "sim": {"client_timeout_ms": 5000}},
    {"id": "api", "type": "api", "props": {"ApiType": "HTTP", "CorsConfiguration": {"AllowOrigins": ["*"]}}},
    {"id": "orders", "type": "queue",
     "props": {"VisibilityTimeout": 180, "RedrivePolicy": {"maxReceiveCount": 5,
               "deadLetterTargetArn": "arn:aws:sqs:eu-west-1:123456789012:orders-dlq"},
               "KmsMasterKeyId": "alias/aws/sqs", "Tags": [{"Key": "team", "Value": "checkout"}]}},
    {"id": "worker", "type": "function", "props": {"Timeout": 30, "Runtime": "python3.12"},
     "sim": {"duration": {"dist": "lognormal", "p50": 120, "p99": 900}, "cold_start": 300}}
  ],
  "connections": [
    {"from": "web", "to": "api", "kind": "invoke", "sim": {"timeout_ms": 3000, "max_retries": 2}},
    {"from": "orders", "to": "worker", "kind": "event_source",
     "props": {"BatchSize": 10, "FunctionResponseTypes": ["ReportBatchItemFailures"]}}
  ],
  "traffic": [
    {"producer": "web", "profile": {"kind": "spike", "rate": 20, "peak_rate": 400, "start_s": 30, "end_s": 40},
     "events": [{"weight": 2, "source": "shop", "detail-type": "OrderPlaced",
                 "detail": {"total": {"dist": "exponential", "mean": 42.5}, "items": [1, 2, 3],
                            "country": {"oneOf": ["DE", "FR", null]}},
                 "attributes": {"priority": {"oneOf": ["high", "low"]}}, "size_bytes": 1500},
                {"weight": 0.5}]}
  ],
  "faults": [{"component": "worker", "kind": "error_rate", "start_s": 10, "end_s": 20, "value": 0.25}],
  "simulation": {"duration_s": 120, "warmup_s": 10, "seed": 18446744073709551615,
                 "sample_interval_s": 0.5, "account_concurrency": 3000}
})";

} // namespace

class TestDesignFile : public QObject {
    Q_OBJECT

private slots:
    void reSaveIsByteIdentical_data();
    void reSaveIsByteIdentical();
    void keepsUnknownAwsProperties();
    void savesAndLoadsFiles();
    void migratesFromVersion0();
    void rejectsUnknownFormats_data();
    void rejectsUnknownFormats();
    void reportsMalformedFiles_data();
    void reportsMalformedFiles();
    void leavesMeaningToTheValidator_data();
    void leavesMeaningToTheValidator();
    void reportsAMissingFile();
    void saveIntoMissingDirectoryWritesNothing();
    void failedSaveKeepsTheOldFile();
    void failedRenameLeavesNoTemporaryFile();
    void saveIntoReadOnlyDirectoryKeepsTheOldFile();

private:
    QTemporaryDir m_dir;
    fs::path dir() const { return fs::path(m_dir.path().toStdString()); }
};

void TestDesignFile::reSaveIsByteIdentical_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("minimal") << QStringLiteral(R"({"format": "eventflow/1", "components": []})");
    QTest::newRow("lesson") << QStringLiteral(
        R"({"format": "eventflow/1", "components": [],
            "lesson": {"outcome": "Backlog drains in 40 s.", "compare_with": "other"}})");
    QTest::newRow("rich") << QString::fromUtf8(kRichDesign);
    for (const char* profile :
         {R"({"kind": "constant", "rate": 3})",
          R"({"kind": "bursty", "rate": 50, "on_s": 2, "off_s": 8})",
          R"({"kind": "ramp", "rate": 1, "to_rate": 100, "start_s": 0, "end_s": 60})",
          R"({"kind": "diurnal", "rate": 10, "amplitude": 0.8, "period_s": 600})"})
        QTest::newRow(profile)
            << QStringLiteral(
                   R"({"format": "eventflow/1", "components": [{"id": "p", "type": "producer"}],
                                          "traffic": [{"producer": "p", "profile": %1}]})")
                   .arg(QString::fromUtf8(profile));
}

void TestDesignFile::reSaveIsByteIdentical()
{
    QFETCH(QString, text);
    const auto first = DesignFile::parse(text.toStdString());
    QVERIFY2(first.design, qPrintable(describe(first.diagnostics)));
    const std::string saved = DesignFile::serialize(*first.design);
    QVERIFY(saved.ends_with("\n"));
    const auto second = DesignFile::parse(saved);
    QVERIFY2(second.design, qPrintable(describe(second.diagnostics)));
    QCOMPARE(QString::fromStdString(DesignFile::serialize(*second.design)),
             QString::fromStdString(saved));
    QVERIFY(second.diagnostics.empty());
}

void TestDesignFile::keepsUnknownAwsProperties()
{
    const auto loaded = DesignFile::parse(kRichDesign);
    QVERIFY(loaded.design);
    const auto again = DesignFile::parse(DesignFile::serialize(*loaded.design));
    QVERIFY(again.design);
    const Design& d = *again.design;
    QCOMPARE(d.components[2].props["KmsMasterKeyId"].get<std::string>(),
             std::string("alias/aws/sqs"));
    QCOMPARE(d.components[2].props["Tags"][0]["Value"].get<std::string>(), std::string("checkout"));
    QCOMPARE(d.components[2].props["RedrivePolicy"]["deadLetterTargetArn"].get<std::string>(),
             std::string("arn:aws:sqs:eu-west-1:123456789012:orders-dlq"));
    QCOMPARE(d.components[3].props["Runtime"].get<std::string>(), std::string("python3.12"));
    QCOMPARE(d.connections[1].props["FunctionResponseTypes"][0].get<std::string>(),
             std::string("ReportBatchItemFailures"));
    QCOMPARE(d.simulation.seed, std::uint64_t{18446744073709551615u});
    QCOMPARE(d.description, std::string("Checkout \u2192 fulfilment, with a \"quoted\" word"));
    QCOMPARE(d.traffic[0].events[0].detail["country"]["oneOf"][2], nlohmann::json(nullptr));
    QCOMPARE(d.faults[0].value, 0.25);
}

void TestDesignFile::savesAndLoadsFiles()
{
    const auto loaded = DesignFile::parse(kRichDesign);
    QVERIFY(loaded.design);
    const fs::path first = dir() / "orders.eventflow.json";
    const fs::path second = dir() / "orders-again.eventflow.json";
    QCOMPARE(DesignFile::save(*loaded.design, first), std::optional<std::string>{});
    QVERIFY(!fs::exists(first.string() + ".saving"));
    QCOMPARE(readFile(first), DesignFile::serialize(*loaded.design));

    const auto reloaded = DesignFile::load(first);
    QVERIFY2(reloaded.design, qPrintable(describe(reloaded.diagnostics)));
    QCOMPARE(DesignFile::save(*reloaded.design, second), std::optional<std::string>{});
    QCOMPARE(readFile(second), readFile(first));

    // Saving over an existing file replaces it.
    Design renamed = *reloaded.design;
    renamed.name = "Renamed";
    QCOMPARE(DesignFile::save(renamed, first), std::optional<std::string>{});
    QCOMPARE(DesignFile::load(first).design->name, std::string("Renamed"));
}

void TestDesignFile::migratesFromVersion0()
{
    const char* v0 = R"({
      "format": "eventflow/0",
      "name": "Prototype",
      "nodes": [
        {"id": "q", "kind": "queue", "params": {"VisibilityTimeout": 120}},
        {"id": "f", "kind": "function", "params": {"Timeout": 10}, "sim": {"duration": 50}}
      ],
      "links": [{"source": "q", "target": "f", "type": "event_source"}],
      "simulation": {"duration_ms": 90000, "seed": 7}
    })";
    const auto result = DesignFile::parse(v0);
    QVERIFY2(result.design, qPrintable(describe(result.diagnostics)));
    const Design& d = *result.design;
    QCOMPARE(d.name, std::string("Prototype"));
    QCOMPARE(d.components.size(), std::size_t{2});
    QCOMPARE(d.components[0].type, ComponentType::Queue);
    QCOMPARE(d.components[0].props["VisibilityTimeout"].get<int>(), 120);
    QCOMPARE(d.components[1].type, ComponentType::Function);
    QCOMPARE(d.components[1].number(ParameterScope::Sim, "duration"), 50.0);
    QCOMPARE(d.connections.size(), std::size_t{1});
    QCOMPARE(d.connections[0].from, std::string("q"));
    QCOMPARE(d.connections[0].to, std::string("f"));
    QCOMPARE(d.connections[0].kind, ConnectionKind::EventSource);
    QCOMPARE(d.simulation.durationSeconds, 90.0);
    QCOMPARE(d.simulation.seed, std::uint64_t{7});

    // Saving writes the current format, with none of the old names.
    const auto saved = nlohmann::json::parse(DesignFile::serialize(d));
    QCOMPARE(saved["format"].get<std::string>(), std::string(DesignFile::kFormat));
    for (const char* old : {"nodes", "links"})
        QVERIFY(!saved.contains(old));
    QVERIFY(!saved["components"][0].contains("kind"));
    QVERIFY(!saved["components"][0].contains("params"));
    QVERIFY(!saved["simulation"].contains("duration_ms"));
    QVERIFY(!hasErrors(Validator::validate(d)));

    // migrate() on its own brings the document to eventflow/1.
    auto document = nlohmann::json::parse(v0);
    Diagnostics diagnostics;
    QVERIFY(DesignFile::migrate(document, diagnostics));
    QVERIFY(diagnostics.empty());
    QCOMPARE(document["format"].get<std::string>(), std::string("eventflow/1"));
    QCOMPARE(document["connections"][0]["kind"].get<std::string>(), std::string("event_source"));
}

void TestDesignFile::rejectsUnknownFormats_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("message");
    QTest::newRow("newer") << QStringLiteral(R"({"format": "eventflow/9", "components": []})")
                           << QStringLiteral("unsupported format \"eventflow/9\"");
    QTest::newRow("missing") << QStringLiteral(R"({"components": []})")
                             << QStringLiteral("missing \"format\"");
    QTest::newRow("not a string") << QStringLiteral(R"({"format": 1, "components": []})")
                                  << QStringLiteral("missing \"format\"");
}

void TestDesignFile::rejectsUnknownFormats()
{
    QFETCH(QString, text);
    QFETCH(QString, message);
    const auto result = DesignFile::parse(text.toStdString());
    QVERIFY(!result.design);
    QVERIFY(!result.unreadable);
    QVERIFY2(hasDiagnostic(result.diagnostics, QStringLiteral("/format"), message),
             qPrintable(describe(result.diagnostics)));
}

void TestDesignFile::reportsMalformedFiles_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("unreadable");
    QTest::addColumn<QString>("pointer");
    QTest::addColumn<QString>("message");

    QTest::newRow("truncated")
        << QStringLiteral("{\"format\": \"eventflow/1\",\n  \"components\": [\n    {\"id\": \"q\"")
        << true << QString() << QStringLiteral("at line 3, column 15");
    QTest::newRow("trailing comma")
        << QStringLiteral("{\"format\": \"eventflow/1\",\n\"components\": [],\n}") << true
        << QString() << QStringLiteral("line 3, column 1");
    QTest::newRow("number too large")
        << QStringLiteral(R"({"format": "eventflow/1", "components": [], "name": 1e400})") << true
        << QString() << QStringLiteral("number overflow");
    QTest::newRow("empty file") << QString() << true << QString()
                                << QStringLiteral("not valid JSON");
    QTest::newRow("not an object") << QStringLiteral("[1, 2]") << false << QString()
                                   << QStringLiteral("must hold a JSON object, found array");
    QTest::newRow("missing components")
        << QStringLiteral(R"({"format": "eventflow/1"})") << false << QStringLiteral("/components")
        << QStringLiteral("missing required field \"components\"");
    QTest::newRow("lesson not an object")
        << QStringLiteral(R"({"format": "eventflow/1", "components": [], "lesson": "x"})") << false
        << QStringLiteral("/lesson") << QStringLiteral("expected an object, found string");
    QTest::newRow("lesson outcome not text")
        << QStringLiteral(R"({"format": "eventflow/1", "components": [], "lesson": {"outcome": 3}})")
        << false << QStringLiteral("/lesson/outcome") << QStringLiteral("expected a string, found number");
    QTest::newRow("components not an array")
        << QStringLiteral(R"({"format": "eventflow/1", "components": {}})") << false
        << QStringLiteral("/components") << QStringLiteral("expected an array, found object");
    QTest::newRow("component not an object")
        << QStringLiteral(R"({"format": "eventflow/1", "components": ["q"]})") << false
        << QStringLiteral("/components/0") << QStringLiteral("expected an object, found string");
    QTest::newRow("id of the wrong type")
        << QStringLiteral(
               R"({"format": "eventflow/1", "components": [{"id": 5, "type": "queue"}]})")
        << false << QStringLiteral("/components/0/id")
        << QStringLiteral("expected a string, found number");
    QTest::newRow("missing type")
        << QStringLiteral(R"({"format": "eventflow/1", "components": [{"id": "q"}]})") << false
        << QStringLiteral("/components/0/type")
        << QStringLiteral("missing required field \"type\"");
    QTest::newRow("unknown component type")
        << QStringLiteral(
               R"({"format": "eventflow/1", "components": [{"id": "q", "type": "lambda"}]})")
        << false << QStringLiteral("/components/0/type")
        << QStringLiteral("unknown component type \"lambda\"");
    QTest::newRow("props not an object")
        << QStringLiteral(
               R"({"format": "eventflow/1", "components": [{"id": "q", "type": "queue", "props": []}]})")
        << false << QStringLiteral("/components/0/props")
        << QStringLiteral("expected an object, found array");
    QTest::newRow("position of the wrong type")
        << QStringLiteral(
               R"({"format": "eventflow/1", "components": [{"id": "q", "type": "queue", "position": {"x": "1"}}]})")
        << false << QStringLiteral("/components/0/position/x")
        << QStringLiteral("expected a number, found string");
    QTest::newRow("unknown connection kind")
        << QStringLiteral(R"({"format": "eventflow/1", "components": [],
                              "connections": [{"from": "a", "to": "b", "kind": "pipe"}]})")
        << false << QStringLiteral("/connections/0/kind")
        << QStringLiteral("unknown connection kind \"pipe\"");
    QTest::newRow("rate of the wrong type")
        << QStringLiteral(R"({"format": "eventflow/1", "components": [],
                              "traffic": [{"producer": "p", "profile": {"rate": "fast"}}]})")
        << false << QStringLiteral("/traffic/0/profile/rate")
        << QStringLiteral("expected a number, found string");
    QTest::newRow("unknown rate profile")
        << QStringLiteral(R"({"format": "eventflow/1", "components": [],
                              "traffic": [{"producer": "p", "profile": {"kind": "sine"}}]})")
        << false << QStringLiteral("/traffic/0/profile/kind")
        << QStringLiteral("unknown rate profile \"sine\"");
    QTest::newRow("unknown fault kind")
        << QStringLiteral(R"({"format": "eventflow/1", "components": [],
                              "faults": [{"component": "q", "kind": "fire"}]})")
        << false << QStringLiteral("/faults/0/kind")
        << QStringLiteral("unknown fault kind \"fire\"");
    QTest::newRow("duration as a string")
        << QStringLiteral(
               R"({"format": "eventflow/1", "components": [], "simulation": {"duration_s": "60"}})")
        << false << QStringLiteral("/simulation/duration_s")
        << QStringLiteral("expected a number, found string");
    QTest::newRow("negative seed")
        << QStringLiteral(
               R"({"format": "eventflow/1", "components": [], "simulation": {"seed": -1}})")
        << false << QStringLiteral("/simulation/seed")
        << QStringLiteral("the seed must be an integer");
    QTest::newRow("seed beyond 64 bits")
        << QStringLiteral(
               R"({"format": "eventflow/1", "components": [], "simulation": {"seed": 1e30}})")
        << false << QStringLiteral("/simulation/seed")
        << QStringLiteral("the seed must be an integer");
}

void TestDesignFile::reportsMalformedFiles()
{
    QFETCH(QString, text);
    QFETCH(bool, unreadable);
    QFETCH(QString, pointer);
    QFETCH(QString, message);
    const auto result = DesignFile::parse(text.toStdString());
    QVERIFY(!result.design);
    QCOMPARE(result.unreadable, unreadable);
    QVERIFY2(hasDiagnostic(result.diagnostics, pointer, message),
             qPrintable(describe(result.diagnostics)));
    for (const auto& d : result.diagnostics)
        QCOMPARE(d.severity, Severity::Error);
}

void TestDesignFile::leavesMeaningToTheValidator_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("pointer");
    QTest::addColumn<QString>("message");
    QTest::newRow("dangling connection")
        << QStringLiteral(
               R"({"format": "eventflow/1", "components": [{"id": "s", "type": "service"}],
                              "connections": [{"from": "s", "to": "orders", "kind": "send"}]})")
        << QStringLiteral("/connections/0/to")
        << QStringLiteral("no component has the id \"orders\"");
    QTest::newRow("negative rate")
        << QStringLiteral(
               R"({"format": "eventflow/1", "components": [{"id": "p", "type": "producer"}],
                              "traffic": [{"producer": "p", "profile": {"kind": "constant", "rate": -2}}]})")
        << QStringLiteral("/traffic/0/profile/rate") << QStringLiteral("cannot be negative");
}

void TestDesignFile::leavesMeaningToTheValidator()
{
    QFETCH(QString, text);
    QFETCH(QString, pointer);
    QFETCH(QString, message);
    const auto result = DesignFile::parse(text.toStdString());
    QVERIFY2(result.design, qPrintable(describe(result.diagnostics))); // the shape is right
    const auto diagnostics = Validator::validate(*result.design);
    QVERIFY2(hasDiagnostic(diagnostics, pointer, message), qPrintable(describe(diagnostics)));
    QVERIFY(hasErrors(diagnostics));
}

void TestDesignFile::reportsAMissingFile()
{
    const auto result = DesignFile::load(dir() / "absent.eventflow.json");
    QVERIFY(!result.design);
    QVERIFY(result.unreadable);
    QVERIFY(hasDiagnostic(result.diagnostics, QString(), QStringLiteral("cannot open")));
}

void TestDesignFile::saveIntoMissingDirectoryWritesNothing()
{
    const auto design = DesignFile::parse(kRichDesign).design;
    QVERIFY(design);
    const fs::path missing = dir() / "no-such-folder";
    const auto error = DesignFile::save(*design, missing / "d.eventflow.json");
    QVERIFY(error);
    QVERIFY2(QString::fromStdString(*error).contains(QStringLiteral("cannot write")),
             error->c_str());
    QVERIFY(!fs::exists(missing));
}

void TestDesignFile::failedSaveKeepsTheOldFile()
{
    const auto design = DesignFile::parse(kRichDesign).design;
    QVERIFY(design);
    const fs::path target = dir() / "kept.eventflow.json";
    writeFile(target, "old contents\n");
    // A directory where the temporary file would go makes writing it fail.
    fs::create_directory(target.string() + ".saving");
    const auto error = DesignFile::save(*design, target);
    fs::remove(target.string() + ".saving");
    QVERIFY(error);
    QCOMPARE(readFile(target), std::string("old contents\n"));
}

void TestDesignFile::failedRenameLeavesNoTemporaryFile()
{
    const auto design = DesignFile::parse(kRichDesign).design;
    QVERIFY(design);
    // A non-empty directory cannot be replaced by a file: the final rename fails.
    const fs::path target = dir() / "occupied.eventflow.json";
    fs::create_directory(target);
    writeFile(target / "inside.txt", "x");
    const auto error = DesignFile::save(*design, target);
    QVERIFY(error);
    QVERIFY2(QString::fromStdString(*error).contains(QStringLiteral("cannot replace")),
             error->c_str());
    QVERIFY(!fs::exists(target.string() + ".saving"));
    QCOMPARE(readFile(target / "inside.txt"), std::string("x"));
}

void TestDesignFile::saveIntoReadOnlyDirectoryKeepsTheOldFile()
{
    const auto design = DesignFile::parse(kRichDesign).design;
    QVERIFY(design);
    const fs::path folder = dir() / "read-only";
    fs::create_directory(folder);
    const fs::path target = folder / "d.eventflow.json";
    writeFile(target, "old contents\n");
    fs::permissions(folder, fs::perms::owner_read | fs::perms::owner_exec);
    const bool enforced = access(folder.c_str(), W_OK) != 0; // not for root
    std::optional<std::string> error;
    if (enforced)
        error = DesignFile::save(*design, target);
    fs::permissions(folder, fs::perms::owner_all);
    if (!enforced)
        QSKIP("directory permissions are not enforced for this user");
    QVERIFY(error);
    QCOMPARE(readFile(target), std::string("old contents\n"));
    QCOMPARE(std::distance(fs::directory_iterator(folder), fs::directory_iterator{}), 1);
}

QTEST_APPLESS_MAIN(TestDesignFile)
#include "TestDesignFile.moc"
