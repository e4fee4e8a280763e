// Bare event-loop M/M/c: the practical speed limit for the engine benchmark.
//
// A std::priority_queue of (time, sequence) events on integer (nanosecond)
// time, exponential inter-arrival and service draws from xoshiro256**, c
// servers with a FIFO waiting line, and nothing else: no components, no
// routing, no metrics beyond the mean wait.
//
// Usage: bare_loop RATE_PER_S SERVERS MEAN_SERVICE_MS MESSAGES [SEED]
// Prints one line on stdout:
//   messages=N seconds=W mean_wait_ms=X erlang_c_wait_ms=Y
// where W is the wall time of the event loop only (steady_clock).
//
// Not a test and not built by CMake: tests/bench/run.sh compiles it with
// `g++ -O2 -std=c++20`.

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <limits>
#include <queue>
#include <vector>

namespace {

std::uint64_t splitmix64(std::uint64_t& state)
{
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

class Xoshiro256ss {
public:
    explicit Xoshiro256ss(std::uint64_t seed)
    {
        for (auto& word : s_)
            word = splitmix64(seed);
    }

    std::uint64_t next()
    {
        const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const std::uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }

    // Uniform in [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

    // Exponential with the given mean: -mean * log1p(-u), u in [0, 1).
    double exponential(double mean) { return -mean * std::log1p(-uniform()); }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::uint64_t s_[4];
};

enum class Kind : std::uint32_t { Arrival, Departure };

struct Event {
    std::int64_t time; // nanoseconds
    std::uint64_t seq; // tie-break: FIFO among simultaneous events
    Kind kind;
};

struct Later {
    bool operator()(const Event& a, const Event& b) const
    {
        return a.time != b.time ? a.time > b.time : a.seq > b.seq;
    }
};

// Erlang C mean wait in queue (same unit as mean_service) for M/M/c.
double erlang_c_wait(double rate_per_s, int servers, double mean_service_ms)
{
    const double a = rate_per_s * mean_service_ms / 1000.0; // offered load, Erlangs
    const double rho = a / servers;
    if (rho >= 1.0)
        return std::numeric_limits<double>::infinity();
    double term = 1.0; // a^k / k!
    double sum = 0.0;  // sum_{k<c} a^k / k!
    for (int k = 0; k < servers; ++k) {
        sum += term;
        term *= a / (k + 1);
    }
    const double tail = term / (1.0 - rho);
    const double prob_wait = tail / (sum + tail);
    // Wq = C / (c*mu - lambda), in seconds; convert to ms.
    const double mu = 1000.0 / mean_service_ms;
    return prob_wait / (servers * mu - rate_per_s) * 1000.0;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 5 || argc > 6) {
        std::fprintf(stderr, "usage: %s RATE_PER_S SERVERS MEAN_SERVICE_MS MESSAGES [SEED]\n",
                     argv[0]);
        return 2;
    }
    const double rate = std::strtod(argv[1], nullptr);
    const long servers = std::strtol(argv[2], nullptr, 10);
    const double mean_service_ms = std::strtod(argv[3], nullptr);
    const long long messages = std::strtoll(argv[4], nullptr, 10);
    const std::uint64_t seed = argc == 6 ? std::strtoull(argv[5], nullptr, 10) : 1;
    if (!(rate > 0) || servers < 1 || !(mean_service_ms > 0) || messages < 1) {
        std::fprintf(stderr,
                     "bare_loop: RATE, SERVERS, MEAN_SERVICE_MS and MESSAGES must be > 0\n");
        return 2;
    }

    const double mean_interarrival_ns = 1e9 / rate;
    const double mean_service_ns = mean_service_ms * 1e6;

    Xoshiro256ss rng(seed);
    std::vector<Event> storage;
    storage.reserve(static_cast<std::size_t>(servers) + 2);
    std::priority_queue<Event, std::vector<Event>, Later> events(Later{}, std::move(storage));
    std::deque<std::int64_t> waiting; // arrival times of queued messages, FIFO
    std::uint64_t seq = 0;
    long long arrived = 0;
    long long started = 0;
    long busy = 0;
    std::int64_t total_wait_ns = 0;

    const auto draw = [&rng](double mean_ns) {
        return static_cast<std::int64_t>(std::llround(rng.exponential(mean_ns)));
    };

    const auto wall_start = std::chrono::steady_clock::now();

    events.push({draw(mean_interarrival_ns), seq++, Kind::Arrival});
    while (!events.empty()) {
        const Event ev = events.top();
        events.pop();
        if (ev.kind == Kind::Arrival) {
            ++arrived;
            if (busy < servers) {
                ++busy;
                ++started;
                events.push({ev.time + draw(mean_service_ns), seq++, Kind::Departure});
            } else {
                waiting.push_back(ev.time);
            }
            if (arrived < messages)
                events.push({ev.time + draw(mean_interarrival_ns), seq++, Kind::Arrival});
        } else if (!waiting.empty()) {
            // The freed server takes the head of the line at once.
            total_wait_ns += ev.time - waiting.front();
            waiting.pop_front();
            ++started;
            events.push({ev.time + draw(mean_service_ns), seq++, Kind::Departure});
        } else {
            --busy;
        }
    }

    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();

    if (started != messages) {
        std::fprintf(stderr, "bare_loop: internal error: %lld of %lld messages served\n", started,
                     messages);
        return 1;
    }
    const double mean_wait_ms =
        static_cast<double>(total_wait_ns) / 1e6 / static_cast<double>(messages);
    std::printf("messages=%lld seconds=%.4f mean_wait_ms=%.4f erlang_c_wait_ms=%.4f\n", messages,
                seconds, mean_wait_ms,
                erlang_c_wait(rate, static_cast<int>(servers), mean_service_ms));
    return 0;
}
