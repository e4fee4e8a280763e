#pragma once

#include "Behaviour.h"
#include "TokenBucket.h"
#include "model/Distribution.h"

#include <array>
#include <vector>

namespace eventflow::sim {

/// A database answering synchronous calls: DynamoDB (`sim.engine` "dynamodb") or a relational
/// database ("relational", RDS/Aurora).
///
/// DynamoDB, PROVISIONED: writes draw on a token bucket refilled at WriteCapacityUnits per
/// second, reads on one refilled at ReadCapacityUnits; each bucket banks up to 300 s of unused
/// capacity (burst capacity) and starts full, as a table that was idle before the run. A call
/// is a write unless its Invoke connection says `sim.operation: "read"`; every call consumes one
/// unit (items up to 1 KB written, 4 KB read strongly consistently). PAY_PER_REQUEST: a table
/// serves up to twice its previous peak (per-second request rate) at once; a new table's
/// previous peak is 2,000 WRU/s and 6,000 RRU/s (so 4,000 writes/s and 12,000 reads/s), and a
/// new peak becomes "previous" after 30 minutes. Over capacity the call gets Throttled
/// (ProvisionedThroughputExceededException), counted in `throttled`. Latency is flat
/// (`sim.latency` × latency fault): DynamoDB throttles rather than slows down under load.
///
/// Relational: at most `sim.max_connections` calls at once; one more is refused with Error
/// (too many connections) and counted in `throttled` (a capacity refusal). Latency is
/// `sim.latency` × 1/(1−u) (at most 10×) × latency fault, where u is the share of connections
/// in use averaged over the last second (exponential time average), so a database near its
/// connection limit slows down.
///
/// Both: `sim.error_rate` fails calls (Error) after their latency; an outage fails every call
/// at once; a throttle fault replaces the capacity (units/s, burst bank limited to one second;
/// or connections).
class DatabaseBehaviour : public Behaviour {
public:
    DatabaseBehaviour(Engine& engine, ComponentIndex index);

    void start() override;
    void handle(std::uint32_t action, std::uint64_t argument) override;
    void onCall(CallId call) override;

private:
    enum Action : std::uint32_t { Answered };
    struct Pending {
        CallId call = kNone;
        SimTime arrival = 0;
    };
    /// Provisioned capacity with burst: tokens refill at `rate`, up to 300 s of it.
    struct Bucket {
        double rate = 0.0;
        TokenBucket tokens;
    };
    /// On-demand capacity: twice the previous peak per second; peaks become "previous" after
    /// 30 minutes (a ring of per-minute maxima).
    struct OnDemand {
        double establishedPeak = 0.0;
        std::int64_t second = 0;
        double thisSecond = 0.0;
        std::int64_t minute = 0;
        double minuteMax = 0.0;
        std::array<double, 30> recentMinutes{};
    };

    bool admitDynamo(bool read);
    static bool take(Bucket& bucket, SimTime now, double faultRate);
    static bool take(OnDemand& table, SimTime now, double faultRate);
    void updateUtilisation();

    bool m_relational = false;
    bool m_onDemand = false;
    double m_maxConnections = 1.0;
    model::Distribution m_latency;
    double m_errorRate = 0.0;
    Bucket m_writes;
    Bucket m_reads;
    OnDemand m_onDemandWrites;
    OnDemand m_onDemandReads;
    std::vector<bool> m_readers; ///< by caller component: its calls are reads

    std::vector<Pending> m_pending;
    std::vector<std::uint32_t> m_free;
    std::uint32_t m_busy = 0;
    double m_utilisation = 0.0;
    SimTime m_utilisationAt = 0;
};

} // namespace eventflow::sim
