#pragma once

#include "Behaviour.h"
#include "model/Design.h"

#include <vector>

namespace eventflow::sim {

/// Emits the traffic of one producer: arrivals follow its rate profile (constant spacing, or a
/// Poisson process whose rate may vary over time, drawn by thinning), each arrival a new
/// request of an event type picked by weight. The request goes out on every outgoing link: a
/// synchronous call on Invoke links (the producer waits, with an optional client timeout), a
/// hand-over on the others. The producer ends the request's journey with the call's outcome.
class ProducerBehaviour : public Behaviour {
public:
    ProducerBehaviour(Engine& engine, ComponentIndex index);

    void start() override;
    void handle(std::uint32_t action, std::uint64_t argument) override;
    void onResponse(std::uint64_t token, CallId call, Outcome outcome) override;

private:
    enum Action : std::uint32_t { Arrival, ClientTimeout };
    void scheduleNextArrival();
    void emit();
    std::uint32_t pickEventType();

    const model::TrafficSpec* m_traffic = nullptr;
    std::vector<std::uint32_t> m_types;
    std::vector<double> m_cumulativeWeights;
    double m_maxRate = 0.0;
    SimTime m_clientTimeout = 0;
    /// Per open call: its timer and message (indexed by call id; grown on demand).
    struct PendingCall {
        TimerHandle timer;
        MessageId message = kNone;
        bool open = false;
    };
    std::vector<PendingCall> m_pending;
};

} // namespace eventflow::sim
