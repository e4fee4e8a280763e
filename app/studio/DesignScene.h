#pragma once

#include "DesignDocument.h"

#include <QGraphicsScene>
#include <QHash>
#include <QVector>

#include <functional>
#include <map>
#include <optional>
#include <set>

class QGraphicsPathItem;

namespace eventflow::studio {

class ComponentItem;
class ConnectionItem;

/// The canvas: a view of a DesignDocument. It rebuilds its items from the document's signals
/// (items mirror the design's component and connection arrays index for index) and turns
/// gestures into undo commands — it never writes the model directly. Gestures: dragging moves
/// (snapped to the grid, pushed on release; consecutive moves of the same selection, by mouse
/// or arrow keys, merge into one undo step), dragging from a card's
/// connector handle draws a connection whose kind is inferred from the two types; when several
/// kinds are possible the user picks one, when none is the refusal is reported.
class DesignScene : public QGraphicsScene {
    Q_OBJECT
public:
    static constexpr qreal kGrid = 20.0;

    explicit DesignScene(DesignDocument* document, QObject* parent = nullptr);
    ~DesignScene() override;

    DesignDocument* document() const { return m_document; }

    ComponentItem* componentItem(int index) const;
    ComponentItem* componentItem(const std::string& id) const;
    ConnectionItem* connectionItem(int index) const;
    int indexOfConnectionItem(const ConnectionItem* item) const;

    std::set<std::string> selectedComponentIds() const;
    std::set<int> selectedConnectionIndices() const;
    void selectOnly(const std::set<std::string>& componentIds, const std::set<int>& connections = {});

    void setSnapToGrid(bool snap);
    bool snapToGrid() const { return m_snapToGrid; }
    /// `p` on the grid when snapping is on, else `p`.
    QPointF snapped(QPointF p) const;
    /// True while the user drags items with the mouse (their moves snap).
    bool isMouseDragging() const { return m_mouseDragging; }

    /// Places a new component of `type` with its top-left corner at `scenePos` (snapped).
    void placeComponent(model::ComponentType type, QPointF scenePos);
    /// Connects `from` to `to`; `kind` when given, else inferred (asking when several fit).
    /// Returns false and emits connectionRefused when the connection is not possible.
    bool connectComponents(const std::string& from, const std::string& to,
                           std::optional<model::ConnectionKind> kind = std::nullopt,
                           QPoint screenPos = {});
    /// Moves the selected components by (dx, dy) as one undo step.
    void nudgeSelection(qreal dx, qreal dy);

    /// Asks the user which kind to use when several fit; returns nullopt when cancelled.
    /// Replaceable so that tests can answer without a popup menu.
    using KindChooser = std::function<std::optional<model::ConnectionKind>(
        const std::vector<model::ConnectionKind>&, QPoint screenPos)>;
    void setKindChooser(KindChooser chooser) { m_kindChooser = std::move(chooser); }

    /// Shows a running simulation on the cards and links (LiveReading), and sets the dots on the
    /// links moving; clearLive() returns to the plain design.
    void showLive(const class LiveReading& reading);
    void clearLive();
    /// Stops or restarts the moving dots (a paused or finished run holds still).
    void pauseFlow(bool paused);
    bool isLive() const { return m_live; }

    /// The smallest rectangle holding every item, with a margin: what pictures and "fit" show.
    QRectF contentsRect() const;

Q_SIGNALS:
    /// A connection could not be made: the reason, and where the pointer was.
    void connectionRefused(const QString& reason, QPointF scenePos);
    /// Something for the status bar (a connection made, what a drag will do).
    void statusMessage(const QString& message);

protected:
    void drawBackground(QPainter* painter, const QRectF& rect) override;
    void mousePressEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseMoveEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent* event) override;
    void helpEvent(QGraphicsSceneHelpEvent* event) override;

private:
    void rebuild();
    /// Deletes every item, connections before the components they hold on to.
    void removeAllItems();
    void insertComponentItem(int index);
    void removeComponentItem(int index);
    void updateComponentItem(int index);
    void moveComponentItem(int index);
    void insertConnectionItem(int index);
    void removeConnectionItem(int index);
    void updateConnectionItem(int index);
    void updateConnectionSummaries();
    void updateProblemBadges();
    ComponentItem* componentItemAt(QPointF scenePos) const;
    std::optional<QString> refusalFor(const model::Component& from, const model::Component& to,
                                      std::optional<model::ConnectionKind> kind) const;

    DesignDocument* m_document;
    QVector<ComponentItem*> m_componentItems;
    QHash<QString, ComponentItem*> m_componentsById;
    QVector<ConnectionItem*> m_connectionItems; // nullptr where an end does not exist
    bool m_snapToGrid = true;
    bool m_mouseDragging = false;
    bool m_live = false;
    class QTimer* m_flowTimer = nullptr;
    qreal m_flowPhase = 0.0;
    KindChooser m_kindChooser;

    ComponentItem* m_connectSource = nullptr;
    QGraphicsPathItem* m_connectLine = nullptr;
    std::map<std::string, model::Point> m_pressPositions;
};

} // namespace eventflow::studio
