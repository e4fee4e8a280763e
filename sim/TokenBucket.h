#pragma once

#include "SimTime.h"

#include <algorithm>

namespace eventflow::sim {

/// Tokens refilled continuously at a rate, up to a capacity: the shape of most AWS rate limits
/// (API Gateway throttling, Lambda scaling, Step Functions StartExecution, DynamoDB burst
/// capacity, EventBridge invocations). Rate and capacity are given on every take, because a
/// throttle fault may change them at any moment; the balance carries over.
class TokenBucket {
public:
    /// `initialTokens`: the balance at time 0 (a limit that starts idle starts full).
    explicit TokenBucket(double initialTokens = 0.0) : m_tokens(initialTokens) {}

    /// Takes one token if the balance at `now` holds one.
    bool tryTake(SimTime now, double ratePerSecond, double capacity)
    {
        refill(now, ratePerSecond, capacity);
        if (m_tokens < 1.0)
            return false;
        m_tokens -= 1.0;
        return true;
    }

    /// Takes one token even into debt; returns how long until the debt is repaid (0 if none), so
    /// callers can delay rather than refuse.
    SimTime takeOrWait(SimTime now, double ratePerSecond, double capacity)
    {
        refill(now, ratePerSecond, capacity);
        m_tokens -= 1.0;
        return m_tokens >= 0.0 ? 0 : fromSeconds(-m_tokens / ratePerSecond);
    }

private:
    void refill(SimTime now, double ratePerSecond, double capacity)
    {
        m_tokens = std::min(capacity, m_tokens + toSeconds(now - m_refilled) * ratePerSecond);
        m_refilled = now;
    }

    double m_tokens;
    SimTime m_refilled = 0;
};

} // namespace eventflow::sim
