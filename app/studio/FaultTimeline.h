#pragma once

#include "DesignDocument.h"

#include <QWidget>

#include <optional>
#include <vector>

class QComboBox;
class QDoubleSpinBox;
class QPushButton;
class QLabel;

namespace eventflow::studio {

/// The faults and traffic changes of a design on a time line from 0 to the run's duration: one
/// row per component that has any, a bar per fault (outage, latency ×k, error rate, throttle
/// limit) or traffic change (a producer's spike or ramp). Drag a bar to move it, drag its ends
/// to stretch it; the form below edits the selected bar's figures; Add puts a new fault on the
/// chosen component. Every change is one undo command on the document; the engine runs what is
/// drawn. While a run is on, a line marks the simulated clock.
class FaultTimeline : public QWidget {
    Q_OBJECT
public:
    explicit FaultTimeline(DesignDocument* document, QWidget* parent = nullptr);

    /// What a bar stands for: a fault (index into design.faults) or a producer's traffic
    /// change (index into design.traffic).
    struct Bar {
        enum class Source { Fault, Traffic };
        Source source = Source::Fault;
        int index = -1;
        int row = 0;
        double start = 0;
        double end = 0;
        QString text;
        QColor colour;
    };
    std::vector<Bar> bars() const;
    /// Where a bar is drawn, in widget coordinates (for tests and hit tests).
    QRectF barRect(const Bar& bar) const;
    std::optional<Bar> selected() const { return m_selected; }
    void select(std::optional<Bar> bar);

    /// Adds a fault of `kind` on `componentId` at a default place and strength.
    void addFault(const std::string& componentId, model::Fault::Kind kind);
    /// Marks the simulated clock (negative: no run).
    void setClock(double seconds);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    enum class Grip { None, Body, Start, End };
    std::vector<std::string> rowIds() const;
    QRectF plotArea() const;
    double duration() const;
    double secondsAt(double x) const;
    double xAt(double seconds) const;
    void refreshControls();
    void applyTimes(const Bar& bar, double start, double end, const QString& mergeKey);
    void applyValue(double value);
    void removeSelected();

    DesignDocument* m_document;
    QComboBox* m_component;
    QComboBox* m_kind;
    QPushButton* m_add;
    QLabel* m_selectedLabel;
    QDoubleSpinBox* m_start;
    QDoubleSpinBox* m_end;
    QDoubleSpinBox* m_value;
    QPushButton* m_remove;
    QWidget* m_controls;
    std::optional<Bar> m_selected;
    Grip m_grip = Grip::None;
    double m_pressSeconds = 0;
    double m_dragStart = 0;
    double m_dragEnd = 0;
    double m_clock = -1;
    int m_dragSerial = 0;
    bool m_updatingControls = false;
};

} // namespace eventflow::studio
