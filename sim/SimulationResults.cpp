#include "SimulationResults.h"

#include <fstream>

namespace eventflow::sim {

LatencySummary LatencySummary::of(const LatencyHistogram& h)
{
    LatencySummary s;
    s.count = h.count();
    if (s.count == 0)
        return s;
    s.mean = h.meanMicros() / 1000.0;
    s.p50 = h.quantileMicros(0.50) / 1000.0;
    s.p90 = h.quantileMicros(0.90) / 1000.0;
    s.p95 = h.quantileMicros(0.95) / 1000.0;
    s.p99 = h.quantileMicros(0.99) / 1000.0;
    s.max = static_cast<double>(h.maxMicros()) / 1000.0;
    return s;
}

const std::vector<std::string>& TimeSeries::metricNames()
{
    static const std::vector<std::string> names = {
        "backlog",        "in_flight",        "concurrency",     "received_per_s",
        "throughput_per_s", "errors_per_s",   "throttles_per_s", "retries_per_s",
        "dead_lettered",  "oldest_age_s",
    };
    return names;
}

nlohmann::json toJson(const LatencySummary& l)
{
    return {{"count", l.count}, {"mean", l.mean}, {"p50", l.p50}, {"p90", l.p90},
            {"p95", l.p95},     {"p99", l.p99},   {"max", l.max}};
}

namespace {
nlohmann::json gauge(const GaugeSummary& g)
{
    return {{"max", g.max}, {"final", g.final}, {"mean", g.mean}};
}
} // namespace

nlohmann::json SimulationResults::toJson() const
{
    nlohmann::json doc;
    doc["format"] = "eventflow-results/1";
    doc["design"] = design;
    doc["run"] = {{"seed", seed},
                  {"duration_s", durationSeconds},
                  {"warmup_s", warmupSeconds},
                  {"simulated_s", simulatedSeconds},
                  {"events", events},
                  {"status", status}};
    doc["diagnostics"] = nlohmann::json::array();
    for (const auto& d : diagnostics)
        doc["diagnostics"].push_back({{"severity", model::severityName(d.severity)},
                                      {"pointer", d.pointer},
                                      {"message", d.message},
                                      {"fix", d.fix}});
    const auto& s = summary;
    doc["summary"] = {{"requests", s.requests},
                      {"completed", s.completed},
                      {"failed", s.failed},
                      {"throttled", s.throttled},
                      {"timed_out", s.timedOut},
                      {"dead_lettered", s.deadLettered},
                      {"expired", s.expired},
                      {"in_flight", s.inFlight},
                      {"success_rate", s.requests ? double(s.completed) / double(s.requests) : 0.0},
                      {"latency_ms", sim::toJson(latency)},
                      {"latency_all_ms", sim::toJson(latencyAll)}};
    doc["components"] = nlohmann::json::object();
    for (const auto& c : components)
        doc["components"][c.id] = {{"type", c.type},
                                   {"received", c.received},
                                   {"completed", c.completed},
                                   {"failed", c.failed},
                                   {"throttled", c.throttled},
                                   {"timed_out", c.timedOut},
                                   {"retried", c.retried},
                                   {"dead_lettered", c.deadLettered},
                                   {"expired", c.expired},
                                   {"cold_starts", c.coldStarts},
                                   {"unmatched", c.unmatched},
                                   {"backlog", gauge(c.backlog)},
                                   {"in_flight", gauge(c.inFlight)},
                                   {"concurrency_max", c.concurrency.max},
                                   {"concurrency", gauge(c.concurrency)},
                                   {"oldest_age_s_max", c.oldestAgeMaxSeconds},
                                   {"latency_ms", sim::toJson(c.latency)}};
    nlohmann::json series = nlohmann::json::object();
    for (const auto& [id, metrics] : timeseries.components)
        series[id] = metrics;
    doc["timeseries"] = {{"interval_s", timeseries.intervalSeconds},
                         {"t", timeseries.t},
                         {"end_to_end", timeseries.endToEnd},
                         {"components", series}};
    return doc;
}

std::optional<std::string> SimulationResults::writeCsv(const std::filesystem::path& directory) const
{
    std::error_code error;
    std::filesystem::create_directories(directory, error);
    if (error)
        return "cannot create " + directory.string() + ": " + error.message();
    for (const auto& [id, metrics] : timeseries.components) {
        std::ofstream out(directory / (id + ".csv"));
        if (!out)
            return "cannot write " + (directory / (id + ".csv")).string();
        out << "t";
        for (const auto& name : TimeSeries::metricNames())
            out << ',' << name;
        out << '\n';
        for (std::size_t row = 0; row < timeseries.t.size(); ++row) {
            out << timeseries.t[row];
            for (const auto& name : TimeSeries::metricNames()) {
                const auto& values = metrics.at(name);
                out << ',' << (row < values.size() ? values[row] : 0.0);
            }
            out << '\n';
        }
    }
    std::ofstream out(directory / "summary.csv");
    if (!out)
        return "cannot write " + (directory / "summary.csv").string();
    out << "component,type,received,completed,failed,throttled,timed_out,retried,dead_lettered,"
           "expired,backlog_max,backlog_final,backlog_mean,concurrency_max,oldest_age_s_max,"
           "latency_p50_ms,latency_p99_ms\n";
    for (const auto& c : components)
        out << c.id << ',' << c.type << ',' << c.received << ',' << c.completed << ',' << c.failed
            << ',' << c.throttled << ',' << c.timedOut << ',' << c.retried << ','
            << c.deadLettered << ',' << c.expired << ',' << c.backlog.max << ','
            << c.backlog.final << ',' << c.backlog.mean << ',' << c.concurrency.max << ','
            << c.oldestAgeMaxSeconds << ',' << c.latency.p50 << ',' << c.latency.p99 << '\n';
    return std::nullopt;
}

} // namespace eventflow::sim
