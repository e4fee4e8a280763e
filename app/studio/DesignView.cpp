#include "DesignView.h"

#include "ComponentPalette.h"
#include "DesignScene.h"

#include <QKeyEvent>
#include <QMimeData>
#include <QScrollBar>
#include <QWheelEvent>

#include <cmath>

namespace eventflow::studio {

DesignView::DesignView(DesignScene* scene, QWidget* parent)
    : QGraphicsView(scene, parent)
    , m_scene(scene)
{
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing |
                   QPainter::SmoothPixmapTransform);
    setDragMode(RubberBandDrag);
    setRubberBandSelectionMode(Qt::IntersectsItemShape);
    setTransformationAnchor(AnchorUnderMouse);
    setResizeAnchor(AnchorViewCenter);
    // Only what changed is repainted; a full-viewport repaint per frame does not scale to
    // hundreds of components.
    setViewportUpdateMode(SmartViewportUpdate);
    setOptimizationFlags(DontSavePainterState);
    setCacheMode(CacheBackground);
    setAcceptDrops(true);
    setFocusPolicy(Qt::StrongFocus);
    setSceneRect(-5000, -5000, 10000, 10000);
}

void DesignView::setZoom(qreal zoom)
{
    zoom = std::clamp(zoom, kMinZoom, kMaxZoom);
    if (std::abs(zoom - this->zoom()) < 1e-9)
        return;
    const qreal factor = zoom / this->zoom();
    scale(factor, factor);
    Q_EMIT zoomChanged(zoom);
    Q_EMIT viewportMoved();
}

void DesignView::zoomIn()
{
    setZoom(zoom() * 1.25);
}

void DesignView::zoomOut()
{
    setZoom(zoom() / 1.25);
}

void DesignView::resetZoom()
{
    setZoom(1.0);
}

void DesignView::fitToContents()
{
    // Before the window is on screen the viewport has no real size yet: fit once it has.
    m_fitPending = !isVisible();
    const QRectF contents = m_scene->contentsRect();
    // Grow the scrollable area with the design so nothing is out of reach.
    setSceneRect(sceneRect().united(contents.adjusted(-2000, -2000, 2000, 2000)));
    fitInView(contents, Qt::KeepAspectRatio);
    if (zoom() > 1.0)
        setTransform(QTransform());
    if (zoom() < kMinZoom)
        setTransform(QTransform::fromScale(kMinZoom, kMinZoom));
    centerOn(contents.center());
    Q_EMIT zoomChanged(zoom());
    Q_EMIT viewportMoved();
}

void DesignView::wheelEvent(QWheelEvent* event)
{
    if (event->modifiers() & Qt::ShiftModifier) {
        QGraphicsView::wheelEvent(event); // Shift+wheel scrolls, as in most editors
        return;
    }
    const qreal steps = event->angleDelta().y() / 120.0;
    if (steps != 0)
        setZoom(zoom() * std::pow(1.15, steps));
    event->accept();
}

void DesignView::keyPressEvent(QKeyEvent* event)
{
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        m_spaceHeld = true;
        viewport()->setCursor(Qt::OpenHandCursor);
        event->accept();
        return;
    }
    if (!m_scene->selectedItems().isEmpty()) {
        const qreal step = (event->modifiers() & Qt::ShiftModifier) ? 1.0 : DesignScene::kGrid;
        switch (event->key()) {
        case Qt::Key_Left: m_scene->nudgeSelection(-step, 0); return;
        case Qt::Key_Right: m_scene->nudgeSelection(step, 0); return;
        case Qt::Key_Up: m_scene->nudgeSelection(0, -step); return;
        case Qt::Key_Down: m_scene->nudgeSelection(0, step); return;
        default: break;
        }
    }
    QGraphicsView::keyPressEvent(event);
}

void DesignView::keyReleaseEvent(QKeyEvent* event)
{
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        m_spaceHeld = false;
        viewport()->unsetCursor();
        event->accept();
        return;
    }
    QGraphicsView::keyReleaseEvent(event);
}

void DesignView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() == Qt::MiddleButton ||
        (event->button() == Qt::LeftButton && m_spaceHeld)) {
        m_panning = true;
        m_panOrigin = event->position().toPoint();
        viewport()->setCursor(Qt::ClosedHandCursor);
        event->accept();
        return;
    }
    QGraphicsView::mousePressEvent(event);
}

void DesignView::mouseMoveEvent(QMouseEvent* event)
{
    if (m_panning) {
        const QPoint delta = event->position().toPoint() - m_panOrigin;
        m_panOrigin = event->position().toPoint();
        horizontalScrollBar()->setValue(horizontalScrollBar()->value() - delta.x());
        verticalScrollBar()->setValue(verticalScrollBar()->value() - delta.y());
        event->accept();
        return;
    }
    QGraphicsView::mouseMoveEvent(event);
}

void DesignView::mouseReleaseEvent(QMouseEvent* event)
{
    if (m_panning) {
        m_panning = false;
        if (m_spaceHeld)
            viewport()->setCursor(Qt::OpenHandCursor);
        else
            viewport()->unsetCursor();
        event->accept();
        return;
    }
    QGraphicsView::mouseReleaseEvent(event);
}

void DesignView::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasFormat(ComponentPalette::kMimeType))
        event->acceptProposedAction();
    else
        event->ignore(); // files go up to the main window, which opens them
}

void DesignView::dragMoveEvent(QDragMoveEvent* event)
{
    if (event->mimeData()->hasFormat(ComponentPalette::kMimeType))
        event->acceptProposedAction();
    else
        event->ignore();
}

void DesignView::dropEvent(QDropEvent* event)
{
    const auto type = ComponentPalette::typeFromMime(event->mimeData());
    if (!type) {
        event->ignore();
        return;
    }
    // The pointer holds the card by its icon, as it was shown in the palette.
    const QPointF at = mapToScene(event->position().toPoint()) - QPointF(24, 30);
    m_scene->placeComponent(*type, at);
    event->acceptProposedAction();
    setFocus();
}

void DesignView::scrollContentsBy(int dx, int dy)
{
    QGraphicsView::scrollContentsBy(dx, dy);
    Q_EMIT viewportMoved();
}

void DesignView::changeEvent(QEvent* event)
{
    // The system switched between light and dark: the cached grid and the cards are redrawn.
    if (event->type() == QEvent::PaletteChange) {
        resetCachedContent();
        scene()->update();
    }
    QGraphicsView::changeEvent(event);
}

void DesignView::resizeEvent(QResizeEvent* event)
{
    QGraphicsView::resizeEvent(event);
    if (m_fitPending && isVisible())
        fitToContents();
    Q_EMIT viewportMoved();
}

} // namespace eventflow::studio
