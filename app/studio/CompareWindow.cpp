#include "CompareWindow.h"

#include "Wording.h"

#include "DesignDocument.h"
#include "DesignScene.h"
#include "DesignView.h"
#include "LiveReading.h"
#include "TimeChart.h"

#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableWidget>
#include <QThread>
#include <QVBoxLayout>

namespace eventflow::studio {

namespace {

QString valueText(double value, const std::string& unit)
{
    if (unit == "%" || unit == "ms")
        return QString::number(value, 'f', 1);
    if (unit == "USD")
        return QStringLiteral("$%1").arg(value, 0, 'f', 2);
    return QString::number(std::llround(value));
}

/// Sums a metric over the components of one type (all types when `type` is empty).
std::vector<double> total(const sim::SimulationResults& results, const std::string& metric,
                          const std::string& type = {})
{
    std::vector<double> sum(results.timeseries.t.size(), 0.0);
    for (const auto& c : results.components) {
        if (!type.empty() && c.type != type)
            continue;
        const auto component = results.timeseries.components.find(c.id);
        if (component == results.timeseries.components.end())
            continue;
        const auto series = component->second.find(metric);
        if (series == component->second.end())
            continue;
        for (std::size_t i = 0; i < sum.size() && i < series->second.size(); ++i)
            sum[i] += series->second[i];
    }
    return sum;
}

} // namespace

CompareWindow::CompareWindow(model::Design a, model::Design b, QWidget* parent)
    : QMainWindow(parent)
    , m_a(std::move(a))
    , m_b(std::move(b))
    , m_documentA(new DesignDocument(this))
    , m_documentB(new DesignDocument(this))
    , m_sceneA(new DesignScene(m_documentA, this))
    , m_sceneB(new DesignScene(m_documentB, this))
    , m_viewA(new DesignView(m_sceneA))
    , m_viewB(new DesignView(m_sceneB))
    , m_table(new QTableWidget)
    , m_status(new QLabel)
    , m_response(new TimeChart(tr("End-to-end p99, completed requests"), tr("ms")))
    , m_completed(new TimeChart(tr("Completed end to end"), tr("per second")))
    , m_backlog(new TimeChart(tr("Backlog, all queues"), tr("messages")))
    , m_failures(new TimeChart(tr("Errors and timeouts, all components"), tr("per second")))
{
    setWindowTitle(tr("Compare — %1 vs %2").arg(qs(m_a.name), qs(m_b.name)));
    resize(1500, 950);
    m_documentA->reset(m_a, QString());
    m_documentB->reset(m_b, QString());
    for (DesignView* view : {m_viewA, m_viewB})
        view->setInteractive(false); // a comparison shows, it does not edit

    auto* central = new QWidget;
    auto* column = new QVBoxLayout(central);
    auto* canvases = new QSplitter(Qt::Horizontal);
    for (auto [view, title] : {std::pair{m_viewA, qs("A: " + m_a.name)},
                               std::pair{m_viewB, qs("B: " + m_b.name)}}) {
        auto* box = new QWidget;
        auto* layout = new QVBoxLayout(box);
        layout->setContentsMargins(0, 0, 0, 0);
        auto* heading = new QLabel(QStringLiteral("<b>%1</b>").arg(title.toHtmlEscaped()));
        layout->addWidget(heading);
        layout->addWidget(view, 1);
        canvases->addWidget(box);
    }
    auto* lower = new QSplitter(Qt::Horizontal);
    m_table->setColumnCount(3);
    m_table->setHorizontalHeaderLabels({tr("Figure"), tr("A"), tr("B")});
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setMinimumWidth(440);
    lower->addWidget(m_table);
    auto* charts = new QWidget;
    auto* grid = new QGridLayout(charts);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->addWidget(m_response, 0, 0);
    grid->addWidget(m_completed, 0, 1);
    grid->addWidget(m_backlog, 1, 0);
    grid->addWidget(m_failures, 1, 1);
    lower->addWidget(charts);
    lower->setStretchFactor(1, 2);
    auto* vertical = new QSplitter(Qt::Vertical);
    vertical->addWidget(canvases);
    vertical->addWidget(lower);
    vertical->setSizes({380, 560});
    column->addWidget(m_status);
    column->addWidget(vertical, 1);
    setCentralWidget(central);
    m_status->setText(tr("Running both designs with seed %1 for %2 s…")
                          .arg(m_a.simulation.seed)
                          .arg(m_a.simulation.durationSeconds));

    // Both runs on a worker thread with their own copies of the designs: the window stays
    // responsive, and closing it early leaves the worker to finish alone and be deleted then.
    auto result = std::make_shared<std::optional<sim::Comparison>>();
    m_worker = QThread::create([a = m_a, b = m_b, result] {
        *result = sim::Comparison::run(a, b, a.simulation.seed, a.simulation.durationSeconds);
    });
    connect(m_worker, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &QThread::finished, this, [this, result] {
        m_worker = nullptr;
        m_comparison = std::move(*result);
        showComparison();
    });
    m_worker->start();
}

CompareWindow::~CompareWindow()
{
    if (m_worker)
        disconnect(m_worker, nullptr, this, nullptr); // it deletes itself when done
}

void CompareWindow::showComparison()
{
    if (!m_comparison)
        return;
    const auto& c = *m_comparison;
    m_sceneA->showLive(LiveReading::of(m_a, c.resultsA()));
    m_sceneB->showLive(LiveReading::of(m_b, c.resultsB()));
    m_sceneA->pauseFlow(true);
    m_sceneB->pauseFlow(true);
    m_viewA->fitToContents();
    m_viewB->fitToContents();

    m_table->setRowCount(int(c.rows().size()));
    const QColor better(0x2E, 0x9E, 0x4F);
    for (int r = 0; r < int(c.rows().size()); ++r) {
        const auto& row = c.rows()[std::size_t(r)];
        const QString label = qs(row.metric) + (row.unit.empty() || row.unit == "USD"
                                                    ? QString()
                                                    : QStringLiteral(" (%1)").arg(qs(row.unit)));
        m_table->setItem(r, 0, new QTableWidgetItem(label));
        for (int side = 0; side < 2; ++side) {
            auto* item = new QTableWidgetItem(valueText(side == 0 ? row.a : row.b, row.unit));
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            const bool wins = (side == 0 && row.better == sim::Comparison::Better::A) ||
                              (side == 1 && row.better == sim::Comparison::Better::B);
            if (wins) {
                QFont bold = item->font();
                bold.setBold(true);
                item->setFont(bold);
                item->setForeground(better);
                item->setText(item->text() + QStringLiteral("  ✔"));
                item->setToolTip(tr("The better value"));
            }
            m_table->setItem(r, 1 + side, item);
        }
    }
    m_table->resizeColumnsToContents();
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);

    const auto& ra = c.resultsA();
    const auto& rb = c.resultsB();
    auto endToEnd = [](const sim::SimulationResults& results, const char* name) {
        const auto it = results.timeseries.endToEnd.find(name);
        return it == results.timeseries.endToEnd.end() ? std::vector<double>() : it->second;
    };
    m_response->beginUpdate();
    m_response->setSeries(QStringLiteral("A"), ra.timeseries.t, endToEnd(ra, "p99_ms"));
    m_response->setSeries(QStringLiteral("B"), rb.timeseries.t, endToEnd(rb, "p99_ms"));
    m_response->endUpdate();
    m_completed->beginUpdate();
    m_completed->setSeries(QStringLiteral("A"), ra.timeseries.t, endToEnd(ra, "completed_per_s"));
    m_completed->setSeries(QStringLiteral("B"), rb.timeseries.t, endToEnd(rb, "completed_per_s"));
    m_completed->endUpdate();
    m_backlog->beginUpdate();
    m_backlog->setSeries(QStringLiteral("A"), ra.timeseries.t, total(ra, "backlog", "queue"));
    m_backlog->setSeries(QStringLiteral("B"), rb.timeseries.t, total(rb, "backlog", "queue"));
    m_backlog->endUpdate();
    // Every component's failures and timeouts: asynchronous ones never reach a producer.
    m_failures->beginUpdate();
    m_failures->setSeries(QStringLiteral("A"), ra.timeseries.t, total(ra, "errors_per_s"));
    m_failures->setSeries(QStringLiteral("B"), rb.timeseries.t, total(rb, "errors_per_s"));
    m_failures->endUpdate();

    m_status->setText(tr("Seed %1, %2 s simulated. Canvases show how each component ended the "
                         "run: green calm, amber busy, red failing.")
                          .arg(ra.seed)
                          .arg(ra.durationSeconds));
    Q_EMIT finished();
}

} // namespace eventflow::studio
