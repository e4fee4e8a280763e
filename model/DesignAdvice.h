#pragma once

#include "DesignGraph.h"
#include "Diagnostic.h"

namespace eventflow::model {

/// Design advice: designs AWS accepts but that are known to hurt — visibility timeouts too
/// short for their consumer, failures with nowhere to go, throttles that burn receive counts,
/// synchronous chains longer than the API in front of them, retry storms, idle producers and
/// shards blocked by a poison record. Each finding is a Warning with the reason in `message`,
/// the remedy in `fix` and a pointer at the setting or component to change; a design without
/// these patterns gets none. Pure function of the design; thread-safe.
class DesignAdvice {
public:
    static void review(const DesignGraph& graph, Diagnostics& diagnostics);
};

} // namespace eventflow::model
