#pragma once

#include "model/Distribution.h"

#include <cmath>
#include <cstdint>
#include <string_view>

namespace eventflow::sim {

/// One component's private source of randomness (xoshiro256**), seeded from the run's seed and
/// the component's id, so adding a component never changes what the others draw. All sampling
/// is written out here (not std:: distributions) so results are identical on every platform.
class RandomStream {
public:
    RandomStream() : RandomStream(1, "") {}
    RandomStream(std::uint64_t seed, std::string_view streamName)
    {
        std::uint64_t x = seed ^ 0x9E3779B97F4A7C15ull;
        for (unsigned char c : streamName) // FNV-1a folds the name into the seed
            x = (x ^ c) * 0x100000001B3ull;
        for (auto& s : m_state)
            s = splitMix(x);
    }

    std::uint64_t next()
    {
        const std::uint64_t result = rotl(m_state[1] * 5, 7) * 9;
        const std::uint64_t t = m_state[1] << 17;
        m_state[2] ^= m_state[0];
        m_state[3] ^= m_state[1];
        m_state[1] ^= m_state[2];
        m_state[0] ^= m_state[3];
        m_state[2] ^= t;
        m_state[3] = rotl(m_state[3], 45);
        return result;
    }

    /// Uniform in [0, 1).
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    bool chance(double probability) { return probability > 0.0 && uniform() < probability; }
    /// Uniform integer in [0, n).
    std::uint64_t below(std::uint64_t n) { return n ? next() % n : 0; }
    double exponential(double mean) { return -mean * std::log1p(-uniform()); }
    double standardNormal()
    {
        // Marsaglia polar method, one value per call (the spare is dropped to keep the stream simple).
        double u, v, s;
        do {
            u = 2.0 * uniform() - 1.0;
            v = 2.0 * uniform() - 1.0;
            s = u * u + v * v;
        } while (s >= 1.0 || s == 0.0);
        return u * std::sqrt(-2.0 * std::log(s) / s);
    }

    /// A draw from `d`, never negative.
    double sample(const model::Distribution& d)
    {
        using K = model::Distribution::Kind;
        switch (d.kind) {
        case K::Constant:
            return d.first;
        case K::Exponential:
            return exponential(d.first);
        case K::Uniform:
            return d.first + (d.second - d.first) * uniform();
        case K::Normal:
            return std::fmax(0.0, d.first + d.second * standardNormal());
        case K::LogNormal:
            return std::exp(d.logMu() + d.logSigma() * standardNormal());
        }
        return d.first;
    }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    static std::uint64_t splitMix(std::uint64_t& x)
    {
        std::uint64_t z = (x += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }

    std::uint64_t m_state[4];
};

} // namespace eventflow::sim
