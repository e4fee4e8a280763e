#include "TemplateExporter.h"

#include "CatchPaths.h"
#include "ComponentCatalog.h"
#include "YamlWriter.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <set>
#include <utility>

namespace eventflow::model {

namespace {

using ojson = nlohmann::ordered_json;
using json = nlohmann::json;
using C = ComponentType;
using K = ConnectionKind;
using S = ParameterScope;

constexpr const char* kSamTransform = "AWS::Serverless-2016-10-31";
constexpr const char* kDefaultRuntime = "python3.12";
constexpr const char* kDefaultStage = "prod";
constexpr const char* kPolicyVersion = "2012-10-17";
constexpr std::size_t kMaxRuleTargets = 5;
constexpr std::size_t kMaxDescriptionBytes = 1024;
// A handler that logs and acknowledges each event, so the exported stack deploys and runs
// before the real code replaces it.
constexpr const char* kHandlerCode = "import json\n"
                                     "\n"
                                     "\n"
                                     "def handler(event, context):\n"
                                     "    print(json.dumps(event))\n"
                                     "    return {\"statusCode\": 200, \"body\": \"{}\"}\n";

ojson obj(std::initializer_list<std::pair<std::string, ojson>> items)
{
    ojson o = ojson::object();
    for (const auto& [key, value] : items)
        o[key] = value;
    return o;
}

ojson ordered(const json& value)
{
    return ojson::parse(value.dump());
}

ojson cfnRef(const std::string& id)
{
    return obj({{"Ref", id}});
}

ojson getAtt(const std::string& id, const std::string& attribute)
{
    return obj({{"Fn::GetAtt", ojson::array({id, attribute})}});
}

ojson sub(const std::string& text)
{
    return obj({{"Fn::Sub", text}});
}

ojson integer(double value)
{
    return static_cast<std::int64_t>(std::llround(value));
}

// Whole numbers stay integers in the template; fractional rates keep their fraction.
ojson numberValue(double value)
{
    if (std::floor(value) == value && std::abs(value) < 9e15)
        return integer(value);
    return value;
}

std::string pascalCase(std::string_view id)
{
    std::string out;
    bool upper = true;
    for (char ch : id) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 128 && std::isalnum(c)) {
            out += upper ? static_cast<char>(std::toupper(c)) : ch;
            upper = false;
        } else {
            upper = true;
        }
    }
    return out.empty() ? std::string("Component") : out;
}

// API Gateway path parts and EventBridge names accept letters, digits, '-', '_' and '.'.
std::string nameSafe(std::string_view id)
{
    std::string out;
    for (char ch : id) {
        const auto c = static_cast<unsigned char>(ch);
        out += (c < 128 && (std::isalnum(c) || c == '-' || c == '_' || c == '.')) ? ch : '-';
    }
    return out.empty() ? std::string("component") : out;
}

void fillMissing(ojson& target, const json& source)
{
    for (auto it = source.begin(); it != source.end(); ++it) {
        if (!target.contains(it.key()))
            target[it.key()] = ordered(it.value());
        else if (target[it.key()].is_object() && it.value().is_object())
            fillMissing(target[it.key()], it.value());
    }
}

std::set<std::string> topLevelKeys(const std::vector<ParameterSpec>& specs)
{
    std::set<std::string> keys;
    for (const auto& spec : specs)
        if (spec.scope == S::Aws)
            keys.insert(spec.key.substr(0, spec.key.find('.')));
    return keys;
}

/// Copies `props` into generated Properties: keys the catalogue does not know go in as written
/// (the design wins over a generated value), known keys only fill sub-keys left unwritten.
void mergeProps(ojson& properties, const json& props, const std::set<std::string>& known)
{
    if (!props.is_object())
        return;
    for (auto it = props.begin(); it != props.end(); ++it) {
        if (it.key() == "TemplateOrigin")
            continue; // the importer's bookkeeping, no property
        if (known.count(it.key()) == 0) {
            properties[it.key()] = ordered(it.value());
        } else if (it.value().is_object() && properties.contains(it.key()) &&
                   properties[it.key()].is_object()) {
            fillMissing(properties[it.key()], it.value());
        }
    }
}

ojson statement(ojson actions, ojson resource)
{
    return obj(
        {{"Effect", "Allow"}, {"Action", std::move(actions)}, {"Resource", std::move(resource)}});
}

ojson policyDocument(ojson statements)
{
    return obj({{"Version", kPolicyVersion}, {"Statement", std::move(statements)}});
}

ojson assumeRole(const std::string& service)
{
    return policyDocument(ojson::array({obj({{"Effect", "Allow"},
                                             {"Principal", obj({{"Service", service}})},
                                             {"Action", "sts:AssumeRole"}})}));
}

/// One permission a connection needs: a SAM policy template (when one fits exactly) and the
/// equivalent IAM statement for plain CloudFormation.
struct Grant {
    std::string samTemplate;
    std::string samParameter;
    ojson samValue;
    ojson actions;
    ojson resource;

    std::string key() const
    {
        return samTemplate + samValue.dump() + actions.dump() + resource.dump();
    }
};

struct Route {
    int connection = -1;
    int target = -1;
    std::string path;
};

class Builder {
public:
    Builder(const Design& design, TemplateFlavour flavour, Diagnostics& diagnostics)
        : m_design(design), m_flavour(flavour), m_diagnostics(diagnostics),
          m_used(design.connections.size(), false)
    {
    }

    ojson run();
    /// Logical ids for every component; run() starts with it.
    void assignLogicalIds();
    /// The state name of each Task of state machine `machine` that reaches an exported target,
    /// by connection; needs the logical ids.
    std::map<std::size_t, std::string> taskStateNames(int machine) const;

private:
    bool sam() const { return m_flavour == TemplateFlavour::Sam; }
    const Component& component(int i) const
    {
        return m_design.components[static_cast<std::size_t>(i)];
    }
    const Connection& connection(int i) const
    {
        return m_design.connections[static_cast<std::size_t>(i)];
    }
    const std::string& id(int i) const { return m_ids[static_cast<std::size_t>(i)]; }
    int from(int c) const { return m_design.indexOf(connection(c).from); }
    int to(int c) const { return m_design.indexOf(connection(c).to); }
    void use(int c) { m_used[static_cast<std::size_t>(c)] = true; }
    std::vector<int> links(int index, bool outgoing, std::initializer_list<K> kinds) const;

    void assignIds();
    std::string allocate(const std::string& base);
    std::string parameter(const std::string& name, ojson definition);
    void warn(std::string pointer, std::string message, Severity severity = Severity::Warning);

    bool isDynamo(int i) const;
    bool exported(int i) const;
    std::string notExportedReason(int i) const;
    std::vector<Route> routes(int api) const;
    /// True when SAM can write the API with its routes as function and state machine events;
    /// an API with a service integration is written as API Gateway resources in SAM too.
    bool samApi(int api) const;
    /// `props` of a component whose resource is written as CloudFormation: SAM-only properties
    /// (from an imported SAM template) become their CloudFormation forms, and those with none are
    /// left out and listed under NotExported. Unchanged in the SAM flavour.
    json cloudFormationProps(int i);
    ojson restServiceIntegration(int target, const std::string& roleId,
                                 std::vector<Grant>& grants);
    ojson httpServiceIntegration(int target, const std::string& roleId,
                                 std::vector<Grant>& grants);
    int samRuleFunction(int rule) const;
    ojson ruleArn(int rule) const;
    ojson arnOf(int i) const;
    std::string destinationType(int i) const;
    Grant grantFor(int caller, int target, K kind, int c) const;

    ojson resource(const std::string& type, int owner, bool primary) const;
    void add(const std::string& logicalId, ojson resource);
    void addGrant(std::vector<Grant>& grants, const Grant& grant) const;
    ojson samPolicies(const std::vector<Grant>& grants) const;
    ojson iamStatements(const std::vector<Grant>& grants) const;
    ojson role(const std::string& service, int owner, const std::vector<Grant>& grants,
               bool lambdaBasics) const;

    void emitFunction(int i);
    void emitQueue(int i);
    void emitTopic(int i);
    void emitEventBus(int i);
    void emitRule(int i);
    void emitStream(int i);
    void emitStateMachine(int i);
    void emitDatabase(int i);
    void emitApi(int i);
    void recordNotExported();
    bool roundTrip() const;
    bool synthetic(int i) const
    {
        return m_roundTrip && component(i).templateExtras.contains("Synthetic");
    }
    bool asWritten(int i) const;
    ojson writtenProps(int i) const;
    ojson linkProps(int c) const;
    ojson references(int c) const;
    ojson& writtenProperties(int owner);
    void emitAsWritten(int i);
    void rebuildLink(int c);
    void rebuildEvent(int c, const json& origin);
    void output(int owner, const std::string& name, const std::string& description, ojson value);
    void resourcePolicy(int target, const std::string& service, const ojson& sourceArn,
                        const std::string& sourceName);
    ojson queueEventSource(int c, int queue);
    ojson streamEventSource(int c, int stream, int function);
    int firstLink(int index, K kind, bool outgoing, const char* what);

    const Design& m_design;
    TemplateFlavour m_flavour;
    Diagnostics& m_diagnostics;
    std::vector<bool> m_used;
    /// Whether imported components are written back as they were (see roundTrip()).
    bool m_roundTrip = false;
    std::vector<std::string> m_ids;
    std::set<std::string> m_taken;
    std::map<std::string, std::string> m_parameterIds;
    ojson m_parameters = ojson::object();
    ojson m_resources = ojson::object();
    ojson m_outputs = ojson::object();
    ojson m_notExported = ojson::array();
    /// Resource-policy statements (queue policies, topic policies) keyed by target component.
    std::map<int, ojson> m_resourceStatements;
    std::map<int, std::set<std::string>> m_statementSids;
};

std::vector<int> Builder::links(int index, bool outgoing, std::initializer_list<K> kinds) const
{
    std::vector<int> out;
    for (int c = 0; c < static_cast<int>(m_design.connections.size()); ++c) {
        const int end = outgoing ? from(c) : to(c);
        if (end != index || from(c) < 0 || to(c) < 0)
            continue;
        if (std::find(kinds.begin(), kinds.end(), connection(c).kind) != kinds.end())
            out.push_back(c);
    }
    return out;
}

void Builder::warn(std::string pointer, std::string message, Severity severity)
{
    m_diagnostics.push_back({severity, std::move(pointer), std::move(message), {}});
}

std::string Builder::allocate(const std::string& base)
{
    std::string candidate = base;
    for (int n = 2; m_taken.count(candidate) != 0; ++n)
        candidate = base + std::to_string(n);
    m_taken.insert(candidate);
    return candidate;
}

// Explicit LogicalIds and unmodelled resources claim their names first; derived ids then go in
// component order, so adding a component never renames an existing one.
void Builder::assignIds()
{
    const json& extras = m_design.templateExtras;
    if (extras.contains("Resources") && extras["Resources"].is_object())
        for (auto it = extras["Resources"].begin(); it != extras["Resources"].end(); ++it)
            m_taken.insert(it.key());
    m_ids.assign(m_design.components.size(), {});
    for (std::size_t i = 0; i < m_design.components.size(); ++i) {
        const auto& x = m_design.components[i].templateExtras;
        if (x.contains("LogicalId") && x["LogicalId"].is_string()) {
            const std::string wanted =
                asWritten(static_cast<int>(i)) ? x["LogicalId"].get<std::string>()
                : pascalCase(x["LogicalId"].get<std::string>()) == x["LogicalId"].get<std::string>()
                    ? x["LogicalId"].get<std::string>()
                    : pascalCase(x["LogicalId"].get<std::string>());
            if (m_taken.count(wanted) == 0) {
                m_ids[i] = wanted;
                m_taken.insert(wanted);
            }
        }
    }
    for (std::size_t i = 0; i < m_design.components.size(); ++i)
        if (m_ids[i].empty())
            m_ids[i] = allocate(pascalCase(m_design.components[i].id));
}

std::string Builder::parameter(const std::string& name, ojson definition)
{
    auto it = m_parameterIds.find(name);
    if (it != m_parameterIds.end())
        return it->second;
    const json& extras = m_design.templateExtras;
    const bool designHasIt = extras.contains("Parameters") && extras["Parameters"].contains(name);
    const std::string logicalId = designHasIt ? name : allocate(name);
    m_parameterIds[name] = logicalId;
    m_parameters[logicalId] = std::move(definition);
    return logicalId;
}

bool Builder::isDynamo(int i) const
{
    return component(i).type == C::Database && component(i).text(S::Sim, "engine") != "relational";
}

bool Builder::exported(int i) const
{
    switch (component(i).type) {
    case C::Producer:
    case C::Service:
        return false;
    case C::Database:
        return isDynamo(i);
    case C::Api:
        return !routes(i).empty();
    default:
        return true;
    }
}

std::string Builder::notExportedReason(int i) const
{
    switch (component(i).type) {
    case C::Producer:
        return "a client outside AWS: its traffic drives the simulation only";
    case C::Service:
        return "a service outside AWS's serverless resources: deploy it separately";
    case C::Database:
        return "a relational database: create it (Amazon RDS or Aurora) separately";
    case C::Api:
        return "none of its routes reaches a function or state machine, so there is nothing to "
               "integrate";
    default:
        return "not exported";
    }
}

bool Builder::samApi(int api) const
{
    if (!sam())
        return false;
    const bool rest = component(api).text(S::Aws, "ApiType") != "HTTP";
    for (const Route& route : routes(api)) {
        const C type = component(route.target).type;
        if (type != C::Function && !(type == C::StateMachine && rest))
            return false;
    }
    return true;
}

std::vector<Route> Builder::routes(int api) const
{
    std::vector<Route> out;
    std::set<std::string> paths;
    const bool rest = component(api).text(S::Aws, "ApiType") != "HTTP";
    for (int c : links(api, true, {K::Invoke, K::Send})) {
        const int t = to(c);
        const C type = component(t).type;
        const bool function = type == C::Function && connection(c).kind == K::Invoke;
        // Service integrations: API Gateway calls the AWS API itself. HTTP APIs have first-class
        // integrations for SQS, EventBridge, Kinesis and Step Functions, but none for SNS.
        const bool service = type == C::StateMachine || type == C::Queue ||
                             type == C::EventBus || type == C::Stream ||
                             (type == C::Topic && rest);
        if (!function && !service)
            continue;
        std::string path = "/" + nameSafe(component(t).id);
        for (int n = 2; paths.count(path) != 0; ++n)
            path = "/" + nameSafe(component(t).id) + "-" + std::to_string(n);
        paths.insert(path);
        out.push_back({c, t, path});
    }
    return out;
}

// A rule whose one target is a function becomes that function's EventBridgeRule event in SAM;
// anything richer (several targets, a disabled state, resource attributes) stays a rule resource.
int Builder::samRuleFunction(int rule) const
{
    if (!sam())
        return -1;
    const auto targets = links(rule, true, {K::RuleTarget});
    if (targets.size() != 1 || component(to(targets[0])).type != C::Function)
        return -1;
    if (component(rule).text(S::Aws, "State") == "DISABLED")
        return -1;
    if (!component(rule).templateExtras.empty())
        return -1;
    // Target settings SAM's event cannot carry (Input, InputTransformer...) need the rule resource.
    const auto known = topLevelKeys(ComponentCatalog::connectionParameters(K::RuleTarget));
    const json& props = connection(targets[0]).props;
    for (auto it = props.begin(); it != props.end(); ++it)
        if (known.count(it.key()) == 0)
            return -1;
    return to(targets[0]);
}

ojson Builder::ruleArn(int rule) const
{
    const int function = samRuleFunction(rule);
    if (function >= 0)
        return getAtt(id(function) + id(rule), "Arn");
    return getAtt(id(rule), "Arn");
}

ojson Builder::arnOf(int i) const
{
    switch (component(i).type) {
    case C::Topic:
    case C::StateMachine:
        return cfnRef(id(i));
    default:
        return getAtt(id(i), "Arn");
    }
}

std::string Builder::destinationType(int i) const
{
    switch (component(i).type) {
    case C::Queue:
        return "SQS";
    case C::Topic:
        return "SNS";
    case C::Function:
        return "Lambda";
    default:
        return "EventBridge";
    }
}

Grant Builder::grantFor(int caller, int target, K kind, int c) const
{
    const std::string& t = id(target);
    switch (component(target).type) {
    case C::Function:
        return {"LambdaInvokePolicy", "FunctionName", cfnRef(t),
                ojson::array({"lambda:InvokeFunction"}), getAtt(t, "Arn")};
    case C::Queue:
        return {"SQSSendMessagePolicy", "QueueName", getAtt(t, "QueueName"),
                ojson::array({"sqs:SendMessage"}), getAtt(t, "Arn")};
    case C::Topic:
        return {"SNSPublishMessagePolicy", "TopicName", getAtt(t, "TopicName"),
                ojson::array({"sns:Publish"}), cfnRef(t)};
    case C::EventBus:
        return {"EventBridgePutEventsPolicy", "EventBusName", cfnRef(t),
                ojson::array({"events:PutEvents"}), getAtt(t, "Arn")};
    case C::Stream:
        return {"", "", nullptr, ojson::array({"kinesis:PutRecord", "kinesis:PutRecords"}),
                getAtt(t, "Arn")};
    case C::Database:
        if (connection(c).parameter(S::Sim, "operation") == "read")
            return {"DynamoDBReadPolicy", "TableName", cfnRef(t),
                    ojson::array({"dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan",
                                  "dynamodb:BatchGetItem", "dynamodb:DescribeTable"}),
                    getAtt(t, "Arn")};
        return {
            "DynamoDBWritePolicy", "TableName", cfnRef(t),
            ojson::array({"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem"}),
            getAtt(t, "Arn")};
    case C::StateMachine:
        if (kind == K::Invoke && component(caller).type == C::Function &&
            component(target).text(S::Aws, "Type") == "EXPRESS")
            return {"", "", nullptr, ojson::array({"states:StartSyncExecution"}), cfnRef(t)};
        return {"StepFunctionsExecutionPolicy", "StateMachineName", getAtt(t, "Name"),
                ojson::array({"states:StartExecution"}), cfnRef(t)};
    default:
        return {};
    }
}

ojson Builder::resource(const std::string& type, int owner, bool primary) const
{
    ojson r = obj({{"Type", type}});
    if (owner >= 0) {
        const json& x = component(owner).templateExtras;
        const char* attributes[] = {"Condition", "DependsOn", "DeletionPolicy",
                                    "UpdateReplacePolicy", "Metadata"};
        for (const char* name : attributes) {
            if (!x.contains(name))
                continue;
            // Auxiliary resources share their owner's Condition, so they never outlive it.
            if (primary || std::string_view(name) == "Condition")
                r[name] = ordered(x[name]);
        }
    }
    r["Properties"] = ojson::object();
    return r;
}

void Builder::add(const std::string& logicalId, ojson resource)
{
    if (resource["Properties"].empty())
        resource.erase("Properties");
    m_resources[logicalId] = std::move(resource);
}

void Builder::addGrant(std::vector<Grant>& grants, const Grant& grant) const
{
    if (grant.actions.is_null())
        return;
    for (const auto& g : grants)
        if (g.key() == grant.key())
            return;
    grants.push_back(grant);
}

ojson Builder::samPolicies(const std::vector<Grant>& grants) const
{
    ojson policies = ojson::array();
    for (const auto& g : grants) {
        if (!g.samTemplate.empty())
            policies.push_back(obj({{g.samTemplate, obj({{g.samParameter, g.samValue}})}}));
        else
            policies.push_back(
                obj({{"Statement", ojson::array({statement(g.actions, g.resource)})}}));
    }
    return policies;
}

ojson Builder::iamStatements(const std::vector<Grant>& grants) const
{
    ojson statements = ojson::array();
    for (const auto& g : grants)
        statements.push_back(statement(g.actions, g.resource));
    return statements;
}

ojson Builder::role(const std::string& service, int owner, const std::vector<Grant>& grants,
                    bool lambdaBasics) const
{
    ojson r = resource("AWS::IAM::Role", owner, false);
    r["Properties"]["AssumeRolePolicyDocument"] = assumeRole(service);
    if (lambdaBasics)
        r["Properties"]["ManagedPolicyArns"] = ojson::array({sub(
            "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")});
    if (!grants.empty())
        r["Properties"]["Policies"] =
            ojson::array({obj({{"PolicyName", id(owner) + "Access"},
                               {"PolicyDocument", policyDocument(iamStatements(grants))}})});
    return r;
}

int Builder::firstLink(int index, K kind, bool outgoing, const char* what)
{
    const auto found = links(index, outgoing, {kind});
    int chosen = -1;
    for (int c : found) {
        if (!exported(outgoing ? to(c) : from(c)))
            continue;
        if (chosen < 0) {
            chosen = c;
            use(c);
        } else {
            warn("/connections/" + std::to_string(c),
                 std::string("only one ") + what + " is possible; this one is not exported");
        }
    }
    return chosen;
}

void Builder::resourcePolicy(int target, const std::string& service, const ojson& sourceArn,
                             const std::string& sourceName)
{
    const bool queue = component(target).type == C::Queue;
    const std::string principal = service + ".amazonaws.com";
    std::string sid = "Allow" + pascalCase(service) + sourceName;
    if (!m_statementSids[target].insert(sid).second)
        return;
    m_resourceStatements[target].push_back(
        obj({{"Sid", sid},
             {"Effect", "Allow"},
             {"Principal", obj({{"Service", principal}})},
             {"Action", queue ? "sqs:SendMessage" : "sns:Publish"},
             {"Resource", queue ? getAtt(id(target), "Arn") : cfnRef(id(target))},
             {"Condition", obj({{"ArnEquals", obj({{"aws:SourceArn", sourceArn}})}})}}));
}

ojson Builder::queueEventSource(int c, int queue)
{
    const Connection& link = connection(c);
    ojson p = ojson::object();
    p[sam() ? "Queue" : "EventSourceArn"] = getAtt(id(queue), "Arn");
    p["BatchSize"] = integer(link.number(S::Aws, "BatchSize"));
    const bool fifo = component(queue).flag(S::Aws, "FifoQueue");
    if (!fifo || link.number(S::Aws, "MaximumBatchingWindowInSeconds") > 0)
        p["MaximumBatchingWindowInSeconds"] =
            integer(link.number(S::Aws, "MaximumBatchingWindowInSeconds"));
    const auto concurrency = link.parameter(S::Aws, "ScalingConfig.MaximumConcurrency");
    if (concurrency.is_number())
        p["ScalingConfig"] = obj({{"MaximumConcurrency", integer(concurrency.get<double>())}});
    const json* responseTypes = findPath(link.props, "FunctionResponseTypes");
    if (responseTypes && !responseTypes->is_null())
        p["FunctionResponseTypes"] = ordered(*responseTypes);
    return p;
}

ojson Builder::streamEventSource(int c, int stream, int function)
{
    const Connection& link = connection(c);
    ojson p = ojson::object();
    p[sam() ? "Stream" : "EventSourceArn"] = getAtt(id(stream), "Arn");
    p["StartingPosition"] = link.parameter(S::Aws, "StartingPosition").get<std::string>();
    // Streams default to 100 records per batch; the catalogue's 10 is the queue default.
    const auto* batch = findPath(link.props, "BatchSize");
    p["BatchSize"] = batch && batch->is_number() ? integer(batch->get<double>()) : ojson(100);
    p["MaximumBatchingWindowInSeconds"] =
        integer(link.number(S::Aws, "MaximumBatchingWindowInSeconds"));
    p["ParallelizationFactor"] = integer(link.number(S::Aws, "ParallelizationFactor"));
    p["BisectBatchOnFunctionError"] = link.flag(S::Aws, "BisectBatchOnFunctionError");
    p["MaximumRetryAttempts"] = integer(link.number(S::Aws, "MaximumRetryAttempts"));
    p["MaximumRecordAgeInSeconds"] = integer(link.number(S::Aws, "MaximumRecordAgeInSeconds"));
    const json* responseTypes = findPath(link.props, "FunctionResponseTypes");
    if (responseTypes && !responseTypes->is_null())
        p["FunctionResponseTypes"] = ordered(*responseTypes);
    for (int f : links(function, true, {K::OnFailure})) {
        const int d = to(f);
        const C type = component(d).type;
        if (type != C::Queue && type != C::Topic)
            continue;
        ojson onFailure = ojson::object();
        if (sam())
            onFailure["Type"] = destinationType(d);
        onFailure["Destination"] = arnOf(d);
        p["DestinationConfig"] = obj({{"OnFailure", onFailure}});
        break;
    }
    return p;
}

void Builder::emitFunction(int i)
{
    const Component& fn = component(i);
    const std::string& fid = id(i);
    const auto known = topLevelKeys(ComponentCatalog::componentParameters(C::Function));
    std::vector<Grant> grants;
    ojson r = resource(sam() ? "AWS::Serverless::Function" : "AWS::Lambda::Function", i, true);
    ojson& p = r["Properties"];

    const json props = cloudFormationProps(i);
    const bool ownCode = props.contains("CodeUri") || props.contains("InlineCode") ||
                         props.contains("Code") || props.contains("ImageUri");
    if (!ownCode) {
        p["Handler"] = "index.handler";
        if (!fn.props.contains("Runtime"))
            p["Runtime"] = cfnRef(
                parameter("Runtime", obj({{"Type", "String"},
                                          {"Default", kDefaultRuntime},
                                          {"Description", "Lambda runtime of every function"}})));
        if (sam())
            p["InlineCode"] = kHandlerCode;
        else
            p["Code"] = obj({{"ZipFile", kHandlerCode}});
    }
    const std::string roleId = sam() ? std::string() : allocate(fid + "Role");
    if (!sam())
        p["Role"] = getAtt(roleId, "Arn");
    p["Timeout"] = integer(fn.number(S::Aws, "Timeout"));
    p["MemorySize"] = cfnRef(
        parameter(fid + "MemorySize", obj({{"Type", "Number"},
                                           {"Default", integer(fn.number(S::Aws, "MemorySize"))},
                                           {"MinValue", 128},
                                           {"MaxValue", 10240},
                                           {"Description", "Memory of " + fn.id + " in MB"}})));
    const auto reserved = fn.parameter(S::Aws, "ReservedConcurrentExecutions");
    if (reserved.is_number())
        p["ReservedConcurrentExecutions"] = integer(reserved.get<double>());

    // Permissions follow the outgoing connections, each scoped to the resource it reaches.
    for (int c : links(i, true, {K::Invoke, K::Send})) {
        const int t = to(c);
        if (!exported(t) || component(t).type == C::Api)
            continue;
        addGrant(grants, grantFor(i, t, connection(c).kind, c));
        use(c);
    }

    const int dlq = firstLink(i, K::DeadLetter, true, "dead-letter queue per function");
    if (dlq >= 0) {
        const int d = to(dlq);
        const bool queue = component(d).type == C::Queue;
        if (sam())
            p["DeadLetterQueue"] = obj({{"Type", queue ? "SQS" : "SNS"}, {"TargetArn", arnOf(d)}});
        else
            p["DeadLetterConfig"] = obj({{"TargetArn", arnOf(d)}});
        if (!sam())
            addGrant(grants, grantFor(i, d, K::Send, dlq));
    }

    const int onFailure = firstLink(i, K::OnFailure, true, "on-failure destination per function");
    ojson invokeConfig = ojson::object();
    if (onFailure >= 0 || fn.props.contains("EventInvokeConfig")) {
        invokeConfig["MaximumEventAgeInSeconds"] =
            integer(fn.number(S::Aws, "EventInvokeConfig.MaximumEventAgeInSeconds"));
        invokeConfig["MaximumRetryAttempts"] =
            integer(fn.number(S::Aws, "EventInvokeConfig.MaximumRetryAttempts"));
        if (onFailure >= 0) {
            const int d = to(onFailure);
            ojson destination = ojson::object();
            if (sam())
                destination["Type"] = destinationType(d);
            destination["Destination"] = arnOf(d);
            invokeConfig["DestinationConfig"] = obj({{"OnFailure", destination}});
            if (!sam())
                addGrant(grants, grantFor(i, d, K::Send, onFailure));
        }
        if (fn.props.contains("EventInvokeConfig"))
            fillMissing(invokeConfig, fn.props["EventInvokeConfig"]);
    }

    // Triggers: SAM events, or mappings and permissions in plain CloudFormation.
    ojson events = ojson::object();
    std::vector<std::pair<std::string, ojson>> extra;
    std::set<std::string> eventNames;
    auto eventName = [&](const std::string& base) {
        std::string name = base;
        for (int n = 2; eventNames.count(name) != 0; ++n)
            name = base + std::to_string(n);
        eventNames.insert(name);
        return name;
    };
    for (int c : links(i, false, {K::EventSource, K::Subscription, K::RuleTarget, K::Invoke})) {
        const int s = from(c);
        const Connection& link = connection(c);
        const C type = component(s).type;
        const auto linkKnown = topLevelKeys(ComponentCatalog::connectionParameters(link.kind));
        if (link.kind == K::EventSource && (type == C::Queue || type == C::Stream)) {
            use(c);
            const bool queue = type == C::Queue;
            ojson props = queue ? queueEventSource(c, s) : streamEventSource(c, s, i);
            mergeProps(props, link.props, linkKnown);
            if (queue)
                addGrant(grants, {"SQSPollerPolicy", "QueueName", getAtt(id(s), "QueueName"),
                                  ojson::array({"sqs:ChangeMessageVisibility", "sqs:DeleteMessage",
                                                "sqs:GetQueueAttributes", "sqs:ReceiveMessage"}),
                                  getAtt(id(s), "Arn")});
            else
                addGrant(grants,
                         {"KinesisStreamReadPolicy", "StreamName", cfnRef(id(s)),
                          ojson::array({"kinesis:DescribeStream", "kinesis:DescribeStreamSummary",
                                        "kinesis:GetRecords", "kinesis:GetShardIterator",
                                        "kinesis:ListShards", "kinesis:SubscribeToShard"}),
                          getAtt(id(s), "Arn")});
            // SAM's event names the destination's type; the mapping itself has no such field.
            if (!sam() && props.contains("DestinationConfig") &&
                props["DestinationConfig"].contains("OnFailure") &&
                props["DestinationConfig"]["OnFailure"].is_object())
                props["DestinationConfig"]["OnFailure"].erase("Type");
            if (!queue && !sam() && props.contains("DestinationConfig")) {
                for (int f : links(i, true, {K::OnFailure})) {
                    const C dt = component(to(f)).type;
                    if (dt == C::Queue || dt == C::Topic) {
                        addGrant(grants, grantFor(i, to(f), K::Send, f));
                        break;
                    }
                }
            }
            if (sam()) {
                events[eventName(id(s))] =
                    obj({{"Type", queue ? "SQS" : "Kinesis"}, {"Properties", props}});
            } else {
                ojson m = resource("AWS::Lambda::EventSourceMapping", i, false);
                ojson& mp = m["Properties"];
                mp["EventSourceArn"] = props["EventSourceArn"];
                mp["FunctionName"] = cfnRef(fid);
                for (auto it = props.begin(); it != props.end(); ++it)
                    if (it.key() != "EventSourceArn")
                        mp[it.key()] = it.value();
                extra.emplace_back(fid + id(s) + "Mapping", std::move(m));
            }
        } else if (link.kind == K::Subscription && type == C::Topic && sam()) {
            // A subscription with its own dead-letter queue or extra settings needs the full
            // AWS::SNS::Subscription, written with the topic; the plain case is an SNS event.
            bool plain = true;
            for (int d : links(s, true, {K::DeadLetter})) {
                const std::string forId =
                    connection(d).parameter(S::Sim, "for").is_string()
                        ? connection(d).parameter(S::Sim, "for").get<std::string>()
                        : std::string();
                if (forId.empty() || forId == fn.id)
                    plain = false;
            }
            for (auto it = link.props.begin(); it != link.props.end(); ++it)
                if (linkKnown.count(it.key()) == 0)
                    plain = false;
            if (!plain)
                continue;
            use(c);
            ojson props = obj({{"Topic", cfnRef(id(s))}});
            if (link.props.contains("FilterPolicy")) {
                props["FilterPolicy"] = ordered(link.props["FilterPolicy"]);
                props["FilterPolicyScope"] = link.parameter(S::Aws, "FilterPolicyScope");
            }
            events[eventName(id(s))] = obj({{"Type", "SNS"}, {"Properties", props}});
        } else if (link.kind == K::RuleTarget && type == C::Rule && samRuleFunction(s) == i) {
            use(c);
            const Component& rule = component(s);
            ojson props = ojson::object();
            props["Pattern"] = ordered(rule.parameter(S::Aws, "EventPattern"));
            if (props["Pattern"].is_null())
                warn("/components/" + std::to_string(s) + "/props/EventPattern",
                     "a rule needs an EventPattern", Severity::Error);
            const auto buses = links(s, false, {K::Subscription});
            if (!buses.empty()) {
                props["EventBusName"] = cfnRef(id(from(buses[0])));
                use(buses[0]);
            }
            props["RetryPolicy"] =
                obj({{"MaximumRetryAttempts",
                      integer(link.number(S::Aws, "RetryPolicy.MaximumRetryAttempts"))},
                     {"MaximumEventAgeInSeconds",
                      integer(link.number(S::Aws, "RetryPolicy.MaximumEventAgeInSeconds"))}});
            for (int d : links(s, true, {K::DeadLetter})) {
                const auto forValue = connection(d).parameter(S::Sim, "for");
                const std::string forId = forValue.is_string() ? forValue.get<std::string>() : "";
                if (!forId.empty() && forId != fn.id)
                    continue;
                use(d);
                props["DeadLetterConfig"] = obj({{"Arn", getAtt(id(to(d)), "Arn")}});
                resourcePolicy(to(d), "events", ruleArn(s), id(s));
                break;
            }
            events[eventName(id(s))] = obj({{"Type", "EventBridgeRule"}, {"Properties", props}});
        } else if (link.kind == K::Invoke && type == C::Api && samApi(s)) {
            for (const Route& route : routes(s)) {
                if (route.connection != c)
                    continue;
                use(c);
                const bool http = component(s).text(S::Aws, "ApiType") == "HTTP";
                ojson props = ojson::object();
                props[http ? "ApiId" : "RestApiId"] = cfnRef(id(s));
                props["Path"] = route.path;
                props["Method"] = http ? "POST" : "post";
                if (http)
                    props["PayloadFormatVersion"] = "2.0";
                props["TimeoutInMillis"] = integer(component(s).number(S::Aws, "TimeoutInMillis"));
                events[eventName(id(s))] =
                    obj({{"Type", http ? "HttpApi" : "Api"}, {"Properties", props}});
            }
        }
    }

    if (sam()) {
        if (!grants.empty())
            p["Policies"] = samPolicies(grants);
        if (!invokeConfig.empty())
            p["EventInvokeConfig"] = invokeConfig;
        if (!events.empty())
            p["Events"] = events;
    }
    mergeProps(p, props, known);
    add(fid, std::move(r));
    if (!sam()) {
        add(roleId, role("lambda.amazonaws.com", i, grants, true));
        if (!invokeConfig.empty()) {
            ojson e = resource("AWS::Lambda::EventInvokeConfig", i, false);
            e["Properties"]["FunctionName"] = cfnRef(fid);
            e["Properties"]["Qualifier"] = "$LATEST";
            for (auto it = invokeConfig.begin(); it != invokeConfig.end(); ++it)
                e["Properties"][it.key()] = it.value();
            add(allocate(fid + "EventInvokeConfig"), std::move(e));
        }
        for (auto& [name, res] : extra)
            add(allocate(name), std::move(res));
    }
}

void Builder::emitQueue(int i)
{
    const Component& q = component(i);
    ojson r = resource("AWS::SQS::Queue", i, true);
    ojson& p = r["Properties"];
    if (q.flag(S::Aws, "FifoQueue")) {
        p["FifoQueue"] = true;
        const std::string limit = q.text(S::Aws, "FifoThroughputLimit");
        if (limit == "perMessageGroupId") {
            p["DeduplicationScope"] = "messageGroup";
            p["FifoThroughputLimit"] = limit;
        }
    }
    p["VisibilityTimeout"] = integer(q.number(S::Aws, "VisibilityTimeout"));
    p["MessageRetentionPeriod"] = integer(q.number(S::Aws, "MessageRetentionPeriod"));
    p["DelaySeconds"] = integer(q.number(S::Aws, "DelaySeconds"));
    const int dlq = firstLink(i, K::DeadLetter, true, "dead-letter queue per queue");
    const auto* literalTarget = findPath(q.props, "RedrivePolicy.deadLetterTargetArn");
    if (dlq >= 0 || literalTarget) {
        p["RedrivePolicy"] =
            obj({{"deadLetterTargetArn",
                  dlq >= 0 ? getAtt(id(to(dlq)), "Arn") : ordered(*literalTarget)},
                 {"maxReceiveCount", integer(q.number(S::Aws, "RedrivePolicy.maxReceiveCount"))}});
    }
    mergeProps(p, q.props, topLevelKeys(ComponentCatalog::componentParameters(C::Queue)));
    add(id(i), std::move(r));
    output(i, id(i) + "Url", "URL of " + q.id, cfnRef(id(i)));
}

void Builder::emitTopic(int i)
{
    const Component& t = component(i);
    ojson r = resource("AWS::SNS::Topic", i, true);
    if (t.flag(S::Aws, "FifoTopic"))
        r["Properties"]["FifoTopic"] = true;
    mergeProps(r["Properties"], t.props,
               topLevelKeys(ComponentCatalog::componentParameters(C::Topic)));
    add(id(i), std::move(r));
    output(i, id(i) + "Arn", "ARN of " + t.id, cfnRef(id(i)));

    const auto deadLetters = links(i, true, {K::DeadLetter});
    for (int c : links(i, true, {K::Subscription})) {
        if (m_used[static_cast<std::size_t>(c)])
            continue; // already a SAM SNS event on the function
        const int s = to(c);
        const C type = component(s).type;
        if (type != C::Queue && type != C::Function)
            continue;
        use(c);
        const Connection& link = connection(c);
        ojson subscription = resource("AWS::SNS::Subscription", i, false);
        ojson& p = subscription["Properties"];
        p["TopicArn"] = cfnRef(id(i));
        p["Protocol"] = type == C::Queue ? "sqs" : "lambda";
        p["Endpoint"] = getAtt(id(s), "Arn");
        if (type == C::Queue)
            p["RawMessageDelivery"] = link.flag(S::Aws, "RawMessageDelivery");
        if (link.props.contains("FilterPolicy")) {
            p["FilterPolicy"] = ordered(link.props["FilterPolicy"]);
            p["FilterPolicyScope"] = link.parameter(S::Aws, "FilterPolicyScope");
        }
        for (int d : deadLetters) {
            const auto forValue = connection(d).parameter(S::Sim, "for");
            const std::string forId = forValue.is_string() ? forValue.get<std::string>() : "";
            if (!forId.empty() && forId != component(s).id)
                continue;
            use(d);
            p["RedrivePolicy"] = obj({{"deadLetterTargetArn", getAtt(id(to(d)), "Arn")}});
            resourcePolicy(to(d), "sns", cfnRef(id(i)), id(i));
            break;
        }
        mergeProps(p, link.props,
                   topLevelKeys(ComponentCatalog::connectionParameters(K::Subscription)));
        add(allocate(id(i) + id(s) + "Subscription"), std::move(subscription));
        if (type == C::Queue) {
            resourcePolicy(s, "sns", cfnRef(id(i)), id(i));
        } else {
            ojson perm = resource("AWS::Lambda::Permission", i, false);
            perm["Properties"] = obj({{"Action", "lambda:InvokeFunction"},
                                      {"FunctionName", cfnRef(id(s))},
                                      {"Principal", "sns.amazonaws.com"},
                                      {"SourceArn", cfnRef(id(i))}});
            add(allocate(id(i) + id(s) + "Permission"), std::move(perm));
        }
    }
}

void Builder::emitEventBus(int i)
{
    const Component& b = component(i);
    ojson r = resource("AWS::Events::EventBus", i, true);
    r["Properties"]["Name"] = sub("${AWS::StackName}-" + nameSafe(b.id));
    mergeProps(r["Properties"], b.props,
               topLevelKeys(ComponentCatalog::componentParameters(C::EventBus)));
    add(id(i), std::move(r));
}

void Builder::emitRule(int i)
{
    if (samRuleFunction(i) >= 0)
        return; // written as the function's EventBridgeRule event
    const Component& rule = component(i);
    ojson r = resource("AWS::Events::Rule", i, true);
    ojson& p = r["Properties"];
    const auto buses = links(i, false, {K::Subscription});
    if (!buses.empty()) {
        p["EventBusName"] = cfnRef(id(from(buses[0])));
        use(buses[0]);
    }
    const auto pattern = rule.parameter(S::Aws, "EventPattern");
    if (pattern.is_null())
        warn("/components/" + std::to_string(i) + "/props/EventPattern",
             "a rule needs an EventPattern", Severity::Error);
    else
        p["EventPattern"] = ordered(pattern);
    p["State"] = rule.text(S::Aws, "State");

    std::vector<Grant> grants;
    ojson targets = ojson::array();
    std::vector<std::pair<std::string, ojson>> permissions;
    const auto deadLetters = links(i, true, {K::DeadLetter});
    std::set<std::string> targetIds;
    std::string roleId;
    for (int c : links(i, true, {K::RuleTarget})) {
        const int t = to(c);
        if (targets.size() == kMaxRuleTargets) {
            warn("/connections/" + std::to_string(c),
                 "an EventBridge rule has at most 5 targets; this one is not exported",
                 Severity::Error);
            continue;
        }
        use(c);
        const Connection& link = connection(c);
        std::string targetId = id(t);
        for (int n = 2; targetIds.count(targetId) != 0; ++n)
            targetId = id(t) + std::to_string(n);
        targetIds.insert(targetId);
        ojson target = obj({{"Id", targetId}, {"Arn", arnOf(t)}});
        const C type = component(t).type;
        if (type == C::StateMachine || type == C::Stream || type == C::EventBus) {
            if (roleId.empty())
                roleId = allocate(id(i) + "Role");
            target["RoleArn"] = getAtt(roleId, "Arn");
            if (type == C::StateMachine)
                addGrant(grants,
                         {"", "", nullptr, ojson::array({"states:StartExecution"}), cfnRef(id(t))});
            else if (type == C::Stream)
                addGrant(grants, {"", "", nullptr,
                                  ojson::array({"kinesis:PutRecord", "kinesis:PutRecords"}),
                                  getAtt(id(t), "Arn")});
            else
                addGrant(grants, {"", "", nullptr, ojson::array({"events:PutEvents"}),
                                  getAtt(id(t), "Arn")});
        }
        if (type == C::Queue && component(t).flag(S::Aws, "FifoQueue"))
            target["SqsParameters"] = obj({{"MessageGroupId", id(i)}});
        target["RetryPolicy"] =
            obj({{"MaximumRetryAttempts",
                  integer(link.number(S::Aws, "RetryPolicy.MaximumRetryAttempts"))},
                 {"MaximumEventAgeInSeconds",
                  integer(link.number(S::Aws, "RetryPolicy.MaximumEventAgeInSeconds"))}});
        for (int d : deadLetters) {
            const auto forValue = connection(d).parameter(S::Sim, "for");
            const std::string forId = forValue.is_string() ? forValue.get<std::string>() : "";
            if (!forId.empty() && forId != component(t).id)
                continue;
            use(d);
            target["DeadLetterConfig"] = obj({{"Arn", getAtt(id(to(d)), "Arn")}});
            resourcePolicy(to(d), "events", ruleArn(i), id(i));
            break;
        }
        mergeProps(target, link.props,
                   topLevelKeys(ComponentCatalog::connectionParameters(K::RuleTarget)));
        targets.push_back(std::move(target));
        if (type == C::Queue || type == C::Topic)
            resourcePolicy(t, "events", ruleArn(i), id(i));
        if (type == C::Function) {
            ojson perm = resource("AWS::Lambda::Permission", i, false);
            perm["Properties"] = obj({{"Action", "lambda:InvokeFunction"},
                                      {"FunctionName", cfnRef(id(t))},
                                      {"Principal", "events.amazonaws.com"},
                                      {"SourceArn", getAtt(id(i), "Arn")}});
            permissions.emplace_back(id(i) + id(t) + "Permission", std::move(perm));
        }
    }
    if (!targets.empty())
        p["Targets"] = targets;
    mergeProps(p, rule.props, topLevelKeys(ComponentCatalog::componentParameters(C::Rule)));
    add(id(i), std::move(r));
    if (!grants.empty())
        add(roleId, role("events.amazonaws.com", i, grants, false));
    for (auto& [name, res] : permissions)
        add(allocate(name), std::move(res));
}

void Builder::emitStream(int i)
{
    const Component& s = component(i);
    ojson r = resource("AWS::Kinesis::Stream", i, true);
    r["Properties"]["ShardCount"] = integer(s.number(S::Aws, "ShardCount"));
    r["Properties"]["RetentionPeriodHours"] = integer(s.number(S::Aws, "RetentionPeriodHours"));
    mergeProps(r["Properties"], s.props,
               topLevelKeys(ComponentCatalog::componentParameters(C::Stream)));
    add(id(i), std::move(r));
}

void Builder::emitDatabase(int i)
{
    const Component& d = component(i);
    ojson r = resource("AWS::DynamoDB::Table", i, true);
    ojson& p = r["Properties"];
    const std::string billing = d.text(S::Aws, "BillingMode");
    p["BillingMode"] = billing;
    p["AttributeDefinitions"] =
        ojson::array({obj({{"AttributeName", "pk"}, {"AttributeType", "S"}})});
    p["KeySchema"] = ojson::array({obj({{"AttributeName", "pk"}, {"KeyType", "HASH"}})});
    if (billing == "PROVISIONED")
        p["ProvisionedThroughput"] =
            obj({{"ReadCapacityUnits",
                  integer(d.number(S::Aws, "ProvisionedThroughput.ReadCapacityUnits"))},
                 {"WriteCapacityUnits",
                  integer(d.number(S::Aws, "ProvisionedThroughput.WriteCapacityUnits"))}});
    mergeProps(p, d.props, topLevelKeys(ComponentCatalog::componentParameters(C::Database)));
    add(id(i), std::move(r));
}

// Tasks are named in connection order, before the definition is laid out, so that a catcher's
// Next can name any of them and a Task added later never renames an existing one.
std::map<std::size_t, std::string> Builder::taskStateNames(int machine) const
{
    std::map<std::size_t, std::string> names;
    std::set<std::string> taken;
    for (int c : links(machine, true, {K::Invoke, K::Send})) {
        const int target = to(c);
        if (!exported(target))
            continue;
        const bool invoke = connection(c).kind == K::Invoke;
        const std::string& tid = id(target);
        std::string base;
        switch (component(target).type) {
        case C::Function:
            base = (invoke ? "Invoke" : "InvokeAsync") + tid;
            break;
        case C::Queue:
            base = "SendTo" + tid;
            break;
        case C::Topic:
            base = "PublishTo" + tid;
            break;
        case C::EventBus:
            base = "PutEventsTo" + tid;
            break;
        case C::Stream:
            base = "PutRecordTo" + tid;
            break;
        case C::Database:
            base =
                (connection(c).parameter(S::Sim, "operation") == "read" ? "Read" : "Write") + tid;
            break;
        case C::StateMachine:
            base = (invoke ? "Run" : "Start") + tid;
            break;
        default:
            break;
        }
        std::string name = base;
        for (int n = 2; taken.count(name) != 0; ++n)
            name = base + std::to_string(n);
        taken.insert(name);
        names[static_cast<std::size_t>(c)] = name;
    }
    return names;
}

void Builder::emitStateMachine(int i)
{
    const Component& sm = component(i);
    const std::string& sid = id(i);
    struct Task {
        int connection;
        int target;
        bool invoke;
        long long step;
        int order;
    };
    std::vector<Task> invokes;
    std::vector<Task> sends;
    std::map<int, long long> stepOf; // every invoke connection's, exported or not
    int order = 0;
    for (int c : links(i, true, {K::Invoke, K::Send})) {
        const Connection& link = connection(c);
        const int t = to(c);
        const bool invoke = link.kind == K::Invoke;
        // The order counts every Task the simulation runs, exported or not, so steps line up.
        const auto step = link.parameter(S::Sim, "step");
        const long long key = step.is_number() ? std::llround(step.get<double>()) : order;
        if (invoke) {
            stepOf[c] = key;
            ++order;
        }
        if (!exported(t))
            continue;
        // A catch path is used once a catcher leads to it: the definition has no unreachable state.
        if (!(invoke && CatchPaths::isCatchOnly(link)))
            use(c);
        (invoke ? invokes : sends).push_back({c, t, invoke, key, invoke ? order : 0});
    }
    // Catch paths are states of their own, reached only through a catcher's Next.
    const std::map<std::size_t, std::string> taskNames = taskStateNames(i);
    const CatchPaths paths(m_design, static_cast<std::size_t>(i), taskNames);
    std::map<std::size_t, Task> catchPaths;
    for (const Task& t : invokes)
        if (paths.contains(static_cast<std::size_t>(t.connection)))
            catchPaths.emplace(static_cast<std::size_t>(t.connection), t);
    std::erase_if(invokes, [&](const Task& t) {
        return paths.contains(static_cast<std::size_t>(t.connection));
    });
    std::stable_sort(invokes.begin(), invokes.end(),
                     [](const Task& a, const Task& b) { return a.step < b.step; });
    std::vector<std::vector<Task>> groups;
    for (const Task& t : invokes) {
        if (groups.empty() || groups.back().front().step != t.step)
            groups.emplace_back();
        groups.back().push_back(t);
    }
    if (!sends.empty())
        groups.push_back(sends); // the simulation hands these over once every Task has answered

    std::vector<Grant> grants;
    ojson substitutions = ojson::object();
    std::set<std::string> names; // the Parallel states' beside the Tasks'
    for (const auto& [c, name] : taskNames)
        names.insert(name);
    auto unique = [&](const std::string& base) {
        std::string name = base;
        for (int n = 2; names.count(name) != 0; ++n)
            name = base + std::to_string(n);
        names.insert(name);
        return name;
    };
    auto substitute = [&](int target, const std::string& suffix, ojson value) {
        const std::string key = id(target) + suffix;
        substitutions[key] = std::move(value);
        return "${" + key + "}";
    };
    auto task = [&](const Task& t, std::string& name) {
        const int target = t.target;
        const Component& tc = component(target);
        const std::string& tid = id(target);
        ojson state = obj({{"Type", "Task"}});
        ojson params = ojson::object();
        std::string resourceArn;
        switch (tc.type) {
        case C::Function:
            resourceArn = "arn:aws:states:::lambda:invoke";
            params["FunctionName"] = substitute(target, "Arn", getAtt(tid, "Arn"));
            if (!t.invoke)
                params["InvocationType"] = "Event";
            params["Payload.$"] = "$";
            break;
        case C::Queue:
            resourceArn = "arn:aws:states:::sqs:sendMessage";
            params["QueueUrl"] = substitute(target, "Url", cfnRef(tid));
            params["MessageBody.$"] = "$";
            if (tc.flag(S::Aws, "FifoQueue"))
                params["MessageGroupId.$"] = "$$.Execution.Name";
            break;
        case C::Topic:
            resourceArn = "arn:aws:states:::sns:publish";
            params["TopicArn"] = substitute(target, "Arn", cfnRef(tid));
            params["Message.$"] = "$";
            if (tc.flag(S::Aws, "FifoTopic"))
                params["MessageGroupId.$"] = "$$.Execution.Name";
            break;
        case C::EventBus: {
            resourceArn = "arn:aws:states:::events:putEvents";
            const PutEventsEntry own = connection(t.connection).putEventsEntry();
            params["Entries"] = ojson::array({obj(
                {{"EventBusName", substitute(target, "Name", cfnRef(tid))},
                 {"Source", !own.source.empty() ? own.source : "eventflow." + nameSafe(sm.id)},
                 {"DetailType", !own.detailType.empty() ? own.detailType
                                : sm.label.empty()      ? sm.id
                                                        : sm.label},
                 {"Detail.$", "$"}})});
            break;
        }
        case C::Stream:
            resourceArn = "arn:aws:states:::aws-sdk:kinesis:putRecord";
            params["StreamName"] = substitute(target, "Name", cfnRef(tid));
            params["Data.$"] = "States.JsonToString($)";
            params["PartitionKey.$"] = "$$.Execution.Name";
            break;
        case C::Database: {
            const bool read = connection(t.connection).parameter(S::Sim, "operation") == "read";
            resourceArn =
                read ? "arn:aws:states:::dynamodb:getItem" : "arn:aws:states:::dynamodb:putItem";
            params["TableName"] = substitute(target, "Name", cfnRef(tid));
            params[read ? "Key" : "Item"] = obj({{"pk", obj({{"S.$", "$$.Execution.Id"}})}});
            break;
        }
        case C::StateMachine:
            resourceArn = t.invoke ? "arn:aws:states:::states:startExecution.sync:2"
                                   : "arn:aws:states:::states:startExecution";
            params["StateMachineArn"] = substitute(target, "Arn", cfnRef(tid));
            params["Input.$"] = "$";
            break;
        default:
            break;
        }
        name = taskNames.at(static_cast<std::size_t>(t.connection));
        state["Resource"] = resourceArn;
        state["Parameters"] = params;
        const Connection& link = connection(t.connection);
        const auto timeout = link.parameter(S::Aws, "TimeoutSeconds");
        if (timeout.is_number())
            state["TimeoutSeconds"] = integer(timeout.get<double>());
        state["ResultPath"] = nullptr; // each step passes its input on, as in the simulation
        if (t.invoke && link.props.contains("Retry"))
            state["Retry"] = ordered(link.props["Retry"]);
        Grant g = grantFor(i, target, t.invoke ? K::Invoke : K::Send, t.connection);
        addGrant(grants, g);
        if (tc.type == C::StateMachine && t.invoke) {
            addGrant(grants, {"", "", nullptr,
                              ojson::array({"states:DescribeExecution", "states:StopExecution"}),
                              sub("arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:"
                                  "execution:${" +
                                  tid + ".Name}:*")});
            addGrant(grants,
                     {"", "", nullptr,
                      ojson::array({"events:PutTargets", "events:PutRule", "events:DescribeRule"}),
                      sub("arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:"
                          "rule/StepFunctionsGetEventsForStepFunctionsExecutionRule")});
        }
        return state;
    };
    ojson states = ojson::object();
    std::vector<std::string> stateNames;   // per group
    bool needDone = false;                 // whether a catcher leads to the end
    std::vector<std::size_t> reachedPaths; // the catch paths catchers lead to, as they are reached
    // The state a step begins with: the first group's from that step on, else the hand-overs',
    // else the end.
    auto stateOfStep = [&](long long step) -> std::string {
        for (std::size_t g = 0; g < groups.size(); ++g)
            if (!groups[g].front().invoke || groups[g].front().step >= step)
                return stateNames[g];
        return "Done";
    };
    // Where a catcher's Next leads in the definition (see CatchPaths): a catch path's own state,
    // the state of the step a normal Task runs in, "Done" for the end; else `next`, the state
    // that follows (ASL requires a Next, and that is where the simulation goes on).
    auto catchTarget = [&](const json& catcher, const std::string& next) -> std::string {
        const auto target =
            paths.resolve(catcher.is_object() ? catcher.value("Next", json()) : json());
        switch (target.kind) {
        case CatchPaths::Kind::End:
            return "Done";
        case CatchPaths::Kind::Task:
            if (!paths.contains(target.connection)) {
                const auto step = stepOf.find(static_cast<int>(target.connection));
                return step == stepOf.end() ? next : stateOfStep(step->second);
            }
            if (catchPaths.count(target.connection) == 0)
                return "Done"; // a catch path whose target is not exported: it would end there
            if (std::find(reachedPaths.begin(), reachedPaths.end(), target.connection) ==
                reachedPaths.end())
                reachedPaths.push_back(target.connection);
            return taskNames.at(target.connection);
        default:
            return next;
        }
    };
    // A branch cannot leave its Parallel state: there every catcher ends the branch, as the
    // simulation lets the execution go on (the validator refuses catchers that lead elsewhere).
    enum class CatcherPlace { OwnState, ParallelBranch };
    auto catchers = [&](const Task& t, const std::string& next, CatcherPlace place) {
        const Connection& link = connection(t.connection);
        ojson list = ojson::array();
        if (!t.invoke || !link.props.contains("Catch") || !link.props["Catch"].is_array())
            return list;
        for (const auto& c : link.props["Catch"]) {
            ojson k = ordered(c);
            if (k.is_object()) {
                k["Next"] = place == CatcherPlace::ParallelBranch ? std::string("Caught")
                                                                  : catchTarget(c, next);
                needDone = needDone || k["Next"] == "Done";
            }
            list.push_back(std::move(k));
        }
        return list;
    };

    std::vector<ojson> stateBodies;
    for (std::size_t g = 0; g < groups.size(); ++g) {
        const auto& group = groups[g];
        if (group.size() == 1) {
            std::string name;
            ojson state = task(group.front(), name);
            stateNames.push_back(name);
            stateBodies.push_back(std::move(state));
            continue;
        }
        ojson branches = ojson::array();
        for (const Task& t : group) {
            std::string name;
            ojson state = task(t, name);
            ojson branchStates = ojson::object();
            ojson caught = catchers(t, "Caught", CatcherPlace::ParallelBranch);
            if (!caught.empty())
                state["Catch"] = caught;
            state["End"] = true;
            branchStates[name] = std::move(state);
            if (!caught.empty())
                branchStates["Caught"] = obj({{"Type", "Succeed"}});
            branches.push_back(obj({{"StartAt", name}, {"States", branchStates}}));
        }
        const bool isSends = !group.front().invoke;
        stateNames.push_back(unique(isSends ? std::string("HandOver")
                                            : "Step" + std::to_string(group.front().step)));
        stateBodies.push_back(
            obj({{"Type", "Parallel"}, {"Branches", branches}, {"ResultPath", nullptr}}));
    }
    for (std::size_t s = 0; s < stateBodies.size(); ++s) {
        const bool last = s + 1 == stateBodies.size();
        const std::string next = last ? "Done" : stateNames[s + 1];
        ojson& state = stateBodies[s];
        if (groups[s].size() == 1) {
            ojson caught = catchers(groups[s].front(), next, CatcherPlace::OwnState);
            if (!caught.empty())
                state["Catch"] = caught;
        }
        if (last)
            state["End"] = true;
        else
            state["Next"] = next;
        states[stateNames[s]] = std::move(state);
    }
    // A catch path ends the execution unless its own catchers lead on. Written only once a
    // catcher leads to it (reachedPaths grows as they do): Step Functions refuses a definition
    // with an unreachable state.
    for (std::size_t k = 0; k < reachedPaths.size(); ++k) {
        const Task& t = catchPaths.at(reachedPaths[k]);
        use(t.connection);
        std::string name;
        ojson state = task(t, name);
        ojson caught = catchers(t, "Done", CatcherPlace::OwnState);
        if (!caught.empty())
            state["Catch"] = caught;
        state["End"] = true;
        states[name] = std::move(state);
    }
    if (needDone || stateNames.empty())
        states["Done"] = obj({{"Type", "Succeed"}});
    ojson definition =
        obj({{"Comment", sm.label.empty() ? sm.id : sm.label},
             {"StartAt", stateNames.empty() ? std::string("Done") : stateNames.front()},
             {"States", states}});

    const std::string roleId = sam() ? std::string() : allocate(sid + "Role");
    ojson r = resource(sam() ? "AWS::Serverless::StateMachine" : "AWS::StepFunctions::StateMachine",
                       i, true);
    ojson& p = r["Properties"];
    p[sam() ? "Type" : "StateMachineType"] = sm.text(S::Aws, "Type");
    p["Definition"] = definition;
    if (!substitutions.empty())
        p["DefinitionSubstitutions"] = substitutions;
    if (sam()) {
        if (!grants.empty())
            p["Policies"] = samPolicies(grants);
    } else {
        p["RoleArn"] = getAtt(roleId, "Arn");
    }

    // REST routes to a state machine start an execution; SAM writes them as Api events.
    std::vector<std::pair<std::string, ojson>> extra;
    if (sam()) {
        ojson events = ojson::object();
        for (int c : links(i, false, {K::Invoke, K::Send})) {
            const int a = from(c);
            if (component(a).type != C::Api || !samApi(a))
                continue;
            for (const Route& route : routes(a))
                if (route.connection == c) {
                    use(c);
                    events[id(a)] = obj({{"Type", "Api"},
                                         {"Properties", obj({{"RestApiId", cfnRef(id(a))},
                                                             {"Path", route.path},
                                                             {"Method", "post"}})}});
                }
        }
        if (!events.empty())
            p["Events"] = events;
    }
    mergeProps(p, cloudFormationProps(i),
               topLevelKeys(ComponentCatalog::componentParameters(C::StateMachine)));
    add(sid, std::move(r));
    if (!sam())
        add(roleId, role("states.amazonaws.com", i, grants, false));
}

namespace {

/// "s3://bucket/key" or {Bucket, Key, Version} as CloudFormation's S3 location fields; null for
/// anything else (a local folder that only `sam build` or `aws cloudformation package` turns into
/// an upload).
json s3Location(const json& value, const char* bucket, const char* key, const char* version)
{
    if (value.is_string()) {
        const std::string text = value.get<std::string>();
        if (!text.starts_with("s3://") || text.find('/', 5) == std::string::npos)
            return nullptr;
        const auto slash = text.find('/', 5);
        return {{bucket, text.substr(5, slash - 5)}, {key, text.substr(slash + 1)}};
    }
    if (value.is_object() && value.contains("Bucket") && value.contains("Key")) {
        json out = {{bucket, value["Bucket"]}, {key, value["Key"]}};
        if (value.contains("Version"))
            out[version] = value["Version"];
        return out;
    }
    return nullptr;
}

} // namespace

json Builder::cloudFormationProps(int i)
{
    const Component& c = component(i);
    if (sam() || !c.props.is_object())
        return c.props;
    json props = c.props;
    std::vector<std::string> dropped;
    auto rename = [&](const char* from, const char* to) {
        if (props.contains(from)) {
            props[to] = props[from];
            props.erase(from);
        }
    };
    // Catalogued keys are the exporter's own to translate (EventInvokeConfig becomes its own
    // resource); only the rest can be SAM-only leftovers.
    const auto known = topLevelKeys(ComponentCatalog::componentParameters(c.type));
    auto drop = [&](std::initializer_list<const char*> keys) {
        for (const char* key : keys)
            if (props.contains(key) && !known.count(key)) {
                dropped.emplace_back(key);
                props.erase(key);
            }
    };
    // SAM writes tags as a map; Lambda and Step Functions take a list of {Key, Value}.
    if ((c.type == C::Function || c.type == C::StateMachine) && props.contains("Tags") &&
        props["Tags"].is_object()) {
        json tags = json::array();
        for (auto it = props["Tags"].begin(); it != props["Tags"].end(); ++it)
            tags.push_back({{"Key", it.key()}, {"Value", it.value()}});
        props["Tags"] = tags;
    }
    switch (c.type) {
    case C::Function:
        if (props.contains("CodeUri")) {
            json code = s3Location(props["CodeUri"], "S3Bucket", "S3Key", "S3ObjectVersion");
            if (code.is_null())
                dropped.emplace_back("CodeUri");
            else
                props["Code"] = code;
            props.erase("CodeUri");
        }
        if (props.contains("InlineCode")) {
            props["Code"] = {{"ZipFile", props["InlineCode"]}};
            props.erase("InlineCode");
        }
        if (props.contains("Tracing") && props["Tracing"].is_string()) {
            props["TracingConfig"] = {{"Mode", props["Tracing"]}};
            props.erase("Tracing");
        }
        drop({"Policies", "Events", "AutoPublishAlias", "AutoPublishCodeSha256",
              "DeploymentPreference", "ProvisionedConcurrencyConfig", "FunctionUrlConfig",
              "AssumeRolePolicyDocument", "PermissionsBoundary", "RolePath", "EventInvokeConfig",
              "DeadLetterQueue", "VersionDescription", "SnapStart", "Tracing"});
        break;
    case C::StateMachine:
        if (props.contains("DefinitionUri")) {
            json location = s3Location(props["DefinitionUri"], "Bucket", "Key", "Version");
            if (!location.is_null())
                props["DefinitionS3Location"] = location;
            props.erase("DefinitionUri"); // the generated Definition stands in for a local file
        }
        rename("Type", "StateMachineType");
        rename("Name", "StateMachineName");
        rename("Role", "RoleArn");
        rename("Logging", "LoggingConfiguration");
        rename("Tracing", "TracingConfiguration");
        drop({"Policies", "Events", "PermissionsBoundary", "RolePath", "AutoPublishAlias",
              "DeploymentPreference", "UseAliasAsEventTarget"});
        break;
    case C::Api:
        rename("DefinitionBody", "Body");
        if (props.contains("DefinitionUri")) {
            json location = s3Location(props["DefinitionUri"], "Bucket", "Key", "Version");
            if (location.is_null())
                dropped.emplace_back("DefinitionUri");
            else
                props["BodyS3Location"] = location;
            props.erase("DefinitionUri");
        }
        // Stage settings belong to the generated stage; these have no place on the API itself.
        // (CorsConfiguration, EndpointConfiguration, FailOnWarnings and
        // DisableExecuteApiEndpoint are CloudFormation properties of the API and stay.)
        if (props.contains("CorsConfiguration") && !props["CorsConfiguration"].is_object())
            drop({"CorsConfiguration"}); // SAM's `true` shorthand
        drop({"StageName", "Cors", "Auth", "MethodSettings", "DefaultRouteSettings",
              "RouteSettings", "AccessLogSetting", "AccessLogSettings", "CacheClusterEnabled",
              "CacheClusterSize", "Variables", "StageVariables", "Domain", "GatewayResponses",
              "Models", "TracingEnabled", "OpenApiVersion", "AlwaysDeploy", "PropagateTags"});
        break;
    default:
        break;
    }
    for (const auto& key : dropped)
        m_notExported.push_back(obj({{"Component", c.id},
                                     {"Property", key},
                                     {"Reason", key == "CodeUri"
                                                    ? "a local code folder: export as SAM (sam build "
                                                      "packages it), or upload it and set Code"
                                                    : "a SAM property with no CloudFormation "
                                                      "equivalent on this resource; export as SAM "
                                                      "to keep it"}}));
    return props;
}

// REST service integrations: API Gateway calls the service's own API with the role's
// credentials, the request body mapped into that call. Event-shaped bodies ({"source",
// "detail-type", "detail"}) become EventBridge events, as the simulation's producers send them.
ojson Builder::restServiceIntegration(int target, const std::string& roleId,
                                      std::vector<Grant>& grants)
{
    const std::string& tid = id(target);
    const std::string service = "arn:${AWS::Partition}:apigateway:${AWS::Region}:";
    ojson integration = obj({{"Type", "AWS"},
                             {"IntegrationHttpMethod", "POST"},
                             {"Credentials", getAtt(roleId, "Arn")}});
    const ojson formEncoded = obj({{"integration.request.header.Content-Type",
                                    "'application/x-www-form-urlencoded'"}});
    const ojson amzJson = obj({{"integration.request.header.Content-Type",
                                "'application/x-amz-json-1.1'"}});
    std::string requestTemplate;
    switch (component(target).type) {
    case C::Queue:
        addGrant(grants, {"", "", nullptr, ojson::array({"sqs:SendMessage"}), getAtt(tid, "Arn")});
        integration["Uri"] =
            sub(service + "sqs:path/${AWS::AccountId}/${" + tid + ".QueueName}");
        integration["RequestParameters"] = formEncoded;
        requestTemplate = "Action=SendMessage&MessageBody=$util.urlEncode($input.body)";
        break;
    case C::Topic:
        addGrant(grants, {"", "", nullptr, ojson::array({"sns:Publish"}), cfnRef(tid)});
        integration["Uri"] = sub(service + "sns:action/Publish");
        integration["RequestParameters"] = formEncoded;
        requestTemplate = "Action=Publish&TopicArn=$util.urlEncode('${" + tid +
                          "}')&Message=$util.urlEncode($input.body)";
        break;
    case C::EventBus: {
        addGrant(grants, {"", "", nullptr, ojson::array({"events:PutEvents"}), getAtt(tid, "Arn")});
        integration["Uri"] = sub(service + "events:action/PutEvents");
        ojson headers = amzJson;
        headers["integration.request.header.X-Amz-Target"] = "'AWSEvents.PutEvents'";
        integration["RequestParameters"] = headers;
        requestTemplate = "{\"Entries\": [{\"Source\": \"$input.path('$.source')\", "
                          "\"DetailType\": \"$input.path('$.detail-type')\", "
                          "\"Detail\": \"$util.escapeJavaScript($input.json('$.detail'))\", "
                          "\"EventBusName\": \"${" + tid + ".Arn}\"}]}";
        break;
    }
    case C::Stream: {
        addGrant(grants, {"", "", nullptr, ojson::array({"kinesis:PutRecord"}), getAtt(tid, "Arn")});
        integration["Uri"] = sub(service + "kinesis:action/PutRecord");
        ojson headers = amzJson;
        headers["integration.request.header.X-Amz-Target"] = "'Kinesis_20131202.PutRecord'";
        integration["RequestParameters"] = headers;
        requestTemplate = "{\"StreamName\": \"${" + tid +
                          "}\", \"Data\": \"$util.base64Encode($input.body)\", "
                          "\"PartitionKey\": \"$context.requestId\"}";
        break;
    }
    default: // state machine
        addGrant(grants, {"", "", nullptr, ojson::array({"states:StartExecution"}), cfnRef(tid)});
        integration["Uri"] = sub(service + "states:action/StartExecution");
        requestTemplate = "{\"input\": \"$util.escapeJavaScript($input.json('$'))\", "
                          "\"stateMachineArn\": \"${" + tid + "}\"}";
        break;
    }
    // Fn::Sub only where the template names a resource: cfn-lint flags a Sub without variables.
    const bool namesResource = requestTemplate.find("${") != std::string::npos;
    integration["RequestTemplates"] = obj(
        {{"application/json", namesResource ? sub(requestTemplate) : ojson(requestTemplate)}});
    integration["PassthroughBehavior"] = "NEVER";
    integration["IntegrationResponses"] = ojson::array({obj({{"StatusCode", "200"}})});
    return integration;
}

// HTTP API first-class integrations (IntegrationSubtype): parameters map the request into the
// service call, no mapping templates.
ojson Builder::httpServiceIntegration(int target, const std::string& roleId,
                                      std::vector<Grant>& grants)
{
    const std::string& tid = id(target);
    ojson parameters;
    std::string subtype;
    switch (component(target).type) {
    case C::Queue:
        addGrant(grants, {"", "", nullptr, ojson::array({"sqs:SendMessage"}), getAtt(tid, "Arn")});
        subtype = "SQS-SendMessage";
        parameters = obj({{"QueueUrl", cfnRef(tid)}, {"MessageBody", "$request.body"}});
        break;
    case C::EventBus:
        addGrant(grants, {"", "", nullptr, ojson::array({"events:PutEvents"}), getAtt(tid, "Arn")});
        subtype = "EventBridge-PutEvents";
        parameters = obj({{"EventBusName", getAtt(tid, "Arn")},
                          {"Source", "$request.body.source"},
                          {"DetailType", "$request.body.detail-type"},
                          {"Detail", "$request.body.detail"}});
        break;
    case C::Stream:
        addGrant(grants, {"", "", nullptr, ojson::array({"kinesis:PutRecord"}), getAtt(tid, "Arn")});
        subtype = "Kinesis-PutRecord";
        parameters = obj({{"StreamName", cfnRef(tid)},
                          {"Data", "$request.body"},
                          {"PartitionKey", "$context.requestId"}});
        break;
    default: // state machine
        addGrant(grants, {"", "", nullptr, ojson::array({"states:StartExecution"}), cfnRef(tid)});
        subtype = "StepFunctions-StartExecution";
        parameters = obj({{"StateMachineArn", cfnRef(tid)}, {"Input", "$request.body"}});
        break;
    }
    return obj({{"IntegrationType", "AWS_PROXY"},
                {"IntegrationSubtype", subtype},
                {"CredentialsArn", getAtt(roleId, "Arn")},
                {"PayloadFormatVersion", "1.0"},
                {"RequestParameters", parameters}});
}

void Builder::emitApi(int i)
{
    const Component& api = component(i);
    const std::string& aid = id(i);
    const bool http = api.text(S::Aws, "ApiType") == "HTTP";
    const std::string stage = parameter(
        "StageName",
        obj({{"Type", "String"}, {"Default", kDefaultStage}, {"Description", "API stage name"}}));
    const auto rate = numberValue(api.number(S::Aws, "ThrottlingRateLimit"));
    const auto burst = integer(api.number(S::Aws, "ThrottlingBurstLimit"));
    const auto timeout = integer(api.number(S::Aws, "TimeoutInMillis"));
    const auto known = topLevelKeys(ComponentCatalog::componentParameters(C::Api));
    output(i, aid + "Endpoint", "Endpoint of " + api.id,
           sub("https://${" + aid + "}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${" + stage +
               "}"));

    if (samApi(i)) {
        ojson r = resource(http ? "AWS::Serverless::HttpApi" : "AWS::Serverless::Api", i, true);
        r["Properties"]["StageName"] = cfnRef(stage);
        if (http)
            r["Properties"]["DefaultRouteSettings"] =
                obj({{"ThrottlingBurstLimit", burst}, {"ThrottlingRateLimit", rate}});
        else
            r["Properties"]["MethodSettings"] =
                ojson::array({obj({{"ResourcePath", "/*"},
                                   {"HttpMethod", "*"},
                                   {"ThrottlingBurstLimit", burst},
                                   {"ThrottlingRateLimit", rate}})});
        mergeProps(r["Properties"], api.props, known);
        add(aid, std::move(r));
        return; // routes are the functions' and state machines' events
    }

    ojson r = resource(http ? "AWS::ApiGatewayV2::Api" : "AWS::ApiGateway::RestApi", i, true);
    r["Properties"]["Name"] = sub("${AWS::StackName}-" + nameSafe(api.id));
    if (http)
        r["Properties"]["ProtocolType"] = "HTTP";
    mergeProps(r["Properties"], cloudFormationProps(i), known);
    add(aid, std::move(r));

    std::vector<Grant> grants;
    std::string roleId;
    ojson methods = ojson::array();
    for (const Route& route : routes(i)) {
        use(route.connection);
        const int t = route.target;
        const std::string& tid = id(t);
        const bool function = component(t).type == C::Function;
        const std::string sourceArn =
            "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${" + aid + "}/${" +
            stage + "}/POST" + route.path;
        if (!function && roleId.empty())
            roleId = allocate(aid + "Role");
        if (http) {
            const std::string integrationId = allocate(aid + tid + "Integration");
            ojson integ = resource("AWS::ApiGatewayV2::Integration", i, false);
            if (function) {
                integ["Properties"] = obj({{"ApiId", cfnRef(aid)},
                                           {"IntegrationType", "AWS_PROXY"},
                                           {"IntegrationUri", getAtt(tid, "Arn")},
                                           {"PayloadFormatVersion", "2.0"},
                                           {"TimeoutInMillis", timeout}});
            } else {
                integ["Properties"] = obj({{"ApiId", cfnRef(aid)}});
                const ojson service = httpServiceIntegration(t, roleId, grants);
                for (const auto& [key, value] : service.items())
                    integ["Properties"][key] = value;
                integ["Properties"]["TimeoutInMillis"] = timeout;
            }
            add(integrationId, std::move(integ));
            const std::string routeId = allocate(aid + tid + "Route");
            ojson rt = resource("AWS::ApiGatewayV2::Route", i, false);
            rt["Properties"] = obj({{"ApiId", cfnRef(aid)},
                                    {"RouteKey", "POST " + route.path},
                                    {"Target", sub("integrations/${" + integrationId + "}")}});
            add(routeId, std::move(rt));
            methods.push_back(routeId);
        } else {
            const std::string resourceId = allocate(aid + tid + "Resource");
            ojson res = resource("AWS::ApiGateway::Resource", i, false);
            res["Properties"] = obj({{"RestApiId", cfnRef(aid)},
                                     {"ParentId", getAtt(aid, "RootResourceId")},
                                     {"PathPart", route.path.substr(1)}});
            add(resourceId, std::move(res));
            ojson integration = ojson::object();
            if (function) {
                integration =
                    obj({{"Type", "AWS_PROXY"},
                         {"IntegrationHttpMethod", "POST"},
                         {"Uri", sub("arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/"
                                     "2015-03-31/functions/${" +
                                     tid + ".Arn}/invocations")},
                         {"TimeoutInMillis", timeout}});
            } else {
                integration = restServiceIntegration(t, roleId, grants);
                integration["TimeoutInMillis"] = timeout;
            }
            const std::string methodId = allocate(aid + tid + "Method");
            ojson m = resource("AWS::ApiGateway::Method", i, false);
            m["Properties"] = obj({{"RestApiId", cfnRef(aid)},
                                   {"ResourceId", cfnRef(resourceId)},
                                   {"HttpMethod", "POST"},
                                   {"AuthorizationType", "NONE"},
                                   {"Integration", integration}});
            if (!function)
                m["Properties"]["MethodResponses"] = ojson::array({obj({{"StatusCode", "200"}})});
            add(methodId, std::move(m));
            methods.push_back(methodId);
        }
        if (function) {
            ojson perm = resource("AWS::Lambda::Permission", i, false);
            perm["Properties"] = obj({{"Action", "lambda:InvokeFunction"},
                                      {"FunctionName", cfnRef(tid)},
                                      {"Principal", "apigateway.amazonaws.com"},
                                      {"SourceArn", sub(sourceArn)}});
            add(allocate(aid + tid + "Permission"), std::move(perm));
        }
    }
    if (!grants.empty())
        add(roleId, role("apigateway.amazonaws.com", i, grants, false));
    if (http) {
        ojson st = resource("AWS::ApiGatewayV2::Stage", i, false);
        st["Properties"] =
            obj({{"ApiId", cfnRef(aid)},
                 {"StageName", cfnRef(stage)},
                 {"AutoDeploy", true},
                 {"DefaultRouteSettings",
                  obj({{"ThrottlingBurstLimit", burst}, {"ThrottlingRateLimit", rate}})}});
        add(allocate(aid + "Stage"), std::move(st));
    } else {
        const std::string deploymentId = allocate(aid + "Deployment");
        ojson dep = resource("AWS::ApiGateway::Deployment", i, false);
        dep["DependsOn"] = methods;
        dep["Properties"] = obj({{"RestApiId", cfnRef(aid)}});
        // DependsOn goes before Properties for readability.
        ojson ordered = obj({{"Type", dep["Type"]}});
        if (dep.contains("Condition"))
            ordered["Condition"] = dep["Condition"];
        ordered["DependsOn"] = dep["DependsOn"];
        ordered["Properties"] = dep["Properties"];
        add(deploymentId, std::move(ordered));
        ojson st = resource("AWS::ApiGateway::Stage", i, false);
        st["Properties"] =
            obj({{"RestApiId", cfnRef(aid)},
                 {"DeploymentId", cfnRef(deploymentId)},
                 {"StageName", cfnRef(stage)},
                 {"MethodSettings", ojson::array({obj({{"ResourcePath", "/*"},
                                                       {"HttpMethod", "*"},
                                                       {"ThrottlingBurstLimit", burst},
                                                       {"ThrottlingRateLimit", rate}})})}});
        add(allocate(aid + "Stage"), std::move(st));
    }
}

void Builder::output(int owner, const std::string& name, const std::string& description,
                     ojson value)
{
    ojson o = obj({{"Description", description}});
    const json& x = component(owner).templateExtras;
    if (x.contains("Condition"))
        o["Condition"] = ordered(x["Condition"]);
    o["Value"] = std::move(value);
    m_outputs[name] = std::move(o);
}

void Builder::recordNotExported()
{
    for (int i = 0; i < static_cast<int>(m_design.components.size()); ++i)
        if (!synthetic(i) && !asWritten(i) && !exported(i))
            m_notExported.push_back(
                obj({{"Component", component(i).id},
                     {"Type", std::string(componentTypeName(component(i).type))},
                     {"Reason", notExportedReason(i)}}));
    for (int c = 0; c < static_cast<int>(m_design.connections.size()); ++c) {
        if (m_used[static_cast<std::size_t>(c)])
            continue;
        const int f = from(c);
        const int t = to(c);
        if (f < 0 || t < 0 || component(f).type == C::Producer)
            continue;
        std::string reason;
        if (!exported(t))
            reason = "its target is not exported";
        else if (!exported(f))
            reason = "its source is not exported";
        else if (asWritten(f) || asWritten(t))
            reason = "drawn beside components written back as their template had them, where "
                     "it has no place; add it to the template by hand";
        else if (component(f).type == C::StateMachine && connection(c).kind == K::Invoke &&
                 CatchPaths::isCatchOnly(connection(c)))
            reason = "a catch-only Task (sim.catch_only) that no catcher leads to never runs";
        else if (component(f).type == C::Api && component(t).type == C::Topic)
            reason = "HTTP APIs have no SNS integration: make the API a REST API (ApiType REST), "
                     "or publish from a function";
        else
            reason = "no resource property expresses this connection";
        m_notExported.push_back(obj({{"Connection", connection(c).from + " -> " + connection(c).to},
                                     {"Kind", std::string(connectionKindName(connection(c).kind))},
                                     {"Reason", reason}}));
    }
}

// ---- components and links that came from a template: written back as they were -------------

/// Sets the value at a dotted path, making the objects on the way.
void setPath(ojson& target, const std::string& dotted, const ojson& value)
{
    ojson* at = &target;
    std::string_view rest = dotted;
    for (auto dot = rest.find('.'); dot != std::string_view::npos; dot = rest.find('.')) {
        ojson& next = (*at)[std::string(rest.substr(0, dot))];
        if (!next.is_object())
            next = ojson::object();
        at = &next;
        rest = rest.substr(dot + 1);
    }
    (*at)[std::string(rest)] = value;
}

/// True when the user changed a value the importer resolved or derived: `current` (the design's
/// props) no longer holds what "ResolvedValues" recorded at import, so the edit is exported
/// instead of the template's original form.
bool editedSinceImport(const json& current, const json& from, const std::string& dottedKey)
{
    if (!from.contains("ResolvedValues") || !from["ResolvedValues"].contains(dottedKey))
        return false;
    const json* value = findPath(current, dottedKey);
    return (value ? *value : json()) != from["ResolvedValues"][dottedKey];
}

/// Puts back what the importer made plain ("OriginalValues", "Intrinsics") or took out as a
/// reference ("References"), each by dotted key, unless the user has edited it since.
void restore(ojson& props, const json& from, const json& current)
{
    for (const char* key : {"OriginalValues", "Intrinsics"})
        if (from.contains(key) && from[key].is_object())
            for (auto it = from[key].begin(); it != from[key].end(); ++it)
                if (!editedSinceImport(current, from, it.key()))
                    setPath(props, it.key(), ordered(it.value()));
}

// SAM resource types and the resources the transform makes from SAM events need the transform:
// a CloudFormation export of a SAM template regenerates everything, as for a drawn design.
bool Builder::roundTrip() const
{
    if (sam())
        return true;
    for (const auto& c : m_design.components) {
        const json& x = c.templateExtras;
        if (x.contains("Type") && x["Type"].is_string() &&
            x["Type"].get<std::string>().starts_with("AWS::Serverless::"))
            return false;
        if (x.contains("Synthetic") &&
            (x["Synthetic"] == "ImplicitApi" || x["Synthetic"] == "SamEvent"))
            return false;
    }
    return true;
}

bool Builder::asWritten(int i) const
{
    const json& x = component(i).templateExtras;
    return m_roundTrip && !synthetic(i) && x.contains("LogicalId") && x["LogicalId"].is_string() &&
           x.contains("Type") && x["Type"].is_string();
}

// The props as the template had them: without what the importer derived, originals restored.
ojson Builder::writtenProps(int i) const
{
    const json& x = component(i).templateExtras;
    ojson props = component(i).props.is_object() ? ordered(component(i).props) : ojson::object();
    if (x.contains("DerivedProps") && x["DerivedProps"].is_array())
        for (const auto& key : x["DerivedProps"])
            if (key.is_string() && !editedSinceImport(component(i).props, x, key.get<std::string>()))
                props.erase(key.get<std::string>());
    restore(props, x, component(i).props);
    return props;
}

ojson Builder::linkProps(int c) const
{
    const json& props = connection(c).props;
    ojson out = props.is_object() ? ordered(props) : ojson::object();
    out.erase("TemplateOrigin");
    if (props.contains("TemplateOrigin"))
        restore(out, props["TemplateOrigin"], props);
    const ojson refs = references(c);
    for (auto it = refs.begin(); it != refs.end(); ++it)
        setPath(out, it.key(), it.value());
    return out;
}

bool mentions(const json& value, const std::string& logicalId)
{
    if (value.is_string()) {
        const auto& text = value.get_ref<const std::string&>();
        return text == logicalId || text.starts_with(logicalId + ".") ||
               text.find("${" + logicalId + "}") != std::string::npos ||
               text.find("${" + logicalId + ".") != std::string::npos;
    }
    if (value.is_structured())
        for (const auto& item : value)
            if (mentions(item, logicalId))
                return true;
    return false;
}

// The link's references as written, but none that names a component other than its ends: a link
// moved to another component in the designer is written with a reference to its new end.
ojson Builder::references(int c) const
{
    const json& props = connection(c).props;
    if (!props.contains("TemplateOrigin") || !props["TemplateOrigin"].contains("References") ||
        !props["TemplateOrigin"]["References"].is_object())
        return ojson::object();
    std::set<std::string> ends;
    for (int end : {from(c), to(c)}) {
        if (end < 0)
            continue;
        ends.insert(id(end));
        for (const char* key : {"Table", "Resource"})
            if (component(end).templateExtras.contains(key) &&
                component(end).templateExtras[key].is_string())
                ends.insert(component(end).templateExtras[key].get<std::string>());
    }
    ojson kept = ojson::object();
    const json& refs = props["TemplateOrigin"]["References"];
    for (auto it = refs.begin(); it != refs.end(); ++it) {
        bool elsewhere = false;
        for (int i = 0; i < static_cast<int>(m_design.components.size()) && !elsewhere; ++i)
            elsewhere = !synthetic(i) && ends.count(id(i)) == 0 && mentions(it.value(), id(i));
        if (!elsewhere)
            kept[it.key()] = ordered(it.value());
    }
    return kept;
}

ojson& Builder::writtenProperties(int owner)
{
    ojson& r = m_resources[id(owner)];
    if (!r.contains("Properties"))
        r["Properties"] = ojson::object();
    return r["Properties"];
}

void Builder::emitAsWritten(int i)
{
    const json& x = component(i).templateExtras;
    static const std::set<std::string> bookkeeping = {
        "LogicalId", "Type",      "DerivedProps", "OriginalValues",
        "Intrinsics", "Synthetic", "ResolvedValues"};
    ojson r = obj({{"Type", ordered(x["Type"])}});
    for (auto it = x.begin(); it != x.end(); ++it)
        if (bookkeeping.count(it.key()) == 0)
            r[it.key()] = ordered(it.value());
    r["Properties"] = writtenProps(i);
    m_resources[id(i)] = std::move(r);
}

// A SAM event goes back under its name into the Events of the function or state machine it
// feeds; an EventBridgeRule event takes its Pattern and State from the rule made for it.
void Builder::rebuildEvent(int c, const json& origin)
{
    const int owner = to(c);
    const K kind = connection(c).kind;
    if (kind == K::DeadLetter || owner < 0 || !asWritten(owner) ||
        (component(owner).type != C::Function && component(owner).type != C::StateMachine))
        return;
    const std::string type = origin.value("EventType", "");
    ojson event = obj({{"Type", type}});
    for (auto it = origin.begin(); it != origin.end(); ++it)
        if (it.key() != "Event" && it.key() != "EventType" && it.key() != "OriginalValues" &&
            it.key() != "References" && it.key() != "ResolvedValues")
            event[it.key()] = ordered(it.value());
    ojson properties = linkProps(c);
    const int source = from(c);
    if ((type == "EventBridgeRule" || type == "CloudWatchEvent") && source >= 0 &&
        component(source).type == C::Rule) {
        const ojson rule = writtenProps(source);
        if (rule.contains("EventPattern"))
            properties["Pattern"] = rule["EventPattern"];
        if (rule.contains("State"))
            properties["State"] = rule["State"];
    } else if (source >= 0 && !synthetic(source)) {
        // A link without its recorded reference (edited in the designer) names its source.
        const std::map<std::string, std::pair<std::string, ojson>> keyed = {
            {"SQS", {"Queue", getAtt(id(source), "Arn")}},
            {"Kinesis", {"Stream", getAtt(id(source), "Arn")}},
            {"SNS", {"Topic", cfnRef(id(source))}},
            {"Api", {"RestApiId", cfnRef(id(source))}},
            {"HttpApi", {"ApiId", cfnRef(id(source))}}};
        if (const auto it = keyed.find(type);
            it != keyed.end() && !properties.contains(it->second.first))
            properties[it->second.first] = it->second.second;
    }
    if (!properties.empty())
        event["Properties"] = std::move(properties);
    writtenProperties(owner)["Events"][origin.value("Event", "")] = std::move(event);
}

void Builder::rebuildLink(int c)
{
    const json& props = connection(c).props;
    if (!props.is_object() || !props.contains("TemplateOrigin") ||
        !props["TemplateOrigin"].is_object())
        return;
    if (!m_roundTrip || m_used[static_cast<std::size_t>(c)])
        return;
    const json& origin = props["TemplateOrigin"];
    const int f = from(c);
    const int t = to(c);
    if (f < 0 || t < 0)
        return;
    use(c);
    // Dead-letter links made from a target's or subscription's own settings are written back
    // with that target or subscription (their reference is among its References).
    const bool sharedDeadLetter =
        connection(c).kind == K::DeadLetter && origin.value("Property", "") != "RedrivePolicy";
    if (origin.contains("Implied"))
        return;
    if (origin.contains("Event")) {
        rebuildEvent(c, origin);
        return;
    }
    if (origin.contains("Resource")) {
        if (connection(c).kind == K::DeadLetter)
            return;
        static const std::set<std::string> bookkeeping = {"Resource", "Type", "OriginalValues",
                                                          "References", "ResolvedValues"};
        ojson r = obj({{"Type", ordered(origin.value("Type", json()))}});
        for (auto it = origin.begin(); it != origin.end(); ++it)
            if (bookkeeping.count(it.key()) == 0)
                r[it.key()] = ordered(it.value());
        ojson properties = linkProps(c);
        if (origin.value("Type", "") == "AWS::SNS::Subscription") {
            if (!properties.contains("TopicArn"))
                properties["TopicArn"] = cfnRef(id(f));
            if (!properties.contains("Endpoint"))
                properties["Endpoint"] = arnOf(t);
        } else {
            if (!properties.contains("EventSourceArn"))
                properties["EventSourceArn"] = arnOf(f);
            if (!properties.contains("FunctionName"))
                properties["FunctionName"] = cfnRef(id(t));
        }
        r["Properties"] = std::move(properties);
        m_resources[origin.value("Resource", id(f) + id(t))] = std::move(r);
        return;
    }
    const std::string property = origin.value("Property", "");
    const int owner = property == "EventBusName" ? t : f;
    if (!asWritten(owner))
        return;
    if (property == "Targets" || property == "Subscription") {
        if (sharedDeadLetter)
            return;
        ojson entry = linkProps(c);
        const char* key = property == "Targets" ? "Arn" : "Endpoint";
        if (!entry.contains(key))
            entry[key] = arnOf(t);
        ojson& list = writtenProperties(owner)[property];
        if (!list.is_array())
            list = ojson::array();
        list.push_back(std::move(entry));
        return;
    }
    ojson& properties = writtenProperties(owner);
    const ojson refs = references(c);
    for (auto it = refs.begin(); it != refs.end(); ++it)
        setPath(properties, it.key(), it.value());
    if (!refs.empty())
        return;
    // The default bus is the rule's when it names none.
    if (property == "EventBusName") {
        if (!synthetic(f))
            properties["EventBusName"] = cfnRef(id(f));
    } else if (property == "RedrivePolicy") {
        setPath(properties, "RedrivePolicy.deadLetterTargetArn", getAtt(id(t), "Arn"));
    } else if (property == "DeadLetterQueue") {
        setPath(properties, "DeadLetterQueue",
                obj({{"Type", component(t).type == C::Topic ? "SNS" : "SQS"},
                     {"TargetArn", arnOf(t)}}));
    } else if (property == "DeadLetterConfig") {
        setPath(properties, "DeadLetterConfig.TargetArn", arnOf(t));
    } else if (property == "EventInvokeConfig") {
        setPath(properties, "EventInvokeConfig.DestinationConfig.OnFailure",
                obj({{"Type", destinationType(t)}, {"Destination", arnOf(t)}}));
    }
}

void Builder::assignLogicalIds()
{
    m_roundTrip = roundTrip();
    assignIds();
}

ojson Builder::run()
{
    assignLogicalIds();
    // Resource policies are collected while the senders are written, so queues and topics get
    // their policies after everything else has been visited.
    for (int i = 0; i < static_cast<int>(m_design.components.size()); ++i) {
        if (synthetic(i))
            continue;
        if (asWritten(i)) {
            emitAsWritten(i);
            continue;
        }
        if (!exported(i))
            continue;
        switch (component(i).type) {
        case C::Api:
            emitApi(i);
            break;
        case C::Function:
            emitFunction(i);
            break;
        case C::Queue:
            emitQueue(i);
            break;
        case C::Topic:
            emitTopic(i);
            break;
        case C::EventBus:
            emitEventBus(i);
            break;
        case C::Rule:
            emitRule(i);
            break;
        case C::Stream:
            emitStream(i);
            break;
        case C::StateMachine:
            emitStateMachine(i);
            break;
        case C::Database:
            emitDatabase(i);
            break;
        default:
            break;
        }
    }
    for (int c = 0; c < static_cast<int>(m_design.connections.size()); ++c)
        rebuildLink(c);
    for (auto it = m_resources.begin(); it != m_resources.end(); ++it)
        if (it->contains("Properties") && (*it)["Properties"].empty())
            it->erase("Properties");
    for (auto& [target, statements] : m_resourceStatements) {
        const bool queue = component(target).type == C::Queue;
        ojson r =
            resource(queue ? "AWS::SQS::QueuePolicy" : "AWS::SNS::TopicPolicy", target, false);
        r["Properties"][queue ? "Queues" : "Topics"] = ojson::array({cfnRef(id(target))});
        r["Properties"]["PolicyDocument"] = policyDocument(statements);
        add(allocate(id(target) + "Policy"), std::move(r));
    }
    recordNotExported();

    const json& x = m_design.templateExtras;
    auto extra = [&](const char* section) -> ojson {
        return x.contains(section) && x[section].is_object() ? ordered(x[section])
                                                             : ojson::object();
    };
    auto mergeSection = [&](ojson generated, const char* section) {
        const ojson design = extra(section);
        for (auto it = design.begin(); it != design.end(); ++it)
            generated[it.key()] = it.value();
        return generated;
    };

    ojson t = ojson::object();
    t["AWSTemplateFormatVersion"] = x.contains("AWSTemplateFormatVersion")
                                        ? ordered(x["AWSTemplateFormatVersion"])
                                        : ojson("2010-09-09");
    ojson transform = x.contains("Transform") ? ordered(x["Transform"]) : ojson();
    ojson transforms = ojson::array();
    if (transform.is_string())
        transforms.push_back(transform);
    else if (transform.is_array())
        transforms = transform;
    ojson kept = ojson::array();
    bool hasSam = false;
    for (const auto& name : transforms) {
        if (name == kSamTransform) {
            hasSam = true;
            if (!sam())
                continue; // the CloudFormation flavour spells out what the transform would generate
        }
        kept.push_back(name);
    }
    if (sam() && !hasSam)
        kept.push_back(kSamTransform);
    // A list stays a list, even of one transform, as the template had it.
    if (kept.size() == 1 && !transform.is_array())
        t["Transform"] = kept.front();
    else if (!kept.empty())
        t["Transform"] = kept;

    std::string description =
        m_design.description.empty() ? "EventFlow design " + m_design.name : m_design.description;
    if (description.size() > kMaxDescriptionBytes) {
        std::size_t cut = kMaxDescriptionBytes;
        while (cut > 0 && (static_cast<unsigned char>(description[cut]) & 0xC0) == 0x80)
            --cut;
        description.resize(cut);
        warn("/description", "CloudFormation allows 1,024 bytes of description; the rest is cut");
    }
    t["Description"] = x.contains("Description") ? ordered(x["Description"]) : ojson(description);

    ojson eventflow = obj({{"Design", m_design.name}});
    if (!m_notExported.empty())
        eventflow["NotExported"] = m_notExported;
    t["Metadata"] = mergeSection(obj({{"EventFlow", eventflow}}), "Metadata");
    const ojson parameters = mergeSection(m_parameters, "Parameters");
    if (!parameters.empty())
        t["Parameters"] = parameters;
    for (const char* section : {"Rules", "Mappings", "Conditions"})
        if (!extra(section).empty())
            t[section] = extra(section);
    if (x.contains("Globals")) {
        if (sam())
            t["Globals"] = ordered(x["Globals"]);
        else
            warn("/template/Globals",
                 "Globals exist only in SAM; the CloudFormation template leaves "
                 "them out");
    }
    for (auto it = x.begin(); it != x.end(); ++it) {
        static const std::set<std::string> handled = {"AWSTemplateFormatVersion",
                                                      "Transform",
                                                      "Description",
                                                      "Metadata",
                                                      "Parameters",
                                                      "Rules",
                                                      "Mappings",
                                                      "Conditions",
                                                      "Globals",
                                                      "Resources",
                                                      "Outputs"};
        if (handled.count(it.key()) == 0)
            t[it.key()] = ordered(it.value());
    }
    ojson resources = mergeSection(m_resources, "Resources");
    if (resources.empty()) {
        warn("", "the design has no AWS resources to export; the template holds an empty handle "
                 "so that it still deploys");
        resources["EventFlowDesign"] = obj({{"Type", "AWS::CloudFormation::WaitConditionHandle"}});
    }
    t["Resources"] = resources;
    const ojson outputs = mergeSection(m_outputs, "Outputs");
    if (!outputs.empty())
        t["Outputs"] = outputs;
    return t;
}

} // namespace

nlohmann::ordered_json TemplateExporter::build(const Design& design, TemplateFlavour flavour,
                                               Diagnostics& diagnostics)
{
    return Builder(design, flavour, diagnostics).run();
}

std::map<std::size_t, std::string> TemplateExporter::taskStateNames(const Design& design,
                                                                   std::size_t machine)
{
    Diagnostics unused;
    Builder builder(design, TemplateFlavour::Sam, unused);
    builder.assignLogicalIds();
    return builder.taskStateNames(static_cast<int>(machine));
}

std::string TemplateExporter::write(const nlohmann::ordered_json& tmpl, TemplateSyntax syntax)
{
    if (syntax == TemplateSyntax::Yaml)
        return toYaml(tmpl);
    return tmpl.dump(2) + "\n";
}

} // namespace eventflow::model
