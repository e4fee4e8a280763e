#pragma once

#include <cmath>
#include <cstdint>

namespace eventflow::sim {

/// Simulated time in integer microseconds: exact, order-stable and enough for years.
using SimTime = std::int64_t;

inline constexpr SimTime kMillisecond = 1000;
inline constexpr SimTime kSecond = 1000 * kMillisecond;
inline constexpr SimTime kForever = INT64_MAX / 4;

inline SimTime fromSeconds(double seconds) { return std::llround(seconds * 1e6); }
inline SimTime fromMillis(double millis) { return std::llround(millis * 1e3); }
inline double toSeconds(SimTime t) { return static_cast<double>(t) * 1e-6; }
inline double toMillis(SimTime t) { return static_cast<double>(t) * 1e-3; }

} // namespace eventflow::sim
