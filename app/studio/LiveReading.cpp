#include "LiveReading.h"

#include <QLocale>

#include <cmath>
#include <map>

namespace eventflow::studio {

namespace {

QString count(double value)
{
    return QLocale::system().toString(std::llround(value));
}

/// The metric's last sample and the one before it (0 when the series is shorter).
std::pair<double, double> lastTwo(const std::map<std::string, std::vector<double>>& series,
                                  const std::string& metric)
{
    const auto it = series.find(metric);
    if (it == series.end() || it->second.empty())
        return {0.0, 0.0};
    const auto& v = it->second;
    return {v.back(), v.size() > 1 ? v[v.size() - 2] : 0.0};
}

} // namespace

LiveReading LiveReading::of(const model::Design& design, const sim::SimulationResults& results)
{
    LiveReading reading;
    reading.components.resize(design.components.size());
    reading.connections.resize(design.connections.size());
    std::map<std::string, const sim::ComponentResult*> totals;
    for (const auto& c : results.components)
        totals[c.id] = &c;
    std::map<std::string, double> receivedPerSecond;
    std::map<std::string, double> errorShare;
    std::map<std::string, int> incoming;
    for (const auto& connection : design.connections)
        ++incoming[connection.to];

    for (std::size_t i = 0; i < design.components.size(); ++i) {
        const auto& component = design.components[i];
        auto& state = reading.components[i];
        const auto seriesIt = results.timeseries.components.find(component.id);
        const auto totalIt = totals.find(component.id);
        if (seriesIt == results.timeseries.components.end() || totalIt == totals.end())
            continue;
        const auto& series = seriesIt->second;
        const auto& total = *totalIt->second;
        const auto [backlog, backlogBefore] = lastTwo(series, "backlog");
        const double received = lastTwo(series, "received_per_s").first;
        const double errors = lastTwo(series, "errors_per_s").first;
        const double throttles = lastTwo(series, "throttles_per_s").first;
        const double inFlight = lastTwo(series, "in_flight").first;
        const double throughput = lastTwo(series, "throughput_per_s").first;
        const double share = received > 0 ? errors / received : (errors > 0 ? 1.0 : 0.0);
        receivedPerSecond[component.id] = received;
        errorShare[component.id] = share;

        using Load = ComponentItem::LiveState::Load;
        if (share > kFailingShare)
            state.load = Load::Failing;
        else if (throttles > 0 || backlog > backlogBefore + 0.5 ||
                 inFlight > kSlowSeconds * std::max(throughput, 1e-9))
            state.load = Load::Busy; // throttling, falling behind, or slow (Little's law)
        if (backlog >= 1)
            state.badges << QObject::tr("backlog %1").arg(count(backlog));
        if (inFlight >= 1)
            state.badges << QObject::tr("in flight %1").arg(count(inFlight));
        if (total.timedOut > 0)
            state.badges << QObject::tr("timed out %1").arg(count(double(total.timedOut)));
        if (total.failed > 0)
            state.badges << QObject::tr("failed %1").arg(count(double(total.failed)));
        if (total.throttled > 0)
            state.badges << QObject::tr("throttled %1").arg(count(double(total.throttled)));
        if (total.deadLettered > 0)
            state.badges << QObject::tr("DLQ %1").arg(count(double(total.deadLettered)));
        state.figures = {results.simulatedSeconds,
                         received,
                         throughput,
                         errors,
                         throttles,
                         backlog,
                         inFlight,
                         double(total.received),
                         double(total.completed),
                         double(total.failed),
                         double(total.timedOut),
                         double(total.throttled),
                         double(total.deadLettered)};
    }
    // A link carries its share of what its target receives; its colour is the target's trouble.
    for (std::size_t c = 0; c < design.connections.size(); ++c) {
        const auto& connection = design.connections[c];
        const int links = std::max(1, incoming[connection.to]);
        reading.connections[c] = {receivedPerSecond[connection.to] / links,
                                  errorShare[connection.to]};
    }
    return reading;
}

} // namespace eventflow::studio
