// Import → export gives back the template: the same resources with the same types and
// properties, and the same Parameters, Mappings, Conditions and Outputs, for every template of
// the shared SAM corpus (a folder beside the repository; skipped, saying so, when absent).
// Designer edits of an imported design reach the template while the rest stays as written.

#include "ModelTestSupport.h"
#include "model/TemplateExporter.h"
#include "model/TemplateImporter.h"
#include "model/YamlReader.h"

#include <QtTest>

#include <map>
#include <set>
#include <fstream>
#include <sstream>

using namespace eventflow::model;
using ordered_json = nlohmann::ordered_json;

using eventflow::test::readFile;
using eventflow::test::writeFile;

namespace {

QString corpusDirectory()
{
    return QStringLiteral(EVENTFLOW_SOURCE_DIR "/../shared/sam-corpus");
}

/// Key order does not matter to CloudFormation; compare as unordered JSON.
nlohmann::json unordered(const ordered_json& value)
{
    return nlohmann::json::parse(value.dump());
}

/// The first place where `a` and `b` differ, as a JSON pointer with both values; empty if equal.
std::string firstDifference(const nlohmann::json& a, const nlohmann::json& b, const std::string& at)
{
    if (a.is_object() && b.is_object()) {
        for (const auto& [key, value] : a.items()) {
            if (!b.contains(key))
                return at + "/" + key + " missing after the round trip";
            if (auto d = firstDifference(value, b.at(key), at + "/" + key); !d.empty())
                return d;
        }
        for (const auto& [key, value] : b.items())
            if (!a.contains(key))
                return at + "/" + key + " added by the round trip: " + value.dump().substr(0, 120);
        return {};
    }
    if (a != b)
        return at + ": " + a.dump().substr(0, 120) + " became " + b.dump().substr(0, 120);
    return {};
}

} // namespace

class TestTemplateRoundTrip : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void corpusRoundTrips_data()
    {
        QTest::addColumn<QString>("path");
        const QDir dir(corpusDirectory());
        if (!dir.exists())
            QSKIP("the SAM corpus (shared/sam-corpus beside the repository) is not here");
        for (const auto& name :
             dir.entryList({"*.yaml", "*.yml", "*.json"}, QDir::Files, QDir::Name))
            QTest::newRow(qPrintable(name)) << dir.filePath(name);
    }
    void corpusRoundTrips()
    {
        QFETCH(QString, path);
        const std::string text = readFile(path.toStdString());
        Diagnostics diagnostics;
        const auto original = readYaml(text, diagnostics);
        QVERIFY(original);
        auto imported = TemplateImporter::import(text, path.toStdString());
        QVERIFY2(imported.design, imported.diagnostics.empty()
                                      ? "no design"
                                      : imported.diagnostics.front().message.c_str());
        const bool sam = original->contains("Transform");
        Diagnostics exportDiagnostics;
        const auto exported = TemplateExporter::build(
            *imported.design, sam ? TemplateFlavour::Sam : TemplateFlavour::CloudFormation,
            exportDiagnostics);
        const auto a = unordered(*original);
        const auto b = unordered(exported);
        for (const char* section : {"Resources", "Parameters", "Mappings", "Conditions", "Outputs",
                                    "Globals", "Transform"}) {
            const auto inA = a.contains(section) ? a.at(section) : nlohmann::json::object();
            const auto inB = b.contains(section) ? b.at(section) : nlohmann::json::object();
            const auto difference = firstDifference(inA, inB, std::string("/") + section);
            QVERIFY2(difference.empty(), difference.c_str());
        }
    }

    // An imported design edited in the designer: the edits reach the template, a component
    // drawn in the designer is generated, and what was not touched stays as written.
    void designerEditsReachTheTemplate()
    {
        const QString path = corpusDirectory() + "/sqs-lambda-python-sam.yaml";
        if (!QFile::exists(path))
            QSKIP("the SAM corpus (shared/sam-corpus beside the repository) is not here");
        const std::string text = readFile(path.toStdString());
        auto imported = TemplateImporter::import(text, path.toStdString());
        QVERIFY(imported.design);
        Design design = *imported.design;
        Component audit;
        audit.id = "audit-queue";
        audit.type = ComponentType::Queue;
        design.components.push_back(audit);
        bool edited = false;
        bool moved = false;
        for (auto& c : design.connections) {
            if (c.kind == ConnectionKind::EventSource && c.to == "processor-function") {
                c.props["BatchSize"] = 5;
                edited = true;
            }
            if (c.kind == ConnectionKind::DeadLetter && c.from == "processor-function") {
                c.to = "audit-queue";
                moved = true;
            }
        }
        QVERIFY(edited && moved);
        Diagnostics diagnostics;
        const auto out =
            unordered(TemplateExporter::build(design, TemplateFlavour::Sam, diagnostics));
        Diagnostics readDiagnostics;
        const auto original = unordered(*readYaml(text, readDiagnostics));
        const auto& function = out["Resources"]["ProcessorFunction"]["Properties"];
        QCOMPARE(function["Events"]["MySQSEvent"]["Properties"]["BatchSize"], nlohmann::json(5));
        QCOMPARE(function["Events"]["MySQSEvent"]["Properties"]["Queue"],
                 original["Resources"]["ProcessorFunction"]["Properties"]["Events"]["MySQSEvent"]
                         ["Properties"]["Queue"]);
        QCOMPARE(function["DeadLetterQueue"],
                 nlohmann::json::parse(
                     R"({"Type": "SQS", "TargetArn": {"Fn::GetAtt": ["AuditQueue", "Arn"]}})"));
        QCOMPARE(out["Resources"]["AuditQueue"]["Type"], nlohmann::json("AWS::SQS::Queue"));
        for (const char* kept : {"ProcessingQueue", "ProcessingDLQ"})
            QCOMPARE(out["Resources"][kept], original["Resources"][kept]);
    }

    void corpusExportsAsCloudFormation()
    {
        // A template imported from SAM, exported without the transform: SAM-only properties
        // become their CloudFormation forms (CodeUri -> Code, Type -> StateMachineType, tag maps
        // -> lists...) so cfn-lint accepts the result. What still needs SAM is listed here.
        const std::map<QString, QString> stillNeedSam = {
            {"eventbridge-schedule-to-lambda-dlq-sam-python.yaml",
             "outputs reference the rule SAM generates for a ScheduleV2 event"},
            {"sns-sqs-lambda-xray.yaml", "an AWS::Serverless::LayerVersion kept as written"},
            {"stepfunctions-sns-apigw-human-review.yaml",
             "outputs reference the API SAM generates from a state machine's Api event"},
        };
        const QString cfnLint = eventflow::test::cfnLintPath();
        if (cfnLint.isEmpty())
            QSKIP("cfn-lint is not installed; CloudFormation exports were not linted");
        const QDir corpus(corpusDirectory());
        if (!corpus.exists())
            QSKIP("the SAM corpus (shared/sam-corpus beside the repository) is not here");
        QTemporaryDir dir;
        QStringList files;
        for (const QString& name : corpus.entryList({"*.yaml", "*.yml", "*.json"}, QDir::Files)) {
            const std::string text = readFile(corpus.filePath(name).toStdString());
            auto imported = TemplateImporter::import(text, name.toStdString());
            QVERIFY2(imported.design, qPrintable(name));
            Diagnostics diagnostics;
            const auto tmpl = TemplateExporter::build(*imported.design,
                                                      TemplateFlavour::CloudFormation, diagnostics);
            const QString out = dir.filePath(name);
            writeFile(out.toStdString(), TemplateExporter::write(tmpl, TemplateSyntax::Yaml));
            files << out;
        }
        const auto findings = eventflow::test::runCfnLint(cfnLint, files);
        QVERIFY2(findings, "cfn-lint did not run to the end");
        std::set<QString> failing;
        QStringList unexpected;
        for (const auto& finding : *findings)
            if (finding.rule.startsWith(QLatin1Char('E'))) {
                failing.insert(finding.file);
                if (!stillNeedSam.count(finding.file))
                    unexpected << finding.file + ": " + finding.rule + " " + finding.message;
            }
        QVERIFY2(unexpected.isEmpty(), qPrintable(unexpected.join(QLatin1Char('\n'))));
        for (const auto& [file, reason] : stillNeedSam)
            QVERIFY2(failing.count(file),
                     qPrintable(file + " now passes: remove it from the list (" + reason + ")"));
    }

    void editedResolvedValuesAreExportedAsEdited()
    {
        // Timeout comes from a parameter and MemorySize from Globals: the importer resolves both
        // for the simulation and remembers the originals. An edit must win over the original.
        const std::string text = R"(AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  TimeoutParam:
    Type: Number
    Default: 10
Globals:
  Function:
    MemorySize: 256
Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Timeout: !Ref TimeoutParam
  Reader:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Timeout: !Ref TimeoutParam
)";
        auto imported = TemplateImporter::import(text, "edits.yaml");
        QVERIFY(imported.design);
        Design design = *imported.design;
        auto* worker = &design.components[std::size_t(design.indexOf("worker"))];
        QCOMPARE(worker->props["Timeout"], nlohmann::json(10));
        QCOMPARE(worker->props["MemorySize"], nlohmann::json(256));
        worker->props["Timeout"] = 60;
        worker->props["MemorySize"] = 1024;

        Diagnostics diagnostics;
        const auto out =
            unordered(TemplateExporter::build(design, TemplateFlavour::Sam, diagnostics));
        const auto& edited = out["Resources"]["Worker"]["Properties"];
        QCOMPARE(edited["Timeout"], nlohmann::json(60));
        QCOMPARE(edited["MemorySize"], nlohmann::json(1024));
        // The untouched function keeps the template's own forms.
        const auto& untouched = out["Resources"]["Reader"]["Properties"];
        QCOMPARE(untouched["Timeout"], nlohmann::json::parse(R"({"Ref": "TimeoutParam"})"));
        QVERIFY(!untouched.contains("MemorySize"));
        QCOMPARE(out["Globals"]["Function"]["MemorySize"], nlohmann::json(256));
    }
};

QTEST_APPLESS_MAIN(TestTemplateRoundTrip)
#include "TestTemplateRoundTrip.moc"
