#include "SummaryTable.h"

#include <cstdio>
#include <string>

namespace eventflow::cli {

namespace {

std::string grouped(std::uint64_t value)
{
    std::string digits = std::to_string(value);
    for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3)
        digits.insert(static_cast<std::size_t>(i), ",");
    return digits;
}

std::string fixed(double value, int decimals = 1)
{
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    return buffer;
}

std::string percent(std::uint64_t part, std::uint64_t whole)
{
    return whole ? fixed(100.0 * double(part) / double(whole)) + "%" : "-";
}

std::string pad(const std::string& text, std::size_t width, bool right = true)
{
    if (text.size() >= width)
        return text;
    return right ? std::string(width - text.size(), ' ') + text
                 : text + std::string(width - text.size(), ' ');
}

} // namespace

void writeSummaryTable(std::ostream& out, const sim::SimulationResults& r)
{
    const auto& s = r.summary;
    out << "Design: " << r.design << "\n";
    out << "Run: seed " << r.seed << ", simulated " << fixed(r.simulatedSeconds) << " s of "
        << fixed(r.durationSeconds) << " s (warm-up " << fixed(r.warmupSeconds) << " s), "
        << grouped(r.events) << " events, " << r.status << "\n";
    for (const auto& d : r.diagnostics)
        out << model::severityName(d.severity) << ": " << d.message << "\n";
    out << "\nRequests     " << pad(grouped(s.requests), 12) << "\n";
    auto line = [&](const char* name, std::uint64_t value) {
        out << "  " << pad(name, 13, false) << pad(grouped(value), 10) << "  "
            << pad(percent(value, s.requests), 7) << "\n";
    };
    line("completed", s.completed);
    line("failed", s.failed);
    line("throttled", s.throttled);
    line("timed out", s.timedOut);
    line("dead-lettered", s.deadLettered);
    line("expired", s.expired);
    line("in flight", s.inFlight);
    auto latency = [&](const char* title, const sim::LatencySummary& l) {
        out << title;
        if (l.count == 0) {
            out << "none\n";
            return;
        }
        out << "mean " << fixed(l.mean) << "  p50 " << fixed(l.p50) << "  p90 " << fixed(l.p90)
            << "  p95 " << fixed(l.p95) << "  p99 " << fixed(l.p99) << "  max " << fixed(l.max)
            << "\n";
    };
    latency("\nEnd-to-end latency, completed (ms): ", r.latency);
    latency("End-to-end latency, all ended (ms): ", r.latencyAll);

    out << "\n"
        << pad("component", 18, false) << pad("type", 14, false) << pad("received", 10)
        << pad("completed", 10) << pad("failed", 8) << pad("throttled", 10) << pad("timed out", 10)
        << pad("retried", 9) << pad("DLQ", 7) << pad("expired", 8) << pad("backlog max", 12)
        << pad("final", 8) << pad("conc max", 9) << pad("p50 ms", 9) << pad("p99 ms", 9) << "\n";
    for (const auto& c : r.components) {
        out << pad(c.id.substr(0, 17), 18, false) << pad(c.type, 14, false)
            << pad(grouped(c.received), 10) << pad(grouped(c.completed), 10)
            << pad(grouped(c.failed), 8) << pad(grouped(c.throttled), 10)
            << pad(grouped(c.timedOut), 10) << pad(grouped(c.retried), 9)
            << pad(grouped(c.deadLettered), 7) << pad(grouped(c.expired), 8)
            << pad(fixed(c.backlog.max, 0), 12) << pad(fixed(c.backlog.final, 0), 8)
            << pad(fixed(c.concurrency.max, 0), 9) << pad(fixed(c.latency.p50), 9)
            << pad(fixed(c.latency.p99), 9) << "\n";
    }
}

void writeReplicationTable(std::ostream& out, const nlohmann::json& replications)
{
    out << "\nReplications: " << replications["replications"].get<std::size_t>()
        << " (mean ± 95% confidence interval)\n";
    for (const auto& [name, value] : replications["summary"].items()) {
        if (name == "latency_ms") {
            for (const auto& [q, v] : value.items())
                out << "  " << pad("latency " + q + " ms", 20, false)
                    << pad(fixed(v["mean"].get<double>(), 2), 14) << " ± "
                    << fixed(v["ci95"].get<double>(), 2) << "\n";
            continue;
        }
        out << "  " << pad(name, 20, false) << pad(fixed(value["mean"].get<double>(), 2), 14)
            << " ± " << fixed(value["ci95"].get<double>(), 2) << "\n";
    }
}

void writeComparisonTable(std::ostream& out, const sim::Comparison& comparison)
{
    const auto& a = comparison.resultsA();
    const auto& b = comparison.resultsB();
    auto value = [](double v, const std::string& unit) {
        std::ostringstream text;
        text << std::fixed << std::setprecision(unit == "%" || unit == "ms" || unit == "USD" ? 1 : 0)
             << v;
        return text.str();
    };
    out << "Comparison, seed " << a.seed << ", " << a.durationSeconds << " s simulated\n";
    out << "  A: " << a.design << "\n  B: " << b.design << "\n\n";
    out << std::left << std::setw(34) << "" << std::right << std::setw(16) << "A" << std::setw(16)
        << "B" << "\n";
    for (const auto& row : comparison.rows()) {
        const std::string label = row.metric + (row.unit.empty() ? "" : " (" + row.unit + ")");
        const std::string markA = row.better == sim::Comparison::Better::A ? " *" : "  ";
        const std::string markB = row.better == sim::Comparison::Better::B ? " *" : "  ";
        out << std::left << std::setw(34) << label << std::right << std::setw(14)
            << value(row.a, row.unit) << markA << std::setw(14) << value(row.b, row.unit) << markB
            << "\n";
    }
    out << "  * the better value\n\nEstimated monthly cost (" << sim::CostEstimate::kPricesAsOf
        << ", traffic as simulated, scaled to 30 days; no free tier):\n";
    for (const auto* side : {&comparison.costA(), &comparison.costB()}) {
        out << (side == &comparison.costA() ? "  A" : "  B") << ": $" << std::fixed
            << std::setprecision(2) << side->monthlyUsd << "\n";
        for (const auto& line : side->lines)
            out << "      " << std::left << std::setw(22) << line.component << std::setw(16)
                << line.service << std::setw(20) << line.item << std::right << std::setw(12)
                << std::setprecision(2) << line.monthlyUsd << "\n";
    }
}

} // namespace eventflow::cli
