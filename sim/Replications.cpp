#include "Replications.h"

#include "Engine.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <thread>

namespace eventflow::sim {

double Replications::tQuantile95(int degrees)
{
    static constexpr double table[] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306,
                                       2.262,  2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120,
                                       2.110,  2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
                                       2.060,  2.056, 2.052, 2.048, 2.045, 2.042};
    if (degrees < 1)
        return 0.0;
    if (degrees <= 30)
        return table[degrees - 1];
    return 1.960 + 2.4 / degrees; // close to the exact values beyond 30
}

Replications Replications::run(const model::Design& design, int count, unsigned threads,
                               const std::function<void(int)>& progress)
{
    Replications result;
    result.m_runs.resize(static_cast<std::size_t>(std::max(count, 0)));
    std::atomic<int> next{0};
    std::atomic<int> finished{0};
    std::mutex progressLock;
    auto worker = [&] {
        for (int i = next++; i < count; i = next++) {
            model::Design copy = design;
            copy.simulation.seed = design.simulation.seed + static_cast<std::uint64_t>(i);
            Engine engine(copy);
            engine.run();
            result.m_runs[static_cast<std::size_t>(i)] = engine.results();
            const int done = ++finished;
            if (progress) {
                std::lock_guard lock(progressLock);
                progress(done);
            }
        }
    };
    threads = std::max(1u, std::min(threads, static_cast<unsigned>(std::max(count, 1))));
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t)
        pool.emplace_back(worker);
    worker();
    for (auto& t : pool)
        t.join();
    return result;
}

nlohmann::json Replications::toJson() const
{
    const auto n = m_runs.size();
    auto stat = [&](auto&& get) {
        double sum = 0, lo = INFINITY, hi = -INFINITY;
        for (const auto& r : m_runs) {
            const double v = get(r);
            sum += v;
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
        const double mean = n ? sum / double(n) : 0.0;
        double ss = 0;
        for (const auto& r : m_runs)
            ss += (get(r) - mean) * (get(r) - mean);
        const double sd = n > 1 ? std::sqrt(ss / double(n - 1)) : 0.0;
        const double half = n > 1 ? tQuantile95(int(n) - 1) * sd / std::sqrt(double(n)) : 0.0;
        return nlohmann::json{{"mean", mean}, {"ci95", half}, {"min", n ? lo : 0.0},
                              {"max", n ? hi : 0.0}};
    };
    nlohmann::json summary;
    summary["requests"] = stat([](const SimulationResults& r) { return double(r.summary.requests); });
    summary["completed"] = stat([](const SimulationResults& r) { return double(r.summary.completed); });
    summary["failed"] = stat([](const SimulationResults& r) { return double(r.summary.failed); });
    summary["throttled"] = stat([](const SimulationResults& r) { return double(r.summary.throttled); });
    summary["timed_out"] = stat([](const SimulationResults& r) { return double(r.summary.timedOut); });
    summary["dead_lettered"] =
        stat([](const SimulationResults& r) { return double(r.summary.deadLettered); });
    summary["expired"] = stat([](const SimulationResults& r) { return double(r.summary.expired); });
    summary["success_rate"] = stat([](const SimulationResults& r) {
        return r.summary.requests ? double(r.summary.completed) / double(r.summary.requests) : 0.0;
    });
    for (const char* q : {"mean", "p50", "p90", "p95", "p99", "max"}) {
        const std::string key = q;
        summary["latency_ms"][key] = stat([&](const SimulationResults& r) {
            const auto& l = r.latency;
            return key == "mean"  ? l.mean
                   : key == "p50" ? l.p50
                   : key == "p90" ? l.p90
                   : key == "p95" ? l.p95
                   : key == "p99" ? l.p99
                                  : l.max;
        });
    }
    nlohmann::json seeds = nlohmann::json::array();
    for (const auto& r : m_runs)
        seeds.push_back(r.seed);
    return {{"replications", n}, {"seeds", seeds}, {"summary", summary}};
}

} // namespace eventflow::sim
