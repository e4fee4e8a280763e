#include "OverviewView.h"

#include "DesignScene.h"
#include "DesignView.h"

#include <QMouseEvent>
#include <QTimer>

namespace eventflow::studio {

namespace {

// What changes on screen when the frame moves from scene rect `before` to `after`: the fill where
// one frame covers and the other does not, and both borders (2 px, antialiased) with a margin.
QRegion frameChange(const QGraphicsView* view, const QRectF& before, const QRectF& after)
{
    const QRect from = view->mapFromScene(before).boundingRect();
    const QRect to = view->mapFromScene(after).boundingRect();
    QRegion region = QRegion(from).xored(QRegion(to));
    for (const QRect& frame : {from, to})
        region += QRegion(frame.adjusted(-4, -4, 4, 4)).subtracted(frame.adjusted(4, 4, -4, -4));
    return region;
}

} // namespace

OverviewView::OverviewView(DesignView* main, QWidget* parent)
    : QGraphicsView(main->scene(), parent)
    , m_main(main)
{
    setInteractive(false);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setRenderHints(QPainter::Antialiasing);
    setViewportUpdateMode(BoundingRectViewportUpdate);
    setMinimumSize(160, 110);
    setToolTip(tr("Overview: click or drag to move the view"));
    // Moving the main view moves only the frame: repaint where it was and where it is, not the
    // whole design under it (hundreds of cards cost more than the main view's own frame).
    connect(main, &DesignView::viewportMoved, this, [this, shown = QRectF()]() mutable {
        const QRectF visible = m_main->mapToScene(m_main->viewport()->rect()).boundingRect();
        if (shown.isNull())
            viewport()->update();
        else
            viewport()->update(frameChange(this, shown, visible));
        shown = visible;
    });
    // Coalesce bursts of scene changes (a drag, a paste) into one refit.
    auto* refit = new QTimer(this);
    refit->setSingleShot(true);
    refit->setInterval(100);
    connect(refit, &QTimer::timeout, this, &OverviewView::refresh);
    connect(main->scene(), &QGraphicsScene::changed, refit, qOverload<>(&QTimer::start));
}

void OverviewView::refresh()
{
    auto* scene = static_cast<DesignScene*>(m_main->scene());
    fitInView(scene->contentsRect(), Qt::KeepAspectRatio);
    viewport()->update();
}

void OverviewView::drawForeground(QPainter* painter, const QRectF&)
{
    const QRectF visible = m_main->mapToScene(m_main->viewport()->rect()).boundingRect();
    QColor highlight = palette().color(QPalette::Highlight);
    painter->setPen(QPen(highlight, 2.0 / transform().m11()));
    highlight.setAlphaF(0.12);
    painter->setBrush(highlight);
    painter->drawRect(visible);
}

void OverviewView::centreMainOn(const QPoint& viewPos)
{
    m_main->centerOn(mapToScene(viewPos));
    viewport()->update();
}

void OverviewView::mousePressEvent(QMouseEvent* event)
{
    centreMainOn(event->position().toPoint());
}

void OverviewView::mouseMoveEvent(QMouseEvent* event)
{
    if (event->buttons() & Qt::LeftButton)
        centreMainOn(event->position().toPoint());
}

void OverviewView::resizeEvent(QResizeEvent* event)
{
    QGraphicsView::resizeEvent(event);
    refresh();
}

void OverviewView::wheelEvent(QWheelEvent* event)
{
    event->ignore(); // the overview always shows everything
}

} // namespace eventflow::studio
