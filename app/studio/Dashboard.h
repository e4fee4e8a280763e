#pragma once

#include "sim/SimulationResults.h"
#include "model/Design.h"

#include <QWidget>

#include <map>
#include <memory>
#include <string>
#include <vector>

class QLabel;

namespace eventflow::studio {

class TimeChart;

/// The charts of a run: end-to-end latency percentiles, throughput, failures (errors, timeouts,
/// throttles, retries), backlog per queue, function concurrency against its limit, dead letters
/// and the oldest message's age; and, for the selected component, its own figures. Fed whole
/// snapshots; every series is replaced in bulk.
class Dashboard : public QWidget {
    Q_OBJECT
public:
    explicit Dashboard(QWidget* parent = nullptr);

    void showResults(const model::Design& design, const sim::SimulationResults& results);
    void clear();
    /// The component whose own chart is shown (empty: none).
    void setFocusComponent(const std::string& id);

    TimeChart* latencyChart() const { return m_latency; }
    TimeChart* throughputChart() const { return m_throughput; }
    TimeChart* failuresChart() const { return m_failures; }
    TimeChart* backlogChart() const { return m_backlog; }
    TimeChart* concurrencyChart() const { return m_concurrency; }
    TimeChart* deadLetterChart() const { return m_deadLetters; }
    TimeChart* ageChart() const { return m_age; }
    TimeChart* componentChart() const { return m_component; }
    QList<TimeChart*> charts() const;
    /// True once every chart shows the last results given to show() (they update one per
    /// event-loop turn).
    bool isUpToDate() const { return m_stage >= kStages; }

private:
    static constexpr int kStages = 8;
    struct Line {
        QString name;
        const std::vector<double>* values; ///< into m_results or m_limitValues
        bool limit = false;
    };
    void planLines();
    void applyStage();
    const std::vector<double>& endToEnd(const char* name) const;
    void exportChart(TimeChart* chart);

    TimeChart* m_latency;
    TimeChart* m_throughput;
    TimeChart* m_failures;
    TimeChart* m_backlog;
    TimeChart* m_concurrency;
    TimeChart* m_deadLetters;
    TimeChart* m_age;
    TimeChart* m_component;
    QLabel* m_summary;
    std::string m_focus;
    model::Design m_design;
    sim::SimulationResults m_results;
    std::map<TimeChart*, std::vector<Line>> m_lines;
    std::map<TimeChart*, QString> m_overflow;
    std::vector<std::unique_ptr<std::vector<double>>> m_limitValues;
    int m_stage = kStages;
};

} // namespace eventflow::studio
