#pragma once

#include "sim/Comparison.h"
#include "sim/SimulationResults.h"

#include <nlohmann/json.hpp>
#include <ostream>

namespace eventflow::cli {

/// Writes the human-readable report of one run: the outcome of requests, end-to-end latency,
/// and one row per component. Plain text, aligned columns, fits 120 columns.
void writeSummaryTable(std::ostream& out, const sim::SimulationResults& results);

/// Writes the mean ± 95% CI table of a set of replications (Replications::toJson()).
void writeReplicationTable(std::ostream& out, const nlohmann::json& replications);

/// Writes two runs side by side (sim::Comparison): one row per figure, the better value marked
/// with '*', then each design's estimated monthly cost by line.
void writeComparisonTable(std::ostream& out, const sim::Comparison& comparison);

} // namespace eventflow::cli
