#include "Dashboard.h"

#include "Wording.h"

#include "TimeChart.h"

#include "model/ComponentCatalog.h"

#include <QContextMenuEvent>
#include <QFileDialog>
#include <QGridLayout>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QTimer>

#include <algorithm>
#include <map>

namespace eventflow::studio {

namespace {

const std::vector<double>& seriesOf(const sim::SimulationResults& results, const std::string& id,
                                  const std::string& name)
{
    static const std::vector<double> none;
    const auto component = results.timeseries.components.find(id);
    if (component == results.timeseries.components.end())
        return none;
    const auto series = component->second.find(name);
    return series == component->second.end() ? none : series->second;
}

/// Charts stay readable: per-component lines beyond this many show only the largest.
constexpr std::size_t kMaxLines = 8;

double peak(const std::vector<double>& values)
{
    return values.empty() ? 0.0 : *std::max_element(values.begin(), values.end());
}

bool anyAbove(const std::vector<double>& values, double threshold)
{
    return std::any_of(values.begin(), values.end(), [&](double v) { return v > threshold; });
}

} // namespace

Dashboard::Dashboard(QWidget* parent)
    : QWidget(parent)
    , m_latency(new TimeChart(tr("End-to-end latency"), tr("ms"), this))
    , m_throughput(new TimeChart(tr("Throughput"), tr("per second"), this))
    , m_failures(new TimeChart(tr("Errors, timeouts, throttles, retries"), tr("per second"), this))
    , m_backlog(new TimeChart(tr("Backlog per queue"), tr("messages"), this))
    , m_concurrency(new TimeChart(tr("Function concurrency"), tr("executions"), this))
    , m_deadLetters(new TimeChart(tr("Dead-lettered"), tr("messages"), this))
    , m_age(new TimeChart(tr("Oldest message age"), tr("s"), this))
    , m_component(new TimeChart(tr("Selected component"), tr("per second / count"), this))
    , m_summary(new QLabel(this))
{
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(2, 2, 2, 2);
    grid->addWidget(m_summary, 0, 0, 1, 4);
    const QList<TimeChart*> all = charts();
    for (int i = 0; i < all.size(); ++i)
        grid->addWidget(all[i], 1 + i / 4, i % 4);
    for (TimeChart* chart : all) {
        chart->setContextMenuPolicy(Qt::CustomContextMenu);
        connect(chart, &QWidget::customContextMenuRequested, this, [this, chart](const QPoint& at) {
            QMenu menu;
            menu.addAction(tr("Export Chart as PNG or CSV…"), this,
                           [this, chart] { exportChart(chart); });
            menu.exec(chart->mapToGlobal(at));
        });
    }
    m_summary->setText(tr("Press Run to simulate the design."));
}

QList<TimeChart*> Dashboard::charts() const
{
    return {m_latency, m_throughput, m_failures, m_backlog,
            m_concurrency, m_deadLetters, m_age, m_component};
}

void Dashboard::clear()
{
    m_stage = kStages; // a pending update has nothing left to draw
    m_lines.clear();
    m_results = sim::SimulationResults(); // nothing to redraw when the selection changes
    for (TimeChart* chart : charts())
        chart->clearSeries();
    m_summary->setText(tr("Press Run to simulate the design."));
}

void Dashboard::setFocusComponent(const std::string& id)
{
    m_focus = id;
    if (!m_results.timeseries.t.empty())
        showResults(m_design, m_results);
}

void Dashboard::showResults(const model::Design& design, const sim::SimulationResults& results)
{
    m_design = design;
    m_results = results;
    const auto& s = m_results.summary;
    m_summary->setText(tr("<b>%1 s</b> of %2 s · %3 requests: %4 completed, %5 failed, %6 timed "
                          "out, %7 throttled, %8 dead-lettered, %9 in flight")
                           .arg(m_results.simulatedSeconds, 0, 'f', 0)
                           .arg(m_results.durationSeconds, 0, 'f', 0)
                           .arg(s.requests)
                           .arg(s.completed)
                           .arg(s.failed)
                           .arg(s.timedOut)
                           .arg(s.throttled)
                           .arg(s.deadLettered)
                           .arg(s.inFlight));
    planLines();
    // One chart per event-loop turn: eight charts at once would hold a frame of the canvas
    // back; spread out, the window keeps its frame rate while a large design runs.
    const bool idle = m_stage >= kStages;
    m_stage = 0;
    if (idle)
        QTimer::singleShot(0, this, &Dashboard::applyStage);
}

const std::vector<double>& Dashboard::endToEnd(const char* name) const
{
    static const std::vector<double> none;
    const auto it = m_results.timeseries.endToEnd.find(name);
    return it == m_results.timeseries.endToEnd.end() ? none : it->second;
}

void Dashboard::planLines()
{
    const auto& t = m_results.timeseries.t;
    m_lines.clear();
    m_overflow.clear();
    m_limitValues.clear();
    for (const auto& component : m_design.components) {
        const QString id = qs(component.id);
        if (component.type == model::ComponentType::Producer)
            m_lines[m_throughput].push_back(
                {tr("%1 sent").arg(id), &seriesOf(m_results, component.id, "received_per_s")});
        for (const auto& [name, label] :
             {std::pair{"errors_per_s", "errors"}, {"throttles_per_s", "throttled"},
              {"retries_per_s", "retries"}}) {
            const auto& values = seriesOf(m_results, component.id, name);
            if (anyAbove(values, 0))
                m_lines[m_failures].push_back(
                    {QStringLiteral("%1 %2").arg(id, tr(label)), &values});
        }
        if (component.type == model::ComponentType::Queue ||
            component.type == model::ComponentType::Stream) {
            m_lines[m_backlog].push_back({id, &seriesOf(m_results, component.id, "backlog")});
            m_lines[m_age].push_back({id, &seriesOf(m_results, component.id, "oldest_age_s")});
        }
        if (component.type == model::ComponentType::Function)
            m_lines[m_concurrency].push_back(
                {id, &seriesOf(m_results, component.id, "concurrency")});
        const auto& deadLettered = seriesOf(m_results, component.id, "dead_lettered");
        if (anyAbove(deadLettered, 0))
            m_lines[m_deadLetters].push_back({id, &deadLettered});
    }
    for (auto& [chart, candidates] : m_lines) {
        if (candidates.size() > kMaxLines) {
            std::stable_sort(candidates.begin(), candidates.end(), [](const Line& a, const Line& b) {
                return peak(*a.values) > peak(*b.values);
            });
            m_overflow[chart] = tr(" — top %1 of %2").arg(kMaxLines).arg(candidates.size());
            candidates.resize(kMaxLines);
        }
    }
    // A function's reserved concurrency beside its line (the account's 1,000 would flatten
    // every other line).
    auto& functions = m_lines[m_concurrency];
    const std::size_t count = functions.size();
    for (std::size_t i = 0; i < count; ++i) {
        const auto* component = m_design.findComponent(functions[i].name.toStdString());
        const auto reserved =
            component->parameter(model::ParameterScope::Aws, "ReservedConcurrentExecutions");
        if (!reserved.is_number())
            continue;
        m_limitValues.push_back(
            std::make_unique<std::vector<double>>(t.size(), reserved.get<double>()));
        functions.push_back(
            {tr("%1 limit").arg(functions[i].name), m_limitValues.back().get(), true});
    }
}

void Dashboard::applyStage()
{
    if (m_stage >= kStages)
        return;
    const auto& t = m_results.timeseries.t;
    const int stage = m_stage++;
    const std::pair<TimeChart*, QString> titled[] = {
        {m_throughput, tr("Throughput (per second)")},
        {m_failures, tr("Errors, timeouts, throttles, retries (per second)")},
        {m_backlog, tr("Backlog per queue (messages)")},
        {m_concurrency, tr("Function concurrency (executions)")},
        {m_deadLetters, tr("Dead-lettered (messages)")},
        {m_age, tr("Oldest message age (s)")}};
    if (stage == 0) {
        m_latency->beginUpdate();
        m_latency->setSeries(QStringLiteral("p50"), t, endToEnd("p50_ms"));
        m_latency->setSeries(QStringLiteral("p95"), t, endToEnd("p95_ms"));
        m_latency->setSeries(QStringLiteral("p99"), t, endToEnd("p99_ms"));
        m_latency->endUpdate();
        m_latency->chart()->setTitle(anyAbove(endToEnd("completed_per_s"), 0)
                                         ? tr("End-to-end latency of completed requests (ms)")
                                         : tr("End-to-end latency — no request completed yet"));
    } else if (stage <= 6) {
        const auto& [chart, title] = titled[stage - 1];
        chart->beginUpdate();
        if (chart == m_throughput)
            chart->setSeries(tr("completed end to end"), t, endToEnd("completed_per_s"));
        for (const Line& line : m_lines[chart])
            chart->setSeries(line.name, t, *line.values, line.limit);
        chart->endUpdate();
        // Say why a chart is empty rather than show bare axes.
        const bool empty = chart->seriesNames().isEmpty();
        const bool noneInDesign = chart == m_backlog || chart == m_concurrency || chart == m_age;
        chart->chart()->setTitle(!empty ? title + m_overflow[chart]
                                 : noneInDesign ? title + tr(" — none in this design")
                                                : title + tr(" — none so far"));
    } else {
        m_component->beginUpdate();
        if (!m_focus.empty() && m_design.findComponent(m_focus)) {
            m_component->chart()->setTitle(
                tr("Selected: %1 (per second / count)").arg(qs(m_focus)));
            for (const auto& [name, label] :
                 {std::pair{"received_per_s", "received/s"}, {"throughput_per_s", "done/s"},
                  {"errors_per_s", "errors/s"}, {"throttles_per_s", "throttled/s"},
                  {"backlog", "backlog"}, {"in_flight", "in flight"}})
                m_component->setSeries(tr(label), t, seriesOf(m_results, m_focus, name));
        } else {
            m_component->chart()->setTitle(tr("Selected component (click one on the canvas)"));
        }
        m_component->endUpdate();
    }
    if (m_stage < kStages)
        QTimer::singleShot(0, this, &Dashboard::applyStage);
}

void Dashboard::exportChart(TimeChart* chart)
{
    QString filter;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export Chart"), chart->chart()->title().section(QLatin1Char(':'), 0, 0) + ".png",
        tr("PNG image (*.png);;CSV data (*.csv)"), &filter);
    if (path.isEmpty())
        return;
    const auto error = path.endsWith(QLatin1String(".csv"), Qt::CaseInsensitive)
                           ? chart->saveCsv(path)
                           : chart->savePng(path);
    if (error)
        QMessageBox::warning(this, tr("Export Chart"), *error);
}

} // namespace eventflow::studio
