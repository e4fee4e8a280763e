#pragma once

#include <array>
#include <cstdint>

namespace eventflow::sim {

/// HDR-style log-bucketed histogram of durations in microseconds: 64 sub-buckets per power of
/// two (relative error under 1.6%), from 1 µs to about 10 days, in fixed memory, O(1) record.
/// Mean and maximum are exact.
class LatencyHistogram {
public:
    void record(std::int64_t micros);
    void reset();
    void merge(const LatencyHistogram& other);

    std::uint64_t count() const { return m_count; }
    double meanMicros() const { return m_count ? m_sum / static_cast<double>(m_count) : 0.0; }
    std::int64_t maxMicros() const { return m_max; }
    std::int64_t minMicros() const { return m_count ? m_min : 0; }
    /// The value at quantile q in [0, 1] (the bucket's midpoint, clamped to the exact minimum
    /// and maximum).
    double quantileMicros(double q) const;

private:
    static constexpr int kSubBits = 6;
    static constexpr int kSubBuckets = 1 << kSubBits;
    static constexpr int kMagnitudes = 40;
    static constexpr int kBuckets = kSubBuckets * (kMagnitudes + 1);
    static int bucketOf(std::uint64_t value);
    static double bucketLow(int bucket);
    static double bucketHigh(int bucket);

    std::array<std::uint64_t, kBuckets> m_buckets{};
    std::uint64_t m_count = 0;
    double m_sum = 0.0;
    std::int64_t m_max = 0;
    std::int64_t m_min = INT64_MAX;
};

} // namespace eventflow::sim
