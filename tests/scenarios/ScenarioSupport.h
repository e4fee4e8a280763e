#pragma once

// Loads a workshop scenario from examples/, checks it is valid, simulates it in-process with
// the engine the app and the command line use, and reads figures out of the results.

#include "model/DesignFile.h"
#include "model/Validator.h"
#include "sim/Engine.h"

#include <QtTest>
#include <string>

namespace eventflow::test {

inline std::string examplePath(const std::string& stem)
{
    return std::string(EVENTFLOW_SOURCE_DIR "/examples/") + stem + ".eventflow.json";
}

/// The scenario's design; the test stops if it does not load or has errors.
inline model::Design loadExample(const std::string& stem)
{
    auto loaded = model::DesignFile::load(examplePath(stem));
    if (!loaded.design)
        qFatal("%s does not load: %s", stem.c_str(),
               loaded.diagnostics.empty() ? "?" : loaded.diagnostics.front().message.c_str());
    for (const auto& problem : model::Validator::validate(*loaded.design))
        if (problem.severity == model::Severity::Error)
            qFatal("%s: %s: %s", stem.c_str(), problem.pointer.c_str(), problem.message.c_str());
    return std::move(*loaded.design);
}

/// Runs a design to its end; the test stops if the run does not finish.
inline sim::SimulationResults simulate(const model::Design& design)
{
    sim::Engine engine(design);
    if (engine.run() != sim::RunStatus::Finished)
        qFatal("%s did not finish: %s", design.name.c_str(),
               engine.diagnostics().empty() ? "?" : engine.diagnostics().front().message.c_str());
    return engine.results();
}

inline sim::SimulationResults simulateExample(const std::string& stem)
{
    return simulate(loadExample(stem));
}

/// One component's totals; the test stops if the id is unknown.
inline const sim::ComponentResult& componentResult(const sim::SimulationResults& results,
                                                   const std::string& id)
{
    for (const auto& component : results.components)
        if (component.id == id)
            return component;
    qFatal("no component %s in the results", id.c_str());
}

/// Mean of a component's per-interval metric (TimeSeries::metricNames(), e.g. "received_per_s",
/// "backlog") over samples with from < t <= to.
inline double meanOver(const sim::SimulationResults& results, const std::string& id,
                       const std::string& metric, double from, double to)
{
    const auto& series = results.timeseries.components.at(id).at(metric);
    double sum = 0;
    int n = 0;
    for (std::size_t i = 0; i < results.timeseries.t.size(); ++i)
        if (results.timeseries.t[i] > from && results.timeseries.t[i] <= to) {
            sum += series[i];
            ++n;
        }
    if (n == 0)
        qFatal("no samples of %s/%s in (%g, %g]", id.c_str(), metric.c_str(), from, to);
    return sum / n;
}

/// Largest value of a component's per-interval metric over samples with from < t <= to.
inline double maxOver(const sim::SimulationResults& results, const std::string& id,
                      const std::string& metric, double from, double to)
{
    const auto& series = results.timeseries.components.at(id).at(metric);
    double best = 0;
    for (std::size_t i = 0; i < results.timeseries.t.size(); ++i)
        if (results.timeseries.t[i] > from && results.timeseries.t[i] <= to)
            best = std::max(best, series[i]);
    return best;
}

/// The value of a component's per-interval metric at the last sample with t <= at.
inline double valueAt(const sim::SimulationResults& results, const std::string& id,
                      const std::string& metric, double at)
{
    const auto& series = results.timeseries.components.at(id).at(metric);
    double value = 0;
    for (std::size_t i = 0; i < results.timeseries.t.size() && results.timeseries.t[i] <= at; ++i)
        value = series[i];
    return value;
}

} // namespace eventflow::test
