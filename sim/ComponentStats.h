#pragma once

#include "LatencyHistogram.h"
#include "SimTime.h"

#include <algorithm>
#include <cstdint>

namespace eventflow::sim {

/// A level that changes over time (backlog, in flight, concurrency): tracks its current value,
/// maximum and time-weighted mean since the last reset.
class TimeWeightedGauge {
public:
    void set(SimTime now, double value)
    {
        m_area += m_value * static_cast<double>(now - m_since);
        m_since = now;
        m_value = value;
        m_max = std::max(m_max, value);
    }
    void add(SimTime now, double delta) { set(now, m_value + delta); }
    void reset(SimTime now)
    {
        m_area = 0.0;
        m_since = now;
        m_start = now;
        m_max = m_value;
    }
    double value() const { return m_value; }
    double max() const { return m_max; }
    double mean(SimTime now) const
    {
        const double span = static_cast<double>(now - m_start);
        if (span <= 0.0)
            return m_value;
        return (m_area + m_value * static_cast<double>(now - m_since)) / span;
    }

private:
    double m_value = 0.0;
    double m_max = 0.0;
    double m_area = 0.0;
    SimTime m_since = 0;
    SimTime m_start = 0;
};

/// What one component did during a run: counters, levels and its latency histogram. Behaviours
/// update it; the engine resets it at the end of warm-up and samples it into time series.
/// `latency` is the time a message spends in this component (waiting included).
struct ComponentStats {
    std::uint64_t received = 0;
    std::uint64_t completed = 0;
    std::uint64_t failed = 0;
    std::uint64_t throttled = 0;
    std::uint64_t timedOut = 0;
    std::uint64_t retried = 0;
    std::uint64_t deadLettered = 0;
    std::uint64_t expired = 0;
    std::uint64_t coldStarts = 0;
    std::uint64_t unmatched = 0; ///< bus events no rule matched; filtered-out deliveries
    TimeWeightedGauge backlog;
    TimeWeightedGauge inFlight;
    TimeWeightedGauge concurrency;
    double oldestAgeMaxSeconds = 0.0;
    LatencyHistogram latency;

    void reset(SimTime now)
    {
        received = completed = failed = throttled = timedOut = retried = deadLettered = expired =
            coldStarts = unmatched = 0;
        backlog.reset(now);
        inFlight.reset(now);
        concurrency.reset(now);
        oldestAgeMaxSeconds = 0.0;
        latency.reset();
    }
};

} // namespace eventflow::sim
