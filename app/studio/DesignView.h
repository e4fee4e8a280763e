#pragma once

#include <QGraphicsView>

namespace eventflow::studio {

class DesignScene;

/// The main view on the canvas: zoom with the wheel (around the pointer) and the standard zoom
/// keys, pan with the middle button or by holding Space and dragging, rubber-band selection,
/// arrow keys nudge the selection, and components dropped from the palette are placed where
/// they land.
class DesignView : public QGraphicsView {
    Q_OBJECT
public:
    static constexpr qreal kMinZoom = 0.1;
    static constexpr qreal kMaxZoom = 4.0;

    explicit DesignView(DesignScene* scene, QWidget* parent = nullptr);

    qreal zoom() const { return transform().m11(); }
    void setZoom(qreal zoom);
    void zoomIn();
    void zoomOut();
    void resetZoom();
    void fitToContents();

Q_SIGNALS:
    void zoomChanged(qreal zoom);
    /// Emitted after the visible area changed (scroll, zoom, resize): the overview follows.
    void viewportMoved();

protected:
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void keyReleaseEvent(QKeyEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dragMoveEvent(QDragMoveEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void scrollContentsBy(int dx, int dy) override;
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    DesignScene* m_scene;
    bool m_fitPending = false;
    bool m_spaceHeld = false;
    bool m_panning = false;
    QPoint m_panOrigin;
};

} // namespace eventflow::studio
