// Template export: every example and the designs under tests/data/export/ export as SAM and as
// CloudFormation, in YAML and JSON, to templates that cfn-lint accepts without errors and that
// match the golden files in tests/golden/ byte for byte.
//
// Regenerate the golden files after an intended change of the output with
//     EVENTFLOW_UPDATE_GOLDEN=1 ./TestTemplateExporter
// and review the diff before committing it.
//
// cfn-lint runs once over all templates (it is slow to start); without it that test is skipped.

#include "ModelTestSupport.h"
#include "model/ComponentCatalog.h"
#include "model/DesignFile.h"
#include "model/TemplateExporter.h"
#include "model/Validator.h"
#include "model/YamlWriter.h"

#include <QtTest>

#include <filesystem>
#include <fstream>
#include <functional>
#include <regex>
#include <set>
#include <sstream>

using namespace eventflow::model;
namespace fs = std::filesystem;
using ojson = nlohmann::ordered_json;

using eventflow::test::cfnLintPath;
using eventflow::test::readFile;
using eventflow::test::writeFile;

namespace {

const fs::path kSource = EVENTFLOW_SOURCE_DIR;

struct Form {
    TemplateFlavour flavour;
    TemplateSyntax syntax;
    const char* suffix;
};

constexpr Form kForms[] = {
    {TemplateFlavour::Sam, TemplateSyntax::Yaml, "sam.yaml"},
    {TemplateFlavour::Sam, TemplateSyntax::Json, "sam.json"},
    {TemplateFlavour::CloudFormation, TemplateSyntax::Yaml, "cfn.yaml"},
    {TemplateFlavour::CloudFormation, TemplateSyntax::Json, "cfn.json"},
};

std::vector<fs::path> designPaths()
{
    std::vector<fs::path> paths;
    for (const auto& dir : {kSource / "examples", kSource / "tests/data/export"})
        for (const auto& entry : fs::directory_iterator(dir))
            if (entry.path().string().ends_with(".eventflow.json"))
                paths.push_back(entry.path());
    std::sort(paths.begin(), paths.end());
    return paths;
}

std::string stem(const fs::path& path)
{
    std::string name = path.filename().string();
    return name.substr(0, name.size() - std::string(".eventflow.json").size());
}

Design load(const fs::path& path)
{
    LoadResult r = DesignFile::load(path);
    if (!r.design)
        qFatal("cannot load %s", path.string().c_str());
    return *r.design;
}

Design loadNamed(const char* name)
{
    for (const auto& path : designPaths())
        if (stem(path) == name)
            return load(path);
    qFatal("no design %s", name);
}

std::string render(const Design& design, const Form& form)
{
    Diagnostics diagnostics;
    return TemplateExporter::write(TemplateExporter::build(design, form.flavour, diagnostics),
                                   form.syntax);
}

ojson build(const Design& design, TemplateFlavour flavour)
{
    Diagnostics diagnostics;
    return TemplateExporter::build(design, flavour, diagnostics);
}

/// Calls `visit` on every object inside `value`, depth first.
void forEachObject(const ojson& value, const std::function<void(const ojson&)>& visit)
{
    if (value.is_object()) {
        visit(value);
        for (const auto& item : value)
            forEachObject(item, visit);
    } else if (value.is_array()) {
        for (const auto& item : value)
            forEachObject(item, visit);
    }
}

std::set<std::string> simulationKeys()
{
    std::set<std::string> keys = {"sim"};
    auto collect = [&](const std::vector<ParameterSpec>& specs) {
        for (const auto& spec : specs)
            if (spec.scope == ParameterScope::Sim)
                keys.insert(spec.key);
    };
    for (auto type : kAllComponentTypes)
        collect(ComponentCatalog::componentParameters(type));
    for (auto kind : kAllConnectionKinds)
        collect(ComponentCatalog::connectionParameters(kind));
    return keys;
}

/// A design given as the body of a file, with the format added.
Design designFrom(nlohmann::json document)
{
    document["format"] = "eventflow/1";
    auto loaded = DesignFile::fromJson(std::move(document));
    if (!loaded.design)
        qFatal("test design does not load: %s", loaded.diagnostics.front().message.c_str());
    return std::move(*loaded.design);
}

/// The states of a Step Functions definition (or a Parallel branch) that no path from StartAt
/// reaches through Next, Default, Choices or Catch, branches included, as "Branch/State" paths.
/// CreateStateMachine refuses a definition with any.
std::vector<std::string> unreachableStates(const ojson& graph, const std::string& prefix = "")
{
    std::vector<std::string> unreachable;
    const ojson& states = graph["States"];
    std::set<std::string> seen;
    std::vector<std::string> pending = {graph["StartAt"].get<std::string>()};
    while (!pending.empty()) {
        const std::string name = pending.back();
        pending.pop_back();
        if (!states.contains(name) || !seen.insert(name).second)
            continue;
        const ojson& state = states[name];
        for (const char* key : {"Next", "Default"})
            if (state.contains(key))
                pending.push_back(state[key].get<std::string>());
        for (const char* list : {"Choices", "Catch"})
            if (state.contains(list))
                for (const auto& item : state[list])
                    pending.push_back(item["Next"].get<std::string>());
    }
    for (auto it = states.begin(); it != states.end(); ++it) {
        if (seen.count(it.key()) == 0)
            unreachable.push_back(prefix + it.key());
        if (it->contains("Branches"))
            for (const auto& branch : (*it)["Branches"])
                for (auto& name : unreachableStates(branch, prefix + it.key() + "/"))
                    unreachable.push_back(std::move(name));
    }
    return unreachable;
}

bool isWildcard(const ojson& value)
{
    if (value.is_string()) {
        const auto& s = value.get_ref<const std::string&>();
        return s == "*" || (s.ends_with(":*") && s.find(':') == s.rfind(':'));
    }
    if (value.is_array())
        return std::any_of(value.begin(), value.end(), isWildcard);
    return false;
}

} // namespace

class TestTemplateExporter : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void designsAreValid_data();
    void designsAreValid();
    void goldenFiles_data();
    void goldenFiles();
    void deterministic();
    void noSimulationSettings();
    void leastPrivilege();
    void permissionsFollowConnections();
    void logicalIds();
    void logicalIdsStayStable();
    void unknownPropsAndExtrasCarriedThrough();
    void notExportedIsRecorded();
    void apiServiceIntegrations();
    void stateMachineDefinition();
    void stateMachineCatchPath();
    void stateMachineCatchTargets_data();
    void stateMachineCatchTargets();
    void definitionsHaveNoUnreachableState();
    void yamlQuotesAmbiguousStrings();
    void cfnLintAcceptsEveryTemplate();
};

void TestTemplateExporter::designsAreValid_data()
{
    QTest::addColumn<QString>("path");
    for (const auto& path : designPaths())
        QTest::newRow(stem(path).c_str()) << QString::fromStdString(path.string());
}

void TestTemplateExporter::designsAreValid()
{
    QFETCH(QString, path);
    const Design design = load(path.toStdString());
    for (const auto& d : Validator::validate(design))
        QVERIFY2(d.severity != Severity::Error, (d.pointer + ": " + d.message).c_str());
}

void TestTemplateExporter::goldenFiles_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("form");
    for (const auto& path : designPaths())
        for (int f = 0; f < 4; ++f)
            QTest::newRow((stem(path) + "." + kForms[f].suffix).c_str())
                << QString::fromStdString(path.string()) << f;
}

void TestTemplateExporter::goldenFiles()
{
    QFETCH(QString, path);
    QFETCH(int, form);
    const fs::path design = path.toStdString();
    const std::string text = render(load(design), kForms[form]);
    const fs::path golden = kSource / "tests/golden" / (stem(design) + "." + kForms[form].suffix);
    if (qEnvironmentVariableIntValue("EVENTFLOW_UPDATE_GOLDEN") == 1) {
        writeFile(golden, text);
        return;
    }
    QVERIFY2(fs::exists(golden),
             ("missing " + golden.string() + "; run with EVENTFLOW_UPDATE_GOLDEN=1").c_str());
    QCOMPARE(QString::fromStdString(text), QString::fromStdString(readFile(golden)));
}

void TestTemplateExporter::deterministic()
{
    for (const auto& path : designPaths()) {
        const Design design = load(path);
        // A design saved and loaded again is the same design, and exports the same bytes.
        const LoadResult again = DesignFile::parse(DesignFile::serialize(design));
        QVERIFY(again.design);
        for (const auto& form : kForms) {
            const std::string first = render(design, form);
            QCOMPARE(render(design, form), first);
            QCOMPARE(render(*again.design, form), first);
        }
    }
}

void TestTemplateExporter::noSimulationSettings()
{
    const auto keys = simulationKeys();
    for (const auto& path : designPaths()) {
        const Design design = load(path);
        for (auto flavour : {TemplateFlavour::Sam, TemplateFlavour::CloudFormation}) {
            const ojson t = build(design, flavour);
            forEachObject(t, [&](const ojson& o) {
                for (auto it = o.begin(); it != o.end(); ++it)
                    QVERIFY2(keys.count(it.key()) == 0,
                             (stem(path) + ": simulation key " + it.key()).c_str());
            });
            const std::string text = t.dump();
            for (const char* leak : {"lognormal", "exponential", "group_key", "customerId",
                                     "\"dist\"", "timeout_ms", "max_connections"})
                QVERIFY2(text.find(leak) == std::string::npos, (stem(path) + ": " + leak).c_str());
        }
    }
}

void TestTemplateExporter::leastPrivilege()
{
    int statements = 0;
    for (const auto& path : designPaths()) {
        const Design design = load(path);
        for (auto flavour : {TemplateFlavour::Sam, TemplateFlavour::CloudFormation}) {
            forEachObject(build(design, flavour), [&](const ojson& o) {
                if (!o.contains("Effect") || !o.contains("Action") ||
                    o["Action"] == "sts:AssumeRole")
                    return;
                ++statements;
                QVERIFY2(!isWildcard(o["Action"]), (stem(path) + ": " + o.dump()).c_str());
                QVERIFY2(o.contains("Resource"), o.dump().c_str());
                QVERIFY2(!isWildcard(o["Resource"]), (stem(path) + ": " + o.dump()).c_str());
                if (o["Resource"].is_string()) // literal ARNs only where no reference exists
                    QVERIFY2(o["Resource"].get<std::string>().starts_with("arn:"),
                             o.dump().c_str());
            });
        }
    }
    QVERIFY(statements > 50);
}

void TestTemplateExporter::permissionsFollowConnections()
{
    const Design design = loadNamed("serverless-orders");
    const ojson sam = build(design, TemplateFlavour::Sam);
    const ojson& policies = sam["Resources"]["TakeOrder"]["Properties"]["Policies"];
    const ojson expected = ojson::parse(R"([
        {"DynamoDBWritePolicy": {"TableName": {"Ref": "OrdersTable"}}},
        {"SQSSendMessagePolicy": {"QueueName": {"Fn::GetAtt": ["FulfilmentQueue", "QueueName"]}}},
        {"Statement": [{"Effect": "Allow", "Action": ["states:StartSyncExecution"],
                        "Resource": {"Ref": "Audit"}}]},
        {"LambdaInvokePolicy": {"FunctionName": {"Ref": "Pricing"}}}])");
    QCOMPARE(QString::fromStdString(policies.dump()), QString::fromStdString(expected.dump()));
    // The consumer may poll its own queue and nothing else; read-only table access stays read-only.
    const ojson fulfil = sam["Resources"]["Fulfil"]["Properties"]["Policies"];
    QVERIFY(fulfil.dump().find("SQSPollerPolicy") != std::string::npos);
    QVERIFY(fulfil.dump().find("FulfilmentDlq") == std::string::npos);
    const ojson workflow = sam["Resources"]["OrderWorkflow"]["Properties"]["Policies"];
    QVERIFY(workflow.dump().find("DynamoDBReadPolicy") != std::string::npos);
    QVERIFY(workflow.dump().find("DynamoDBWritePolicy") == std::string::npos);

    // The CloudFormation role carries the same grants as IAM statements on the exact ARNs.
    const ojson cfn = build(design, TemplateFlavour::CloudFormation);
    const ojson& role = cfn["Resources"]["TakeOrderRole"]["Properties"];
    QCOMPARE(
        role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["Service"].get<std::string>(),
        std::string("lambda.amazonaws.com"));
    const ojson statements = role["Policies"][0]["PolicyDocument"]["Statement"];
    QCOMPARE(statements.size(), std::size_t(4));
    QCOMPARE(statements[0]["Resource"].dump(),
             std::string(R"({"Fn::GetAtt":["OrdersTable","Arn"]})"));
    QCOMPARE(statements[1]["Action"].dump(), std::string(R"(["sqs:SendMessage"])"));
    QVERIFY(cfn["Resources"].contains("FulfilFulfilmentQueueMapping"));
    QCOMPARE(cfn["Resources"]["FulfilFulfilmentQueueMapping"]["Type"].get<std::string>(),
             std::string("AWS::Lambda::EventSourceMapping"));

    // SNS and EventBridge may send to a queue only from the topic or rule that targets it.
    const ojson routing = build(loadNamed("event-routing"), TemplateFlavour::Sam);
    const ojson& policy = routing["Resources"]["OrdersQueuePolicy"]["Properties"]["PolicyDocument"];
    QCOMPARE(policy["Statement"].size(), std::size_t(1));
    QCOMPARE(policy["Statement"][0]["Principal"]["Service"].get<std::string>(),
             std::string("events.amazonaws.com"));
    QCOMPARE(policy["Statement"][0]["Condition"]["ArnEquals"]["aws:SourceArn"].dump(),
             std::string(R"({"Fn::GetAtt":["AllOrders","Arn"]})"));
    const ojson& refunds = routing["Resources"]["RefundsPolicy"]["Properties"]["PolicyDocument"];
    QCOMPARE(refunds["Statement"][0]["Condition"]["ArnEquals"]["aws:SourceArn"].dump(),
             std::string(R"({"Ref":"Payments"})"));
}

void TestTemplateExporter::logicalIds()
{
    const ojson t = build(loadNamed("serverless-orders"), TemplateFlavour::CloudFormation);
    const std::regex alphanumeric("^[A-Za-z0-9]+$");
    for (auto it = t["Resources"].begin(); it != t["Resources"].end(); ++it)
        QVERIFY2(std::regex_match(it.key(), alphanumeric), it.key().c_str());
    for (const char* expected : {"OrdersApi", "TakeOrder", "FulfilmentQueue", "FulfilmentDlq",
                                 "OrderWorkflow", "ClickAnalytics", "InventoryDb"})
        QVERIFY2(t["Resources"].contains(expected), expected);

    // Ids that PascalCase to the same name get numbered in component order; a LogicalId kept
    // from an imported template wins, and a derived id never takes it.
    const LoadResult r = DesignFile::parse(R"({"format": "eventflow/1", "components": [
        {"id": "order-queue", "type": "queue"},
        {"id": "order_queue", "type": "queue"},
        {"id": "orderQueue", "type": "queue"},
        {"id": "kept", "type": "queue", "template": {"LogicalId": "OrderQueue4"}},
        {"id": "order queue", "type": "queue"},
        {"id": "---", "type": "queue"}]})");
    QVERIFY(r.design);
    const ojson c = build(*r.design, TemplateFlavour::Sam);
    std::vector<std::string> ids;
    for (auto it = c["Resources"].begin(); it != c["Resources"].end(); ++it)
        ids.push_back(it.key());
    const std::vector<std::string> expected = {"OrderQueue",  "OrderQueue2", "OrderQueue3",
                                               "OrderQueue4", "OrderQueue5", "Component"};
    QCOMPARE(ids, expected);
}

void TestTemplateExporter::logicalIdsStayStable()
{
    Design design = loadNamed("event-routing");
    const ojson before = build(design, TemplateFlavour::CloudFormation);
    Component added;
    added.id = "bus-2"; // PascalCases to "Bus2", the name a second "bus" would get
    added.type = ComponentType::EventBus;
    design.components.push_back(added);
    Connection link;
    link.from = "publisher";
    link.to = "bus-2";
    link.kind = ConnectionKind::Send;
    design.connections.push_back(link);
    const ojson after = build(design, TemplateFlavour::CloudFormation);
    for (auto it = before["Resources"].begin(); it != before["Resources"].end(); ++it) {
        QVERIFY2(after["Resources"].contains(it.key()), it.key().c_str());
        QCOMPARE(after["Resources"][it.key()]["Type"], it.value()["Type"]);
    }
    QVERIFY(after["Resources"].contains("Bus2"));
}

void TestTemplateExporter::unknownPropsAndExtrasCarriedThrough()
{
    const Design design = loadNamed("http-api-extras");
    for (auto flavour : {TemplateFlavour::Sam, TemplateFlavour::CloudFormation}) {
        const ojson t = build(design, flavour);
        const ojson& res = t["Resources"];
        QCOMPARE(t["Description"].get<std::string>(), std::string("Mobile backend (imported)"));
        QVERIFY(t["Metadata"].contains("Imported"));
        QVERIFY(t["Metadata"].contains("EventFlow"));
        QCOMPARE(t["Parameters"]["Environment"]["AllowedValues"].size(), std::size_t(2));
        QCOMPARE(t["Parameters"]["StageName"]["Default"].get<std::string>(), std::string("v1"));
        QVERIFY(t["Mappings"].contains("Tiers"));
        QVERIFY(t["Conditions"].contains("IsProduction"));
        QVERIFY(t["Outputs"].contains("AssetsBucketName"));
        QCOMPARE(res["AssetsBucket"]["Type"].get<std::string>(), std::string("AWS::S3::Bucket"));
        QCOMPARE(t.contains("Globals"), flavour == TemplateFlavour::Sam);

        QVERIFY(res.contains("ProfileFunction"));
        QVERIFY(!res.contains("Profile"));
        QCOMPARE(res["ProfileFunction"]["Metadata"]["Owner"].get<std::string>(),
                 std::string("mobile-team"));
        QCOMPARE(res["ProfileFunction"]["Properties"]["Architectures"][0].get<std::string>(),
                 std::string("arm64"));
        QVERIFY(res["ProfileFunction"]["Properties"].contains("Environment"));
        QCOMPARE(res["ProfilesTable"]["DeletionPolicy"].get<std::string>(), std::string("Retain"));
        QVERIFY(res["ProfilesTable"]["Properties"].contains("PointInTimeRecoverySpecification"));
        QCOMPARE(res["Uploads"]["Condition"].get<std::string>(), std::string("IsProduction"));
        QCOMPARE(t["Outputs"]["UploadsUrl"]["Condition"].get<std::string>(),
                 std::string("IsProduction"));
        QCOMPARE(res["Uploads"]["Properties"]["Tags"][0]["Value"].get<std::string>(),
                 std::string("mobile"));
        QVERIFY(res["Gateway"]["Properties"].contains("CorsConfiguration"));
        QVERIFY(!res["Gateway"]["Properties"].contains("ApiType"));
    }
    // Unknown connection props reach the mapping, the SAM event and the rule target.
    const ojson orders = build(loadNamed("serverless-orders"), TemplateFlavour::Sam);
    QVERIFY(orders["Resources"]["Fulfil"]["Properties"]["Events"]["FulfilmentQueue"]["Properties"]
                .contains("FunctionResponseTypes"));
    const ojson routing = build(loadNamed("event-routing"), TemplateFlavour::CloudFormation);
    bool inputPath = false;
    for (const auto& target : routing["Resources"]["AllOrders"]["Properties"]["Targets"])
        inputPath = inputPath || target.contains("InputPath");
    QVERIFY(inputPath);
}

void TestTemplateExporter::notExportedIsRecorded()
{
    const ojson t = build(loadNamed("order-flow-sync"), TemplateFlavour::Sam);
    const std::string recorded = t["Metadata"]["EventFlow"]["NotExported"].dump();
    for (const char* id : {"\"orders\"", "\"invoice\"", "\"clients\"", "\"api\"", "api -> orders"})
        QVERIFY2(recorded.find(id) != std::string::npos, id);
    QVERIFY(!t["Resources"].empty());

    const ojson r = build(loadNamed("event-routing"), TemplateFlavour::CloudFormation);
    const std::string routing = r["Metadata"]["EventFlow"]["NotExported"].dump();
    for (const char* id : {"fraud-team", "reporting-db", "payments -> fraud-team",
                           "orders-queue -> fraud-team", "fulfilment -> fraud-team"})
        QVERIFY2(routing.find(id) != std::string::npos, id);
    // An HTTP API cannot publish to SNS: the one link AWS has no integration for.
    const ojson a = build(loadNamed("api-integrations"), TemplateFlavour::Sam);
    const std::string integrations = a["Metadata"]["EventFlow"]["NotExported"].dump();
    QVERIFY(integrations.find("mobile -> alerts") != std::string::npos);
    QVERIFY(integrations.find("HTTP APIs have no SNS integration") != std::string::npos);
    QVERIFY(integrations.find("ingest ->") == std::string::npos);
}

void TestTemplateExporter::apiServiceIntegrations()
{
    for (auto flavour : {TemplateFlavour::Sam, TemplateFlavour::CloudFormation}) {
        const ojson t = build(loadNamed("api-integrations"), flavour);
        const ojson& r = t["Resources"];
        // REST: one method per route; services through their own API with the API's role.
        const std::map<std::string, std::string> restUris = {
            {"IngestOrdersQueueMethod", "sqs:path/${AWS::AccountId}/${OrdersQueue.QueueName}"},
            {"IngestAlertsMethod", "sns:action/Publish"},
            {"IngestEventsMethod", "events:action/PutEvents"},
            {"IngestClicksMethod", "kinesis:action/PutRecord"},
            {"IngestCheckoutMethod", "states:action/StartExecution"}};
        for (const auto& [method, uri] : restUris) {
            QVERIFY2(r.contains(method), method.c_str());
            const ojson& integration = r[method]["Properties"]["Integration"];
            QCOMPARE(integration["Type"].get<std::string>(), std::string("AWS"));
            QVERIFY2(integration["Uri"]["Fn::Sub"].get<std::string>().ends_with(uri), method.c_str());
            QVERIFY(integration["Credentials"] == ojson::parse(R"({"Fn::GetAtt": ["IngestRole", "Arn"]})"));
        }
        QCOMPARE(r["IngestStatusMethod"]["Properties"]["Integration"]["Type"].get<std::string>(),
                 std::string("AWS_PROXY"));
        // HTTP: first-class integrations by subtype.
        const std::map<std::string, std::string> httpSubtypes = {
            {"MobileOrdersQueueIntegration", "SQS-SendMessage"},
            {"MobileEventsIntegration", "EventBridge-PutEvents"},
            {"MobileClicksIntegration", "Kinesis-PutRecord"},
            {"MobileCheckoutIntegration", "StepFunctions-StartExecution"}};
        for (const auto& [integration, subtype] : httpSubtypes) {
            QVERIFY2(r.contains(integration), integration.c_str());
            QCOMPARE(r[integration]["Properties"]["IntegrationSubtype"].get<std::string>(), subtype);
        }
        // Least privilege: each API's role may do exactly what its routes need, on those resources.
        const std::string ingestPolicy = r["IngestRole"]["Properties"]["Policies"].dump();
        for (const char* action : {"sqs:SendMessage", "sns:Publish", "events:PutEvents",
                                   "kinesis:PutRecord", "states:StartExecution"})
            QVERIFY2(ingestPolicy.find(action) != std::string::npos, action);
        QVERIFY(ingestPolicy.find("\"*\"") == std::string::npos);
        const std::string mobilePolicy = r["MobileRole"]["Properties"]["Policies"].dump();
        QVERIFY(mobilePolicy.find("sns:Publish") == std::string::npos);
    }
}

void TestTemplateExporter::stateMachineDefinition()
{
    const ojson t = build(loadNamed("serverless-orders"), TemplateFlavour::CloudFormation);
    const ojson& p = t["Resources"]["OrderWorkflow"]["Properties"];
    QCOMPARE(p["StateMachineType"].get<std::string>(), std::string("STANDARD"));
    const ojson& d = p["Definition"];
    // step 1: charge and the inventory read in parallel; step 2: audit; then the hand-overs.
    QCOMPARE(d["StartAt"].get<std::string>(), std::string("Step1"));
    const ojson& step1 = d["States"]["Step1"];
    QCOMPARE(step1["Type"].get<std::string>(), std::string("Parallel"));
    QCOMPARE(step1["Branches"].size(), std::size_t(2));
    const ojson& charge = step1["Branches"][0]["States"]["InvokeCharge"];
    QCOMPARE(charge["Resource"].get<std::string>(), std::string("arn:aws:states:::lambda:invoke"));
    QCOMPARE(charge["TimeoutSeconds"].get<int>(), 30);
    QCOMPARE(charge["Retry"][0]["MaxAttempts"].get<int>(), 3);
    QCOMPARE(step1["Branches"][1]["States"]["ReadInventoryDb"]["Resource"].get<std::string>(),
             std::string("arn:aws:states:::dynamodb:getItem"));
    QCOMPARE(step1["Next"].get<std::string>(), std::string("RunAudit"));
    const ojson& audit = d["States"]["RunAudit"];
    QCOMPARE(audit["Resource"].get<std::string>(),
             std::string("arn:aws:states:::states:startExecution.sync:2"));
    QCOMPARE(audit["Catch"][0]["Next"].get<std::string>(), std::string("HandOver"));
    const ojson& handOver = d["States"]["HandOver"];
    QCOMPARE(handOver["Type"].get<std::string>(), std::string("Parallel"));
    QVERIFY(handOver["End"].get<bool>());
    QCOMPARE(
        handOver["Branches"][0]["States"]["SendToFulfilmentQueue"]["Resource"].get<std::string>(),
        std::string("arn:aws:states:::sqs:sendMessage"));
    QCOMPARE(
        handOver["Branches"][1]["States"]["PublishToOrderEvents"]["Resource"].get<std::string>(),
        std::string("arn:aws:states:::sns:publish"));
    QCOMPARE(p["DefinitionSubstitutions"]["ChargeArn"].dump(),
             std::string(R"({"Fn::GetAtt":["Charge","Arn"]})"));
    QCOMPARE(t["Resources"]["OrderWorkflowRole"]["Properties"]["AssumeRolePolicyDocument"]
              ["Statement"][0]["Principal"]["Service"]
                  .get<std::string>(),
             std::string("states.amazonaws.com"));
}

// A catcher whose Next names a Task's target leads to that Task's own state, which ends the
// execution and is left out of the chain of steps.
void TestTemplateExporter::stateMachineCatchPath()
{
    const ojson t = build(loadNamed("orchestration"), TemplateFlavour::Sam);
    const ojson& d = t["Resources"]["OrderWorkflow"]["Properties"]["Definition"];
    QCOMPARE(d["StartAt"].get<std::string>(), std::string("InvokeReserveStock"));
    QCOMPARE(d["States"]["InvokeReserveStock"]["Next"].get<std::string>(),
             std::string("InvokeTakePayment"));
    const ojson& payment = d["States"]["InvokeTakePayment"];
    QCOMPARE(payment["Next"].get<std::string>(), std::string("InvokeShipOrder"));
    QCOMPARE(payment["Retry"][0]["IntervalSeconds"].get<int>(), 2);
    QCOMPARE(payment["Catch"][0]["Next"].get<std::string>(), std::string("InvokeReleaseStock"));
    QVERIFY(d["States"]["InvokeShipOrder"]["End"].get<bool>());
    const ojson& release = d["States"]["InvokeReleaseStock"];
    QCOMPARE(release["Resource"].get<std::string>(), std::string("arn:aws:states:::lambda:invoke"));
    QVERIFY(release["End"].get<bool>());
    QVERIFY(!release.contains("Next"));
    QCOMPARE(d["States"].size(), std::size_t(4));
}

// A catcher's Next becomes the state it leads to: the state of a step a Task it names runs in
// (by state name or component id; the step stays in the chain), the own state of a catch_only
// Task (preferred when two Tasks call the component it names), the Done state; without a Next,
// the following state. Tasks of "sm": reserve (step 1, with the catcher), pay (2), ship (3),
// and a catch_only refund that calls "pay" again.
void TestTemplateExporter::stateMachineCatchTargets_data()
{
    QTest::addColumn<QString>("next"); // empty: no Next
    QTest::addColumn<QString>("state");
    QTest::newRow("a later step by component id") << "ship" << "InvokeShip";
    QTest::newRow("a later step by state name") << "InvokeShip" << "InvokeShip";
    QTest::newRow("the catch_only Task of a component called twice") << "pay" << "InvokePay2";
    QTest::newRow("a step by state name, though its component has a catch path")
        << "InvokePay" << "InvokePay";
    QTest::newRow("the end") << "Done" << "Done";
    QTest::newRow("no Next: the following state") << "" << "InvokePay";
}

void TestTemplateExporter::stateMachineCatchTargets()
{
    QFETCH(QString, next);
    QFETCH(QString, state);
    nlohmann::json catcher = {{"ErrorEquals", {"States.ALL"}}};
    if (!next.isEmpty())
        catcher["Next"] = next.toStdString();
    auto task = [](const char* to, nlohmann::json sim,
                   nlohmann::json props = nlohmann::json::object()) {
        return nlohmann::json{
            {"from", "sm"}, {"to", to}, {"kind", "invoke"}, {"props", props}, {"sim", sim}};
    };
    const Design design = designFrom(
        {{"components",
          {{{"id", "sm"}, {"type", "state_machine"}}, {{"id", "reserve"}, {"type", "function"}},
           {{"id", "pay"}, {"type", "function"}}, {{"id", "ship"}, {"type", "function"}}}},
         {"connections",
          {task("reserve", {{"step", 1}}, {{"Catch", {catcher}}}), task("pay", {{"step", 2}}),
           task("ship", {{"step", 3}}), task("pay", {{"catch_only", true}})}}});
    const Diagnostics problems = Validator::validate(design);
    QVERIFY2(!hasErrors(problems), qPrintable(eventflow::test::describe(problems)));
    const ojson d =
        build(design, TemplateFlavour::Sam)["Resources"]["Sm"]["Properties"]["Definition"];
    QCOMPARE(d["StartAt"].get<std::string>(), std::string("InvokeReserve"));
    const ojson& states = d["States"];
    QCOMPARE(states["InvokeReserve"]["Next"].get<std::string>(), std::string("InvokePay"));
    QCOMPARE(states["InvokeReserve"]["Catch"][0]["Next"].get<std::string>(), state.toStdString());
    QCOMPARE(states["InvokePay"]["Next"].get<std::string>(), std::string("InvokeShip"));
    QVERIFY(states["InvokeShip"]["End"].get<bool>());
    const bool refund = state == "InvokePay2";
    QCOMPARE(states.contains("InvokePay2"), refund);
    if (refund)
        QVERIFY(states["InvokePay2"]["End"].get<bool>());
    QCOMPARE(states.contains("Done"), state == "Done");
    QVERIFY2(unreachableStates(d).empty(), d.dump().c_str());
}

// Step Functions refuses a definition with a state no path reaches: a Done state only when a
// catcher leads there (not when the last step's catchers all go into catch paths), a catch path
// only when a catcher leads to it.
void TestTemplateExporter::definitionsHaveNoUnreachableState()
{
    const Design lastStepCaught = designFrom(
        {{"components",
          {{{"id", "sm"}, {"type", "state_machine"}}, {{"id", "charge"}, {"type", "function"}},
           {{"id", "refund"}, {"type", "function"}}, {{"id", "unused"}, {"type", "function"}}}},
         {"connections",
          {{{"from", "sm"}, {"to", "charge"}, {"kind", "invoke"},
            {"props", {{"Catch", {{{"ErrorEquals", {"States.ALL"}}, {"Next", "refund"}}}}}}},
           {{"from", "sm"}, {"to", "refund"}, {"kind", "invoke"}, {"sim", {{"catch_only", true}}}},
           {{"from", "sm"}, {"to", "unused"}, {"kind", "invoke"},
            {"sim", {{"catch_only", true}}}}}}});
    for (const TemplateFlavour flavour : {TemplateFlavour::Sam, TemplateFlavour::CloudFormation}) {
        const ojson t = build(lastStepCaught, flavour);
        const ojson& d = t["Resources"]["Sm"]["Properties"]["Definition"];
        QCOMPARE(d["States"].size(), std::size_t(2)); // InvokeCharge, InvokeRefund
        QVERIFY(!d["States"].contains("Done"));
        QVERIFY(!d["States"].contains("InvokeUnused"));
        QVERIFY2(unreachableStates(d).empty(), d.dump().c_str());
        QVERIFY2(t["Metadata"]["EventFlow"]["NotExported"].dump().find("sm -> unused") !=
                     std::string::npos,
                 t["Metadata"].dump().c_str());
    }
    for (const auto& path : designPaths()) {
        const Design design = load(path);
        for (const TemplateFlavour flavour :
             {TemplateFlavour::Sam, TemplateFlavour::CloudFormation}) {
            const ojson t = build(design, flavour);
            for (const auto& [id, resource] : t["Resources"].items())
                if (resource.contains("Properties") &&
                    resource["Properties"].contains("Definition")) {
                    const auto unreachable =
                        unreachableStates(resource["Properties"]["Definition"]);
                    const std::string where = stem(path) + " " + id + ": ";
                    QVERIFY2(unreachable.empty(),
                             (where + (unreachable.empty() ? "" : unreachable.front())).c_str());
                }
        }
    }
}

void TestTemplateExporter::yamlQuotesAmbiguousStrings()
{
    const ojson value = ojson::parse(
        R"({"a": "true", "b": "123", "c": "", "d": "2012-10-17", "e": "plain", "f": true, "g": 7,
            "h": "null", "i": "*", "j": "Payload.$", "k": [], "l": {}, "m": "one\ntwo\n"})");
    const std::string yaml = toYaml(value);
    for (const char* line : {"a: \"true\"\n", "b: \"123\"\n", "c: \"\"\n", "d: \"2012-10-17\"\n",
                             "e: plain\n", "f: true\n", "g: 7\n", "h: \"null\"\n", "j: Payload.$\n",
                             "k: []\n", "l: {}\n", "m: |\n  one\n  two\n"})
        QVERIFY2(yaml.find(line) != std::string::npos,
                 (line + std::string(" in\n") + yaml).c_str());
    QVERIFY(yaml.find("i: \"*\"") != std::string::npos || yaml.find("i: '*'") != std::string::npos);
}

void TestTemplateExporter::cfnLintAcceptsEveryTemplate()
{
    const QString cfnLint = cfnLintPath();
    if (cfnLint.isEmpty())
        QSKIP("cfn-lint is not installed (pip install cfn-lint); templates were not linted");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QStringList files;
    for (const auto& path : designPaths()) {
        const Design design = load(path);
        for (const auto& form : kForms) {
            const fs::path file =
                fs::path(dir.path().toStdString()) / (stem(path) + "." + form.suffix);
            writeFile(file, render(design, form));
            files << QString::fromStdString(file.string());
        }
    }
    const auto findings = eventflow::test::runCfnLint(cfnLint, files);
    QVERIFY2(findings, "cfn-lint did not run to the end");
    QStringList errors;
    QMap<QString, QPair<int, int>> perForm;
    for (const auto& form : kForms)
        perForm[QString::fromLatin1(form.suffix)] = {0, 0};
    for (const auto& finding : *findings) {
        QVERIFY2(!finding.file.isEmpty(),
                 qPrintable(QStringLiteral("unexpected cfn-lint output: ") + finding.message));
        const QString form = finding.file.section(QLatin1Char('.'), -2);
        if (finding.rule.startsWith(QLatin1Char('E'))) {
            errors << finding.file + QStringLiteral(": ") + finding.rule + QStringLiteral(" ") +
                          finding.message;
            ++perForm[form].first;
        } else if (finding.rule.startsWith(QLatin1Char('W'))) {
            qWarning("%s: %s %s", qPrintable(finding.file), qPrintable(finding.rule),
                     qPrintable(finding.message));
            ++perForm[form].second;
        }
    }
    for (auto it = perForm.begin(); it != perForm.end(); ++it)
        qInfo("cfn-lint %s: %d errors, %d warnings", qPrintable(it.key()), it.value().first,
              it.value().second);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(QLatin1Char('\n'))));
}

QTEST_APPLESS_MAIN(TestTemplateExporter)
#include "TestTemplateExporter.moc"
