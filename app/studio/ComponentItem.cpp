#include "ComponentItem.h"

#include "ComponentStyle.h"
#include "ConnectionItem.h"
#include "DesignScene.h"

#include <QApplication>
#include <QCursor>
#include <QGraphicsSceneHoverEvent>
#include <QLocale>
#include <QPainter>
#include <QPalette>
#include <QStyleOptionGraphicsItem>

#include <cmath>

namespace eventflow::studio {

namespace {
constexpr qreal kIconSize = 36.0;
constexpr qreal kPadding = 10.0;
constexpr qreal kRadius = 8.0;

// The coloured strip on the card's left: rounded on the outside, square towards the text.
QPainterPath iconStrip()
{
    const QRectF area(0, 0, kIconSize + 2 * 6, ComponentItem::kHeight);
    QPainterPath strip;
    strip.addRoundedRect(area, kRadius, kRadius);
    QPainterPath clip;
    clip.addRect(area);
    return strip.intersected(clip);
}

QFont labelFont()
{
    QFont font = QApplication::font();
    font.setBold(true);
    return font;
}

QFont subtitleFont()
{
    QFont font = QApplication::font();
    font.setPointSizeF(font.pointSizeF() * 0.85);
    return font;
}

QRectF textArea()
{
    return QRectF(kIconSize + 2 * 6 + kPadding, 8,
                  ComponentItem::kWidth - kIconSize - 12 - 2 * kPadding,
                  ComponentItem::kHeight - 16);
}
} // namespace

ComponentItem::ComponentItem(const model::Component& component)
{
    setFlags(ItemIsMovable | ItemIsSelectable | ItemSendsGeometryChanges);
    setAcceptHoverEvents(true);
    setZValue(1.0);
    setComponent(component);
}

QRectF ComponentItem::boundingRect() const
{
    // The handle and badge stick out of the card, the selection glow too, and live badges hang
    // below it.
    return QRectF(-4, -10, kWidth + kHandleRadius + 8, kHeight + 14 + (m_live ? 22 : 0));
}

QPainterPath ComponentItem::shape() const
{
    QPainterPath path;
    path.addRoundedRect(cardRect(), kRadius, kRadius);
    path.addEllipse(QPointF(kWidth, kHeight / 2), kHandleRadius + 2, kHandleRadius + 2);
    return path;
}

void ComponentItem::setComponent(const model::Component& component)
{
    prepareGeometryChange();
    m_id = component.id;
    m_type = component.type;
    m_label = QString::fromStdString(component.label.empty() ? component.id : component.label);
    m_subtitle = ComponentStyle::title(component.type) + QStringLiteral(" · ") +
                 QString::fromStdString(component.id);
    // Elided once here, not on every repaint: shaping text is most of what a card costs.
    m_labelShown = QFontMetricsF(labelFont()).elidedText(m_label, Qt::ElideRight,
                                                         textArea().width());
    m_subtitleShown = QFontMetricsF(subtitleFont()).elidedText(m_subtitle, Qt::ElideMiddle,
                                                               textArea().width());
    m_staticToolTip = QStringLiteral("<b>%1</b><br>%2 <i>%3</i><br>%4")
                          .arg(m_label.toHtmlEscaped(), ComponentStyle::title(component.type),
                               QString::fromStdString(component.id).toHtmlEscaped(),
                               ComponentStyle::description(component.type));
    setToolTip(m_staticToolTip);
    const QPointF position(component.position.x, component.position.y);
    if (pos() != position)
        setPos(position);
    update();
}

void ComponentItem::setProblemLevel(int level)
{
    if (level == m_problemLevel)
        return;
    m_problemLevel = level;
    update();
}

void ComponentItem::setLiveState(std::optional<LiveState> state)
{
    if (!state && !m_live)
        return;
    // Badges hang below the card: the bounds change only when live figures come or go (a
    // geometry change re-indexes the item, too dear for every snapshot of every card).
    if (state.has_value() != m_live.has_value())
        prepareGeometryChange();
    // Repaint only when the card would look different (the numbers live in the tooltip).
    const bool changed = state.has_value() != m_live.has_value() ||
                         (state && (state->load != m_live->load || state->badges != m_live->badges));
    m_live = std::move(state);
    if (changed)
        update();
}

QString ComponentItem::toolTipText() const
{
    if (!m_live)
        return m_staticToolTip;
    const auto& f = m_live->figures;
    const QLocale locale;
    auto n = [&locale](double v) { return locale.toString(std::llround(v)); };
    return m_staticToolTip +
           QObject::tr("<hr><b>%1 s</b>: %2 received/s, %3 done/s, %4 errors/s, %5 throttled/s"
                       "<br>backlog %6, in flight %7<br>so far: %8 received, %9 completed, "
                       "%10 failed, %11 timed out, %12 throttled, %13 dead-lettered")
               .arg(QString::number(f.at, 'f', 0), n(f.received), n(f.done), n(f.errors),
                    n(f.throttles), n(f.backlog), n(f.inFlight), n(f.totalReceived),
                    n(f.totalCompleted))
               .arg(n(f.totalFailed), n(f.totalTimedOut), n(f.totalThrottled),
                    n(f.totalDeadLettered));
}

bool ComponentItem::isOnHandle(const QPointF& scenePoint) const
{
    const QPointF local = mapFromScene(scenePoint) - QPointF(kWidth, kHeight / 2);
    return std::hypot(local.x(), local.y()) <= kHandleRadius + 3;
}

QPointF ComponentItem::outPort() const
{
    return mapToScene(QPointF(kWidth, kHeight / 2));
}

QPointF ComponentItem::inPort() const
{
    return mapToScene(QPointF(0, kHeight / 2));
}

void ComponentItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget*)
{
    const QPalette palette = QApplication::palette();
    const QColor accent = ComponentStyle::colour(m_type);
    const bool selected = option->state & QStyle::State_Selected;
    const bool dark = palette.color(QPalette::Window).lightness() < 128;
    painter->setRenderHint(QPainter::Antialiasing);

    QColor fill = palette.color(QPalette::Base);
    fill = dark ? fill.lighter(130) : fill;
    QColor border = accent;
    qreal borderWidth = 1.6;
    if (m_live) {
        // Load reads at a glance: calm green, busy amber, failing red — border and a tint.
        const QColor loadColour = m_live->load == LiveState::Load::Failing ? QColor(0xD1, 0x3B, 0x3B)
                                  : m_live->load == LiveState::Load::Busy  ? QColor(0xE0, 0x9A, 0x00)
                                                                           : QColor(0x2E, 0x9E, 0x4F);
        border = loadColour;
        borderWidth = m_live->load == LiveState::Load::Calm ? 2.0 : 3.5;
        fill = QColor::fromRgbF(0.82f * fill.redF() + 0.18f * loadColour.redF(),
                                0.82f * fill.greenF() + 0.18f * loadColour.greenF(),
                                0.82f * fill.blueF() + 0.18f * loadColour.blueF());
    }
    painter->setPen(QPen(selected ? palette.color(QPalette::Highlight) : border,
                         selected ? 3.0 : borderWidth));
    painter->setBrush(fill);
    painter->drawRoundedRect(cardRect(), kRadius, kRadius);

    // A strip in the type's colour carries the icon: the type reads at a glance at any zoom.
    static const QPainterPath strip = iconStrip(); // the same for every card: clipped once
    painter->setPen(Qt::NoPen);
    painter->setBrush(accent.lighter(dark ? 70 : 185));
    painter->drawPath(strip);
    const QRectF iconRect(6, (kHeight - kIconSize) / 2, kIconSize, kIconSize);
    const qreal lod = option->levelOfDetailFromTransform(painter->worldTransform());
    if (lod > 0.25) {
        ComponentStyle::icon(m_type).paint(painter, iconRect.toAlignedRect());
    } else {
        painter->setBrush(accent);
        painter->drawRoundedRect(iconRect, 6, 6);
    }

    if (lod > 0.3) {
        const QRectF textRect = textArea();
        painter->setFont(labelFont());
        painter->setPen(palette.color(QPalette::Text));
        painter->drawText(textRect.adjusted(0, 0, 0, -textRect.height() / 2),
                          Qt::AlignLeft | Qt::AlignVCenter, m_labelShown);
        painter->setFont(subtitleFont());
        // Between text and background: secondary, yet readable on light and dark palettes.
        const QColor text = palette.color(QPalette::Text);
        painter->setPen(QColor::fromRgbF(0.65f * text.redF() + 0.35f * fill.redF(),
                                         0.65f * text.greenF() + 0.35f * fill.greenF(),
                                         0.65f * text.blueF() + 0.35f * fill.blueF()));
        painter->drawText(textRect.adjusted(0, textRect.height() / 2, 0, 0),
                          Qt::AlignLeft | Qt::AlignVCenter, m_subtitleShown);
    }

    if (m_problemLevel > 0) {
        const QColor badge = m_problemLevel == 2 ? QColor(0xD1, 0x3B, 0x3B) : QColor(0xE0, 0x9A, 0x00);
        const QRectF badgeRect(kWidth - 14, -7, 18, 18);
        painter->setPen(QPen(fill, 2));
        painter->setBrush(badge);
        painter->drawEllipse(badgeRect);
        QFont bold = QApplication::font();
        bold.setBold(true);
        bold.setPixelSize(12);
        painter->setFont(bold);
        painter->setPen(Qt::white);
        painter->drawText(badgeRect, Qt::AlignCenter, QStringLiteral("!"));
    }

    if (m_live && !m_live->badges.isEmpty() && lod > 0.3) {
        QFont small = QApplication::font();
        small.setPointSizeF(small.pointSizeF() * 0.8);
        small.setBold(true);
        painter->setFont(small);
        const QFontMetricsF metrics(small);
        qreal x = 0;
        for (const QString& badge : m_live->badges) {
            const qreal width = metrics.horizontalAdvance(badge) + 10;
            if (x + width > kWidth + 4)
                break;
            const QRectF pill(x, kHeight + 4, width, metrics.height() + 3);
            const bool alarming = badge.startsWith(QLatin1String("failed")) ||
                                  badge.startsWith(QLatin1String("timed out")) ||
                                  badge.startsWith(QLatin1String("DLQ"));
            painter->setPen(Qt::NoPen);
            painter->setBrush(alarming ? QColor(0xD1, 0x3B, 0x3B) : QColor(0x45, 0x4F, 0x5B));
            painter->drawRoundedRect(pill, pill.height() / 2, pill.height() / 2);
            painter->setPen(Qt::white);
            painter->drawText(pill, Qt::AlignCenter, badge);
            x += width + 4;
        }
    }

    if (m_hovered || selected) {
        painter->setPen(QPen(fill, 2));
        painter->setBrush(accent);
        painter->drawEllipse(QPointF(kWidth, kHeight / 2), kHandleRadius, kHandleRadius);
        painter->setPen(QPen(Qt::white, 1.8, Qt::SolidLine, Qt::RoundCap));
        painter->drawLine(QPointF(kWidth - 3, kHeight / 2), QPointF(kWidth + 3, kHeight / 2));
        painter->drawLine(QPointF(kWidth, kHeight / 2 - 3), QPointF(kWidth, kHeight / 2 + 3));
    }
}

QVariant ComponentItem::itemChange(GraphicsItemChange change, const QVariant& value)
{
    // Only positions set by dragging with the mouse snap; the model's are shown as they are.
    if (change == ItemPositionChange)
        if (auto* designScene = qobject_cast<DesignScene*>(scene());
            designScene && designScene->isMouseDragging())
            return designScene->snapped(value.toPointF());
    if (change == ItemPositionHasChanged) {
        for (ConnectionItem* connection : std::as_const(m_connections))
            connection->updatePath();
    }
    return QGraphicsItem::itemChange(change, value);
}

void ComponentItem::hoverEnterEvent(QGraphicsSceneHoverEvent* event)
{
    m_hovered = true;
    update();
    QGraphicsItem::hoverEnterEvent(event);
}

void ComponentItem::hoverMoveEvent(QGraphicsSceneHoverEvent* event)
{
    setCursor(isOnHandle(event->scenePos()) ? Qt::CrossCursor : Qt::ArrowCursor);
    QGraphicsItem::hoverMoveEvent(event);
}

void ComponentItem::hoverLeaveEvent(QGraphicsSceneHoverEvent* event)
{
    m_hovered = false;
    unsetCursor();
    update();
    QGraphicsItem::hoverLeaveEvent(event);
}

} // namespace eventflow::studio
