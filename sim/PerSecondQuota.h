#pragma once

#include "SimTime.h"

namespace eventflow::sim {

/// A per-second allowance in fixed one-second windows of simulated time: up to `limit` units
/// (requests, records, bytes) may be taken in each whole second [k s, (k+1) s); the allowance
/// refills at every second boundary. This is how AWS states its TPS and per-shard quotas
/// ("1,000 records per second"), so an offered rate r above a limit L is refused at r − L per
/// second, from the first second on. O(1), no allocation.
class PerSecondQuota {
public:
    /// True when `amount` more fits into the current second under `limit` (nothing is taken).
    bool fits(SimTime now, double amount, double limit)
    {
        roll(now);
        return m_used + amount <= limit;
    }
    /// Takes `amount` from the current second's allowance; call after fits().
    void take(SimTime now, double amount)
    {
        roll(now);
        m_used += amount;
    }
    /// fits() then take(): true when taken.
    bool tryTake(SimTime now, double amount, double limit)
    {
        if (!fits(now, amount, limit))
            return false;
        m_used += amount;
        return true;
    }

private:
    void roll(SimTime now)
    {
        const SimTime window = now / kSecond;
        if (window != m_window) {
            m_window = window;
            m_used = 0.0;
        }
    }

    SimTime m_window = -1;
    double m_used = 0.0;
};

} // namespace eventflow::sim
