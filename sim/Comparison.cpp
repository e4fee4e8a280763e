#include "Comparison.h"

#include "Engine.h"

#include <algorithm>
#include <cmath>
#include <thread>

namespace eventflow::sim {

namespace {

double maxBacklog(const SimulationResults& results)
{
    double sum = 0;
    for (const auto& c : results.components)
        if (c.type == "queue" || c.type == "stream")
            sum += c.backlog.max;
    return sum;
}

Comparison::Row row(std::string metric, std::string unit, double a, double b, bool higherIsBetter)
{
    Comparison::Row r{std::move(metric), std::move(unit), a, b, higherIsBetter,
                      Comparison::Better::Neither};
    // Equal within a hair (or both zero) is a tie, not a win.
    const double scale = std::max({std::abs(a), std::abs(b), 1e-12});
    if (std::abs(a - b) / scale > 1e-9)
        r.better = ((a > b) == higherIsBetter) ? Comparison::Better::A : Comparison::Better::B;
    return r;
}

/// What the clients wait for: the slowest producer's time to an answer (a producer's latency is
/// how long its requests wait for the first hop to answer). Asynchronous work after that answer
/// is not in it, unlike the end-to-end figures.
LatencySummary clientResponse(const SimulationResults& results)
{
    LatencySummary worst;
    for (const auto& c : results.components)
        if (c.type == "producer" && c.latency.p99 >= worst.p99)
            worst = c.latency;
    return worst;
}

SimulationResults runToEnd(const model::Design& design)
{
    Engine engine(design);
    engine.run();
    return engine.results();
}

} // namespace

Comparison Comparison::run(const model::Design& a, const model::Design& b,
                           std::optional<std::uint64_t> seed, std::optional<double> duration)
{
    model::Design first = a;
    model::Design second = b;
    // One clock for both: seed, duration, warm-up and sample interval (A's unless given), so
    // the figures cover the same stretch of time.
    for (model::Design* d : {&first, &second}) {
        d->simulation.seed = seed.value_or(a.simulation.seed);
        d->simulation.durationSeconds = duration.value_or(a.simulation.durationSeconds);
        d->simulation.warmupSeconds =
            std::min(a.simulation.warmupSeconds, d->simulation.durationSeconds / 2);
        d->simulation.sampleIntervalSeconds = a.simulation.sampleIntervalSeconds;
    }
    // The two runs are independent: one thread each.
    SimulationResults resultsB;
    std::thread other([&] { resultsB = runToEnd(second); });
    SimulationResults resultsA = runToEnd(first);
    other.join();
    return of(first, resultsA, second, resultsB);
}

// Rows in the order of()'s table, for the rules that look at particular rows.
constexpr std::size_t kClientP50 = 4;
constexpr std::size_t kClientP99 = 5;
constexpr std::size_t kLatencyP50 = 6;
constexpr std::size_t kLatencyP99 = 7;

Comparison Comparison::of(const model::Design& a, const SimulationResults& resultsA,
                          const model::Design& b, const SimulationResults& resultsB)
{
    Comparison c;
    c.m_resultsA = resultsA;
    c.m_resultsB = resultsB;
    c.m_costA = CostEstimate::of(a, resultsA);
    c.m_costB = CostEstimate::of(b, resultsB);
    const auto& sa = resultsA.summary;
    const auto& sb = resultsB.summary;
    auto share = [](std::uint64_t part, std::uint64_t whole) {
        return whole ? 100.0 * double(part) / double(whole) : 0.0;
    };
    c.m_rows = {
        row("success rate", "%", share(sa.completed, sa.requests - sa.inFlight),
            share(sb.completed, sb.requests - sb.inFlight), true),
        row("requests completed", "", double(sa.completed), double(sb.completed), true),
        row("timed out (e.g. 504)", "", double(sa.timedOut), double(sb.timedOut), false),
        row("failed", "", double(sa.failed), double(sb.failed), false),
        row("client response time p50", "ms", clientResponse(resultsA).p50,
            clientResponse(resultsB).p50, false),
        row("client response time p99", "ms", clientResponse(resultsA).p99,
            clientResponse(resultsB).p99, false),
        row("p50 latency, completed", "ms", resultsA.latency.p50, resultsB.latency.p50, false),
        row("p99 latency, completed", "ms", resultsA.latency.p99, resultsB.latency.p99, false),
        row("max backlog", "messages", maxBacklog(resultsA), maxBacklog(resultsB), false),
        row("throttled", "", double(sa.throttled), double(sb.throttled), false),
        row("dead-lettered", "", double(sa.deadLettered), double(sb.deadLettered), false),
        row("estimated monthly cost", "USD", c.m_costA.monthlyUsd, c.m_costB.monthlyUsd, false),
    };
    // A latency needs something measured on both sides: no completed request (end to end) or
    // no answer (client response) leaves nothing to compare.
    const bool bothCompleted = sa.completed > 0 && sb.completed > 0;
    const bool bothAnswered = clientResponse(resultsA).count > 0 && clientResponse(resultsB).count > 0;
    for (std::size_t i : {kClientP50, kClientP99})
        if (!bothAnswered)
            c.m_rows[i].better = Better::Neither;
    for (std::size_t i : {kLatencyP50, kLatencyP99})
        if (!bothCompleted)
            c.m_rows[i].better = Better::Neither;
    return c;
}

nlohmann::json Comparison::toJson() const
{
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& r : m_rows)
        rows.push_back({{"metric", r.metric},
                        {"unit", r.unit},
                        {"a", r.a},
                        {"b", r.b},
                        {"better", r.better == Better::A   ? "a"
                                   : r.better == Better::B ? "b"
                                                           : "neither"}});
    auto cost = [](const CostEstimate& e) {
        nlohmann::json lines = nlohmann::json::array();
        for (const auto& l : e.lines)
            lines.push_back({{"component", l.component},
                             {"service", l.service},
                             {"item", l.item},
                             {"monthly_quantity", l.monthlyQuantity},
                             {"unit_price_usd", l.unitPrice},
                             {"per", l.per},
                             {"monthly_usd", l.monthlyUsd}});
        return nlohmann::json{{"monthly_usd", e.monthlyUsd},
                              {"prices_as_of", CostEstimate::kPricesAsOf},
                              {"lines", lines}};
    };
    return {{"a", {{"design", m_resultsA.design}, {"results", m_resultsA.toJson()},
                   {"cost", cost(m_costA)}}},
            {"b", {{"design", m_resultsB.design}, {"results", m_resultsB.toJson()},
                   {"cost", cost(m_costB)}}},
            {"rows", rows}};
}

} // namespace eventflow::sim
