#include "TimeChart.h"

#include <QApplication>
#include <QLegendMarker>
#include <QLineSeries>
#include <QSaveFile>
#include <QToolTip>
#include <QValueAxis>
#include <QMouseEvent>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace eventflow::studio {

TimeChart::TimeChart(const QString& title, const QString& unit, QWidget* parent)
    : QChartView(parent)
    , m_time(new QValueAxis)
    , m_values(new QValueAxis)
{
    auto* chart = new QChart;
    // The unit goes into the title: axis titles would take the room the lines need.
    chart->setTitle(unit.isEmpty() ? title : QStringLiteral("%1 (%2)").arg(title, unit));
    chart->setAnimationOptions(QChart::NoAnimation); // replaced 20 times a second
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    m_time->setLabelFormat(QStringLiteral("%.0f s"));
    m_values->setLabelFormat(QStringLiteral("%.0f"));
    QFont small = QApplication::font();
    small.setPointSizeF(small.pointSizeF() * 0.8);
    m_time->setLabelsFont(small);
    m_values->setLabelsFont(small);
    chart->legend()->setFont(small);
    m_time->setTickCount(5);
    m_values->setTickCount(4);
    chart->addAxis(m_time, Qt::AlignBottom);
    chart->addAxis(m_values, Qt::AlignLeft);
    setChart(chart);
    setRenderHint(QPainter::Antialiasing);
    setRubberBand(QChartView::HorizontalRubberBand);
    setMinimumSize(240, 170);
    setToolTip(tr("Wheel or drag to zoom the time axis, double-click to reset; click a legend "
                  "entry to hide its line"));
    const bool dark = QApplication::palette().color(QPalette::Window).lightness() < 128;
    chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    // The theme resets fonts: set them after it.
    m_time->setLabelsFont(small);
    m_values->setLabelsFont(small);
    chart->legend()->setFont(small);
    QFont titleFont = QApplication::font();
    titleFont.setBold(true);
    chart->setTitleFont(titleFont);
}

void TimeChart::beginUpdate()
{
    m_touched.clear();
}

void TimeChart::endUpdate()
{
    for (auto it = m_series.begin(); it != m_series.end();) {
        if (!m_touched.contains(it.key())) {
            chart()->removeSeries(it.value());
            delete it.value();
            it = m_series.erase(it);
        } else {
            ++it;
        }
    }
    fitAxes();
}

void TimeChart::clearSeries()
{
    beginUpdate();
    endUpdate();
}

void TimeChart::setSeries(const QString& name, const std::vector<double>& t,
                          const std::vector<double>& values, bool limit)
{
    m_touched << name;
    QLineSeries* line = m_series.value(name);
    if (!line) {
        line = new QLineSeries;
        line->setName(name);
        m_series.insert(name, line);
        chart()->addSeries(line);
        line->attachAxis(m_time);
        line->attachAxis(m_values);
        if (limit) {
            QPen pen = line->pen();
            pen.setStyle(Qt::DashLine);
            pen.setWidthF(1.5);
            line->setPen(pen);
        }
        connect(line, &QLineSeries::hovered, this, [this, line](const QPointF& point, bool state) {
            if (state)
                QToolTip::showText(QCursor::pos(),
                                   QStringLiteral("%1\nt = %2 s: %3")
                                       .arg(line->name())
                                       .arg(point.x(), 0, 'f', 1)
                                       .arg(point.y(), 0, 'g', 4),
                                   this);
        });
        // Legend markers toggle their series.
        for (QLegendMarker* marker : chart()->legend()->markers(line))
            connect(marker, &QLegendMarker::clicked, this, [line, marker] {
                line->setVisible(!line->isVisible());
                marker->setVisible(true);
                QFont font = marker->font();
                font.setStrikeOut(!line->isVisible());
                marker->setFont(font);
            });
    }
    QList<QPointF> points;
    const std::size_t n = std::min(t.size(), values.size());
    points.reserve(qsizetype(n));
    for (std::size_t i = 0; i < n; ++i)
        points.append(QPointF(t[i], values[i]));
    line->replace(points);
}

void TimeChart::fitAxes()
{
    double tMax = 4.0; // an empty chart still reads 0 s, 1 s, 2 s...
    double vMax = 0.0;
    for (QLineSeries* line : std::as_const(m_series)) {
        const auto points = line->points();
        if (points.isEmpty())
            continue;
        tMax = std::max(tMax, points.back().x());
        for (const QPointF& p : points)
            vMax = std::max(vMax, p.y());
    }
    if (!m_zoomed)
        m_time->setRange(0, tMax);
    m_values->setRange(0, vMax <= 0 ? 1.0 : vMax * 1.08);
    // Whole numbers once values are large; printf's %g would write 3.7e+04.
    m_values->setLabelFormat(vMax >= 10 ? QStringLiteral("%.0f") : QStringLiteral("%.2f"));
}

QStringList TimeChart::seriesNames() const
{
    return m_series.keys();
}

QLineSeries* TimeChart::series(const QString& name) const
{
    return m_series.value(name);
}

QString TimeChart::csv() const
{
    QString text = QStringLiteral("t");
    QList<QList<QPointF>> columns;
    for (auto it = m_series.begin(); it != m_series.end(); ++it) {
        QString name = it.key();
        name.replace(QLatin1Char('"'), QStringLiteral("\"\""));
        text += QStringLiteral(",\"%1\"").arg(name);
        columns << it.value()->points();
    }
    text += QLatin1Char('\n');
    const qsizetype rows = columns.isEmpty() ? 0 : columns.front().size();
    for (qsizetype r = 0; r < rows; ++r) {
        text += QString::number(columns.front()[r].x(), 'g', 10);
        for (const auto& column : columns)
            text += QLatin1Char(',') +
                    (r < column.size() ? QString::number(column[r].y(), 'g', 10) : QString());
        text += QLatin1Char('\n');
    }
    return text;
}

std::optional<QString> TimeChart::savePng(const QString& path)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || !grab().save(&file, "PNG") || !file.commit())
        return tr("cannot write %1: %2").arg(path, file.errorString());
    return std::nullopt;
}

std::optional<QString> TimeChart::saveCsv(const QString& path) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return tr("cannot write %1: %2").arg(path, file.errorString());
    file.write(csv().toUtf8());
    if (!file.commit())
        return tr("cannot write %1: %2").arg(path, file.errorString());
    return std::nullopt;
}

void TimeChart::wheelEvent(QWheelEvent* event)
{
    const double factor = event->angleDelta().y() > 0 ? 1.25 : 0.8;
    m_zoomed = true;
    chart()->zoom(factor); // both axes; the value axis refits at the next update
    event->accept();
}

void TimeChart::mouseDoubleClickEvent(QMouseEvent* event)
{
    m_zoomed = false;
    chart()->zoomReset();
    fitAxes();
    QChartView::mouseDoubleClickEvent(event);
}

void TimeChart::mousePressEvent(QMouseEvent* event)
{
    m_pressedAt = event->position().toPoint();
    QChartView::mousePressEvent(event);
}

void TimeChart::mouseReleaseEvent(QMouseEvent* event)
{
    // A rubber band drawn (not a click) chose a time range.
    if (event->button() == Qt::LeftButton &&
        (event->position().toPoint() - m_pressedAt).manhattanLength() > 6)
        m_zoomed = true;
    QChartView::mouseReleaseEvent(event);
}

void TimeChart::keyPressEvent(QKeyEvent* event)
{
    switch (event->key()) {
    case Qt::Key_Left: chart()->scroll(-20, 0); m_zoomed = true; break;
    case Qt::Key_Right: chart()->scroll(20, 0); m_zoomed = true; break;
    default: QChartView::keyPressEvent(event);
    }
}

} // namespace eventflow::studio
