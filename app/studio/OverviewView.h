#pragma once

#include <QGraphicsView>

namespace eventflow::studio {

class DesignView;

/// The overview (minimap): the whole design at a glance with the main view's visible area
/// framed; click or drag in it to move the main view there. Draws the same scene, never
/// interactive with its items.
class OverviewView : public QGraphicsView {
    Q_OBJECT
public:
    OverviewView(DesignView* main, QWidget* parent = nullptr);

    /// Fits the whole design and redraws the frame (called when the design or main view moves).
    void refresh();

protected:
    void drawForeground(QPainter* painter, const QRectF& rect) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;

private:
    void centreMainOn(const QPoint& viewPos);

    DesignView* m_main;
};

} // namespace eventflow::studio
