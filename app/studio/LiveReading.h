#pragma once

#include "ComponentItem.h"
#include "ConnectionItem.h"

#include "model/Design.h"
#include "sim/SimulationResults.h"

#include <vector>

namespace eventflow::studio {

/// How a results snapshot reads on the canvas: per component its load (calm, busy, failing),
/// badges and live numbers; per connection its flow. Judged on the latest sample interval, so
/// a component recovers its colour when it recovers:
/// - failing: more than 5% of what it received in the interval failed, timed out or was
///   dead-lettered — including callers whose calls time out, so a cascade colours the chain;
/// - busy: it throttled, its backlog grew over the interval, or work stays in it longer than
///   kSlowSeconds (in flight / throughput, by Little's law) — a slow dependency, or a caller
///   waiting on one;
/// - calm otherwise.
/// A pure function of (design, results).
class LiveReading {
public:
    static constexpr double kFailingShare = 0.05;
    static constexpr double kSlowSeconds = 2.0;

    std::vector<ComponentItem::LiveState> components;  ///< by component index
    std::vector<ConnectionItem::LiveFlow> connections; ///< by connection index

    static LiveReading of(const model::Design& design, const sim::SimulationResults& results);
};

} // namespace eventflow::studio
