#pragma once

#include "SimulationResults.h"
#include "model/Design.h"

#include <functional>
#include <nlohmann/json.hpp>
#include <vector>

namespace eventflow::sim {

/// Independent runs of one design with seeds seed, seed+1, … seed+n−1, run in parallel on
/// `threads` threads, and the confidence they give: each summary figure as mean ± the
/// half-width of its 95% confidence interval (Student's t with n−1 degrees of freedom).
class Replications {
public:
    static Replications run(const model::Design& design, int count, unsigned threads,
                            const std::function<void(int finished)>& progress = {});

    const std::vector<SimulationResults>& runs() const { return m_runs; }
    /// {"replications": n, "seeds": [...], "summary": {"completed": {"mean", "ci95", "min", "max"}, ...}}
    nlohmann::json toJson() const;

    /// Two-sided 95% Student-t quantile for `degrees` degrees of freedom.
    static double tQuantile95(int degrees);

private:
    std::vector<SimulationResults> m_runs;
};

} // namespace eventflow::sim
