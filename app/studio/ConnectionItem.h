#pragma once

#include "model/Design.h"

#include <QGraphicsItem>
#include <QPainterPath>

#include <optional>

namespace eventflow::studio {

class ComponentItem;

/// A connection on the canvas, drawn under the components from its source to its target:
/// left-to-right links as a smooth curve from the right edge to the left edge, links to a
/// component above or below in the same column through the top and bottom edges, backward links
/// in a loop around the cards. Styled by kind (sync solid, async dashed, failure paths red) and
/// labelled with the kind and a short summary (a rule's pattern, a subscription's filter).
/// Follows its ends: ComponentItem calls updatePath() when it moves.
class ConnectionItem : public QGraphicsItem {
public:
    enum { Type = UserType + 2 };

    ConnectionItem(ComponentItem* source, ComponentItem* target);
    ~ConnectionItem() override;

    int type() const override { return Type; }
    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option,
               QWidget* widget) override;

    void setConnection(const model::Connection& connection, const QString& summary);
    model::ConnectionKind kind() const { return m_kind; }
    QString labelText() const;
    const QString& summaryText() const { return m_summary; }
    ComponentItem* source() const { return m_source; }
    ComponentItem* target() const { return m_target; }
    void updatePath();
    const QPainterPath& path() const { return m_path; }

    /// A short, one-line reading of a connection: the filter policy of a subscription, the
    /// pattern of the rule a bus feeds, the batch size of a poller. Empty when nothing is notable.
    static QString summary(const model::Design& design, const model::Connection& connection);

    /// What a running simulation shows on the link: messages per second and the share of them
    /// that fail; drawn as thickness, colour and moving dots whose density follows the rate.
    struct LiveFlow {
        double perSecond = 0.0;
        double errorShare = 0.0;
    };
    void setLiveFlow(std::optional<LiveFlow> flow);
    const std::optional<LiveFlow>& liveFlow() const { return m_flow; }
    /// Moves the dots along (the scene's animation calls it about 30 times a second).
    void setFlowPhase(qreal phase);

private:
    bool crossesOtherComponents(const QPainterPath& path) const;

    ComponentItem* m_source;
    ComponentItem* m_target;
    model::ConnectionKind m_kind = model::ConnectionKind::Invoke;
    QString m_summary;
    QPainterPath m_path;
    QPointF m_arrowTip;
    qreal m_arrowAngle = 0.0;
    qreal m_labelWidth = 0.0; ///< room for the label; 0 hides it
    QString m_labelShown;     ///< the label as drawn, elided to the room
    QRectF m_labelRect;       ///< where it is drawn; empty when hidden
    std::optional<LiveFlow> m_flow;
    qreal m_flowPhase = 0.0;
};

} // namespace eventflow::studio
