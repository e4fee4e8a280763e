#include "Behaviour.h"

#include "Engine.h"

namespace eventflow::sim {

Behaviour::Behaviour(Engine& engine, ComponentIndex index)
    : m_engine(engine), m_index(index), m_clock(&engine.clock()), m_stats(&engine.stats(index)),
      m_random(&engine.random(index)), m_faults(&engine.faults(index))
{
}

const model::Component& Behaviour::component() const
{
    return m_engine.design().components[m_index];
}

const std::vector<Link>& Behaviour::outgoing() const { return m_engine.outgoing(m_index); }
const std::vector<Link>& Behaviour::incoming() const { return m_engine.incoming(m_index); }

double Behaviour::errorRate(double configured) const
{
    const auto& f = faults();
    if (f.outage)
        return 1.0;
    return f.errorRate >= 0.0 ? f.errorRate : configured;
}

void Behaviour::countOutcome(Outcome outcome, std::uint64_t count) const
{
    switch (outcome) {
    case Outcome::Success:
        stats().completed += count;
        break;
    case Outcome::Error:
        stats().failed += count;
        break;
    case Outcome::Throttled:
        stats().throttled += count;
        break;
    case Outcome::TimedOut:
        stats().timedOut += count;
        break;
    }
}

void Behaviour::handle(std::uint32_t, std::uint64_t) {}

Delivery Behaviour::receive(MessageId, const Link&)
{
    // The validator only allows connections a behaviour accepts; refusing keeps ownership sane.
    return Delivery::Failed;
}

void Behaviour::onCall(CallId call) { m_engine.respond(call, Outcome::Error); }

void Behaviour::onResponse(std::uint64_t, CallId, Outcome) {}

} // namespace eventflow::sim
