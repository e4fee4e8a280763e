#include "DatabaseBehaviour.h"

#include "Engine.h"
#include "SlotPool.h"

#include <algorithm>
#include <cmath>

namespace eventflow::sim {

using model::ConnectionKind;
using model::ParameterScope;

namespace {

constexpr double kBurstSeconds = 300.0;
constexpr double kInitialWritePeak = 2000.0;
constexpr double kInitialReadPeak = 6000.0;
constexpr double kMaxSlowdown = 10.0;
constexpr double kUtilisationWindowSeconds = 1.0;

} // namespace

DatabaseBehaviour::DatabaseBehaviour(Engine& engine, ComponentIndex index)
    : Behaviour(engine, index)
{
    const auto& c = component();
    m_relational = c.text(ParameterScope::Sim, "engine") == "relational";
    m_onDemand = c.text(ParameterScope::Aws, "BillingMode") == "PAY_PER_REQUEST";
    m_maxConnections = std::max(1.0, c.number(ParameterScope::Sim, "max_connections"));
    m_latency = c.distribution("latency");
    m_errorRate = c.number(ParameterScope::Sim, "error_rate");
    m_writes.rate = c.number(ParameterScope::Aws, "ProvisionedThroughput.WriteCapacityUnits");
    m_reads.rate = c.number(ParameterScope::Aws, "ProvisionedThroughput.ReadCapacityUnits");
    m_writes.tokens = TokenBucket(m_writes.rate * kBurstSeconds);
    m_reads.tokens = TokenBucket(m_reads.rate * kBurstSeconds);
    m_onDemandWrites.establishedPeak = kInitialWritePeak;
    m_onDemandReads.establishedPeak = kInitialReadPeak;
}

void DatabaseBehaviour::start()
{
    m_readers.assign(engine().componentCount(), false);
    for (const Link& in : incoming()) {
        if (in.kind != ConnectionKind::Invoke)
            continue;
        const auto operation = engine().connection(in).parameter(ParameterScope::Sim, "operation");
        if (operation.is_string() && operation.get<std::string>() == "read")
            m_readers[in.target] = true;
    }
}

bool DatabaseBehaviour::take(Bucket& bucket, SimTime now, double faultRate)
{
    const double rate = faultRate >= 0.0 ? faultRate : bucket.rate;
    const double bank = faultRate >= 0.0 ? faultRate : bucket.rate * kBurstSeconds;
    return bucket.tokens.tryTake(now, rate, bank);
}

bool DatabaseBehaviour::take(OnDemand& t, SimTime now, double faultRate)
{
    const std::int64_t second = now / kSecond;
    if (second != t.second) {
        t.minuteMax = std::max(t.minuteMax, t.thisSecond);
        t.thisSecond = 0.0;
        t.second = second;
        const std::int64_t minute = second / 60;
        if (minute - t.minute >= 30) {
            // Idle for half an hour or more: every peak seen is now a previous peak.
            for (double& slot : t.recentMinutes) {
                t.establishedPeak = std::max(t.establishedPeak, slot);
                slot = 0.0;
            }
            t.establishedPeak = std::max(t.establishedPeak, t.minuteMax);
        } else {
            // Each minute closed pushes the one 30 minutes older out of the ring; that one's
            // peak becomes a previous peak.
            for (std::int64_t m = t.minute; m < minute; ++m) {
                auto& slot = t.recentMinutes[static_cast<std::size_t>(m % 30)];
                t.establishedPeak = std::max(t.establishedPeak, slot);
                slot = m == t.minute ? t.minuteMax : 0.0;
            }
        }
        if (minute != t.minute) {
            t.minute = minute;
            t.minuteMax = 0.0;
        }
    }
    const double limit = faultRate >= 0.0 ? faultRate : 2.0 * t.establishedPeak;
    if (t.thisSecond + 1.0 > limit)
        return false;
    t.thisSecond += 1.0;
    return true;
}

bool DatabaseBehaviour::admitDynamo(bool read)
{
    const double faultRate = faults().throttleLimit;
    if (m_onDemand)
        return take(read ? m_onDemandReads : m_onDemandWrites, now(), faultRate);
    return take(read ? m_reads : m_writes, now(), faultRate);
}

void DatabaseBehaviour::updateUtilisation()
{
    const double dt = toSeconds(now() - m_utilisationAt);
    if (dt <= 0.0)
        return;
    const double limit =
        faults().throttleLimit >= 0.0 ? std::max(1.0, faults().throttleLimit) : m_maxConnections;
    const double keep = std::exp(-dt / kUtilisationWindowSeconds);
    m_utilisation = m_utilisation * keep + (m_busy / limit) * (1.0 - keep);
    m_utilisationAt = now();
}

void DatabaseBehaviour::onCall(CallId call)
{
    ++stats().received;
    if (faults().outage) {
        ++stats().failed;
        engine().respond(call, Outcome::Error);
        return;
    }
    double millis = random().sample(m_latency) * faults().latencyMultiplier;
    if (m_relational) {
        const double limit =
            faults().throttleLimit >= 0.0 ? faults().throttleLimit : m_maxConnections;
        if (m_busy + 1 > limit) {
            ++stats().throttled;
            engine().respond(call, Outcome::Error);
            return;
        }
        updateUtilisation();
        const double u = std::min(m_utilisation, 1.0);
        millis *= u >= 1.0 - 1.0 / kMaxSlowdown ? kMaxSlowdown : 1.0 / (1.0 - u);
    } else {
        const ComponentIndex from = engine().caller(call);
        if (!admitDynamo(from < m_readers.size() && m_readers[from])) {
            ++stats().throttled;
            engine().respond(call, Outcome::Throttled);
            return;
        }
    }
    const std::uint32_t slot = acquireSlot(m_pending, m_free);
    m_pending[slot] = {call, now()};
    ++m_busy;
    stats().inFlight.set(now(), m_busy);
    stats().concurrency.set(now(), m_busy);
    engine().schedule(fromMillis(millis), index(), Answered, slot);
}

void DatabaseBehaviour::handle(std::uint32_t, std::uint64_t argument)
{
    const auto slot = static_cast<std::uint32_t>(argument);
    const Pending p = m_pending[slot];
    m_free.push_back(slot);
    if (m_relational)
        updateUtilisation();
    --m_busy;
    stats().inFlight.set(now(), m_busy);
    stats().concurrency.set(now(), m_busy);
    stats().latency.record(now() - p.arrival);
    if (random().chance(errorRate(m_errorRate))) {
        ++stats().failed;
        engine().respond(p.call, Outcome::Error);
        return;
    }
    ++stats().completed;
    engine().respond(p.call, Outcome::Success);
}

} // namespace eventflow::sim
