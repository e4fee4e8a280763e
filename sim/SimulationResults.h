#pragma once

#include "LatencyHistogram.h"
#include "model/Diagnostic.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace eventflow::sim {

struct LatencySummary {
    std::uint64_t count = 0;
    double mean = 0, p50 = 0, p90 = 0, p95 = 0, p99 = 0, max = 0; ///< milliseconds

    static LatencySummary of(const LatencyHistogram& histogram);
};

struct GaugeSummary {
    double max = 0, final = 0, mean = 0;
};

/// Requests that ended after warm-up, by fate. `inFlight` were still travelling at the end.
struct SummaryCounters {
    std::uint64_t requests = 0;
    std::uint64_t completed = 0;
    std::uint64_t failed = 0;
    std::uint64_t throttled = 0;
    std::uint64_t timedOut = 0;
    std::uint64_t deadLettered = 0;
    std::uint64_t expired = 0;
    std::uint64_t inFlight = 0;
};

struct ComponentResult {
    std::string id;
    std::string type;
    std::uint64_t received = 0, completed = 0, failed = 0, throttled = 0, timedOut = 0,
                  retried = 0, deadLettered = 0, expired = 0, coldStarts = 0, unmatched = 0;
    GaugeSummary backlog, inFlight, concurrency;
    double oldestAgeMaxSeconds = 0;
    LatencySummary latency;
};

/// Per-interval samples: `t` holds sample times (seconds); each component has one vector per
/// metric, the same length as `t`. Rates are per second over the interval just ended.
struct TimeSeries {
    double intervalSeconds = 1.0;
    std::vector<double> t;
    static const std::vector<std::string>& metricNames();
    std::map<std::string, std::map<std::string, std::vector<double>>> components;
    std::map<std::string, std::vector<double>> endToEnd; ///< p50_ms, p95_ms, p99_ms, completed_per_s
};

/// Everything a run produced: the document `eventflow simulate --json` writes.
struct SimulationResults {
    std::string design;
    std::uint64_t seed = 0;
    double durationSeconds = 0;
    double warmupSeconds = 0;
    double simulatedSeconds = 0;
    std::uint64_t events = 0;
    std::string status; ///< finished, cancelled, runaway, running
    model::Diagnostics diagnostics;
    SummaryCounters summary;
    LatencySummary latency;        ///< end to end, completed requests
    LatencySummary latencyAll;     ///< end to end, every request that ended
    std::vector<ComponentResult> components;
    TimeSeries timeseries;

    nlohmann::json toJson() const;
    /// One CSV per component (`<id>.csv`: t plus one column per metric) and `summary.csv`.
    std::optional<std::string> writeCsv(const std::filesystem::path& directory) const;
};

nlohmann::json toJson(const LatencySummary& latency);

} // namespace eventflow::sim
