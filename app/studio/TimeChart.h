#pragma once

#include <QChartView>
#include <QMap>
#include <QString>

#include <optional>
#include <vector>

class QLineSeries;
class QValueAxis;

namespace eventflow::studio {

/// One chart of values over simulated time: named line series replaced in bulk from a
/// snapshot (QXYSeries::replace), a hover read-out, zoom on the time axis with the wheel or a
/// rubber band (double-click resets), pan with the arrow keys, a legend whose markers hide and
/// show their series, and export of the picture (PNG) and the data (CSV).
class TimeChart : public QChartView {
    Q_OBJECT
public:
    TimeChart(const QString& title, const QString& unit, QWidget* parent = nullptr);

    /// Sets series `name` to (t[i], values[i]); creates it on first use. `limit` draws it dashed
    /// (a limit line: reserved concurrency, a timeout).
    void setSeries(const QString& name, const std::vector<double>& t,
                   const std::vector<double>& values, bool limit = false);
    /// Removes every series not named since the last beginUpdate().
    void beginUpdate();
    void endUpdate();
    void clearSeries();

    QStringList seriesNames() const;
    QLineSeries* series(const QString& name) const;
    /// "t,<name>,<name>..." rows, one per time.
    QString csv() const;
    std::optional<QString> savePng(const QString& path);
    std::optional<QString> saveCsv(const QString& path) const;

protected:
    void wheelEvent(QWheelEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;

private:
    void fitAxes();

    QValueAxis* m_time;
    QValueAxis* m_values;
    QMap<QString, QLineSeries*> m_series;
    QStringList m_touched;
    bool m_zoomed = false; ///< the user chose the time range: updates keep it
    QPoint m_pressedAt;
};

} // namespace eventflow::studio
