#include "ModelTestSupport.h"
#include "model/CatchPaths.h"
#include "model/DesignFile.h"
#include "model/DesignLayout.h"
#include "model/TemplateImporter.h"
#include "model/Validator.h"
#include "model/YamlReader.h"

#include <QtTest>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

using namespace eventflow::model;
namespace fs = std::filesystem;
using nlohmann::json;

using eventflow::test::describe;
using eventflow::test::readFile;

namespace {

const fs::path kCorpus = fs::path(EVENTFLOW_SOURCE_DIR) / ".." / "shared" / "sam-corpus";

/// "queue:6 topic:1 | dead_letter:3 subscription:3": the design's shape, for comparisons.
std::string shape(const Design& design)
{
    std::map<std::string, int> types;
    std::map<std::string, int> kinds;
    for (const auto& c : design.components)
        ++types[std::string(componentTypeName(c.type))];
    for (const auto& c : design.connections)
        ++kinds[std::string(connectionKindName(c.kind))];
    std::string out;
    for (const auto& [name, n] : types)
        out += (out.empty() ? "" : " ") + name + ":" + std::to_string(n);
    out += " |";
    for (const auto& [name, n] : kinds)
        out += " " + name + ":" + std::to_string(n);
    return out;
}

const Component* byLogicalId(const Design& design, const std::string& logicalId)
{
    for (const auto& c : design.components)
        if (c.templateExtras.value("LogicalId", "") == logicalId)
            return &c;
    return nullptr;
}

std::vector<const Connection*> connections(const Design& design, const std::string& from,
                                           const std::string& to, ConnectionKind kind)
{
    std::vector<const Connection*> found;
    for (const auto& c : design.connections)
        if (c.from == from && c.to == to && c.kind == kind)
            found.push_back(&c);
    return found;
}

bool reaches(const Design& design, const std::string& from, const std::string& to)
{
    std::set<std::string> seen{from};
    std::vector<std::string> stack{from};
    while (!stack.empty()) {
        const std::string v = stack.back();
        stack.pop_back();
        if (v == to)
            return true;
        for (const auto& c : design.connections)
            if (c.from == v && seen.insert(c.to).second)
                stack.push_back(c.to);
    }
    return false;
}

/// Boxes (the canvas draws components at most 160 x 80) never overlap, and every connection
/// runs left to right unless it is a dead-letter link or closes a cycle.
void checkLayout(const Design& design)
{
    for (std::size_t i = 0; i < design.components.size(); ++i)
        for (std::size_t j = i + 1; j < design.components.size(); ++j) {
            const auto& a = design.components[i].position;
            const auto& b = design.components[j].position;
            QVERIFY2(std::abs(a.x - b.x) >= 160 || std::abs(a.y - b.y) >= 80,
                     qPrintable(QString::fromStdString(design.components[i].id + " overlaps " +
                                                       design.components[j].id)));
        }
    for (const auto& c : design.connections) {
        if (c.kind == ConnectionKind::DeadLetter || reaches(design, c.to, c.from))
            continue;
        const auto* from = design.findComponent(c.from);
        const auto* to = design.findComponent(c.to);
        QVERIFY(from && to);
        QVERIFY2(to->position.x > from->position.x,
                 qPrintable(QString::fromStdString(c.from + " -> " + c.to + " runs leftwards")));
    }
}

ImportResult importText(const std::string& text)
{
    return TemplateImporter::import(text, "inline.yaml");
}

} // namespace

class TestTemplateImporter : public QObject {
    Q_OBJECT

private slots:
    void corpusImportsCleanly_data()
    {
        QTest::addColumn<QString>("file");
        if (!fs::is_directory(kCorpus))
            return;
        std::vector<fs::path> files;
        for (const auto& entry : fs::directory_iterator(kCorpus))
            if (entry.path().extension() == ".yaml" || entry.path().extension() == ".yml")
                files.push_back(entry.path());
        std::sort(files.begin(), files.end());
        for (const auto& f : files)
            QTest::newRow(f.filename().string().c_str()) << QString::fromStdString(f.string());
    }

    /// Every corpus template imports with no error, validates with no error, survives a save and
    /// load unchanged, is laid out left to right without overlaps, and loses nothing: each
    /// resource is a component, a connection that replaced it, or kept in template.Resources, and
    /// each other top-level section is kept verbatim.
    void corpusImportsCleanly()
    {
        if (!fs::is_directory(kCorpus))
            QSKIP("the SAM corpus (shared/sam-corpus beside the repository) is not there");
        QFETCH(QString, file);
        const std::string text = readFile(file.toStdString());
        const auto result = TemplateImporter::import(text, file.toStdString());
        QVERIFY2(!hasErrors(result.diagnostics), qPrintable(describe(result.diagnostics)));
        QVERIFY(result.design);
        const Design& design = *result.design;
        QVERIFY(!design.components.empty());

        const auto problems = Validator::validate(design);
        QVERIFY2(!hasErrors(problems), qPrintable(describe(problems)));

        const std::string saved = DesignFile::serialize(design);
        const auto loaded = DesignFile::parse(saved);
        QVERIFY2(loaded.design, qPrintable(describe(loaded.diagnostics)));
        QCOMPARE(DesignFile::serialize(*loaded.design), saved);

        checkLayout(design);

        Diagnostics readProblems;
        const auto original = readYaml(text, readProblems);
        QVERIFY(original);
        std::set<std::string> accounted;
        for (const auto& c : design.components)
            if (c.templateExtras.contains("LogicalId"))
                accounted.insert(c.templateExtras["LogicalId"].get<std::string>());
        for (const auto& c : design.connections)
            if (const auto* origin = findPath(c.props, "TemplateOrigin.Resource"))
                accounted.insert(origin->get<std::string>());
        const json kept = design.templateExtras.value("Resources", json::object());
        for (auto it = (*original)["Resources"].begin(); it != (*original)["Resources"].end();
             ++it) {
            if (kept.contains(it.key())) {
                QCOMPARE(kept[it.key()], json(it.value()));
                QVERIFY(!accounted.count(it.key()));
            } else {
                QVERIFY2(accounted.count(it.key()), it.key().c_str());
            }
        }
        for (auto it = original->begin(); it != original->end(); ++it)
            if (it.key() != "Resources")
                QCOMPARE(design.templateExtras.value(it.key(), json()), json(it.value()));
    }

    /// At least 95% of the corpus's architectural resources become components or connections.
    /// Supporting resources — IAM roles, log groups, queue and topic policies, Lambda permissions
    /// and API Gateway plumbing (methods, integrations, routes, stages, deployments) — are what
    /// connections imply, so they are kept verbatim and not counted as missing components.
    void corpusResourcesAreModelled()
    {
        if (!fs::is_directory(kCorpus))
            QSKIP("the SAM corpus (shared/sam-corpus beside the repository) is not there");
        static const std::set<std::string> supporting = {
            "AWS::IAM::Role", "AWS::IAM::Policy", "AWS::Logs::LogGroup", "AWS::SQS::QueuePolicy",
            "AWS::SNS::TopicPolicy", "AWS::Lambda::Permission", "AWS::ApiGateway::Deployment",
            "AWS::ApiGateway::Stage", "AWS::ApiGateway::Method", "AWS::ApiGateway::Resource",
            "AWS::ApiGatewayV2::Integration", "AWS::ApiGatewayV2::Route",
            "AWS::ApiGatewayV2::Stage", "AWS::ApiGatewayV2::ApiMapping"};
        int all = 0;
        int kept = 0;
        int architectural = 0;
        int keptArchitectural = 0;
        std::map<std::string, int> keptTypes;
        for (const auto& entry : fs::directory_iterator(kCorpus)) {
            if (entry.path().extension() != ".yaml")
                continue;
            const auto result = TemplateImporter::import(readFile(entry.path()), "corpus");
            QVERIFY(result.design);
            Diagnostics problems;
            const auto original = readYaml(readFile(entry.path()), problems);
            QVERIFY(original);
            const json keptHere = result.design->templateExtras.value("Resources", json::object());
            for (auto it = (*original)["Resources"].begin(); it != (*original)["Resources"].end();
                 ++it) {
                const std::string type = it.value().value("Type", std::string());
                const bool isKept = keptHere.contains(it.key());
                ++all;
                kept += isKept;
                if (supporting.count(type))
                    continue;
                ++architectural;
                if (isKept) {
                    ++keptArchitectural;
                    ++keptTypes[type];
                }
            }
        }
        QString unmodelled;
        for (const auto& [type, n] : keptTypes)
            unmodelled += QStringLiteral(" %1 x%2").arg(QString::fromStdString(type)).arg(n);
        const double share = double(architectural - keptArchitectural) / architectural;
        qInfo("corpus: %d resources, %d modelled (%.1f%%); architectural %d, modelled %d (%.1f%%);"
              " not modelled:%s",
              all, all - kept, 100.0 * (all - kept) / all, architectural,
              architectural - keptArchitectural, 100.0 * share, qPrintable(unmodelled));
        QVERIFY2(share >= 0.95, qPrintable(unmodelled));
    }

    void corpusShapes_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("expected");
        // Counted by hand from the templates.
        QTest::newRow("fan-out") << "sns-sqs-fanout.yaml"
                                 << "queue:6 topic:1 | dead_letter:3 subscription:3";
        QTest::newRow("topic subscription list") << "sns-sqs.yaml"
                                                 << "queue:1 topic:1 | subscription:1";
        QTest::newRow("sns-sqs-lambda") << "sns-sqs-lambda-xray.yaml"
                                        << "function:2 queue:1 topic:1 | event_source:1 send:1 "
                                           "subscription:1";
        QTest::newRow("SAM EventBridge event on the default bus")
            << "eventbridge-lambda.yaml"
            << "event_bus:1 function:1 rule:1 | rule_target:1 "
               "subscription:1";
        QTest::newRow("custom bus to Kinesis") << "eventbridge-kinesis.yaml"
                                               << "event_bus:1 rule:1 stream:1 | rule_target:1 "
                                                  "subscription:1";
        QTest::newRow("stream mapping with on-failure queue")
            << "kinesis-lambda-error-handling.yaml"
            << "function:1 queue:1 stream:1 | event_source:1 on_failure:1";
        QTest::newRow("queue and function dead-letter queues")
            << "sqs-lambda-python-sam.yaml"
            << "function:1 queue:2 | dead_letter:2 event_source:1";
        QTest::newRow("implicit API and CRUD policy") << "apigw-lambda-dynamodb.yaml"
                                                      << "api:1 database:1 function:1 | invoke:2";
        QTest::newRow("API, publisher, bus, rule, subscriber")
            << "apigw-lambda-eventbridge-lambda-sam-java.yaml"
            << "api:1 event_bus:1 function:2 rule:1 | invoke:1 rule_target:1 send:1 subscription:1";
        QTest::newRow("DynamoDB stream with filters")
            << "dynamodb-streams-lambda-event-filters.yaml"
            << "database:1 function:2 stream:1 | event_source:2 invoke:2";
        QTest::newRow("state machine role invokes a function")
            << "sfn-lambda.yaml"
            << "function:1 state_machine:1 | invoke:1";
        QTest::newRow("definition sends to a queue") << "sfn-sqs.yaml"
                                                     << "queue:1 state_machine:1 | send:1";
        QTest::newRow("scheduler as a producer")
            << "eventbridge-schedule-to-lambda-dlq-sam-python.yaml"
            << "function:1 producer:1 queue:2 | dead_letter:1 send:1";
    }

    void corpusShapes()
    {
        if (!fs::is_directory(kCorpus))
            QSKIP("the SAM corpus (shared/sam-corpus beside the repository) is not there");
        QFETCH(QString, file);
        QFETCH(QString, expected);
        const auto result =
            TemplateImporter::import(readFile(kCorpus / file.toStdString()), file.toStdString());
        QVERIFY(result.design);
        QCOMPARE(QString::fromStdString(shape(*result.design)), expected);
    }

    void fanOutKeepsSubscriptionAndRedriveSettings()
    {
        if (!fs::is_directory(kCorpus))
            QSKIP("the SAM corpus (shared/sam-corpus beside the repository) is not there");
        const auto result = TemplateImporter::import(readFile(kCorpus / "sns-sqs-fanout.yaml"),
                                                     "sns-sqs-fanout.yaml");
        QVERIFY(result.design);
        const Design& d = *result.design;
        const auto* topic = byLogicalId(d, "MetricsSnsTopic");
        const auto* temperature = byLogicalId(d, "TemperatureSqsQueue");
        const auto* dlq = byLogicalId(d, "TemperatureSqsDLQueue");
        QVERIFY(topic && temperature && dlq);
        QCOMPARE(topic->id, std::string("metrics-sns-topic"));
        QCOMPARE(topic->label, std::string("MetricsSnsTopic"));
        QCOMPARE(topic->props["TopicName"], json("MetricsSnsTopic"));

        const auto subs = connections(d, topic->id, temperature->id, ConnectionKind::Subscription);
        QCOMPARE(subs.size(), std::size_t(1));
        QCOMPARE(subs[0]->props["FilterPolicy"], json::parse(R"({"MetricType": ["Temperature"]})"));
        QCOMPARE(subs[0]->props["RawMessageDelivery"], json(true));
        QCOMPARE(subs[0]->props["TemplateOrigin"]["Resource"],
                 json("TemperatureSqsQueueSubscription"));

        // The redrive target became the connection; maxReceiveCount stays a queue setting.
        QCOMPARE(connections(d, temperature->id, dlq->id, ConnectionKind::DeadLetter).size(),
                 std::size_t(1));
        QCOMPARE(temperature->props["RedrivePolicy"], json::parse(R"({"maxReceiveCount": 5})"));
        QCOMPARE(temperature->number(ParameterScope::Aws, "RedrivePolicy.maxReceiveCount"), 5.0);

        QVERIFY(d.templateExtras["Resources"].contains("SnsToSqsPolicy"));
        QCOMPARE(d.templateExtras["Resources"].size(), std::size_t(1));
        QCOMPARE(d.templateExtras["Outputs"].size(), std::size_t(11));
        QCOMPARE(d.templateExtras["Transform"], json("AWS::Serverless-2016-10-31"));
        QCOMPARE(d.name, std::string("sns-sqs-fanout"));
        QVERIFY(d.traffic.empty());
    }

    void streamMappingSettingsAndDestination()
    {
        if (!fs::is_directory(kCorpus))
            QSKIP("the SAM corpus (shared/sam-corpus beside the repository) is not there");
        const auto result =
            TemplateImporter::import(readFile(kCorpus / "kinesis-lambda-error-handling.yaml"),
                                     "kinesis-lambda-error-handling.yaml");
        QVERIFY(result.design);
        const Design& d = *result.design;
        const auto* stream = byLogicalId(d, "DataActivityKinesisStream");
        const auto* fn = byLogicalId(d, "KinesisDataStreamProcessor");
        const auto* queue = byLogicalId(d, "AnomalyDataQueue");
        QVERIFY(stream && fn && queue);
        QCOMPARE(stream->number(ParameterScope::Aws, "RetentionPeriodHours"), 25.0);
        QCOMPARE(fn->number(ParameterScope::Aws, "Timeout"), 10.0);
        QVERIFY(!fn->props.contains("Events")); // the only event became the mapping
        QCOMPARE(fn->props["Runtime"], json("python3.14"));
        const auto mapping = connections(d, stream->id, fn->id, ConnectionKind::EventSource);
        QCOMPARE(mapping.size(), std::size_t(1));
        QCOMPARE(mapping[0]->number(ParameterScope::Aws, "BatchSize"), 5.0);
        QCOMPARE(mapping[0]->number(ParameterScope::Aws, "MaximumRetryAttempts"), 5.0);
        QCOMPARE(mapping[0]->number(ParameterScope::Aws, "MaximumRecordAgeInSeconds"), 3600.0);
        QVERIFY(mapping[0]->flag(ParameterScope::Aws, "BisectBatchOnFunctionError"));
        QCOMPARE(mapping[0]->props["StartingPosition"], json("TRIM_HORIZON"));
        QCOMPARE(mapping[0]->props["TemplateOrigin"]["Event"], json("DataActivityKinesisEvent"));
        QVERIFY(mapping[0]->props.contains("DestinationConfig"));
        QCOMPARE(connections(d, fn->id, queue->id, ConnectionKind::OnFailure).size(),
                 std::size_t(1));
        QVERIFY(d.templateExtras["Resources"].contains("EventMonitor"));
    }

    void globalsAreReadButKeptVerbatim()
    {
        if (!fs::is_directory(kCorpus))
            QSKIP("the SAM corpus (shared/sam-corpus beside the repository) is not there");
        const auto result = TemplateImporter::import(readFile(kCorpus / "sns-sqs-lambda-xray.yaml"),
                                                     "sns-sqs-lambda-xray.yaml");
        QVERIFY(result.design);
        const auto* consumer = byLogicalId(*result.design, "ConsumerFunction");
        QVERIFY(consumer);
        QCOMPARE(consumer->number(ParameterScope::Aws, "Timeout"), 5.0);
        QCOMPARE(consumer->templateExtras["DerivedProps"],
                 json::parse(R"(["Timeout", "MemorySize"])"));
        QVERIFY(!consumer->props.contains("Runtime")); // only modelled values are derived
        QCOMPARE(result.design->templateExtras["Globals"]["Function"]["Runtime"],
                 json("python3.14"));
        QVERIFY(result.design->templateExtras["Resources"].contains("SharedLibLayer"));
    }

    void parametersConditionsAndAttributesArePreserved()
    {
        const auto result = importText(R"(
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Description: Orders
Parameters:
  FnTimeout: {Type: Number, Default: 20}
Mappings:
  Sizes: {us-east-1: {Memory: 512}}
Conditions:
  IsProd: !Equals [!Ref "AWS::StackName", prod]
Metadata:
  Owner: team-a
Resources:
  Orders:
    Type: AWS::SQS::Queue
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties:
      VisibilityTimeout: !If [IsProd, 120, 60]
      DelaySeconds: "5"
      KmsMasterKeyId: alias/aws/sqs
  Worker:
    Type: AWS::Serverless::Function
    Condition: IsProd
    DependsOn: [Orders]
    Metadata: {BuildMethod: go1.x}
    Properties:
      Timeout: !Ref FnTimeout
      MemorySize: !FindInMap [Sizes, !Ref "AWS::Region", Memory]
      Events:
        Q:
          Type: SQS
          Properties: {Queue: !GetAtt Orders.Arn, BatchSize: 5, Enabled: false,
                       FilterCriteria: {Filters: [{Pattern: '{"a": [1]}'}]}}
        Upload:
          Type: S3
          Properties: {Bucket: !Ref Bucket, Events: s3:ObjectCreated:*}
  Bucket:
    Type: AWS::S3::Bucket
Outputs:
  Url: {Value: !Ref Orders, Condition: IsProd}
)");
        QVERIFY2(result.design, qPrintable(describe(result.diagnostics)));
        const Design& d = *result.design;
        QVERIFY2(!hasErrors(Validator::validate(d)), qPrintable(describe(Validator::validate(d))));
        QCOMPARE(d.description, std::string("Orders"));
        for (const char* section : {"AWSTemplateFormatVersion", "Transform", "Description",
                                    "Parameters", "Mappings", "Conditions", "Metadata", "Outputs"})
            QVERIFY2(d.templateExtras.contains(section), section);
        QCOMPARE(d.templateExtras["Conditions"]["IsProd"],
                 json::parse(R"({"Fn::Equals": [{"Ref": "AWS::StackName"}, "prod"]})"));
        QCOMPARE(d.templateExtras["Resources"]["Bucket"]["Type"], json("AWS::S3::Bucket"));

        const auto* queue = d.findComponent("orders");
        const auto* worker = d.findComponent("worker");
        QVERIFY(queue && worker);
        QCOMPARE(queue->templateExtras["DeletionPolicy"], json("Retain"));
        QCOMPARE(queue->templateExtras["UpdateReplacePolicy"], json("Retain"));
        QCOMPARE(queue->templateExtras["Type"], json("AWS::SQS::Queue"));
        QCOMPARE(queue->props["KmsMasterKeyId"], json("alias/aws/sqs"));
        // Intrinsics and quoted numbers in modelled settings: a plain value for the simulation,
        // the original beside it.
        QCOMPARE(queue->number(ParameterScope::Aws, "VisibilityTimeout"), 120.0);
        QCOMPARE(queue->number(ParameterScope::Aws, "DelaySeconds"), 5.0);
        QCOMPARE(queue->templateExtras["OriginalValues"]["VisibilityTimeout"],
                 json::parse(R"({"Fn::If": ["IsProd", 120, 60]})"));
        QCOMPARE(queue->templateExtras["OriginalValues"]["DelaySeconds"], json("5"));
        QCOMPARE(worker->number(ParameterScope::Aws, "Timeout"), 20.0);
        QCOMPARE(worker->number(ParameterScope::Aws, "MemorySize"), 512.0);
        QCOMPARE(worker->templateExtras["OriginalValues"]["Timeout"],
                 json::parse(R"({"Ref": "FnTimeout"})"));
        QCOMPARE(worker->templateExtras["Condition"], json("IsProd"));
        QCOMPARE(worker->templateExtras["DependsOn"], json::parse(R"(["Orders"])"));
        QCOMPARE(worker->templateExtras["Metadata"]["BuildMethod"], json("go1.x"));
        // The S3 event is not modelled: it stays among the function's Events.
        QCOMPARE(worker->props["Events"].size(), std::size_t(1));
        QVERIFY(worker->props["Events"].contains("Upload"));
        const auto mapping = connections(d, "orders", "worker", ConnectionKind::EventSource);
        QCOMPARE(mapping.size(), std::size_t(1));
        QCOMPARE(mapping[0]->props["Enabled"], json(false));
        QVERIFY(mapping[0]->props.contains("FilterCriteria"));
        QCOMPARE(mapping[0]->number(ParameterScope::Aws, "BatchSize"), 5.0);
    }

    void cloudFormationJsonResources()
    {
        const auto result = TemplateImporter::import(R"({
  "Resources": {
    "Topic": {"Type": "AWS::SNS::Topic"},
    "Inbox": {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": 60}},
    "InboxDlq": {"Type": "AWS::SQS::Queue"},
    "Sub": {"Type": "AWS::SNS::Subscription", "DependsOn": "Inbox",
            "Properties": {"TopicArn": {"Ref": "Topic"}, "Protocol": "sqs",
                           "Endpoint": {"Fn::GetAtt": ["Inbox", "Arn"]},
                           "FilterPolicyScope": "MessageBody",
                           "FilterPolicy": {"kind": ["order"]},
                           "RedrivePolicy": {"deadLetterTargetArn": {"Fn::GetAtt": ["InboxDlq", "Arn"]}}}},
    "Fn": {"Type": "AWS::Lambda::Function",
           "Properties": {"Timeout": 10, "ReservedConcurrentExecutions": 5,
                          "DeadLetterConfig": {"TargetArn": {"Fn::GetAtt": ["InboxDlq", "Arn"]}}}},
    "Mapping": {"Type": "AWS::Lambda::EventSourceMapping",
                "Properties": {"EventSourceArn": {"Fn::GetAtt": ["Inbox", "Arn"]},
                               "FunctionName": {"Ref": "Fn"}, "BatchSize": 20,
                               "MaximumBatchingWindowInSeconds": 2,
                               "ScalingConfig": {"MaximumConcurrency": 5}}}
  }
})",
                                                     "stack.json");
        QVERIFY2(result.design, qPrintable(describe(result.diagnostics)));
        const Design& d = *result.design;
        QVERIFY2(!hasErrors(Validator::validate(d)), qPrintable(describe(Validator::validate(d))));
        QCOMPARE(
            QString::fromStdString(shape(d)),
            QString("function:1 queue:2 topic:1 | dead_letter:2 event_source:1 subscription:1"));
        const auto sub = connections(d, "topic", "inbox", ConnectionKind::Subscription);
        QCOMPARE(sub.size(), std::size_t(1));
        QCOMPARE(sub[0]->props["FilterPolicyScope"], json("MessageBody"));
        QCOMPARE(sub[0]->props["TemplateOrigin"]["DependsOn"], json("Inbox"));
        const auto dlq = connections(d, "topic", "inbox-dlq", ConnectionKind::DeadLetter);
        QCOMPARE(dlq.size(), std::size_t(1));
        QCOMPARE(dlq[0]->sim["for"], json("inbox")); // the topic's DLQ for this subscriber
        const auto mapping = connections(d, "inbox", "fn", ConnectionKind::EventSource);
        QCOMPARE(mapping.size(), std::size_t(1));
        QCOMPARE(mapping[0]->number(ParameterScope::Aws, "ScalingConfig.MaximumConcurrency"), 5.0);
        QCOMPARE(mapping[0]->props["TemplateOrigin"]["Resource"], json("Mapping"));
        QCOMPARE(connections(d, "fn", "inbox-dlq", ConnectionKind::DeadLetter).size(),
                 std::size_t(1));
        QVERIFY(!d.findComponent("fn")->props.contains("DeadLetterConfig"));
        QVERIFY(!d.templateExtras.contains("Resources")); // everything became the design
    }

    void rulesTargetsAndDeadLetters()
    {
        const auto result = importText(R"(
Resources:
  Bus: {Type: AWS::Events::EventBus, Properties: {Name: orders}}
  Big:
    Type: AWS::Events::Rule
    Properties:
      EventBusName: orders
      EventPattern: {source: [shop], account: [!Ref "AWS::AccountId"]}
      Targets:
        - Arn: !GetAtt Handler.Arn
          Id: h
          RetryPolicy: {MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 600}
          DeadLetterConfig: {Arn: !GetAtt Dlq.Arn}
          InputTransformer: {InputTemplate: '"<id>"', InputPathsMap: {id: $.id}}
        - Arn: arn:aws:sns:eu-west-1:111111111111:elsewhere
          Id: external
  Nightly:
    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: rate(2 hours)
      Targets: [{Arn: !GetAtt Handler.Arn, Id: n}]
  Dlq: {Type: AWS::SQS::Queue}
  Handler:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Default:
          Type: CloudWatchEvent
          Properties: {Pattern: {source: [aws.ec2]}}
)");
        QVERIFY2(result.design, qPrintable(describe(result.diagnostics)));
        const Design& d = *result.design;
        QVERIFY2(!hasErrors(Validator::validate(d)), qPrintable(describe(Validator::validate(d))));
        QCOMPARE(QString::fromStdString(shape(d)),
                 QString("event_bus:2 function:1 producer:1 queue:1 rule:2 | dead_letter:1 "
                         "rule_target:2 send:1 subscription:2"));
        const auto target = connections(d, "big", "handler", ConnectionKind::RuleTarget);
        QCOMPARE(target.size(), std::size_t(1));
        QCOMPARE(target[0]->number(ParameterScope::Aws, "RetryPolicy.MaximumRetryAttempts"), 4.0);
        QVERIFY(target[0]->props.contains("InputTransformer"));
        QCOMPARE(target[0]->props["Id"], json("h"));
        const auto dlq = connections(d, "big", "dlq", ConnectionKind::DeadLetter);
        QCOMPARE(dlq.size(), std::size_t(1));
        QCOMPARE(dlq[0]->sim["for"], json("handler"));
        const auto* big = d.findComponent("big");
        // The external target is no component: it stays among the rule's Targets.
        QCOMPARE(big->props["Targets"].size(), std::size_t(1));
        QCOMPARE(big->props["Targets"][0]["Id"], json("external"));
        QVERIFY(!big->props.contains("EventBusName"));
        QCOMPARE(big->props["EventPattern"]["account"][0], json("123456789012"));
        QCOMPARE(big->templateExtras["OriginalValues"]["EventPattern"]["account"][0],
                 json::parse(R"({"Ref": "AWS::AccountId"})"));
        QCOMPARE(connections(d, "bus", "big", ConnectionKind::Subscription).size(), std::size_t(1));
        // The SAM event made a rule on the default bus, which exists only because it is needed.
        const auto* samRule = d.findComponent("handler-default");
        QVERIFY(samRule);
        QCOMPARE(samRule->templateExtras["Synthetic"], json("SamEvent"));
        QCOMPARE(samRule->props["EventPattern"], json::parse(R"({"source": ["aws.ec2"]})"));
        QCOMPARE(connections(d, "default", "handler-default", ConnectionKind::Subscription).size(),
                 std::size_t(1));
        QCOMPARE(d.findComponent("default")->templateExtras["Synthetic"], json("DefaultEventBus"));
        // The schedule rule is a producer at one event every two hours.
        QCOMPARE(d.findComponent("nightly")->type, ComponentType::Producer);
        QCOMPARE(d.traffic.size(), std::size_t(1));
        QCOMPARE(d.traffic[0].producer, std::string("nightly"));
        QCOMPARE(d.traffic[0].profile.kind, RateProfile::Kind::Constant);
        QCOMPARE(d.traffic[0].profile.rate, 1.0 / 7200.0);
        checkLayout(d);
    }

    void stateMachineDefinitionsBecomeTasks()
    {
        const auto result = importText(R"(
Resources:
  Table: {Type: AWS::DynamoDB::Table, Properties: {BillingMode: PAY_PER_REQUEST}}
  Check: {Type: AWS::Serverless::Function}
  Charge: {Type: AWS::Serverless::Function}
  Notify: {Type: AWS::SNS::Topic}
  Flow:
    Type: AWS::Serverless::StateMachine
    Properties:
      Type: EXPRESS
      DefinitionSubstitutions:
        ChargeArn: !GetAtt Charge.Arn
        TopicArn: !Ref Notify
      Definition:
        StartAt: Validate
        States:
          Validate:
            Type: Task
            Resource: arn:aws:states:::lambda:invoke
            Parameters: {FunctionName: !GetAtt Check.Arn, Payload.$: $}
            Retry: [{ErrorEquals: [States.ALL], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2}]
            TimeoutSeconds: 5
            Next: Both
          Both:
            Type: Parallel
            Branches:
              - StartAt: Pay
                States:
                  Pay: {Type: Task, Resource: "${ChargeArn}", End: true,
                        Catch: [{ErrorEquals: [States.ALL], Next: Fail}]}
                  Fail: {Type: Fail}
              - StartAt: Read
                States:
                  Read: {Type: Task, Resource: arn:aws:states:::dynamodb:getItem,
                         Parameters: {TableName: !Ref Table, Key: {}}, End: true}
            Next: Tell
          Tell:
            Type: Task
            Resource: arn:aws:states:::sns:publish
            Parameters: {TopicArn: "${TopicArn}", Message.$: $}
            End: true
)");
        QVERIFY2(result.design, qPrintable(describe(result.diagnostics)));
        const Design& d = *result.design;
        QVERIFY2(!hasErrors(Validator::validate(d)), qPrintable(describe(Validator::validate(d))));
        QCOMPARE(QString::fromStdString(shape(d)),
                 QString("database:1 function:2 state_machine:1 topic:1 | invoke:3 send:1"));
        const auto validate = connections(d, "flow", "check", ConnectionKind::Invoke);
        QCOMPARE(validate.size(), std::size_t(1));
        QCOMPARE(validate[0]->sim["step"], json(0));
        QCOMPARE(validate[0]->props["TimeoutSeconds"], json(5));
        QCOMPARE(validate[0]->props["Retry"][0]["MaxAttempts"], json(3));
        const auto pay = connections(d, "flow", "charge", ConnectionKind::Invoke);
        const auto read = connections(d, "flow", "table", ConnectionKind::Invoke);
        QCOMPARE(pay.size(), std::size_t(1));
        QCOMPARE(read.size(), std::size_t(1));
        // Parallel branches share one step.
        QCOMPARE(pay[0]->sim["step"], json(1));
        QCOMPARE(read[0]->sim["step"], json(1));
        QVERIFY(pay[0]->props.contains("Catch"));
        QCOMPARE(read[0]->sim["operation"], json("read"));
        QCOMPARE(connections(d, "flow", "notify", ConnectionKind::Send).size(), std::size_t(1));
        // The definition stays as written.
        QVERIFY(d.findComponent("flow")->props.contains("Definition"));
        QCOMPARE(d.findComponent("flow")->props["Type"], json("EXPRESS"));
    }

    // A Task only a Catch leads to (a saga's compensation, and what follows it) becomes a
    // catch_only Task, run only when caught into; a step a Catch also names stays a step. The
    // design validates, and its catchers lead where the definition's do.
    void tasksReachedOnlyThroughACatchAreCatchOnly()
    {
        const auto result = importText(R"(
Resources:
  Reserve: {Type: AWS::Serverless::Function}
  Pay: {Type: AWS::Serverless::Function}
  Ship: {Type: AWS::Serverless::Function}
  Release: {Type: AWS::Serverless::Function}
  Apologise: {Type: AWS::Serverless::Function}
  Flow:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionSubstitutions:
        ReserveArn: !GetAtt Reserve.Arn
        PayArn: !GetAtt Pay.Arn
        ShipArn: !GetAtt Ship.Arn
        ReleaseArn: !GetAtt Release.Arn
        ApologiseArn: !GetAtt Apologise.Arn
      Definition:
        StartAt: ReserveStock
        States:
          ReserveStock:
            Type: Task
            Resource: arn:aws:states:::lambda:invoke
            Parameters: {FunctionName: "${ReserveArn}", Payload.$: $}
            Catch: [{ErrorEquals: [States.Timeout], Next: ShipOrder}]
            Next: TakePayment
          TakePayment:
            Type: Task
            Resource: arn:aws:states:::lambda:invoke
            Parameters: {FunctionName: "${PayArn}", Payload.$: $}
            Catch: [{ErrorEquals: [States.ALL], Next: ReleaseStock}]
            Next: ShipOrder
          ShipOrder:
            Type: Task
            Resource: arn:aws:states:::lambda:invoke
            Parameters: {FunctionName: "${ShipArn}", Payload.$: $}
            End: true
          ReleaseStock:
            Type: Task
            Resource: arn:aws:states:::lambda:invoke
            Parameters: {FunctionName: "${ReleaseArn}", Payload.$: $}
            Next: Apologise
          Apologise:
            Type: Task
            Resource: arn:aws:states:::lambda:invoke
            Parameters: {FunctionName: "${ApologiseArn}", Payload.$: $}
            End: true
)");
        QVERIFY2(result.design, qPrintable(describe(result.diagnostics)));
        const Design& d = *result.design;
        const Diagnostics problems = Validator::validate(d);
        QVERIFY2(!hasErrors(problems), qPrintable(describe(problems)));
        auto catchOnly = [&](const char* to) {
            const auto links = connections(d, "flow", to, ConnectionKind::Invoke);
            return links.size() == 1 && links[0]->sim.value("catch_only", false);
        };
        QVERIFY(!catchOnly("reserve"));
        QVERIFY(!catchOnly("pay"));
        QVERIFY(!catchOnly("ship")); // a Catch names it, and so does a Next
        QVERIFY(catchOnly("release"));
        QVERIFY(catchOnly("apologise")); // reached only after the compensation
        // The catcher of the payment leads to the release by its state name.
        const auto pay = connections(d, "flow", "pay", ConnectionKind::Invoke);
        const CatchPaths paths(d, static_cast<std::size_t>(d.indexOf("flow")));
        const auto target = paths.resolve(pay[0]->props["Catch"][0]["Next"]);
        QCOMPARE(target.kind, CatchPaths::Kind::Task);
        QCOMPARE(d.connections[target.connection].to, std::string("release"));
    }

    void policiesAndConnectorsRevealCalls()
    {
        const auto result = importText(R"(
Transform: AWS::Serverless-2016-10-31
Resources:
  Out: {Type: AWS::SQS::Queue, Properties: {QueueName: out-queue}}
  Bus: {Type: AWS::Events::EventBus, Properties: {Name: app}}
  Table: {Type: AWS::Serverless::SimpleTable}
  Flow: {Type: AWS::Serverless::StateMachine, Properties: {DefinitionUri: flow.asl.json}}
  Other: {Type: AWS::Serverless::Function}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Policies:
        - SQSSendMessagePolicy: {QueueName: out-queue}
        - EventBridgePutEventsPolicy: {EventBusName: app}
        - DynamoDBReadPolicy: {TableName: !Ref Table}
        - StepFunctionsExecutionPolicy: {StateMachineName: !GetAtt Flow.Name}
        - AWSLambdaBasicExecutionRole
  Conn:
    Type: AWS::Serverless::Connector
    Properties:
      Source: {Id: Fn}
      Destination: [{Id: Other}]
      Permissions: [Write]
  RoleFn:
    Type: AWS::Lambda::Function
    Properties: {Role: !GetAtt FnRole.Arn}
  FnRole:
    Type: AWS::IAM::Role
    Properties:
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: ["dynamodb:PutItem"], Resource: !Sub "${Table.Arn}/index/by-day"}
              - {Effect: Deny, Action: "sqs:*", Resource: !GetAtt Out.Arn}
)");
        QVERIFY2(result.design, qPrintable(describe(result.diagnostics)));
        const Design& d = *result.design;
        QVERIFY2(!hasErrors(Validator::validate(d)), qPrintable(describe(Validator::validate(d))));
        QCOMPARE(connections(d, "fn", "out", ConnectionKind::Send).size(), std::size_t(1));
        QCOMPARE(connections(d, "fn", "bus", ConnectionKind::Send).size(), std::size_t(1));
        QCOMPARE(connections(d, "fn", "flow", ConnectionKind::Send).size(), std::size_t(1));
        const auto read = connections(d, "fn", "table", ConnectionKind::Invoke);
        QCOMPARE(read.size(), std::size_t(1));
        QCOMPARE(read[0]->sim["operation"], json("read"));
        QCOMPARE(connections(d, "fn", "other", ConnectionKind::Invoke).size(), std::size_t(1));
        const auto write = connections(d, "role-fn", "table", ConnectionKind::Invoke);
        QCOMPARE(write.size(), std::size_t(1));
        QVERIFY(!write[0]->sim.contains("operation"));
        QCOMPARE(connections(d, "role-fn", "out", ConnectionKind::Send).size(), std::size_t(0));
        for (const auto& c : d.connections)
            QVERIFY(c.props["TemplateOrigin"].contains("Implied"));
        // Policies, the connector and the role stay as written.
        QCOMPARE(d.findComponent("fn")->props["Policies"].size(), std::size_t(5));
        QVERIFY(d.templateExtras["Resources"].contains("Conn"));
        QVERIFY(d.templateExtras["Resources"].contains("FnRole"));
    }

    void implicitApisAndSchedules()
    {
        const auto result = importText(R"(
Transform: AWS::Serverless-2016-10-31
Globals:
  Function: {Timeout: 10}
Resources:
  A:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Get: {Type: Api, Properties: {Path: /a, Method: GET}}
        Http: {Type: HttpApi}
        Tick: {Type: Schedule, Properties: {Schedule: 'cron(0/15 8-17 ? * MON-FRI *)'}}
  B:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Post: {Type: Api, Properties: {Path: /b, Method: POST}}
)");
        QVERIFY2(result.design, qPrintable(describe(result.diagnostics)));
        const Design& d = *result.design;
        QVERIFY2(!hasErrors(Validator::validate(d)), qPrintable(describe(Validator::validate(d))));
        QCOMPARE(QString::fromStdString(shape(d)),
                 QString("api:2 function:2 producer:1 | invoke:3 send:1"));
        const auto* rest = d.findComponent("serverless-rest-api");
        const auto* http = d.findComponent("serverless-http-api");
        QVERIFY(rest && http);
        QCOMPARE(rest->templateExtras["LogicalId"], json("ServerlessRestApi"));
        QCOMPARE(rest->templateExtras["Synthetic"], json("ImplicitApi"));
        QCOMPARE(http->text(ParameterScope::Aws, "ApiType"), std::string("HTTP"));
        QCOMPARE(connections(d, rest->id, "b", ConnectionKind::Invoke)[0]->props["Path"],
                 json("/b"));
        // Every 15 minutes from 8:00 to 17:45 on five days of seven.
        QCOMPARE(d.traffic.size(), std::size_t(1));
        QCOMPARE(d.traffic[0].producer, std::string("a-tick"));
        QVERIFY(std::abs(d.traffic[0].profile.rate - 4.0 * 10 * 5 / 7 / 86400) < 1e-12);
        QCOMPARE(d.findComponent("a")->number(ParameterScope::Aws, "Timeout"), 10.0);
    }

    void layoutRunsLeftToRightWithoutOverlaps()
    {
        Design d;
        for (const char* id : {"dlq", "table", "worker", "queue", "api", "front", "audit"})
            d.components.push_back({id, ComponentType::Queue, id, {}, {}, {}, {}});
        auto link = [&](const char* a, const char* b, ConnectionKind k) {
            Connection c;
            c.from = a;
            c.to = b;
            c.kind = k;
            d.connections.push_back(c);
        };
        link("api", "front", ConnectionKind::Invoke);
        link("front", "queue", ConnectionKind::Send);
        link("queue", "worker", ConnectionKind::EventSource);
        link("worker", "table", ConnectionKind::Invoke);
        link("queue", "dlq", ConnectionKind::DeadLetter);
        link("worker", "front", ConnectionKind::Send); // closes a cycle
        link("front", "audit", ConnectionKind::Send);
        DesignLayout::arrange(d);
        checkLayout(d);
        QCOMPARE(d.findComponent("api")->position.x, 0.0);
        QCOMPARE(d.findComponent("front")->position.x, DesignLayout::kLayerSpacing);
        QCOMPARE(d.findComponent("table")->position.x, 4 * DesignLayout::kLayerSpacing);
        QCOMPARE(d.findComponent("audit")->position.x, d.findComponent("queue")->position.x);
        QCOMPARE(
            std::abs(d.findComponent("audit")->position.y - d.findComponent("queue")->position.y),
            DesignLayout::kRowSpacing);
    }

    void malformedYamlNamesTheLine()
    {
        const auto result = TemplateImporter::import(
            "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n   Properties: {\n", "broken.yaml");
        QVERIFY(!result.design);
        QVERIFY(hasErrors(result.diagnostics));
        const std::string& message = result.diagnostics[0].message;
        QVERIFY2(message.rfind("broken.yaml: line ", 0) == 0, message.c_str());
    }

    void somethingThatIsNotATemplate()
    {
        for (const char* text : {"name: just some yaml\nitems: [1, 2]\n", "[1, 2, 3]\n",
                                 "Resources: {}\n", "{\"Resources\": 5}"}) {
            const auto result = TemplateImporter::import(text, "other.yaml");
            QVERIFY2(!result.design, text);
            QCOMPARE(result.diagnostics.size(), std::size_t(1));
            QVERIFY(result.diagnostics[0].message.find("no Resources") != std::string::npos);
        }
    }
};

QTEST_APPLESS_MAIN(TestTemplateImporter)
#include "TestTemplateImporter.moc"
