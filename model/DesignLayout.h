#pragma once

#include "Design.h"

namespace eventflow::model {

/// Places a design's components on the canvas left to right in the direction of flow, for
/// designs that arrive without positions (template import).
/// Layers: the longest path over the connections, after dropping the edges that close a cycle
/// (found by depth-first search in component order); a component that only feeds others sits
/// one layer before the nearest one it feeds. Rows: within a layer, components are ordered by the
/// mean row of their predecessors (fewer crossings), then by their order in the design; each layer
/// is centred on the tallest. O((components + connections) log components); deterministic.
class DesignLayout {
public:
    static constexpr double kLayerSpacing = 240.0; ///< x distance between layers
    static constexpr double kRowSpacing = 120.0;   ///< y distance between rows of a layer

    static void arrange(Design& design);
};

} // namespace eventflow::model
