#pragma once

#include "CostEstimate.h"
#include "SimulationResults.h"
#include "model/Design.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace eventflow::sim {

/// Two designs run under the same seed and duration, side by side: the figures a team weighs
/// when choosing between them, each with the better side marked. "Client response time" is how
/// long producers wait for an answer; "latency" is end to end, until the last asynchronous
/// step of a request has finished (docs/results.md). Used by `eventflow compare`
/// and the designer's Compare window.
class Comparison {
public:
    enum class Better { A, B, Neither };
    struct Row {
        std::string metric;
        std::string unit;
        double a = 0;
        double b = 0;
        bool higherIsBetter = false;
        Better better = Better::Neither;
    };

    /// Runs both designs to the end with `seed` and `duration` (each design's own when absent,
    /// A's for both when only one is given). Both must have passed the Validator.
    static Comparison run(const model::Design& a, const model::Design& b,
                          std::optional<std::uint64_t> seed = std::nullopt,
                          std::optional<double> durationSeconds = std::nullopt);
    /// The comparison of two finished runs.
    static Comparison of(const model::Design& a, const SimulationResults& resultsA,
                         const model::Design& b, const SimulationResults& resultsB);

    const std::vector<Row>& rows() const { return m_rows; }
    const SimulationResults& resultsA() const { return m_resultsA; }
    const SimulationResults& resultsB() const { return m_resultsB; }
    const CostEstimate& costA() const { return m_costA; }
    const CostEstimate& costB() const { return m_costB; }
    nlohmann::json toJson() const;

private:
    std::vector<Row> m_rows;
    SimulationResults m_resultsA;
    SimulationResults m_resultsB;
    CostEstimate m_costA;
    CostEstimate m_costB;
};

} // namespace eventflow::sim
