#pragma once

#include "CostEstimate.h"
#include "SimulationResults.h"
#include "model/Design.h"

#include <string>
#include <utility>
#include <vector>

namespace eventflow::sim {

/// The report of a run: the design (a picture and its parameters), its faults, the summary and
/// per-component tables, charts of latency, throughput, failures and backlog, and the cost
/// estimate. Built without Qt, as HTML whose figures are SVG documents referenced by name
/// (`<img src="figure-1.svg">`), so that an HTML file can inline them and a PDF writer can
/// render them as images. Deterministic for a given (design, results).
class RunReport {
public:
    struct Figure {
        std::string name; ///< "figure-1.svg"
        std::string svg;  ///< a whole SVG document
        double width = 0;
        double height = 0;
    };

    static RunReport build(const model::Design& design, const SimulationResults& results);

    const std::string& html() const { return m_html; }
    const std::vector<Figure>& figures() const { return m_figures; }
    /// The HTML with every figure inlined as a data: URI: one file that opens anywhere.
    std::string selfContainedHtml() const;

    /// A plain picture of the design, Qt-free: the cards in their type's colour where the
    /// designer puts them, and the links between them.
    static std::string designSvg(const model::Design& design, double& width, double& height);

private:
    std::string m_html;
    std::vector<Figure> m_figures;
};

} // namespace eventflow::sim
