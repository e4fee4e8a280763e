#include "TemplateImporter.h"

#include "ComponentCatalog.h"
#include "DesignLayout.h"
#include "YamlReader.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace eventflow::model {

namespace {

using OJ = nlohmann::ordered_json;
using J = nlohmann::json;
using C = ComponentType;
using K = ConnectionKind;

constexpr const char* kOrigin = "TemplateOrigin";
// Stand-ins for pseudo parameters when a value must be plain for the simulation.
constexpr const char* kAccountId = "123456789012";
constexpr const char* kRegion = "us-east-1";

/// "MetricsSnsTopic" -> "metrics-sns-topic", "DynamoDBTable" -> "dynamo-db-table".
std::string kebab(std::string_view name)
{
    std::string out;
    for (std::size_t i = 0; i < name.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(name[i]);
        if (!std::isalnum(c)) {
            if (!out.empty() && out.back() != '-')
                out += '-';
            continue;
        }
        if (std::isupper(c) && i > 0 && !out.empty() && out.back() != '-') {
            const unsigned char prev = static_cast<unsigned char>(name[i - 1]);
            const bool nextLower =
                i + 1 < name.size() && std::islower(static_cast<unsigned char>(name[i + 1]));
            if (std::islower(prev) || std::isdigit(prev) || (std::isupper(prev) && nextLower))
                out += '-';
        }
        out += static_cast<char>(std::tolower(c));
    }
    while (!out.empty() && out.back() == '-')
        out.pop_back();
    return out.empty() ? "resource" : out;
}

bool isString(const OJ& v, std::string_view s)
{
    return v.is_string() && v.get<std::string>() == s;
}

std::string str(const OJ& v)
{
    return v.is_string() ? v.get<std::string>() : std::string();
}

const OJ* member(const OJ& object, std::string_view key)
{
    if (!object.is_object())
        return nullptr;
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

bool containsIntrinsic(const OJ& v)
{
    if (v.is_object()) {
        if (v.size() == 1) {
            const std::string& key = v.begin().key();
            if (key == "Ref" || key == "Condition" || key.rfind("Fn::", 0) == 0)
                return true;
        }
        for (const auto& item : v)
            if (containsIntrinsic(item))
                return true;
    } else if (v.is_array()) {
        for (const auto& item : v)
            if (containsIntrinsic(item))
                return true;
    }
    return false;
}

bool lowerEquals(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

/// IAM action matching: case-insensitive, `*` and `?` wildcards in the pattern.
bool actionMatches(std::string_view pattern, std::string_view action)
{
    if (pattern.empty())
        return action.empty();
    if (pattern[0] == '*') {
        for (std::size_t i = 0; i <= action.size(); ++i)
            if (actionMatches(pattern.substr(1), action.substr(i)))
                return true;
        return false;
    }
    if (action.empty())
        return false;
    if (pattern[0] != '?' && std::tolower(static_cast<unsigned char>(pattern[0])) !=
                                 std::tolower(static_cast<unsigned char>(action[0])))
        return false;
    return actionMatches(pattern.substr(1), action.substr(1));
}

/// Events per second of a schedule expression: rate(n unit) exactly; cron() as fires per day
/// (minutes x hours, scaled by restricted days) spread evenly; nullopt for at() and the unknown.
std::optional<double> scheduleRate(const std::string& expression)
{
    const auto open = expression.find('(');
    const auto close = expression.rfind(')');
    if (open == std::string::npos || close == std::string::npos || close < open)
        return std::nullopt;
    const std::string kind = expression.substr(0, open);
    const std::string body = expression.substr(open + 1, close - open - 1);
    if (kind == "rate") {
        double value = 0;
        char unit[32] = {};
        if (std::sscanf(body.c_str(), "%lf %31s", &value, unit) != 2 || value <= 0)
            return std::nullopt;
        const std::string u = unit;
        const double seconds = u.rfind("second", 0) == 0   ? 1
                               : u.rfind("minute", 0) == 0 ? 60
                               : u.rfind("hour", 0) == 0   ? 3600
                               : u.rfind("day", 0) == 0    ? 86400
                                                           : 0;
        if (seconds == 0)
            return std::nullopt;
        return 1.0 / (value * seconds);
    }
    if (kind != "cron")
        return std::nullopt;
    std::vector<std::string> fields;
    std::string field;
    for (char c : body + " ") {
        if (c == ' ' || c == '\t') {
            if (!field.empty())
                fields.push_back(field), field.clear();
        } else {
            field += c;
        }
    }
    if (fields.size() < 5)
        return std::nullopt;
    // Day-of-week names as numbers (1 = SUN), so MON-FRI counts as a range.
    static const char* const days[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};
    for (int d = 0; d < 7; ++d)
        for (auto at = fields[4].find(days[d]); at != std::string::npos;
             at = fields[4].find(days[d]))
            fields[4].replace(at, 3, std::to_string(d + 1));
    // How many values of [low, high] a cron field selects.
    auto count = [](const std::string& f, int low, int high) -> double {
        if (f == "*" || f == "?")
            return high - low + 1;
        double total = 0;
        std::size_t start = 0;
        while (start <= f.size()) {
            auto end = f.find(',', start);
            if (end == std::string::npos)
                end = f.size();
            const std::string part = f.substr(start, end - start);
            start = end + 1;
            const auto slash = part.find('/');
            const auto dash = part.find('-');
            if (slash != std::string::npos) {
                const std::string from = part.substr(0, slash);
                const int first = from == "*" || from.empty() ? low : std::atoi(from.c_str());
                const int step = std::max(1, std::atoi(part.c_str() + slash + 1));
                total += std::max(0, (high - first) / step + 1);
            } else if (dash != std::string::npos && dash > 0 &&
                       std::isdigit(static_cast<unsigned char>(part[0]))) {
                total +=
                    std::max(0, std::atoi(part.c_str() + dash + 1) - std::atoi(part.c_str()) + 1);
            } else {
                total += 1;
            }
        }
        return std::max(1.0, total);
    };
    double perDay = count(fields[0], 0, 59) * count(fields[1], 0, 23);
    if (fields[2] != "*" && fields[2] != "?")
        perDay *= std::min(1.0, count(fields[2], 1, 31) / 30.4);
    if (fields[4] != "*" && fields[4] != "?")
        perDay *= std::min(1.0, count(fields[4], 1, 7) / 7.0);
    return perDay / 86400.0;
}

struct Draft {
    Component component;
    OJ props = OJ::object();
    OJ extras = OJ::object();
    std::string logicalId; ///< empty for synthetic components
    std::string resourceType;
};

struct ResourceRef {
    std::string id;        ///< logical id
    std::string attribute; ///< GetAtt attribute, "" for Ref and names
};

class Importer {
public:
    Importer(const OJ& document, std::string sourceName, Diagnostics& diagnostics)
        : m_doc(document), m_source(std::move(sourceName)), m_diagnostics(diagnostics)
    {
    }

    std::optional<Design> run()
    {
        const OJ* resources = member(m_doc, "Resources");
        if (!m_doc.is_object() || !resources || !resources->is_object() || resources->empty()) {
            error("", "this is not a CloudFormation or SAM template: it has no Resources section "
                      "with at least one resource");
            return std::nullopt;
        }
        m_resources = resources;
        if (const OJ* params = member(m_doc, "Parameters"); params && params->is_object())
            m_parameters = *params;
        if (const OJ* globals = member(m_doc, "Globals"))
            if (const OJ* fn = member(*globals, "Function"); fn && fn->is_object())
                m_globalFunction = *fn;
        for (auto it = m_doc.begin(); it != m_doc.end(); ++it)
            if (it.key() != "Resources")
                m_design.templateExtras[it.key()] = J(it.value());
        m_design.name = designName();
        if (const OJ* d = member(m_doc, "Description"); d && d->is_string())
            m_design.description = d->get<std::string>();
        indexNames();

        for (auto it = resources->begin(); it != resources->end(); ++it)
            createComponent(it.key(), it.value());

        // Connections whose source leaves the template (consumed) come first, so that an implied
        // duplicate found later (a policy granting the same call) adds nothing.
        for (auto it = resources->begin(); it != resources->end(); ++it)
            connectResource(it.key(), it.value());
        for (auto it = resources->begin(); it != resources->end(); ++it)
            implyFromResource(it.key(), it.value());

        finish();
        DesignLayout::arrange(m_design);
        return std::move(m_design);
    }

private:
    // ---- diagnostics -------------------------------------------------------------------------
    void error(const std::string& pointer, const std::string& message)
    {
        m_diagnostics.push_back({Severity::Error, pointer, m_source + ": " + message, ""});
    }
    void warning(const std::string& logicalId, const std::string& message)
    {
        m_diagnostics.push_back({Severity::Warning, "/Resources/" + logicalId,
                                 m_source + ": " + logicalId + ": " + message, ""});
    }

    std::string designName() const
    {
        std::string name = m_source;
        if (const auto slash = name.find_last_of("/\\"); slash != std::string::npos)
            name = name.substr(slash + 1);
        for (const char* ext : {".template", ".yaml", ".yml", ".json"})
            if (name.size() > std::strlen(ext) &&
                name.compare(name.size() - std::strlen(ext), std::string::npos, ext) == 0)
                name.resize(name.size() - std::strlen(ext));
        return name.empty() ? "Imported template" : name;
    }

    // ---- reference resolution ----------------------------------------------------------------
    /// Physical names (QueueName, TopicName, Name...) and the parameters they come from, so that a
    /// policy naming "orders" or `!Ref QueueNameParam` finds the resource.
    void indexNames()
    {
        static const char* const nameKeys[] = {"QueueName",    "TopicName", "TableName",
                                               "FunctionName", "Name",      "StateMachineName",
                                               "StreamName"};
        for (auto it = m_resources->begin(); it != m_resources->end(); ++it) {
            const OJ* props = member(it.value(), "Properties");
            if (!props)
                continue;
            for (const char* key : nameKeys) {
                const OJ* v = member(*props, key);
                if (!v)
                    continue;
                if (v->is_string())
                    m_names.emplace(v->get<std::string>(), it.key());
                else if (const OJ* ref = member(*v, "Ref"); ref && ref->is_string())
                    m_names.emplace("param:" + ref->get<std::string>(), it.key());
            }
        }
    }

    bool isResource(const std::string& id) const { return m_resources->contains(id); }

    std::string resourceType(const std::string& id) const
    {
        if (const OJ* r = member(*m_resources, id))
            if (const OJ* t = member(*r, "Type"))
                return str(*t);
        return {};
    }

    std::optional<ResourceRef> byName(std::string text) const
    {
        if (text.empty())
            return std::nullopt;
        if (auto it = m_names.find(text); it != m_names.end())
            return ResourceRef{it->second, ""};
        // An ARN or URL: its last segment is the name.
        const auto cut = text.find_last_of(":/");
        if (cut != std::string::npos && cut + 1 < text.size())
            if (auto it = m_names.find(text.substr(cut + 1)); it != m_names.end())
                return ResourceRef{it->second, ""};
        return std::nullopt;
    }

    /// The resource a value names: Ref, GetAtt, a Sub or Join naming exactly one resource, a
    /// parameter whose value names one, or a literal name or ARN.
    std::optional<ResourceRef> resolve(const OJ& v) const
    {
        if (v.is_string())
            return byName(v.get<std::string>());
        if (!v.is_object() || v.size() != 1)
            return std::nullopt;
        const std::string& fn = v.begin().key();
        const OJ& arg = v.begin().value();
        if (fn == "Ref" && arg.is_string()) {
            const std::string name = arg.get<std::string>();
            if (isResource(name))
                return ResourceRef{name, ""};
            if (auto it = m_names.find("param:" + name); it != m_names.end())
                return ResourceRef{it->second, ""};
            if (const OJ* p = member(m_parameters, name))
                if (const OJ* d = member(*p, "Default"); d && d->is_string())
                    return byName(d->get<std::string>());
            return std::nullopt;
        }
        if (fn == "Fn::GetAtt") {
            if (arg.is_array() && arg.size() >= 2 && arg[0].is_string() &&
                isResource(arg[0].get<std::string>()))
                return ResourceRef{arg[0].get<std::string>(), str(arg[1])};
            if (arg.is_string()) {
                const std::string dotted = arg.get<std::string>();
                const auto dot = dotted.find('.');
                if (isResource(dotted.substr(0, dot)))
                    return ResourceRef{dotted.substr(0, dot),
                                       dot == std::string::npos ? "" : dotted.substr(dot + 1)};
            }
            return std::nullopt;
        }
        if (fn == "Fn::Sub") {
            std::string text;
            const OJ* vars = nullptr;
            if (arg.is_string())
                text = arg.get<std::string>();
            else if (arg.is_array() && !arg.empty() && arg[0].is_string()) {
                text = arg[0].get<std::string>();
                if (arg.size() > 1)
                    vars = &arg[1];
            } else {
                return std::nullopt;
            }
            std::set<std::string> found;
            std::optional<ResourceRef> result;
            std::size_t pos = 0;
            while ((pos = text.find("${", pos)) != std::string::npos) {
                const auto end = text.find('}', pos);
                if (end == std::string::npos)
                    break;
                const std::string var = text.substr(pos + 2, end - pos - 2);
                pos = end + 1;
                std::optional<ResourceRef> r;
                if (vars && vars->contains(var))
                    r = resolve((*vars)[var]);
                else {
                    const auto dot = var.find('.');
                    const std::string head = var.substr(0, dot);
                    if (isResource(head))
                        r = ResourceRef{head, dot == std::string::npos ? "" : var.substr(dot + 1)};
                    else if (auto it = m_names.find("param:" + head); it != m_names.end())
                        r = ResourceRef{it->second, ""};
                }
                if (r && found.insert(r->id).second)
                    result = r;
            }
            if (found.size() == 1)
                return result;
            if (found.empty())
                return byName(substitute(text));
            return std::nullopt;
        }
        if (fn == "Fn::Join" && arg.is_array() && arg.size() == 2 && arg[1].is_array()) {
            std::set<std::string> found;
            std::optional<ResourceRef> result;
            for (const auto& part : arg[1])
                if (!part.is_string())
                    if (auto r = resolve(part); r && found.insert(r->id).second)
                        result = r;
            if (found.size() == 1)
                return result;
            return std::nullopt;
        }
        return std::nullopt;
    }

    /// A Sub template with pseudo parameters and parameter defaults filled in; resources by their
    /// logical id.
    std::string substitute(const std::string& text) const
    {
        std::string out;
        std::size_t pos = 0;
        while (true) {
            const auto start = text.find("${", pos);
            if (start == std::string::npos) {
                out += text.substr(pos);
                break;
            }
            const auto end = text.find('}', start);
            if (end == std::string::npos) {
                out += text.substr(pos);
                break;
            }
            out += text.substr(pos, start - pos);
            const std::string var = text.substr(start + 2, end - start - 2);
            out += pseudo(var).value_or(var.substr(0, var.find('.')));
            pos = end + 1;
        }
        return out;
    }

    std::optional<std::string> pseudo(const std::string& name) const
    {
        if (name == "AWS::AccountId")
            return kAccountId;
        if (name == "AWS::Region")
            return kRegion;
        if (name == "AWS::Partition")
            return "aws";
        if (name == "AWS::URLSuffix")
            return "amazonaws.com";
        if (name == "AWS::StackName")
            return m_design.name;
        if (const OJ* p = member(m_parameters, name))
            if (const OJ* d = member(*p, "Default"))
                return d->is_string() ? d->get<std::string>() : d->dump();
        return std::nullopt;
    }

    /// A plain value standing in for an intrinsic, for the simulation: parameter defaults, pseudo
    /// parameters, Sub/Join text; null when there is none.
    OJ plainValue(const OJ& v) const
    {
        if (!v.is_object() || v.size() != 1) {
            if (v.is_object() || v.is_array()) {
                OJ copy = v;
                for (auto& item : copy)
                    item = plainValue(item);
                return copy;
            }
            return v;
        }
        const std::string& fn = v.begin().key();
        const OJ& arg = v.begin().value();
        if (fn == "Ref" && arg.is_string()) {
            const std::string name = arg.get<std::string>();
            if (const OJ* p = member(m_parameters, name))
                if (const OJ* d = member(*p, "Default"))
                    return *d;
            if (auto s = pseudo(name))
                return *s;
            return name;
        }
        if (fn == "Fn::Sub") {
            if (arg.is_string())
                return substitute(arg.get<std::string>());
            if (arg.is_array() && !arg.empty() && arg[0].is_string())
                return substitute(arg[0].get<std::string>());
            return nullptr;
        }
        if (fn == "Fn::Join" && arg.is_array() && arg.size() == 2 && arg[0].is_string() &&
            arg[1].is_array()) {
            std::string out;
            for (std::size_t i = 0; i < arg[1].size(); ++i) {
                const OJ part = plainValue(arg[1][i]);
                out += (i ? arg[0].get<std::string>() : "") +
                       (part.is_string() ? part.get<std::string>() : part.dump());
            }
            return out;
        }
        // A condition's outcome is unknown before deployment: the first branch stands in.
        if (fn == "Fn::If" && arg.is_array() && arg.size() == 3)
            return plainValue(arg[1]);
        if (fn == "Fn::Select" && arg.is_array() && arg.size() == 2 && arg[1].is_array()) {
            const OJ index = plainValue(arg[0]);
            const std::size_t i = index.is_number() ? index.get<std::size_t>()
                                  : index.is_string()
                                      ? std::strtoul(str(index).c_str(), nullptr, 10)
                                      : arg[1].size();
            return i < arg[1].size() ? plainValue(arg[1][i]) : OJ();
        }
        if (fn == "Fn::FindInMap" && arg.is_array() && arg.size() >= 3) {
            const OJ* maps = member(m_doc, "Mappings");
            const OJ a = plainValue(arg[0]), b = plainValue(arg[1]), c = plainValue(arg[2]);
            if (maps && a.is_string() && b.is_string() && c.is_string())
                if (const OJ* m = member(*maps, a.get<std::string>()))
                    if (const OJ* top = member(*m, b.get<std::string>()))
                        if (const OJ* value = member(*top, c.get<std::string>()))
                            return *value;
            return nullptr;
        }
        if (fn == "Ref" || fn == "Condition" || fn.rfind("Fn::", 0) == 0)
            return nullptr;
        OJ copy = v;
        for (auto& item : copy)
            item = plainValue(item);
        return copy;
    }

    // ---- components ---------------------------------------------------------------------------
    std::optional<C> componentTypeOf(const std::string& type, const OJ& props) const
    {
        if (type == "AWS::Serverless::Function" || type == "AWS::Lambda::Function")
            return C::Function;
        if (type == "AWS::SQS::Queue")
            return C::Queue;
        if (type == "AWS::SNS::Topic")
            return C::Topic;
        if (type == "AWS::Events::EventBus")
            return C::EventBus;
        if (type == "AWS::Events::Rule") {
            if (member(props, "EventPattern"))
                return C::Rule;
            if (member(props, "ScheduleExpression"))
                return C::Producer;
            return std::nullopt;
        }
        if (type == "AWS::Scheduler::Schedule")
            return C::Producer;
        if (type == "AWS::Kinesis::Stream")
            return C::Stream;
        if (type == "AWS::StepFunctions::StateMachine" || type == "AWS::Serverless::StateMachine")
            return C::StateMachine;
        if (type == "AWS::DynamoDB::Table" || type == "AWS::Serverless::SimpleTable")
            return C::Database;
        if (type == "AWS::Serverless::Api" || type == "AWS::Serverless::HttpApi" ||
            type == "AWS::ApiGateway::RestApi" || type == "AWS::ApiGatewayV2::Api")
            return C::Api;
        return std::nullopt;
    }

    std::string uniqueId(const std::string& wanted)
    {
        std::string id = wanted;
        for (int n = 2; m_ids.count(id); ++n)
            id = wanted + "-" + std::to_string(n);
        m_ids.insert(id);
        return id;
    }

    std::size_t addDraft(C type, const std::string& id, const std::string& label)
    {
        Draft d;
        d.component.type = type;
        d.component.id = uniqueId(id);
        d.component.label = label;
        m_drafts.push_back(std::move(d));
        return m_drafts.size() - 1;
    }

    void derive(Draft& d, const std::string& key, OJ value)
    {
        d.extras["ResolvedValues"][key] = value;
        d.props[key] = std::move(value);
        if (!d.extras.contains("DerivedProps"))
            d.extras["DerivedProps"] = OJ::array();
        d.extras["DerivedProps"].push_back(key);
    }

    void createComponent(const std::string& logicalId, const OJ& resource)
    {
        const std::string type = str(resource.value("Type", OJ()));
        const OJ props = resource.value("Properties", OJ::object());
        const auto componentType = componentTypeOf(type, props);
        if (!componentType) {
            m_unmodelled[logicalId] = resource;
            return;
        }
        const std::size_t index = addDraft(*componentType, kebab(logicalId), logicalId);
        Draft& d = m_drafts[index];
        d.logicalId = logicalId;
        d.resourceType = type;
        d.props = props.is_object() ? props : OJ::object();
        d.extras["LogicalId"] = logicalId;
        d.extras["Type"] = type;
        for (auto it = resource.begin(); it != resource.end(); ++it)
            if (it.key() != "Type" && it.key() != "Properties")
                d.extras[it.key()] = it.value();
        m_byLogicalId[logicalId] = index;

        switch (*componentType) {
        case C::Function:
            if (type == "AWS::Serverless::Function")
                for (const char* key :
                     {"Timeout", "MemorySize", "ReservedConcurrentExecutions", "EventInvokeConfig"})
                    if (!d.props.contains(key) && m_globalFunction.contains(key))
                        derive(d, key, m_globalFunction[key]);
            break;
        case C::Database:
            if (type == "AWS::Serverless::SimpleTable" &&
                !d.props.contains("ProvisionedThroughput"))
                derive(d, "BillingMode", "PAY_PER_REQUEST");
            break;
        case C::Api:
            apiSettings(d, type);
            break;
        case C::Producer:
            scheduleTraffic(d.component.id,
                            type == "AWS::Scheduler::Schedule" ? "aws.scheduler" : "aws.events",
                            str(d.props.value("ScheduleExpression", OJ())), logicalId);
            break;
        default:
            break;
        }
    }

    void apiSettings(Draft& d, const std::string& type)
    {
        const bool http = type == "AWS::Serverless::HttpApi" ||
                          (type == "AWS::ApiGatewayV2::Api" &&
                           !isString(d.props.value("ProtocolType", OJ()), "WEBSOCKET"));
        if (http)
            derive(d, "ApiType", "HTTP");
        // Stage throttling: an HTTP API's DefaultRouteSettings, a REST API's "*" method settings.
        const OJ* settings = nullptr;
        if (const OJ* route = member(d.props, "DefaultRouteSettings"))
            settings = route;
        else if (const OJ* methods = member(d.props, "MethodSettings");
                 methods && methods->is_array())
            for (const auto& m : *methods)
                if (!m.contains("ResourcePath") || isString(m["ResourcePath"], "/*"))
                    settings = &m;
        if (!settings)
            return;
        const OJ rate = settings->value("ThrottlingRateLimit", OJ());
        const OJ burst = settings->value("ThrottlingBurstLimit", OJ());
        if (rate.is_number())
            derive(d, "ThrottlingRateLimit", rate);
        if (burst.is_number())
            derive(d, "ThrottlingBurstLimit", burst);
    }

    void scheduleTraffic(const std::string& producer, const std::string& source,
                         const std::string& expression, const std::string& owner)
    {
        const auto rate = scheduleRate(expression);
        if (!rate) {
            warning(owner, "schedule \"" + expression +
                               "\" has no steady rate; its producer gets no traffic");
            return;
        }
        TrafficSpec spec;
        spec.producer = producer;
        spec.profile.kind = RateProfile::Kind::Constant;
        spec.profile.rate = *rate;
        EventTemplate event;
        event.source = source;
        event.detailType = "Scheduled Event";
        event.sizeBytes = 256;
        spec.events.push_back(std::move(event));
        m_design.traffic.push_back(std::move(spec));
    }

    std::optional<std::size_t> draftOf(const std::string& logicalId) const
    {
        const auto it = m_byLogicalId.find(logicalId);
        if (it == m_byLogicalId.end())
            return std::nullopt;
        return it->second;
    }

    /// The component a reference leads to: the resource itself, a Kinesis consumer's stream, or
    /// (for a table's StreamArn) the table's stream component, made on first use.
    std::optional<std::size_t> componentFor(const std::optional<ResourceRef>& ref)
    {
        if (!ref)
            return std::nullopt;
        const std::string type = resourceType(ref->id);
        if (type == "AWS::Kinesis::StreamConsumer") {
            const OJ& r = (*m_resources)[ref->id];
            if (const OJ* props = member(r, "Properties"))
                if (const OJ* arn = member(*props, "StreamARN"))
                    return componentFor(resolve(*arn));
            return std::nullopt;
        }
        if ((type == "AWS::DynamoDB::Table" || type == "AWS::Serverless::SimpleTable") &&
            ref->attribute == "StreamArn")
            return tableStream(ref->id);
        return draftOf(ref->id);
    }

    std::size_t tableStream(const std::string& table)
    {
        if (auto it = m_tableStreams.find(table); it != m_tableStreams.end())
            return it->second;
        const std::size_t index = addDraft(C::Stream, kebab(table) + "-stream", table + " stream");
        m_drafts[index].extras["Synthetic"] = "DynamoDBStream";
        m_drafts[index].extras["Table"] = table;
        m_tableStreams[table] = index;
        return index;
    }

    std::size_t defaultBus()
    {
        if (m_defaultBus)
            return *m_defaultBus;
        m_defaultBus = addDraft(C::EventBus, "default", "default");
        m_drafts[*m_defaultBus].extras["Synthetic"] = "DefaultEventBus";
        return *m_defaultBus;
    }

    /// The bus an EventBusName names: absent or "default" is the account's default bus.
    std::optional<std::size_t> busFor(const OJ* name)
    {
        if (!name || isString(*name, "default"))
            return defaultBus();
        if (auto index = componentFor(resolve(*name));
            index && m_drafts[*index].component.type == C::EventBus)
            return index;
        const OJ plain = plainValue(*name);
        if (isString(plain, "default") ||
            (plain.is_string() && plain.get<std::string>().ends_with(":event-bus/default")))
            return defaultBus();
        return std::nullopt;
    }

    std::size_t implicitApi(bool http)
    {
        auto& slot = http ? m_implicitHttpApi : m_implicitRestApi;
        if (slot)
            return *slot;
        const std::string logicalId = http ? "ServerlessHttpApi" : "ServerlessRestApi";
        slot = addDraft(C::Api, kebab(logicalId), logicalId);
        Draft& d = m_drafts[*slot];
        d.extras["LogicalId"] = logicalId;
        d.extras["Synthetic"] = "ImplicitApi";
        if (http)
            derive(d, "ApiType", "HTTP");
        return *slot;
    }

    // ---- connections --------------------------------------------------------------------------
    /// Adds the connection unless the pair refuses the kind or the same link exists; returns
    /// whether the link exists now.
    bool connect(std::size_t from, std::size_t to, K kind, OJ props, OJ origin,
                 const std::string& owner, J sim = J::object())
    {
        const auto& a = m_drafts[from].component;
        const auto& b = m_drafts[to].component;
        if (ComponentCatalog::refusal(a.type, b.type, kind)) {
            warning(owner, "no " + std::string(connectionKindName(kind)) + " connection from " +
                               std::string(componentTypeTitle(a.type)) + " \"" + a.id + "\" to " +
                               std::string(componentTypeTitle(b.type)) + " \"" + b.id +
                               "\" is possible; it is kept in the template only");
            return false;
        }
        for (const auto& c : m_design.connections)
            if (c.from == a.id && c.to == b.id && c.kind == kind &&
                (kind != K::DeadLetter || c.sim == sim))
                return true;
        if (!props.is_object())
            props = OJ::object();
        props[kOrigin] = std::move(origin);
        Connection c;
        c.from = a.id;
        c.to = b.id;
        c.kind = kind;
        c.props = J(props);
        c.sim = std::move(sim);
        m_design.connections.push_back(std::move(c));
        return true;
    }

    static OJ without(const OJ& object, std::initializer_list<const char*> keys)
    {
        OJ copy = object.is_object() ? object : OJ::object();
        for (const char* k : keys)
            copy.erase(k);
        return copy;
    }

    static OJ implied(const std::string& what) { return OJ{{"Implied", what}}; }

    /// `origin` plus "References": the value at each dotted path of `props` that is present, so
    /// that the exporter writes a link's references back exactly as they were written.
    static OJ withReferences(OJ origin, const OJ& props, std::initializer_list<const char*> paths)
    {
        for (const char* path : paths) {
            const OJ* at = &props;
            std::string_view rest = path;
            while (at) {
                const auto dot = rest.find('.');
                at = member(*at, rest.substr(0, dot));
                if (dot == std::string_view::npos)
                    break;
                rest = rest.substr(dot + 1);
            }
            if (at)
                origin["References"][path] = *at;
        }
        return origin;
    }

    void connectResource(const std::string& logicalId, const OJ& resource)
    {
        const std::string type = str(resource.value("Type", OJ()));
        if (auto index = draftOf(logicalId)) {
            switch (m_drafts[*index].component.type) {
            case C::Function:
                connectFunction(*index);
                break;
            case C::Queue:
                connectQueue(*index);
                break;
            case C::Topic:
                connectTopic(*index);
                break;
            case C::Rule:
                connectRule(*index);
                break;
            case C::StateMachine:
                connectEvents(*index);
                break;
            default:
                break;
            }
            return;
        }
        const OJ props = resource.value("Properties", OJ::object());
        OJ origin = OJ{{"Resource", logicalId}, {"Type", type}};
        for (auto it = resource.begin(); it != resource.end(); ++it)
            if (it.key() != "Type" && it.key() != "Properties")
                origin[it.key()] = it.value();
        if (type == "AWS::SNS::Subscription") {
            origin = withReferences(origin, props,
                                    {"TopicArn", "Endpoint", "RedrivePolicy.deadLetterTargetArn"});
            const auto topic = componentFor(resolve(props.value("TopicArn", OJ())));
            const auto endpoint = componentFor(resolve(props.value("Endpoint", OJ())));
            if (topic && endpoint &&
                subscribe(*topic, *endpoint, without(props, {"TopicArn", "Endpoint"}), origin,
                          logicalId))
                m_unmodelled.erase(logicalId);
            return;
        }
        if (type == "AWS::Lambda::EventSourceMapping") {
            const auto source = componentFor(resolve(props.value("EventSourceArn", OJ())));
            const auto function = componentFor(resolve(props.value("FunctionName", OJ())));
            OJ link = without(props, {"EventSourceArn", "FunctionName"});
            origin = withReferences(origin, props, {"EventSourceArn", "FunctionName"});
            normaliseConnectionProps(K::EventSource, link, origin);
            if (source && function &&
                connect(*source, *function, K::EventSource, std::move(link), origin, logicalId)) {
                m_unmodelled.erase(logicalId);
                mappingFailureDestination(*function, props, logicalId);
            }
            return;
        }
    }

    /// An SNS subscription (topic → queue or function); its RedrivePolicy target becomes a
    /// dead-letter connection of the topic for this subscriber.
    bool subscribe(std::size_t topic, std::size_t endpoint, OJ props, OJ origin,
                   const std::string& owner)
    {
        std::optional<std::size_t> dlq;
        if (OJ* redrive = props.contains("RedrivePolicy") ? &props["RedrivePolicy"] : nullptr;
            redrive && redrive->is_object())
            if (const OJ* target = member(*redrive, "deadLetterTargetArn"))
                if ((dlq = componentFor(resolve(*target))))
                    redrive->erase("deadLetterTargetArn");
        if (props.contains("RedrivePolicy") && props["RedrivePolicy"].empty())
            props.erase("RedrivePolicy");
        normaliseConnectionProps(K::Subscription, props, origin);
        if (!connect(topic, endpoint, K::Subscription, std::move(props), origin, owner))
            return false;
        if (dlq)
            connect(topic, *dlq, K::DeadLetter, OJ::object(), origin, owner,
                    J{{"for", m_drafts[endpoint].component.id}});
        return true;
    }

    /// Catalogued settings the simulation reads as plain values: an intrinsic becomes its plain
    /// value (or is dropped), a quoted number or boolean its JSON value; the originals, by dotted
    /// key, are returned.
    /// The value at a dotted key, null when absent: what the design holds after normalising.
    static OJ valueAt(const OJ& props, const std::string& dotted)
    {
        const OJ* at = &props;
        std::string_view rest = dotted;
        while (true) {
            const auto dot = rest.find('.');
            const std::string token(rest.substr(0, dot));
            if (!at->is_object() || !at->contains(token))
                return OJ();
            at = &(*at)[token];
            if (dot == std::string_view::npos)
                return *at;
            rest = rest.substr(dot + 1);
        }
    }

    OJ normalise(const std::vector<ParameterSpec>& specs, OJ& props) const
    {
        OJ originals = OJ::object();
        for (const auto& spec : specs) {
            if (spec.scope != ParameterScope::Aws)
                continue;
            OJ* parent = &props;
            std::string_view rest = spec.key;
            while (rest.find('.') != std::string_view::npos && parent) {
                const std::string token(rest.substr(0, rest.find('.')));
                rest = rest.substr(rest.find('.') + 1);
                parent =
                    parent->is_object() && parent->contains(token) ? &(*parent)[token] : nullptr;
            }
            const std::string leaf(rest);
            if (!parent || !parent->is_object() || !parent->contains(leaf))
                continue;
            OJ& value = (*parent)[leaf];
            OJ plain = value;
            if (containsIntrinsic(value))
                plain = plainValue(value);
            const bool numeric =
                spec.type == ParameterType::Integer || spec.type == ParameterType::Number;
            if (numeric && plain.is_string()) {
                const std::string text = plain.get<std::string>();
                char* end = nullptr;
                const double number = std::strtod(text.c_str(), &end);
                plain = !text.empty() && end && *end == '\0' ? OJ(number) : OJ();
                if (plain.is_number() && number == std::floor(number) && std::fabs(number) < 1e15)
                    plain = static_cast<std::int64_t>(number);
            }
            if (spec.type == ParameterType::Boolean && plain.is_string()) {
                const std::string text = plain.get<std::string>();
                plain = lowerEquals(text, "true")    ? OJ(true)
                        : lowerEquals(text, "false") ? OJ(false)
                                                     : OJ();
            }
            if (plain == value)
                continue;
            originals[spec.key] = value;
            if (plain.is_null())
                parent->erase(leaf);
            else
                value = std::move(plain);
        }
        return originals;
    }

    void normaliseConnectionProps(K kind, OJ& props, OJ& origin) const
    {
        OJ originals = normalise(ComponentCatalog::connectionParameters(kind), props);
        if (!originals.empty()) {
            for (auto it = originals.begin(); it != originals.end(); ++it)
                origin["ResolvedValues"][it.key()] = valueAt(props, it.key());
            origin["OriginalValues"] = std::move(originals);
        }
    }

    void connectQueue(std::size_t index)
    {
        OJ& props = m_drafts[index].props;
        if (!props.contains("RedrivePolicy") || !props["RedrivePolicy"].is_object())
            return;
        OJ& redrive = props["RedrivePolicy"];
        const OJ* target = member(redrive, "deadLetterTargetArn");
        if (!target)
            return;
        const auto dlq = componentFor(resolve(*target));
        if (dlq && connect(index, *dlq, K::DeadLetter, OJ::object(),
                           withReferences(OJ{{"Property", "RedrivePolicy"}}, props,
                                          {"RedrivePolicy.deadLetterTargetArn"}),
                           m_drafts[index].logicalId))
            m_drafts[index].props["RedrivePolicy"].erase("deadLetterTargetArn");
    }

    void connectTopic(std::size_t index)
    {
        OJ& props = m_drafts[index].props;
        if (!props.contains("Subscription") || !props["Subscription"].is_array())
            return;
        OJ kept = OJ::array();
        const OJ entries = props["Subscription"];
        for (const auto& entry : entries) {
            const std::string protocol = str(entry.value("Protocol", OJ()));
            const auto endpoint = (lowerEquals(protocol, "sqs") || lowerEquals(protocol, "lambda"))
                                      ? componentFor(resolve(entry.value("Endpoint", OJ())))
                                      : std::nullopt;
            if (!endpoint ||
                !subscribe(index, *endpoint, without(entry, {"Endpoint"}),
                           withReferences(OJ{{"Property", "Subscription"}}, entry,
                                          {"Endpoint", "RedrivePolicy.deadLetterTargetArn"}),
                           m_drafts[index].logicalId))
                kept.push_back(entry);
        }
        if (kept.empty())
            m_drafts[index].props.erase("Subscription");
        else
            m_drafts[index].props["Subscription"] = kept;
    }

    void connectRule(std::size_t index)
    {
        const std::string owner = m_drafts[index].logicalId;
        OJ& props = m_drafts[index].props;
        const OJ* busName = member(props, "EventBusName");
        if (auto bus = busFor(busName)) {
            if (connect(*bus, index, K::Subscription, OJ::object(),
                        withReferences(OJ{{"Property", "EventBusName"}}, props, {"EventBusName"}),
                        owner) &&
                busName)
                m_drafts[index].props.erase("EventBusName");
        }
        normaliseComponentProps(m_drafts[index]);
        if (!m_drafts[index].props.contains("Targets") ||
            !m_drafts[index].props["Targets"].is_array())
            return;
        OJ kept = OJ::array();
        const OJ targets = m_drafts[index].props["Targets"];
        for (const auto& target : targets) {
            const auto to = componentFor(resolve(target.value("Arn", OJ())));
            if (!to || !ruleTarget(index, *to, without(target, {"Arn"}),
                                   withReferences(OJ{{"Property", "Targets"}}, target,
                                                  {"Arn", "DeadLetterConfig.Arn"}),
                                   owner))
                kept.push_back(target);
        }
        if (kept.empty())
            m_drafts[index].props.erase("Targets");
        else
            m_drafts[index].props["Targets"] = kept;
    }

    /// A rule target; its DeadLetterConfig queue becomes a dead-letter connection of the rule
    /// for this target.
    bool ruleTarget(std::size_t rule, std::size_t to, OJ props, OJ origin, const std::string& owner)
    {
        std::optional<std::size_t> dlq;
        if (const OJ* dead = member(props, "DeadLetterConfig"))
            if (const OJ* arn = member(*dead, "Arn"))
                if ((dlq = componentFor(resolve(*arn))))
                    props.erase("DeadLetterConfig");
        normaliseConnectionProps(K::RuleTarget, props, origin);
        if (!connect(rule, to, K::RuleTarget, std::move(props), origin, owner))
            return false;
        if (dlq)
            connect(rule, *dlq, K::DeadLetter, OJ::object(), origin, owner,
                    J{{"for", m_drafts[to].component.id}});
        return true;
    }

    void connectFunction(std::size_t index)
    {
        const std::string owner = m_drafts[index].logicalId;
        const bool sam = m_drafts[index].resourceType == "AWS::Serverless::Function";
        // Dead-letter queue or topic of asynchronous invocations.
        const char* dlqKey = sam ? "DeadLetterQueue" : "DeadLetterConfig";
        if (const OJ* dead = member(m_drafts[index].props, dlqKey))
            if (const OJ* arn = member(*dead, "TargetArn"))
                if (auto dlq = componentFor(resolve(*arn));
                    dlq && connect(index, *dlq, K::DeadLetter, OJ::object(),
                                   withReferences(OJ{{"Property", dlqKey}}, m_drafts[index].props,
                                                  {dlqKey}),
                                   owner)) {
                    m_drafts[index].props[dlqKey].erase("TargetArn");
                    if (sam || m_drafts[index].props[dlqKey].empty())
                        m_drafts[index].props.erase(dlqKey);
                }
        // On-failure destination of asynchronous invocations.
        if (OJ* config = m_drafts[index].props.contains("EventInvokeConfig")
                             ? &m_drafts[index].props["EventInvokeConfig"]
                             : nullptr;
            config && config->is_object())
            if (const OJ* dest = member(*config, "DestinationConfig"))
                if (const OJ* onFailure = member(*dest, "OnFailure"))
                    if (const OJ* target = member(*onFailure, "Destination"))
                        if (auto to = componentFor(resolve(*target));
                            to && connect(index, *to, K::OnFailure, OJ::object(),
                                          withReferences(
                                              OJ{{"Property", "EventInvokeConfig"}},
                                              m_drafts[index].props,
                                              {"EventInvokeConfig.DestinationConfig.OnFailure"}),
                                          owner)) {
                            OJ& d = m_drafts[index].props["EventInvokeConfig"]["DestinationConfig"];
                            d.erase("OnFailure");
                            if (d.empty())
                                m_drafts[index].props["EventInvokeConfig"].erase(
                                    "DestinationConfig");
                        }
        connectEvents(index);
    }

    /// SAM Events of a function or state machine: each one that becomes a connection leaves
    /// props.Events.
    void connectEvents(std::size_t index)
    {
        if (!m_drafts[index].props.contains("Events") ||
            !m_drafts[index].props["Events"].is_object())
            return;
        const OJ events = m_drafts[index].props["Events"];
        OJ kept = OJ::object();
        for (auto it = events.begin(); it != events.end(); ++it)
            if (!connectEvent(index, it.key(), it.value()))
                kept[it.key()] = it.value();
        if (kept.empty())
            m_drafts[index].props.erase("Events");
        else
            m_drafts[index].props["Events"] = kept;
    }

    bool connectEvent(std::size_t target, const std::string& name, const OJ& event)
    {
        const std::string owner = m_drafts[target].logicalId;
        const std::string type = str(event.value("Type", OJ()));
        const OJ props = event.value("Properties", OJ::object());
        OJ origin = OJ{{"Event", name}, {"EventType", type}};
        for (auto it = event.begin(); it != event.end(); ++it)
            if (it.key() != "Type" && it.key() != "Properties")
                origin[it.key()] = it.value();
        origin = withReferences(
            origin, props,
            {"Queue", "Stream", "Topic", "EventBusName", "DeadLetterConfig", "RestApiId", "ApiId"});
        const bool function = m_drafts[target].component.type == C::Function;
        if (type == "SQS" || type == "Kinesis" || type == "DynamoDB") {
            const char* key = type == "SQS" ? "Queue" : "Stream";
            const auto source = componentFor(resolve(props.value(key, OJ())));
            if (!source || !function) {
                warning(owner, "event " + name + ": its " + key +
                                   " is not a resource of this template; kept as written");
                return false;
            }
            OJ link = without(props, {key});
            normaliseConnectionProps(K::EventSource, link, origin);
            if (!connect(*source, target, K::EventSource, std::move(link), origin, owner))
                return false;
            mappingFailureDestination(target, props, owner);
            return true;
        }
        if (type == "SNS") {
            const auto topic = componentFor(resolve(props.value("Topic", OJ())));
            if (!topic) {
                warning(owner, "event " + name +
                                   ": its Topic is not a resource of this "
                                   "template; kept as written");
                return false;
            }
            OJ link = without(props, {"Topic"});
            normaliseConnectionProps(K::Subscription, link, origin);
            return connect(*topic, target, K::Subscription, std::move(link), origin, owner);
        }
        if (type == "EventBridgeRule" || type == "CloudWatchEvent") {
            const auto bus = busFor(member(props, "EventBusName"));
            if (!bus) {
                warning(owner, "event " + name +
                                   ": its EventBusName is not a bus of this "
                                   "template; kept as written");
                return false;
            }
            const std::size_t rule =
                addDraft(C::Rule, kebab(owner) + "-" + kebab(name), owner + " " + name);
            Draft& r = m_drafts[rule];
            r.extras = OJ{{"Synthetic", "SamEvent"},
                          {"Resource", owner},
                          {"Event", name},
                          {"EventType", type}};
            if (const OJ* pattern = member(props, "Pattern"))
                r.props["EventPattern"] = *pattern;
            if (const OJ* state = member(props, "State"))
                r.props["State"] = *state;
            else if (const OJ* enabled = member(props, "Enabled"); enabled && enabled->is_boolean())
                derive(r, "State", enabled->get<bool>() ? "ENABLED" : "DISABLED");
            normaliseComponentProps(r);
            connect(*bus, rule, K::Subscription, OJ::object(), origin, owner);
            OJ link = without(props, {"Pattern", "EventBusName", "State"});
            if (const OJ* dead = member(link, "DeadLetterConfig"))
                if (const OJ* arn = member(*dead, "Arn")) {
                    const OJ copy = *arn;
                    link["DeadLetterConfig"] = OJ{{"Arn", copy}};
                }
            ruleTarget(rule, target, std::move(link), origin, owner);
            return true;
        }
        if (type == "Api" || type == "HttpApi") {
            const bool http = type == "HttpApi";
            const char* key = http ? "ApiId" : "RestApiId";
            std::optional<std::size_t> api;
            if (const OJ* ref = member(props, key))
                api = componentFor(resolve(*ref));
            else
                api = implicitApi(http);
            if (!api) {
                warning(owner, "event " + name + ": its " + key +
                                   " is not an API of this template; kept as written");
                return false;
            }
            const K kind = function ? K::Invoke : K::Send;
            return connect(*api, target, kind, without(props, {key}), origin, owner);
        }
        if (type == "Schedule" || type == "ScheduleV2") {
            const std::size_t producer =
                addDraft(C::Producer, kebab(owner) + "-" + kebab(name), owner + " " + name);
            m_drafts[producer].extras = OJ{{"Synthetic", "SamEvent"},
                                           {"Resource", owner},
                                           {"Event", name},
                                           {"EventType", type}};
            scheduleTraffic(m_drafts[producer].component.id,
                            type == "Schedule" ? "aws.events" : "aws.scheduler",
                            str(plainValue(props.value(
                                type == "Schedule" ? "Schedule" : "ScheduleExpression", OJ()))),
                            owner);
            return connect(producer, target, K::Send, props, origin, owner);
        }
        return false;
    }

    /// A stream mapping's OnFailure destination: an on-failure connection of the function, unless
    /// it already has one elsewhere (the setting stays in the mapping's props either way).
    void mappingFailureDestination(std::size_t function, const OJ& mapping,
                                   const std::string& owner)
    {
        const OJ* dest = member(mapping, "DestinationConfig");
        const OJ* onFailure = dest ? member(*dest, "OnFailure") : nullptr;
        const OJ* target = onFailure ? member(*onFailure, "Destination") : nullptr;
        if (!target)
            return;
        const auto to = componentFor(resolve(*target));
        if (!to)
            return;
        for (const auto& c : m_design.connections)
            if (c.from == m_drafts[function].component.id && c.kind == K::OnFailure)
                return;
        connect(function, *to, K::OnFailure, OJ::object(), implied("DestinationConfig"), owner);
    }

    // ---- implied connections (their source stays in the template) ----------------------------
    void implyFromResource(const std::string& logicalId, const OJ& resource)
    {
        const std::string type = str(resource.value("Type", OJ()));
        const OJ props = resource.value("Properties", OJ::object());
        if (auto index = draftOf(logicalId)) {
            const C ctype = m_drafts[*index].component.type;
            if (ctype == C::Function || ctype == C::StateMachine)
                if (const OJ* policies = member(props, "Policies"))
                    implyFromPolicies(*index, *policies);
            if (ctype == C::StateMachine)
                implyFromDefinition(*index, props);
            if (ctype == C::Producer)
                implyFromSchedule(*index, props);
            if (const OJ* connectors = member(props, "Connectors");
                connectors && connectors->is_object())
                for (const auto& connector : *connectors)
                    implyFromConnector(OJ{{"Id", logicalId}},
                                       connector.value("Properties", OJ::object()), logicalId);
            return;
        }
        if (type == "AWS::Serverless::Connector")
            implyFromConnector(props.value("Source", OJ()), props, logicalId);
        else if (type == "AWS::IAM::Role")
            implyFromRole(logicalId, props);
        else if (type == "AWS::IAM::Policy" || type == "AWS::IAM::ManagedPolicy")
            if (const OJ* roles = member(props, "Roles"); roles && roles->is_array())
                for (const auto& role : *roles)
                    if (auto r = resolve(role))
                        for (std::size_t who : roleUsers(r->id, resourceType(r->id)))
                            implyFromStatements(who, props.value("PolicyDocument", OJ()),
                                                "IAM policy " + logicalId);
        if (type == "AWS::ApiGateway::Method" || type == "AWS::ApiGatewayV2::Integration")
            implyFromIntegration(logicalId, type, props);
        if (type == "AWS::Lambda::EventInvokeConfig") {
            const auto function = componentFor(resolve(props.value("FunctionName", OJ())));
            const OJ* dest = member(props, "DestinationConfig");
            const OJ* onFailure = dest ? member(*dest, "OnFailure") : nullptr;
            if (function && onFailure)
                if (auto to = componentFor(resolve(onFailure->value("Destination", OJ()))))
                    connect(*function, *to, K::OnFailure, OJ::object(),
                            implied("AWS::Lambda::EventInvokeConfig " + logicalId), logicalId);
        }
    }

    /// The component a call goes to, with the kind of call a caller makes to it.
    void implyCall(std::size_t from, std::size_t to, bool write, const std::string& what,
                   const std::string& owner)
    {
        const C target = m_drafts[to].component.type;
        const C source = m_drafts[from].component.type;
        K kind = K::Send;
        J sim = J::object();
        if (target == C::Database) {
            kind = K::Invoke;
            if (!write)
                sim["operation"] = "read";
        } else if (target == C::Function && source != C::Producer) {
            kind = K::Invoke;
        } else if (target == C::Api || target == C::Service) {
            kind = K::Invoke;
        }
        if (ComponentCatalog::refusal(source, target, kind))
            return;
        for (const auto& c : m_design.connections)
            if (c.from == m_drafts[from].component.id && c.to == m_drafts[to].component.id &&
                (c.kind == kind || c.kind == K::OnFailure || c.kind == K::DeadLetter))
                return; // a destination or dead-letter queue also needs the send permission
        OJ props = OJ::object();
        props[kOrigin] = implied(what);
        Connection c;
        c.from = m_drafts[from].component.id;
        c.to = m_drafts[to].component.id;
        c.kind = kind;
        c.props = J(props);
        c.sim = std::move(sim);
        (void)owner;
        m_design.connections.push_back(std::move(c));
    }

    void implyFromPolicies(std::size_t index, const OJ& policies)
    {
        auto one = [&](const std::string& name, const OJ& params) {
            struct TemplateCall {
                const char* name;
                const char* param;
                C target;
                bool write;
            };
            static const TemplateCall calls[] = {
                {"SQSSendMessagePolicy", "QueueName", C::Queue, true},
                {"SNSPublishMessagePolicy", "TopicName", C::Topic, true},
                {"EventBridgePutEventsPolicy", "EventBusName", C::EventBus, true},
                {"DynamoDBCrudPolicy", "TableName", C::Database, true},
                {"DynamoDBWritePolicy", "TableName", C::Database, true},
                {"DynamoDBReadPolicy", "TableName", C::Database, false},
                {"StepFunctionsExecutionPolicy", "StateMachineName", C::StateMachine, true},
                {"LambdaInvokePolicy", "FunctionName", C::Function, true},
                {"KinesisCrudPolicy", "StreamName", C::Stream, true},
            };
            for (const auto& call : calls) {
                if (name != call.name)
                    continue;
                const OJ* value = member(params, call.param);
                if (!value)
                    return;
                std::optional<std::size_t> to =
                    call.target == C::EventBus ? busFor(value) : componentFor(resolve(*value));
                if (to && m_drafts[*to].component.type == call.target)
                    implyCall(index, *to, call.write, "Policies", m_drafts[index].logicalId);
            }
        };
        auto entry = [&](const OJ& item) {
            if (!item.is_object())
                return;
            if (item.contains("Statement")) {
                implyFromStatements(index, item, "Policies");
                return;
            }
            for (auto it = item.begin(); it != item.end(); ++it)
                one(it.key(), it.value());
        };
        if (policies.is_array())
            for (const auto& item : policies)
                entry(item);
        else
            entry(policies);
    }

    void implyFromStatements(std::size_t who, const OJ& document, const std::string& what)
    {
        const OJ* statements = member(document, "Statement");
        if (!statements)
            return;
        const OJ list = statements->is_array() ? *statements : OJ::array({*statements});
        struct ActionCall {
            const char* action;
            C target;
            bool write;
        };
        static const ActionCall calls[] = {
            {"sqs:SendMessage", C::Queue, true},
            {"sns:Publish", C::Topic, true},
            {"events:PutEvents", C::EventBus, true},
            {"kinesis:PutRecord", C::Stream, true},
            {"kinesis:PutRecords", C::Stream, true},
            {"dynamodb:PutItem", C::Database, true},
            {"dynamodb:UpdateItem", C::Database, true},
            {"dynamodb:DeleteItem", C::Database, true},
            {"dynamodb:BatchWriteItem", C::Database, true},
            {"dynamodb:GetItem", C::Database, false},
            {"dynamodb:Query", C::Database, false},
            {"dynamodb:Scan", C::Database, false},
            {"dynamodb:BatchGetItem", C::Database, false},
            {"states:StartExecution", C::StateMachine, true},
            {"states:StartSyncExecution", C::StateMachine, true},
            {"lambda:InvokeFunction", C::Function, true},
        };
        for (const auto& statement : list) {
            if (!isString(statement.value("Effect", OJ("Allow")), "Allow"))
                continue;
            const OJ actionValue = statement.value("Action", OJ());
            const OJ actions = actionValue.is_array() ? actionValue : OJ::array({actionValue});
            const OJ resourceValue = statement.value("Resource", OJ());
            const OJ resources =
                resourceValue.is_array() ? resourceValue : OJ::array({resourceValue});
            for (const auto& resource : resources) {
                const auto to = componentFor(resolve(resource));
                if (!to)
                    continue;
                const C type = m_drafts[*to].component.type;
                bool write = false;
                bool any = false;
                for (const auto& call : calls) {
                    if (call.target != type)
                        continue;
                    for (const auto& a : actions)
                        if (a.is_string() && actionMatches(a.get<std::string>(), call.action)) {
                            any = true;
                            write = write || call.write;
                        }
                }
                if (any)
                    implyCall(who, *to, write, what, m_drafts[who].logicalId);
            }
        }
    }

    /// Components acting with a role: those whose Role/RoleArn names it, APIs whose integration
    /// credentials name it; failing those, the only component of the kind its trust policy admits.
    std::vector<std::size_t> roleUsers(const std::string& role, const std::string& type)
    {
        std::vector<std::size_t> users;
        if (type != "AWS::IAM::Role")
            return users;
        for (std::size_t i = 0; i < m_drafts.size(); ++i) {
            const C t = m_drafts[i].component.type;
            if (t != C::Function && t != C::StateMachine)
                continue;
            for (const char* key : {"Role", "RoleArn"})
                if (const OJ* v = member(m_drafts[i].props, key))
                    if (auto r = resolve(*v); r && r->id == role)
                        users.push_back(i);
        }
        for (auto it = m_resources->begin(); it != m_resources->end(); ++it) {
            const std::string t = str(it.value().value("Type", OJ()));
            const OJ props = it.value().value("Properties", OJ::object());
            const OJ* credentials = nullptr;
            const char* apiKey = nullptr;
            if (t == "AWS::ApiGateway::Method") {
                if (const OJ* integration = member(props, "Integration"))
                    credentials = member(*integration, "Credentials");
                apiKey = "RestApiId";
            } else if (t == "AWS::ApiGatewayV2::Integration") {
                credentials = member(props, "CredentialsArn");
                apiKey = "ApiId";
            }
            if (!credentials)
                continue;
            if (auto r = resolve(*credentials); r && r->id == role)
                if (auto api = componentFor(resolve(props.value(apiKey, OJ()))))
                    users.push_back(*api);
        }
        if (!users.empty() || referencedAnywhere(role))
            return users;
        // Nothing in the template attaches the role (an included OpenAPI body may): go by trust.
        const OJ& doc = (*m_resources)[role];
        const std::string trust =
            doc.value("Properties", OJ::object()).value("AssumeRolePolicyDocument", OJ()).dump();
        std::optional<C> kind;
        if (trust.find("apigateway.amazonaws.com") != std::string::npos)
            kind = C::Api;
        else if (trust.find("states.") != std::string::npos)
            kind = C::StateMachine;
        if (!kind)
            return users;
        std::vector<std::size_t> candidates;
        for (std::size_t i = 0; i < m_drafts.size(); ++i)
            if (m_drafts[i].component.type == *kind)
                candidates.push_back(i);
        if (candidates.size() == 1)
            users = candidates;
        return users;
    }

    bool referencedAnywhere(const std::string& id) const
    {
        for (auto it = m_resources->begin(); it != m_resources->end(); ++it)
            if (it.key() != id && references(it.value(), id))
                return true;
        return false;
    }

    static bool references(const OJ& v, const std::string& id)
    {
        if (v.is_object()) {
            if (v.size() == 1) {
                const std::string& key = v.begin().key();
                const OJ& arg = v.begin().value();
                if (key == "Ref" && isString(arg, id))
                    return true;
                if (key == "Fn::GetAtt" &&
                    ((arg.is_array() && !arg.empty() && isString(arg[0], id)) ||
                     (arg.is_string() && arg.get<std::string>().rfind(id + ".", 0) == 0)))
                    return true;
                if (key == "Fn::Sub") {
                    const std::string text = arg.is_string() ? arg.get<std::string>()
                                             : arg.is_array() && !arg.empty() ? str(arg[0])
                                                                              : std::string();
                    if (text.find("${" + id + "}") != std::string::npos ||
                        text.find("${" + id + ".") != std::string::npos)
                        return true;
                }
            }
            for (const auto& item : v)
                if (references(item, id))
                    return true;
        } else if (v.is_array()) {
            for (const auto& item : v)
                if (references(item, id))
                    return true;
        }
        return false;
    }

    void implyFromRole(const std::string& logicalId, const OJ& props)
    {
        const auto users = roleUsers(logicalId, "AWS::IAM::Role");
        if (users.empty())
            return;
        const OJ* policies = member(props, "Policies");
        if (!policies || !policies->is_array())
            return;
        for (std::size_t who : users)
            for (const auto& policy : *policies)
                implyFromStatements(who, policy.value("PolicyDocument", OJ()),
                                    "IAM role " + logicalId);
    }

    void implyFromConnector(const OJ& sourceRef, const OJ& props, const std::string& logicalId)
    {
        const OJ* idValue = member(sourceRef, "Id");
        std::optional<std::size_t> from;
        if (idValue && idValue->is_string())
            from = draftOf(idValue->get<std::string>());
        if (!from)
            return;
        const C source = m_drafts[*from].component.type;
        if (source != C::Function && source != C::StateMachine)
            return; // other sources' links come from their events, targets and subscriptions
        const OJ permissionValue = props.value("Permissions", OJ::array());
        bool write = false;
        for (const auto& p : permissionValue)
            write = write || isString(p, "Write");
        const OJ destValue = props.value("Destination", OJ());
        const OJ destinations = destValue.is_array() ? destValue : OJ::array({destValue});
        for (const auto& dest : destinations) {
            const OJ* id = member(dest, "Id");
            std::optional<std::size_t> to;
            if (id && id->is_string())
                to = draftOf(id->get<std::string>());
            else if (const OJ* arn = member(dest, "Arn"))
                to = componentFor(resolve(*arn));
            if (to)
                implyCall(*from, *to, write, "AWS::Serverless::Connector " + logicalId, logicalId);
        }
    }

    void implyFromSchedule(std::size_t producer, const OJ& props)
    {
        std::vector<OJ> targets;
        if (const OJ* list = member(props, "Targets"); list && list->is_array())
            for (const auto& t : *list)
                targets.push_back(t);
        if (const OJ* single = member(props, "Target"))
            targets.push_back(*single);
        for (const auto& t : targets)
            if (auto to = componentFor(resolve(t.value("Arn", OJ()))))
                implyCall(producer, *to, true, "Targets", m_drafts[producer].logicalId);
    }

    void implyFromIntegration(const std::string& logicalId, const std::string& type,
                              const OJ& props)
    {
        const bool v2 = type == "AWS::ApiGatewayV2::Integration";
        const auto api = componentFor(resolve(props.value(v2 ? "ApiId" : "RestApiId", OJ())));
        if (!api || m_drafts[*api].component.type != C::Api)
            return;
        const OJ integration = v2 ? props : props.value("Integration", OJ::object());
        std::vector<OJ> places;
        if (const OJ* uri = member(integration, v2 ? "IntegrationUri" : "Uri"))
            places.push_back(*uri);
        if (const OJ* params = member(integration, "RequestParameters");
            params && params->is_object())
            for (const auto& p : *params)
                places.push_back(p);
        for (const auto& place : places)
            if (auto to = componentFor(resolve(place)); to && *to != *api)
                implyCall(*api, *to, true, "integration " + logicalId, logicalId);
    }

    // ---- Step Functions definitions ----------------------------------------------------------
    void implyFromDefinition(std::size_t machine, const OJ& props)
    {
        OJ definition;
        if (const OJ* d = member(props, "Definition"); d && d->is_object())
            definition = *d;
        else if (const OJ* s = member(props, "DefinitionString")) {
            const OJ plain = s->is_string() ? *s : plainValue(*s);
            if (plain.is_string())
                definition = OJ::parse(plain.get<std::string>(), nullptr, false);
        }
        if (!definition.is_object())
            return;
        m_substitutions = props.value("DefinitionSubstitutions", OJ::object());
        int step = 0;
        walkStates(machine, definition, step, std::nullopt);
    }

    void walkStates(std::size_t machine, const OJ& graph, int& step,
                    std::optional<int> parallelStep)
    {
        const OJ* states = member(graph, "States");
        if (!states || !states->is_object())
            return;
        // Document order approximates execution order well enough for steps; walk from StartAt
        // along Next first, then the states not reached that way.
        std::vector<std::string> order;
        std::set<std::string> seen;
        std::string current = str(graph.value("StartAt", OJ()));
        while (!current.empty() && states->contains(current) && seen.insert(current).second) {
            order.push_back(current);
            current = str((*states)[current].value("Next", OJ()));
            if (current.empty())
                current = str((*states)[order.back()].value("Default", OJ()));
        }
        for (auto it = states->begin(); it != states->end(); ++it)
            if (seen.insert(it.key()).second)
                order.push_back(it.key());
        // Tasks only a Catch leads to (compensation) run only then in the simulation too; in a
        // Parallel branch they stay branches, as the simulation has no catch paths there.
        std::set<std::string> catchOnly;
        if (!parallelStep) {
            const std::set<std::string> normal = reachable(*states, graph, false);
            for (const auto& name : reachable(*states, graph, true))
                if (normal.count(name) == 0)
                    catchOnly.insert(name);
        }
        for (const auto& name : order) {
            const OJ& state = (*states)[name];
            const std::string type = str(state.value("Type", OJ()));
            if (type == "Task") {
                const int s = parallelStep ? *parallelStep : step++;
                taskLink(machine, name, state, s, catchOnly.count(name) != 0);
            } else if (type == "Parallel") {
                const int s = parallelStep ? *parallelStep : step++;
                if (const OJ* branches = member(state, "Branches");
                    branches && branches->is_array())
                    for (const auto& branch : *branches)
                        walkStates(machine, branch, step, s);
            } else if (type == "Map") {
                const int s = parallelStep ? *parallelStep : step++;
                for (const char* key : {"ItemProcessor", "Iterator"})
                    if (const OJ* inner = member(state, key))
                        walkStates(machine, *inner, step, s);
            }
        }
    }

    /// The states of `graph` reachable from its StartAt through Next, Default and Choices
    /// (and Catch too when `throughCatch`).
    static std::set<std::string> reachable(const OJ& states, const OJ& graph, bool throughCatch)
    {
        std::set<std::string> seen;
        std::vector<std::string> pending = {str(graph.value("StartAt", OJ()))};
        while (!pending.empty()) {
            const std::string name = pending.back();
            pending.pop_back();
            if (!states.contains(name) || !seen.insert(name).second)
                continue;
            const OJ& state = states[name];
            if (!state.is_object())
                continue;
            pending.push_back(str(state.value("Next", OJ())));
            pending.push_back(str(state.value("Default", OJ())));
            for (const char* list : {"Choices", "Catch"}) {
                if (std::string_view(list) == "Catch" && !throughCatch)
                    continue;
                if (const OJ* items = member(state, list); items && items->is_array())
                    for (const auto& item : *items)
                        if (item.is_object())
                            pending.push_back(str(item.value("Next", OJ())));
            }
        }
        return seen;
    }

    /// A value inside a definition, with "${Name}" DefinitionSubstitutions applied.
    std::optional<std::size_t> definitionTarget(const OJ& v)
    {
        if (v.is_string()) {
            const std::string text = v.get<std::string>();
            if (text.size() > 3 && text.rfind("${", 0) == 0 && text.back() == '}') {
                const std::string key = text.substr(2, text.size() - 3);
                if (const OJ* sub = member(m_substitutions, key))
                    return componentFor(resolve(*sub));
            }
            if (text.find("${") != std::string::npos)
                return componentFor(resolve(OJ{{"Fn::Sub", text}}));
        }
        return componentFor(resolve(v));
    }

    void taskLink(std::size_t machine, const std::string& name, const OJ& state, int step,
                  bool catchOnly)
    {
        const std::string resource = str(state.value("Resource", OJ()));
        OJ params = state.value("Parameters", OJ::object());
        if (!params.is_object() || params.empty())
            params = state.value("Arguments", OJ::object());
        std::optional<std::size_t> to;
        bool write = true;
        const auto service = [&](const char* prefix) { return resource.rfind(prefix, 0) == 0; };
        auto param = [&](const char* key) -> std::optional<std::size_t> {
            if (const OJ* v = member(params, key))
                return definitionTarget(*v);
            return std::nullopt;
        };
        if (service("arn:aws:states:::lambda:invoke"))
            to = param("FunctionName");
        else if (service("arn:aws:states:::sqs:sendMessage"))
            to = param("QueueUrl");
        else if (service("arn:aws:states:::sns:publish"))
            to = param("TopicArn");
        else if (service("arn:aws:states:::kinesis:putRecord"))
            to = param("StreamName");
        else if (service("arn:aws:states:::states:startExecution"))
            to = param("StateMachineArn");
        else if (service("arn:aws:states:::dynamodb:")) {
            to = param("TableName");
            write = resource.find("getItem") == std::string::npos;
        } else if (service("arn:aws:states:::events:putEvents")) {
            const OJ entries = params.value("Entries", OJ::array());
            if (entries.is_array() && !entries.empty())
                to = busFor(member(entries[0], "EventBusName"));
        } else if (!resource.empty() && resource.rfind("arn:aws:states:::", 0) != 0)
            to = definitionTarget(state.value("Resource", OJ()));
        if (!to)
            return;
        const C target = m_drafts[*to].component.type;
        K kind = K::Send;
        if (target == C::Function || target == C::Database || target == C::Service)
            kind = K::Invoke;
        if (target == C::StateMachine && resource.find(".sync") != std::string::npos)
            kind = K::Invoke;
        if (ComponentCatalog::refusal(C::StateMachine, target, kind))
            return;
        OJ props = OJ::object();
        for (const char* key : {"Retry", "Catch", "TimeoutSeconds"})
            if (const OJ* v = member(state, key))
                props[key] = *v;
        props[kOrigin] = OJ{{"Implied", "Definition"}, {"State", name}};
        // Only Task calls (invoke) take a step; a send is a hand-over in the machine's order.
        J sim = kind == K::Invoke ? J{{"step", step}} : J::object();
        if (kind == K::Invoke && catchOnly)
            sim["catch_only"] = true;
        if (target == C::Database && !write)
            sim["operation"] = "read";
        Connection c;
        c.from = m_drafts[machine].component.id;
        c.to = m_drafts[*to].component.id;
        c.kind = kind;
        c.props = J(props);
        c.sim = std::move(sim);
        m_design.connections.push_back(std::move(c));
    }

    // ---- finishing ----------------------------------------------------------------------------
    void normaliseComponentProps(Draft& d) const
    {
        OJ originals = normalise(ComponentCatalog::componentParameters(d.component.type), d.props);
        for (auto it = originals.begin(); it != originals.end(); ++it) {
            d.extras["OriginalValues"][it.key()] = it.value();
            d.extras["ResolvedValues"][it.key()] = valueAt(d.props, it.key());
        }
    }

    void finish()
    {
        for (auto& d : m_drafts) {
            normaliseComponentProps(d);
            d.component.props = J(d.props);
            d.component.templateExtras = J(d.extras);
            m_design.components.push_back(std::move(d.component));
        }
        if (!m_unmodelled.empty()) {
            OJ kept = OJ::object();
            for (auto it = m_resources->begin(); it != m_resources->end(); ++it)
                if (m_unmodelled.contains(it.key()))
                    kept[it.key()] = it.value();
            m_design.templateExtras["Resources"] = J(kept);
        }
    }

    const OJ& m_doc;
    std::string m_source;
    Diagnostics& m_diagnostics;
    Design m_design;
    const OJ* m_resources = nullptr;
    OJ m_parameters = OJ::object();
    OJ m_globalFunction = OJ::object();
    OJ m_substitutions = OJ::object();
    std::deque<Draft> m_drafts;
    std::map<std::string, std::size_t> m_byLogicalId;
    std::map<std::string, std::string> m_names;
    std::map<std::string, std::size_t> m_tableStreams;
    std::set<std::string> m_ids;
    OJ m_unmodelled = OJ::object();
    std::optional<std::size_t> m_defaultBus;
    std::optional<std::size_t> m_implicitRestApi;
    std::optional<std::size_t> m_implicitHttpApi;
};

} // namespace

ImportResult TemplateImporter::import(std::string_view text, const std::string& sourceName)
{
    ImportResult result;
    Diagnostics readProblems;
    const auto document = readYaml(text, readProblems);
    for (auto& d : readProblems) {
        d.message = sourceName + ": " + d.message;
        result.diagnostics.push_back(std::move(d));
    }
    if (!document)
        return result;
    Importer importer(*document, sourceName, result.diagnostics);
    result.design = importer.run();
    return result;
}

} // namespace eventflow::model
