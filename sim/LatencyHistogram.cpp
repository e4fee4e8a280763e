#include "LatencyHistogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace eventflow::sim {

int LatencyHistogram::bucketOf(std::uint64_t value)
{
    if (value < kSubBuckets)
        return static_cast<int>(value);
    const int magnitude = std::bit_width(value) - kSubBits; // >= 1
    const int sub = static_cast<int>(value >> (magnitude - 1)) - kSubBuckets;
    return std::min(kBuckets - 1, magnitude * kSubBuckets + sub);
}

double LatencyHistogram::bucketLow(int bucket)
{
    if (bucket < kSubBuckets)
        return bucket;
    const int magnitude = bucket / kSubBuckets;
    const int sub = bucket % kSubBuckets;
    return std::ldexp(static_cast<double>(kSubBuckets + sub), magnitude - 1);
}

double LatencyHistogram::bucketHigh(int bucket)
{
    if (bucket < kSubBuckets)
        return bucket + 1;
    return bucketLow(bucket) + std::ldexp(1.0, bucket / kSubBuckets - 1);
}

void LatencyHistogram::record(std::int64_t micros)
{
    const std::uint64_t value = micros < 0 ? 0 : static_cast<std::uint64_t>(micros);
    ++m_buckets[static_cast<std::size_t>(bucketOf(value))];
    ++m_count;
    m_sum += static_cast<double>(value);
    m_max = std::max(m_max, static_cast<std::int64_t>(value));
    m_min = std::min(m_min, static_cast<std::int64_t>(value));
}

void LatencyHistogram::reset()
{
    m_buckets.fill(0);
    m_count = 0;
    m_sum = 0.0;
    m_max = 0;
    m_min = INT64_MAX;
}

void LatencyHistogram::merge(const LatencyHistogram& other)
{
    for (std::size_t i = 0; i < m_buckets.size(); ++i)
        m_buckets[i] += other.m_buckets[i];
    m_count += other.m_count;
    m_sum += other.m_sum;
    m_max = std::max(m_max, other.m_max);
    m_min = std::min(m_min, other.m_min);
}

double LatencyHistogram::quantileMicros(double q) const
{
    if (m_count == 0)
        return 0.0;
    const double rank = std::clamp(q, 0.0, 1.0) * static_cast<double>(m_count);
    const auto target = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(rank)));
    std::uint64_t seen = 0;
    for (int b = 0; b < kBuckets; ++b) {
        seen += m_buckets[static_cast<std::size_t>(b)];
        if (seen >= target) {
            const double mid = b < kSubBuckets ? bucketLow(b) : (bucketLow(b) + bucketHigh(b)) / 2.0;
            return std::clamp(mid, static_cast<double>(m_min), static_cast<double>(m_max));
        }
    }
    return static_cast<double>(m_max);
}

} // namespace eventflow::sim
