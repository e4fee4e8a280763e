#include "DesignFile.h"

#include <cmath>
#include <fstream>
#include <sstream>
#include <system_error>

namespace eventflow::model {

namespace {

using nlohmann::json;

/// Reads typed fields out of one JSON object and reports each mismatch at its JSON pointer.
class FieldReader {
public:
    FieldReader(const json& object, std::string pointer, Diagnostics& diagnostics)
        : m_object(object), m_pointer(std::move(pointer)), m_diagnostics(diagnostics)
    {
    }

    std::string at(std::string_view key) const { return m_pointer + "/" + std::string(key); }

    void error(std::string_view key, std::string message) const
    {
        m_diagnostics.push_back({Severity::Error, at(key), std::move(message), {}});
    }

    const json* find(std::string_view key) const
    {
        auto it = m_object.find(std::string(key));
        return it == m_object.end() ? nullptr : &*it;
    }

    std::string text(std::string_view key, bool required, std::string fallback = {}) const
    {
        const json* v = find(key);
        if (!v) {
            if (required)
                error(key, "missing required field \"" + std::string(key) + "\"");
            return fallback;
        }
        if (!v->is_string()) {
            error(key, "expected a string, found " + std::string(v->type_name()));
            return fallback;
        }
        return v->get<std::string>();
    }

    double number(std::string_view key, double fallback) const
    {
        const json* v = find(key);
        if (!v)
            return fallback;
        if (!v->is_number() || !std::isfinite(v->get<double>())) {
            error(key, "expected a number, found " + std::string(v->type_name()));
            return fallback;
        }
        return v->get<double>();
    }

    json object(std::string_view key) const
    {
        const json* v = find(key);
        if (!v || v->is_null())
            return json::object();
        if (!v->is_object()) {
            error(key, "expected an object, found " + std::string(v->type_name()));
            return json::object();
        }
        return *v;
    }

    const json* array(std::string_view key, bool required) const
    {
        const json* v = find(key);
        if (!v) {
            if (required)
                error(key, "missing required field \"" + std::string(key) + "\"");
            return nullptr;
        }
        if (!v->is_array()) {
            error(key, "expected an array, found " + std::string(v->type_name()));
            return nullptr;
        }
        return v;
    }

private:
    const json& m_object;
    std::string m_pointer;
    Diagnostics& m_diagnostics;
};

bool expectObject(const json& value, const std::string& pointer, Diagnostics& diagnostics)
{
    if (value.is_object())
        return true;
    diagnostics.push_back(
        {Severity::Error, pointer, "expected an object, found " + std::string(value.type_name()), {}});
    return false;
}

void readComponent(const json& value, const std::string& pointer, Design& design,
                   Diagnostics& diagnostics)
{
    if (!expectObject(value, pointer, diagnostics))
        return;
    FieldReader r(value, pointer, diagnostics);
    Component c;
    c.id = r.text("id", true);
    const std::string typeName = r.text("type", true);
    if (auto type = componentTypeFromName(typeName)) {
        c.type = *type;
    } else if (r.find("type") && r.find("type")->is_string()) {
        r.error("type", "unknown component type \"" + typeName +
                            "\"; expected one of producer, api, service, function, queue, topic, "
                            "event_bus, rule, stream, state_machine, database");
        return;
    } else {
        return;
    }
    c.label = r.text("label", false, c.id);
    const json position = r.object("position");
    FieldReader p(position, r.at("position"), diagnostics);
    c.position = {p.number("x", 0.0), p.number("y", 0.0)};
    c.props = r.object("props");
    c.sim = r.object("sim");
    c.templateExtras = r.object("template");
    design.components.push_back(std::move(c));
}

void readConnection(const json& value, const std::string& pointer, Design& design,
                    Diagnostics& diagnostics)
{
    if (!expectObject(value, pointer, diagnostics))
        return;
    FieldReader r(value, pointer, diagnostics);
    Connection c;
    c.from = r.text("from", true);
    c.to = r.text("to", true);
    const std::string kindName = r.text("kind", true);
    if (auto kind = connectionKindFromName(kindName)) {
        c.kind = *kind;
    } else {
        if (r.find("kind") && r.find("kind")->is_string())
            r.error("kind", "unknown connection kind \"" + kindName +
                                "\"; expected one of invoke, send, subscription, rule_target, "
                                "event_source, dead_letter, on_failure");
        return;
    }
    c.props = r.object("props");
    c.sim = r.object("sim");
    design.connections.push_back(std::move(c));
}

void readTraffic(const json& value, const std::string& pointer, Design& design,
                 Diagnostics& diagnostics)
{
    if (!expectObject(value, pointer, diagnostics))
        return;
    FieldReader r(value, pointer, diagnostics);
    TrafficSpec t;
    t.producer = r.text("producer", true);
    const json profile = r.object("profile");
    FieldReader p(profile, r.at("profile"), diagnostics);
    const std::string kindName = p.text("kind", false, "poisson");
    if (auto kind = rateProfileKindFromName(kindName))
        t.profile.kind = *kind;
    else
        p.error("kind", "unknown rate profile \"" + kindName +
                            "\"; expected constant, poisson, bursty, ramp, spike or diurnal");
    auto& pr = t.profile;
    pr.rate = p.number("rate", pr.rate);
    pr.onSeconds = p.number("on_s", pr.onSeconds);
    pr.offSeconds = p.number("off_s", pr.offSeconds);
    pr.toRate = p.number("to_rate", pr.rate);
    pr.peakRate = p.number("peak_rate", pr.peakRate);
    pr.startSeconds = p.number("start_s", pr.startSeconds);
    pr.endSeconds = p.number("end_s", pr.endSeconds);
    pr.amplitude = p.number("amplitude", pr.amplitude);
    pr.periodSeconds = p.number("period_s", pr.periodSeconds);
    if (const json* events = r.array("events", false))
        t.events = DesignFile::eventsFromJson(*events, r.at("events"), diagnostics);
    if (t.events.empty())
        t.events.push_back(EventTemplate{1.0, "eventflow.producer", "Event", json::object(),
                                         json::object(), 1024.0});
    design.traffic.push_back(std::move(t));
}

void readFault(const json& value, const std::string& pointer, Design& design,
               Diagnostics& diagnostics)
{
    if (!expectObject(value, pointer, diagnostics))
        return;
    FieldReader r(value, pointer, diagnostics);
    Fault f;
    f.component = r.text("component", true);
    const std::string kindName = r.text("kind", true);
    if (auto kind = faultKindFromName(kindName)) {
        f.kind = *kind;
    } else {
        if (r.find("kind") && r.find("kind")->is_string())
            r.error("kind", "unknown fault kind \"" + kindName +
                                "\"; expected outage, latency, error_rate or throttle");
        return;
    }
    f.startSeconds = r.number("start_s", 0.0);
    f.endSeconds = r.number("end_s", f.startSeconds);
    f.value = r.number("value", f.kind == Fault::Kind::Latency ? 1.0 : 0.0);
    design.faults.push_back(std::move(f));
}

void readSimulation(const json& value, const std::string& pointer, Design& design,
                    Diagnostics& diagnostics)
{
    FieldReader r(value, pointer, diagnostics);
    auto& s = design.simulation;
    s.durationSeconds = r.number("duration_s", s.durationSeconds);
    s.warmupSeconds = r.number("warmup_s", s.warmupSeconds);
    // Read unsigned seeds as integers: through a double, seeds above 2^53 would change on
    // every load and save, and those of 2^64 and more would overflow the conversion.
    if (const json* seed = r.find("seed"); seed && seed->is_number_unsigned()) {
        s.seed = seed->get<std::uint64_t>();
    } else {
        const double seedValue = r.number("seed", static_cast<double>(s.seed));
        if (seedValue < 0 || seedValue != std::floor(seedValue) || seedValue >= 0x1p64)
            r.error("seed", "the seed must be an integer from 0 to 18446744073709551615");
        else
            s.seed = static_cast<std::uint64_t>(seedValue);
    }
    s.sampleIntervalSeconds = r.number("sample_interval_s", s.sampleIntervalSeconds);
    s.accountConcurrency = r.number("account_concurrency", s.accountConcurrency);
    s.maxEventsPerSimSecond = r.number("max_events_per_sim_second", s.maxEventsPerSimSecond);
    s.maxEventsTotal = r.number("max_events_total", s.maxEventsTotal);
}

template <typename ReadOne>
void readArray(const FieldReader& root, std::string_view key, bool required, Design& design,
               Diagnostics& diagnostics, ReadOne readOne)
{
    const std::string base = root.at(key) + "/";
    if (const json* items = root.array(key, required))
        for (std::size_t i = 0; i < items->size(); ++i)
            readOne((*items)[i], base + std::to_string(i), design, diagnostics);
}

/// eventflow/0 (the first prototype) named things differently: nodes/links, "kind" for the
/// component type, "params" for properties, durations in milliseconds.
void migrateFrom0(json& document)
{
    if (document.contains("nodes")) {
        for (auto& node : document["nodes"]) {
            if (!node.is_object())
                continue;
            if (node.contains("kind"))
                node["type"] = node["kind"], node.erase("kind");
            if (node.contains("params"))
                node["props"] = node["params"], node.erase("params");
        }
        document["components"] = document["nodes"];
        document.erase("nodes");
    }
    if (document.contains("links")) {
        for (auto& link : document["links"]) {
            if (!link.is_object())
                continue;
            if (link.contains("source"))
                link["from"] = link["source"], link.erase("source");
            if (link.contains("target"))
                link["to"] = link["target"], link.erase("target");
            if (link.contains("type"))
                link["kind"] = link["type"], link.erase("type");
        }
        document["connections"] = document["links"];
        document.erase("links");
    }
    if (document.contains("simulation") && document["simulation"].is_object()) {
        auto& sim = document["simulation"];
        if (sim.contains("duration_ms") && sim["duration_ms"].is_number())
            sim["duration_s"] = sim["duration_ms"].get<double>() / 1000.0, sim.erase("duration_ms");
    }
    document["format"] = "eventflow/1";
}

} // namespace

bool DesignFile::migrate(json& document, Diagnostics& diagnostics)
{
    const auto format = document.find("format");
    if (format == document.end() || !format->is_string()) {
        diagnostics.push_back({Severity::Error, "/format",
                               "missing \"format\": an EventFlow design starts with \"format\": "
                               "\"eventflow/1\"",
                               {}});
        return false;
    }
    const std::string name = format->get<std::string>();
    if (name == "eventflow/0")
        migrateFrom0(document);
    else if (name != kFormat) {
        diagnostics.push_back({Severity::Error, "/format",
                               "unsupported format \"" + name +
                                   "\"; this version reads eventflow/0 and eventflow/1",
                               {}});
        return false;
    }
    return true;
}

LoadResult DesignFile::fromJson(json document)
{
    LoadResult result;
    if (!document.is_object()) {
        result.diagnostics.push_back({Severity::Error, "",
                                      "a design file must hold a JSON object, found " +
                                          std::string(document.type_name()),
                                      {}});
        return result;
    }
    if (!migrate(document, result.diagnostics))
        return result;
    Design design;
    Diagnostics& d = result.diagnostics;
    FieldReader root(document, "", d);
    design.name = root.text("name", false, "Untitled design");
    design.description = root.text("description", false);
    const json lessonObject = root.object("lesson");
    FieldReader lesson(lessonObject, "/lesson", d);
    design.lesson.outcome = lesson.text("outcome", false);
    design.lesson.compareWith = lesson.text("compare_with", false);
    readArray(root, "components", true, design, d, readComponent);
    readArray(root, "connections", false, design, d, readConnection);
    readArray(root, "traffic", false, design, d, readTraffic);
    readArray(root, "faults", false, design, d, readFault);
    readSimulation(root.object("simulation"), "/simulation", design, d);
    design.templateExtras = root.object("template");
    if (!hasErrors(d))
        result.design = std::move(design);
    return result;
}

LoadResult DesignFile::parse(std::string_view text)
{
    json document;
    try {
        document = json::parse(text.begin(), text.end());
    } catch (const json::exception& e) {
        // Not only parse_error: a number too large for a double ("1e400") throws out_of_range,
        // and user content must never throw out of the model.
        LoadResult result;
        result.unreadable = true;
        // nlohmann's message already names the place ("at line 3, column 5").
        result.diagnostics.push_back({Severity::Error, "", std::string("not valid JSON: ") + e.what(), {}});
        return result;
    }
    return fromJson(std::move(document));
}

std::vector<EventTemplate> DesignFile::eventsFromJson(const json& events,
                                                     const std::string& pointer,
                                                     Diagnostics& diagnostics)
{
    std::vector<EventTemplate> result;
    if (!events.is_array()) {
        diagnostics.push_back({Severity::Error, pointer,
                               "expected an array of events, found " +
                                   std::string(events.type_name()),
                               {}});
        return result;
    }
    for (std::size_t i = 0; i < events.size(); ++i) {
        const std::string at = pointer + "/" + std::to_string(i);
        if (!expectObject(events[i], at, diagnostics))
            continue;
        FieldReader e(events[i], at, diagnostics);
        EventTemplate ev;
        ev.weight = e.number("weight", 1.0);
        ev.source = e.text("source", false, "eventflow.producer");
        ev.detailType = e.text("detail-type", false, "Event");
        ev.detail = e.object("detail");
        ev.attributes = e.object("attributes");
        ev.sizeBytes = e.number("size_bytes", 1024.0);
        result.push_back(std::move(ev));
    }
    return result;
}

json DesignFile::eventsToJson(const std::vector<EventTemplate>& events)
{
    json result = json::array();
    for (const auto& e : events)
        result.push_back({{"weight", e.weight},
                          {"source", e.source},
                          {"detail-type", e.detailType},
                          {"detail", e.detail},
                          {"attributes", e.attributes},
                          {"size_bytes", e.sizeBytes}});
    return result;
}

LoadResult DesignFile::load(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        LoadResult result;
        result.unreadable = true;
        result.diagnostics.push_back(
            {Severity::Error, "", "cannot open " + path.string() + " for reading", {}});
        return result;
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return parse(buffer.str());
}

json DesignFile::toJson(const Design& design)
{
    json doc;
    doc["format"] = kFormat;
    doc["name"] = design.name;
    doc["description"] = design.description;
    if (!design.lesson.empty())
        doc["lesson"] = {{"outcome", design.lesson.outcome},
                         {"compare_with", design.lesson.compareWith}};
    doc["components"] = json::array();
    for (const auto& c : design.components) {
        json component = {{"id", c.id},
                          {"type", componentTypeName(c.type)},
                          {"label", c.label},
                          {"position", {{"x", c.position.x}, {"y", c.position.y}}},
                          {"props", c.props},
                          {"sim", c.sim}};
        if (!c.templateExtras.empty())
            component["template"] = c.templateExtras;
        doc["components"].push_back(std::move(component));
    }
    doc["connections"] = json::array();
    for (const auto& c : design.connections)
        doc["connections"].push_back({{"from", c.from},
                                      {"to", c.to},
                                      {"kind", connectionKindName(c.kind)},
                                      {"props", c.props},
                                      {"sim", c.sim}});
    doc["traffic"] = json::array();
    for (const auto& t : design.traffic) {
        const auto& p = t.profile;
        json profile = {{"kind", rateProfileKindName(p.kind)}, {"rate", p.rate}};
        switch (p.kind) {
        case RateProfile::Kind::Bursty:
            profile["on_s"] = p.onSeconds, profile["off_s"] = p.offSeconds;
            break;
        case RateProfile::Kind::Ramp:
            profile["to_rate"] = p.toRate, profile["start_s"] = p.startSeconds,
            profile["end_s"] = p.endSeconds;
            break;
        case RateProfile::Kind::Spike:
            profile["peak_rate"] = p.peakRate, profile["start_s"] = p.startSeconds,
            profile["end_s"] = p.endSeconds;
            break;
        case RateProfile::Kind::Diurnal:
            profile["amplitude"] = p.amplitude, profile["period_s"] = p.periodSeconds;
            break;
        default:
            break;
        }
        const json events = eventsToJson(t.events);
        doc["traffic"].push_back({{"producer", t.producer}, {"profile", profile}, {"events", events}});
    }
    doc["faults"] = json::array();
    for (const auto& f : design.faults)
        doc["faults"].push_back({{"component", f.component},
                                 {"kind", faultKindName(f.kind)},
                                 {"start_s", f.startSeconds},
                                 {"end_s", f.endSeconds},
                                 {"value", f.value}});
    const auto& s = design.simulation;
    doc["simulation"] = {{"duration_s", s.durationSeconds},
                         {"warmup_s", s.warmupSeconds},
                         {"seed", s.seed},
                         {"sample_interval_s", s.sampleIntervalSeconds},
                         {"account_concurrency", s.accountConcurrency},
                         {"max_events_per_sim_second", s.maxEventsPerSimSecond},
                         {"max_events_total", s.maxEventsTotal}};
    if (!design.templateExtras.empty())
        doc["template"] = design.templateExtras;
    return doc;
}

std::string DesignFile::serialize(const Design& design)
{
    return toJson(design).dump(2) + "\n";
}

std::optional<std::string> DesignFile::save(const Design& design, const std::filesystem::path& path)
{
    auto temporary = path;
    temporary += ".saving";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        if (!out)
            return "cannot write " + temporary.string();
        out << serialize(design);
        out.flush();
        if (!out) {
            out.close();
            std::error_code ignored;
            std::filesystem::remove(temporary, ignored); // never leave a partial file behind
            return "writing " + temporary.string() + " failed";
        }
    }
    std::error_code error;
    std::filesystem::rename(temporary, path, error);
    if (error) {
        std::filesystem::remove(temporary, error);
        return "cannot replace " + path.string() + ": " + error.message();
    }
    return std::nullopt;
}

} // namespace eventflow::model
