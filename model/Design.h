#pragma once

#include "ComponentType.h"
#include "ConnectionKind.h"
#include "Distribution.h"
#include "ParameterSpec.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace eventflow::model {

struct Point {
    double x = 0.0;
    double y = 0.0;
};

/// One box on the canvas. `props` holds AWS properties under their CloudFormation names,
/// `sim` the simulation-only behaviour; both are kept as written so nothing the user typed is
/// lost, and read through `parameter()`, which falls back to the catalogue default.
struct Component {
    std::string id;
    ComponentType type = ComponentType::Service;
    std::string label;
    Point position;
    nlohmann::json props = nlohmann::json::object();
    nlohmann::json sim = nlohmann::json::object();
    /// Template content the designer does not model, kept so an imported template is written back
    /// as it was: "LogicalId", and resource attributes ("Condition", "DependsOn", "Metadata",
    /// "DeletionPolicy", "UpdateReplacePolicy"). Empty for components drawn in the designer.
    nlohmann::json templateExtras = nlohmann::json::object();

    /// The value at `key` (a dotted path) in the scope's object, else the catalogue default
    /// (null when the parameter is optional and unset).
    nlohmann::json parameter(ParameterScope scope, std::string_view key) const;
    double number(ParameterScope scope, std::string_view key) const;
    std::string text(ParameterScope scope, std::string_view key) const;
    bool flag(ParameterScope scope, std::string_view key) const;
    Distribution distribution(std::string_view simKey) const;
};

/// The Source and DetailType a send to an event bus gives its PutEvents entry, in place of the
/// event's own (props.Source, props.DetailType); each is empty where the connection does not set
/// a non-empty string. PutEvents needs both, so only a complete() entry re-stamps an event (the
/// validator refuses a send that sets one without the other).
struct PutEventsEntry {
    std::string source;
    std::string detailType;

    bool complete() const { return !source.empty() && !detailType.empty(); }
    bool any() const { return !source.empty() || !detailType.empty(); }
};

struct Connection {
    std::string from;
    std::string to;
    ConnectionKind kind = ConnectionKind::Invoke;
    nlohmann::json props = nlohmann::json::object();
    nlohmann::json sim = nlohmann::json::object();

    nlohmann::json parameter(ParameterScope scope, std::string_view key) const;
    double number(ParameterScope scope, std::string_view key) const;
    bool flag(ParameterScope scope, std::string_view key) const;
    /// What the connection sets of a PutEvents entry (meaningful for sends to an event bus).
    PutEventsEntry putEventsEntry() const;
};

/// How often a producer emits events over time.
struct RateProfile {
    enum class Kind { Constant, Poisson, Bursty, Ramp, Spike, Diurnal };
    Kind kind = Kind::Poisson;
    double rate = 1.0;          ///< events/s: the base rate (Bursty: the rate while on)
    double onSeconds = 10.0;    ///< Bursty
    double offSeconds = 10.0;   ///< Bursty
    double toRate = 1.0;        ///< Ramp: rate reached at endSeconds
    double peakRate = 10.0;     ///< Spike: rate during the spike
    double startSeconds = 0.0;  ///< Ramp and Spike
    double endSeconds = 60.0;   ///< Ramp and Spike
    double amplitude = 0.5;     ///< Diurnal: relative swing around the base rate, 0..1
    double periodSeconds = 86400.0; ///< Diurnal

    /// Events per second at time t (seconds since the start).
    double rateAt(double t) const;
    /// The highest rate the profile ever reaches (bounds arrival thinning).
    double maximumRate() const;
};

/// One kind of event a producer emits. `detail` and `attributes` values are literals, or
/// {"dist": ...} for a random number, or {"oneOf": [...]} for a value picked at random.
struct EventTemplate {
    double weight = 1.0;
    std::string source;
    std::string detailType;
    nlohmann::json detail = nlohmann::json::object();
    nlohmann::json attributes = nlohmann::json::object();
    double sizeBytes = 1024.0;
};

struct TrafficSpec {
    std::string producer;
    RateProfile profile;
    std::vector<EventTemplate> events;
};

/// A timed injection: from `startSeconds` to `endSeconds` the component misbehaves.
struct Fault {
    enum class Kind { Outage, Latency, ErrorRate, Throttle };
    std::string component;
    Kind kind = Kind::Outage;
    double startSeconds = 0.0;
    double endSeconds = 0.0;
    double value = 0.0; ///< Latency: multiplier; ErrorRate: share 0..1; Throttle: limit/s
};

struct SimulationSettings {
    double durationSeconds = 60.0;
    double warmupSeconds = 0.0;
    std::uint64_t seed = 1;
    double sampleIntervalSeconds = 1.0;
    double accountConcurrency = 1000.0;     ///< Lambda concurrent executions per Region
    double maxEventsPerSimSecond = 2.0e7;   ///< runaway guard
    double maxEventsTotal = 5.0e9;          ///< runaway guard
};

/// What a workshop scenario (examples/) teaches, beyond its name (the title) and description (the
/// story): shown in the scenario gallery. Empty for ordinary designs.
struct Lesson {
    std::string outcome;     ///< what a run shows, checked by the scenario's test
    std::string compareWith; ///< file name stem of the scenario to compare with, or empty
    bool empty() const { return outcome.empty() && compareWith.empty(); }
};

/// A whole design: the document the designer edits, the engine runs and the exporter writes.
struct Design {
    std::string name;
    std::string description;
    Lesson lesson;
    std::vector<Component> components;
    std::vector<Connection> connections;
    std::vector<TrafficSpec> traffic;
    std::vector<Fault> faults;
    SimulationSettings simulation;
    /// Template sections and resources the designer does not model, kept verbatim for export:
    /// "AWSTemplateFormatVersion", "Transform", "Description", "Parameters", "Mappings",
    /// "Conditions", "Metadata", "Outputs", "Globals", and "Resources" (the unmodelled ones).
    nlohmann::json templateExtras = nlohmann::json::object();

    const Component* findComponent(std::string_view id) const;
    /// Index into `components`, or -1.
    int indexOf(std::string_view id) const;
};

std::string_view faultKindName(Fault::Kind kind);
std::optional<Fault::Kind> faultKindFromName(std::string_view name);
std::string_view rateProfileKindName(RateProfile::Kind kind);
std::optional<RateProfile::Kind> rateProfileKindFromName(std::string_view name);

/// Reads a dotted path ("RedrivePolicy.maxReceiveCount") inside a JSON object; null if absent.
const nlohmann::json* findPath(const nlohmann::json& object, std::string_view dottedPath);

} // namespace eventflow::model
