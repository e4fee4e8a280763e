#pragma once

#include "model/DesignFile.h"
#include "sim/Engine.h"

#include <QtTest>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace eventflow::test {

/// A design from its JSON document (the "format" is filled in); the test stops if it does not
/// load.
inline model::Design makeDesign(nlohmann::json document)
{
    document["format"] = "eventflow/1";
    if (!document.contains("name"))
        document["name"] = "test";
    auto loaded = model::DesignFile::fromJson(std::move(document));
    if (!loaded.design)
        qFatal("test design does not load: %s", loaded.diagnostics.front().message.c_str());
    return std::move(*loaded.design);
}

inline nlohmann::json component(std::string id, std::string type, nlohmann::json sim = {},
                                nlohmann::json props = {})
{
    nlohmann::json c = {{"id", std::move(id)}, {"type", std::move(type)}};
    if (!sim.is_null())
        c["sim"] = std::move(sim);
    if (!props.is_null())
        c["props"] = std::move(props);
    return c;
}

inline nlohmann::json connection(std::string from, std::string to, std::string kind,
                                 nlohmann::json sim = {}, nlohmann::json props = {})
{
    nlohmann::json c = {
        {"from", std::move(from)}, {"to", std::move(to)}, {"kind", std::move(kind)}};
    if (!sim.is_null())
        c["sim"] = std::move(sim);
    if (!props.is_null())
        c["props"] = std::move(props);
    return c;
}

inline nlohmann::json constantDistribution(double value)
{
    return {{"dist", "constant"}, {"value", value}};
}

inline nlohmann::json exponentialDistribution(double mean)
{
    return {{"dist", "exponential"}, {"mean", mean}};
}

/// Traffic of one producer "p": `profile` is the rate profile object.
inline nlohmann::json traffic(nlohmann::json profile)
{
    return nlohmann::json::array({{{"producer", "p"}, {"profile", std::move(profile)}}});
}

/// Poisson arrivals at `rate`/s from 0 to `untilSeconds` only (a spike over a zero base), so
/// that a longer run lets every request end.
inline nlohmann::json poissonUntil(double rate, double untilSeconds)
{
    return {{"kind", "spike"},
            {"rate", 0},
            {"peak_rate", rate},
            {"start_s", 0},
            {"end_s", untilSeconds}};
}

inline nlohmann::json simulation(double durationSeconds, double warmupSeconds = 0,
                                 std::uint64_t seed = 1)
{
    return {{"duration_s", durationSeconds},
            {"warmup_s", warmupSeconds},
            {"seed", seed},
            {"sample_interval_s", 1}};
}

/// The result of the component `id`; the test stops if there is none.
inline const sim::ComponentResult& result(const sim::SimulationResults& r, std::string_view id)
{
    for (const auto& c : r.components)
        if (c.id == id)
            return c;
    qFatal("no component %s in the results", std::string(id).c_str());
}

/// Runs `design` to its end; `drained` says whether every message and call was released.
struct Run {
    sim::SimulationResults results;
    bool drained = false;
};

inline Run runDesign(const model::Design& design)
{
    sim::Engine engine(design);
    engine.run();
    Run run{engine.results(), engine.liveMessages() == 0 && engine.openCalls() == 0};
    return run;
}

/// |measured − expected| ≤ tolerance × |expected|, with both figures in the failure message.
#define EF_VERIFY_NEAR(measured, expected, tolerance)                                              \
    do {                                                                                           \
        const double ef_m = double(measured);                                                      \
        const double ef_e = double(expected);                                                      \
        QVERIFY2(std::abs(ef_m - ef_e) <= (tolerance)*std::abs(ef_e),                              \
                 qPrintable(QString("%1 = %2, expected %3 ± %4%")                                  \
                                .arg(#measured)                                                    \
                                .arg(ef_m, 0, 'g', 8)                                              \
                                .arg(ef_e, 0, 'g', 8)                                              \
                                .arg(100.0 * (tolerance))));                                       \
    } while (false)

} // namespace eventflow::test
