#pragma once

#include "model/Design.h"

#include <QGraphicsItem>
#include <QList>
#include <QStringList>

#include <optional>

namespace eventflow::studio {

class ConnectionItem;

/// A component on the canvas: a view of one model::Component, drawn as a card with its type's
/// icon and colour, label, type and id, a badge when the validator found a problem, and a
/// connector handle on the right edge (shown on hover) from which connections are dragged.
/// Holds no data of its own beyond what the scene copies in with setComponent().
class ComponentItem : public QGraphicsItem {
public:
    enum { Type = UserType + 1 };
    static constexpr qreal kWidth = 184.0;
    static constexpr qreal kHeight = 60.0;
    static constexpr qreal kHandleRadius = 7.0;

    explicit ComponentItem(const model::Component& component);

    int type() const override { return Type; }
    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option,
               QWidget* widget) override;

    const std::string& componentId() const { return m_id; }
    void setComponent(const model::Component& component);
    /// 0 none, 1 warning, 2 error.
    void setProblemLevel(int level);

    /// What a running simulation shows on the card: how it copes, and its live figures.
    struct LiveState {
        enum class Load { Calm, Busy, Failing };
        Load load = Load::Calm;
        QStringList badges;  ///< "backlog 1,204", "throttled 35"... shown under the card
        /// The live numbers for the tooltip, written out only when someone hovers.
        struct Figures {
            double at = 0, received = 0, done = 0, errors = 0, throttles = 0, backlog = 0,
                   inFlight = 0;
            double totalReceived = 0, totalCompleted = 0, totalFailed = 0, totalTimedOut = 0,
                   totalThrottled = 0, totalDeadLettered = 0;
        } figures;
    };
    void setLiveState(std::optional<LiveState> state);
    const std::optional<LiveState>& liveState() const { return m_live; }
    /// The tooltip: what the component is, and its live numbers during a run.
    QString toolTipText() const;
    /// True when `scenePoint` is on the connector handle.
    bool isOnHandle(const QPointF& scenePoint) const;
    /// Where connections leave (right edge) and arrive (left edge), in scene coordinates.
    QPointF outPort() const;
    QPointF inPort() const;
    QRectF cardRect() const { return {0, 0, kWidth, kHeight}; }

    void attach(ConnectionItem* connection) { m_connections.append(connection); }
    void detach(ConnectionItem* connection) { m_connections.removeAll(connection); }


protected:
    QVariant itemChange(GraphicsItemChange change, const QVariant& value) override;
    void hoverEnterEvent(QGraphicsSceneHoverEvent* event) override;
    void hoverMoveEvent(QGraphicsSceneHoverEvent* event) override;
    void hoverLeaveEvent(QGraphicsSceneHoverEvent* event) override;

private:
    std::string m_id;
    model::ComponentType m_type = model::ComponentType::Service;
    QString m_label;
    QString m_subtitle;
    QString m_labelShown;    ///< elided to the card
    QString m_subtitleShown;
    int m_problemLevel = 0;
    std::optional<LiveState> m_live;
    QString m_staticToolTip;
    bool m_hovered = false;
    QList<ConnectionItem*> m_connections;
};

} // namespace eventflow::studio
