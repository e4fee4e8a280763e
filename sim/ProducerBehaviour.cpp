#include "ProducerBehaviour.h"

#include "Engine.h"

#include <algorithm>

namespace eventflow::sim {

using model::ConnectionKind;
using model::ParameterScope;
using model::RateProfile;

ProducerBehaviour::ProducerBehaviour(Engine& engine, ComponentIndex index)
    : Behaviour(engine, index)
{
    for (const auto& t : engine.design().traffic)
        if (t.producer == component().id) {
            m_traffic = &t;
            break;
        }
    m_types = engine.producerEventTypes(index);
    double sum = 0.0;
    for (auto type : m_types) {
        sum += std::max(0.0, engine.eventTypes()[type].origin->weight);
        m_cumulativeWeights.push_back(sum);
    }
    if (m_traffic)
        m_maxRate = m_traffic->profile.maximumRate();
    m_clientTimeout = fromMillis(component().number(ParameterScope::Sim, "client_timeout_ms"));
}

void ProducerBehaviour::start()
{
    if (m_traffic && m_maxRate > 0.0 && !m_types.empty())
        scheduleNextArrival();
}

void ProducerBehaviour::scheduleNextArrival()
{
    const auto& profile = m_traffic->profile;
    if (profile.kind == RateProfile::Kind::Constant) {
        engine().schedule(fromSeconds(1.0 / profile.rate), index(), Arrival);
        return;
    }
    // Thinning (Lewis & Shedler): candidates at the peak rate, each kept with rate(t)/peak.
    double t = toSeconds(now());
    const double end = toSeconds(engine().endTime());
    do {
        t += random().exponential(1.0 / m_maxRate);
        if (t > end)
            return;
    } while (profile.kind != RateProfile::Kind::Poisson &&
             random().uniform() * m_maxRate > profile.rateAt(t));
    engine().schedule(fromSeconds(t) - now(), index(), Arrival);
}

std::uint32_t ProducerBehaviour::pickEventType()
{
    if (m_types.size() == 1)
        return m_types.front();
    const double x = random().uniform() * m_cumulativeWeights.back();
    const auto it = std::upper_bound(m_cumulativeWeights.begin(), m_cumulativeWeights.end(), x);
    return m_types[std::min<std::size_t>(it - m_cumulativeWeights.begin(), m_types.size() - 1)];
}

void ProducerBehaviour::emit()
{
    const auto& links = outgoing();
    const MessageId request = engine().createRequest(index(), pickEventType());
    ++stats().received;
    if (links.empty()) {
        engine().finish(request, Fate::Completed);
        return;
    }
    for (std::size_t i = 0; i < links.size(); ++i) {
        const Link& link = links[i];
        const MessageId message = i + 1 == links.size() ? request : engine().fork(request);
        if (link.kind == ConnectionKind::Invoke) {
            const CallId call = engine().call(index(), link, message, message);
            if (m_pending.size() <= call)
                m_pending.resize(call + 1);
            auto& pending = m_pending[call];
            pending.message = message;
            pending.open = true;
            if (m_clientTimeout > 0)
                pending.timer = engine().scheduleTimer(m_clientTimeout, index(), ClientTimeout, call);
            stats().inFlight.add(now(), 1);
            continue;
        }
        switch (engine().deliver(index(), link, message)) {
        case Delivery::Accepted:
            ++stats().completed;
            break;
        case Delivery::Throttled:
            ++stats().throttled;
            engine().finish(message, Fate::Throttled);
            break;
        case Delivery::Failed:
            ++stats().failed;
            engine().finish(message, Fate::Failed);
            break;
        }
    }
}

void ProducerBehaviour::handle(std::uint32_t action, std::uint64_t argument)
{
    if (action == Arrival) {
        emit();
        scheduleNextArrival();
        return;
    }
    // ClientTimeout: the client stops waiting; a late answer is ignored.
    const auto call = static_cast<CallId>(argument);
    auto& pending = m_pending[call];
    if (!pending.open)
        return;
    pending.open = false;
    pending.timer = {};
    engine().abandon(call);
    ++stats().timedOut;
    stats().inFlight.add(now(), -1);
    engine().finish(pending.message, Fate::TimedOut);
}

void ProducerBehaviour::onResponse(std::uint64_t token, CallId call, Outcome outcome)
{
    auto& pending = m_pending[call];
    if (!pending.open)
        return;
    pending.open = false;
    engine().cancelTimer(pending.timer);
    stats().inFlight.add(now(), -1);
    const auto message = static_cast<MessageId>(token);
    stats().latency.record(now() - engine().message(message).createdAt);
    countOutcome(outcome);
    engine().finish(message, fateOf(outcome));
}

} // namespace eventflow::sim
