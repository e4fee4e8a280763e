#include "DesignScene.h"

#include "Wording.h"

#include "ComponentItem.h"
#include "ComponentStyle.h"
#include "ConnectionItem.h"
#include "DesignCommands.h"
#include "DesignPointer.h"
#include "LiveReading.h"

#include "model/ComponentCatalog.h"

#include <QApplication>
#include <QGraphicsPathItem>
#include <QGraphicsSceneMouseEvent>
#include <QGraphicsView>
#include <QMenu>
#include <QPainter>
#include <QPalette>
#include <QTimer>
#include <QToolTip>
#include <QGraphicsSceneHelpEvent>

#include <cmath>

namespace eventflow::studio {

namespace {

QString nameOf(const model::Component& component)
{
    return qs(component.label.empty() ? component.id : component.label);
}

std::optional<model::ConnectionKind> chooseFromMenu(const std::vector<model::ConnectionKind>& kinds,
                                                    QPoint screenPos)
{
    QMenu menu;
    menu.addSection(QObject::tr("Connect as"));
    for (auto kind : kinds) {
        QAction* action = menu.addAction(
            ComponentStyle::kindTitle(kind) + QStringLiteral("  (") +
            (ComponentStyle::isSynchronous(kind) ? QObject::tr("synchronous")
                                                 : QObject::tr("asynchronous")) +
            QStringLiteral(")"));
        action->setData(int(kind));
    }
    QAction* chosen = menu.exec(screenPos);
    if (!chosen)
        return std::nullopt;
    return model::ConnectionKind(chosen->data().toInt());
}

} // namespace

DesignScene::DesignScene(DesignDocument* document, QObject* parent)
    : QGraphicsScene(parent)
    , m_document(document)
    , m_kindChooser(chooseFromMenu)
{
    // Large designs: a BSP index keeps hit tests and repaints proportional to what is visible.
    setItemIndexMethod(BspTreeIndex);
    connect(document, &DesignDocument::designReset, this, &DesignScene::rebuild);
    connect(document, &DesignDocument::componentInserted, this,
            &DesignScene::insertComponentItem);
    connect(document, &DesignDocument::componentRemoved, this,
            &DesignScene::removeComponentItem);
    connect(document, &DesignDocument::componentChanged, this,
            &DesignScene::updateComponentItem);
    connect(document, &DesignDocument::componentMoved, this, &DesignScene::moveComponentItem);
    connect(document, &DesignDocument::connectionInserted, this,
            &DesignScene::insertConnectionItem);
    connect(document, &DesignDocument::connectionRemoved, this,
            &DesignScene::removeConnectionItem);
    connect(document, &DesignDocument::connectionChanged, this,
            &DesignScene::updateConnectionItem);
    connect(document, &DesignDocument::diagnosticsChanged, this,
            &DesignScene::updateProblemBadges);
    rebuild();
}

DesignScene::~DesignScene()
{
    blockSignals(true); // no selection changes reach views that are being destroyed
    removeAllItems();
}

void DesignScene::removeAllItems()
{
    qDeleteAll(m_connectionItems);
    m_connectionItems.clear();
    qDeleteAll(m_componentItems);
    m_componentItems.clear();
    m_componentsById.clear();
    delete m_connectLine;
    m_connectLine = nullptr;
    m_connectSource = nullptr;
}

ComponentItem* DesignScene::componentItem(int index) const
{
    return index >= 0 && index < m_componentItems.size() ? m_componentItems[index] : nullptr;
}

ComponentItem* DesignScene::componentItem(const std::string& id) const
{
    return m_componentsById.value(qs(id), nullptr);
}

ConnectionItem* DesignScene::connectionItem(int index) const
{
    return index >= 0 && index < m_connectionItems.size() ? m_connectionItems[index] : nullptr;
}

int DesignScene::indexOfConnectionItem(const ConnectionItem* item) const
{
    return int(m_connectionItems.indexOf(const_cast<ConnectionItem*>(item)));
}

std::set<std::string> DesignScene::selectedComponentIds() const
{
    std::set<std::string> ids;
    for (QGraphicsItem* item : selectedItems())
        if (auto* component = qgraphicsitem_cast<ComponentItem*>(item))
            ids.insert(component->componentId());
    return ids;
}

std::set<int> DesignScene::selectedConnectionIndices() const
{
    std::set<int> indices;
    for (QGraphicsItem* item : selectedItems())
        if (auto* connection = qgraphicsitem_cast<ConnectionItem*>(item))
            indices.insert(indexOfConnectionItem(connection));
    return indices;
}

void DesignScene::selectOnly(const std::set<std::string>& componentIds,
                             const std::set<int>& connections)
{
    QSignalBlocker blocker(this);
    clearSelection();
    for (const auto& id : componentIds)
        if (auto* item = componentItem(id))
            item->setSelected(true);
    for (int index : connections)
        if (auto* item = connectionItem(index))
            item->setSelected(true);
    blocker.unblock();
    Q_EMIT selectionChanged();
}

void DesignScene::setSnapToGrid(bool snap)
{
    m_snapToGrid = snap;
}

QPointF DesignScene::snapped(QPointF p) const
{
    if (!m_snapToGrid)
        return p;
    return QPointF(std::round(p.x() / kGrid) * kGrid, std::round(p.y() / kGrid) * kGrid);
}

void DesignScene::placeComponent(model::ComponentType type, QPointF scenePos)
{
    model::Component component;
    component.type = type;
    component.id = m_document->uniqueComponentId(type);
    component.label = ComponentStyle::title(type).toStdString() + " " +
                      component.id.substr(component.id.rfind('-') + 1);
    scenePos = snapped(scenePos);
    component.position = {scenePos.x(), scenePos.y()};
    const std::string id = component.id;
    const QString text = tr("Add %1").arg(ComponentStyle::title(type).toLower());
    auto* stack = m_document->undoStack();
    stack->beginMacro(text);
    stack->push(new AddItemsCommand(m_document, {std::move(component)}, {}, text));
    if (type == model::ComponentType::Producer) {
        // A producer without traffic sends nothing: start it at a steady 10 events/s.
        auto before = m_document->scenario();
        auto after = before;
        model::TrafficSpec traffic;
        traffic.producer = id;
        traffic.profile.rate = 10.0;
        model::EventTemplate event;
        event.source = "app." + id;
        event.detailType = "Event";
        traffic.events.push_back(event);
        after.traffic.push_back(traffic);
        stack->push(new EditScenarioCommand(m_document, before, after, QString(), text));
    }
    stack->endMacro();
    selectOnly({id});
}

std::optional<QString> DesignScene::refusalFor(const model::Component& from,
                                               const model::Component& to,
                                               std::optional<model::ConnectionKind> kind) const
{
    if (from.id == to.id)
        return tr("A component cannot connect to itself");
    const auto kinds = model::ComponentCatalog::allowedKinds(from.type, to.type);
    if (kind) {
        if (auto refusal = model::ComponentCatalog::refusal(from.type, to.type, *kind))
            return qs(*refusal);
    } else if (kinds.empty()) {
        // The catalogue's message opens with a kind the user never chose; keep its reason.
        QString reason = qs(*model::ComponentCatalog::refusal(from.type, to.type,
                                                              model::ConnectionKind::Invoke));
        if (int at = reason.indexOf(QStringLiteral("; ")); at >= 0)
            reason = reason.mid(at + 2);
        reason[0] = reason[0].toUpper();
        return reason;
    }
    for (const auto& existing : m_document->design().connections)
        if (existing.from == from.id && existing.to == to.id &&
            (!kind || existing.kind == *kind) && (kind || kinds.size() == 1))
            return tr("%1 is already connected to %2").arg(nameOf(from), nameOf(to));
    return std::nullopt;
}

bool DesignScene::connectComponents(const std::string& fromId, const std::string& toId,
                                    std::optional<model::ConnectionKind> kind, QPoint screenPos)
{
    const auto* from = m_document->design().findComponent(fromId);
    const auto* to = m_document->design().findComponent(toId);
    if (!from || !to)
        return false;
    const QPointF where = componentItem(toId) ? componentItem(toId)->inPort() : QPointF();
    if (auto refusal = refusalFor(*from, *to, kind)) {
        Q_EMIT connectionRefused(*refusal, where);
        return false;
    }
    if (!kind) {
        auto kinds = model::ComponentCatalog::allowedKinds(from->type, to->type);
        std::erase_if(kinds, [&](model::ConnectionKind k) {
            for (const auto& existing : m_document->design().connections)
                if (existing.from == fromId && existing.to == toId && existing.kind == k)
                    return true;
            return false;
        });
        if (kinds.empty()) {
            Q_EMIT connectionRefused(
                tr("%1 is already connected to %2 in every possible way")
                    .arg(nameOf(*from), nameOf(*to)),
                where);
            return false;
        }
        kind = kinds.size() == 1 ? std::optional(kinds.front()) : m_kindChooser(kinds, screenPos);
        if (!kind)
            return false;
    }
    model::Connection connection;
    connection.from = fromId;
    connection.to = toId;
    connection.kind = *kind;
    const QString text = tr("Connect %1 to %2 (%3)")
                             .arg(nameOf(*from), nameOf(*to), ComponentStyle::kindTitle(*kind));
    m_document->undoStack()->push(new AddItemsCommand(m_document, {}, {connection}, text));
    Q_EMIT statusMessage(text);
    return true;
}

void DesignScene::nudgeSelection(qreal dx, qreal dy)
{
    std::map<std::string, MoveComponentsCommand::Move> moves;
    for (const auto& id : selectedComponentIds()) {
        const auto* component = m_document->design().findComponent(id);
        moves[id] = {component->position,
                     {component->position.x + dx, component->position.y + dy}};
    }
    if (!moves.empty())
        m_document->undoStack()->push(new MoveComponentsCommand(m_document, std::move(moves)));
}

void DesignScene::showLive(const LiveReading& reading)
{
    for (int i = 0; i < m_componentItems.size() && i < int(reading.components.size()); ++i)
        m_componentItems[i]->setLiveState(reading.components[std::size_t(i)]);
    for (int i = 0; i < m_connectionItems.size() && i < int(reading.connections.size()); ++i)
        if (ConnectionItem* item = m_connectionItems[i])
            item->setLiveFlow(reading.connections[std::size_t(i)]);
    m_live = true;
    if (!m_flowTimer) {
        m_flowTimer = new QTimer(this);
        m_flowTimer->setInterval(33);
        connect(m_flowTimer, &QTimer::timeout, this, [this] {
            // Dots are not drawn zoomed far out (ConnectionItem): then there is nothing to move.
            const auto shown = views();
            if (!shown.isEmpty() && shown.front()->transform().m11() <= 0.3)
                return;
            m_flowPhase += 1.0;
            for (ConnectionItem* item : std::as_const(m_connectionItems))
                if (item)
                    item->setFlowPhase(m_flowPhase);
        });
    }
    m_flowTimer->start();
}

void DesignScene::clearLive()
{
    if (!m_live)
        return;
    m_live = false;
    if (m_flowTimer)
        m_flowTimer->stop();
    for (ComponentItem* item : std::as_const(m_componentItems))
        item->setLiveState(std::nullopt);
    for (ConnectionItem* item : std::as_const(m_connectionItems))
        if (item)
            item->setLiveFlow(std::nullopt);
}

void DesignScene::pauseFlow(bool paused)
{
    if (!m_flowTimer)
        return;
    if (paused)
        m_flowTimer->stop();
    else if (m_live)
        m_flowTimer->start();
}

QRectF DesignScene::contentsRect() const
{
    QRectF rect = itemsBoundingRect();
    if (rect.isEmpty())
        rect = QRectF(0, 0, 400, 300);
    return rect.adjusted(-40, -40, 40, 40);
}

void DesignScene::rebuild()
{
    removeAllItems();
    const auto& design = m_document->design();
    for (int i = 0; i < int(design.components.size()); ++i)
        insertComponentItem(i);
    for (int i = 0; i < int(design.connections.size()); ++i)
        insertConnectionItem(i);
    updateProblemBadges();
}

void DesignScene::insertComponentItem(int index)
{
    const auto& component = m_document->design().components[std::size_t(index)];
    auto* item = new ComponentItem(component);
    addItem(item);
    m_componentItems.insert(index, item);
    m_componentsById.insert(qs(component.id), item);
}

void DesignScene::removeComponentItem(int index)
{
    ComponentItem* item = m_componentItems.takeAt(index);
    if (item == m_connectSource) { // undone or deleted while a connection was being drawn from it
        delete m_connectLine;
        m_connectLine = nullptr;
        m_connectSource = nullptr;
    }
    m_componentsById.remove(qs(item->componentId()));
    // Connections to it are removed first by the commands; any left (a broken file) lose an end.
    for (auto& connection : m_connectionItems)
        if (connection && (connection->source() == item || connection->target() == item)) {
            delete connection;
            connection = nullptr;
        }
    delete item;
}

void DesignScene::updateComponentItem(int index)
{
    m_componentItems[index]->setComponent(m_document->design().components[std::size_t(index)]);
    // A rule's pattern shows on the link from its bus.
    updateConnectionSummaries();
}

void DesignScene::moveComponentItem(int index)
{
    const auto& position = m_document->design().components[std::size_t(index)].position;
    m_componentItems[index]->setPos(position.x, position.y);
}

void DesignScene::insertConnectionItem(int index)
{
    const auto& connection = m_document->design().connections[std::size_t(index)];
    ComponentItem* source = componentItem(connection.from);
    ComponentItem* target = componentItem(connection.to);
    ConnectionItem* item = nullptr;
    if (source && target && source != target) {
        item = new ConnectionItem(source, target);
        addItem(item); // first: the route looks at the other items in the scene
        item->setConnection(connection,
                            ConnectionItem::summary(m_document->design(), connection));
    }
    m_connectionItems.insert(index, item);
}

void DesignScene::removeConnectionItem(int index)
{
    delete m_connectionItems.takeAt(index);
}

void DesignScene::updateConnectionItem(int index)
{
    const auto& connection = m_document->design().connections[std::size_t(index)];
    ConnectionItem* item = m_connectionItems[index];
    if (!item)
        return;
    item->setConnection(connection, ConnectionItem::summary(m_document->design(), connection));
}

void DesignScene::updateConnectionSummaries()
{
    const auto& design = m_document->design();
    for (int i = 0; i < m_connectionItems.size(); ++i)
        if (ConnectionItem* item = m_connectionItems[i]) {
            const auto& connection = design.connections[std::size_t(i)];
            const QString summary = ConnectionItem::summary(design, connection);
            if (item->summaryText() != summary)
                item->setConnection(connection, summary);
        }
}

void DesignScene::updateProblemBadges()
{
    std::vector<int> levels(m_componentItems.size(), 0);
    const auto& design = m_document->design();
    for (const auto& diagnostic : m_document->diagnostics()) {
        const auto place = DesignPointer::resolve(diagnostic.pointer, design);
        if (place.target != DesignPointer::Target::Component || place.index >= int(levels.size()))
            continue;
        levels[std::size_t(place.index)] =
            std::max(levels[std::size_t(place.index)],
                     diagnostic.severity == model::Severity::Error ? 2 : 1);
    }
    for (int i = 0; i < m_componentItems.size(); ++i)
        m_componentItems[i]->setProblemLevel(levels[std::size_t(i)]);
}

ComponentItem* DesignScene::componentItemAt(QPointF scenePos) const
{
    for (QGraphicsItem* item : items(scenePos))
        if (auto* component = qgraphicsitem_cast<ComponentItem*>(item))
            return component;
    return nullptr;
}

void DesignScene::helpEvent(QGraphicsSceneHelpEvent* event)
{
    // Cards write their live numbers out only when hovered (not for every snapshot).
    if (ComponentItem* item = componentItemAt(event->scenePos())) {
        QToolTip::showText(event->screenPos(), item->toolTipText());
        event->accept();
        return;
    }
    QGraphicsScene::helpEvent(event);
}

void DesignScene::drawBackground(QPainter* painter, const QRectF& rect)
{
    const QPalette palette = QApplication::palette();
    painter->fillRect(rect, palette.color(QPalette::Base));
    const qreal scale = painter->worldTransform().m11();
    if (scale < 0.45)
        return; // dots closer than ~9 px are noise, and cost time on large designs
    QColor dot = palette.color(QPalette::Text);
    dot.setAlphaF(0.18);
    painter->setPen(QPen(dot, 1.6 / scale, Qt::SolidLine, Qt::RoundCap));
    const qreal step = kGrid * (scale < 0.8 ? 2 : 1);
    QVector<QPointF> points;
    for (qreal x = std::floor(rect.left() / step) * step; x < rect.right(); x += step)
        for (qreal y = std::floor(rect.top() / step) * step; y < rect.bottom(); y += step)
            points.append(QPointF(x, y));
    painter->drawPoints(points.constData(), int(points.size()));
}

void DesignScene::mousePressEvent(QGraphicsSceneMouseEvent* event)
{
    if (event->button() == Qt::LeftButton) {
        if (ComponentItem* item = componentItemAt(event->scenePos());
            item && item->isOnHandle(event->scenePos())) {
            m_connectSource = item;
            m_connectLine = new QGraphicsPathItem;
            QPen pen(QApplication::palette().color(QPalette::Highlight), 2, Qt::DashLine);
            m_connectLine->setPen(pen);
            m_connectLine->setZValue(3);
            addItem(m_connectLine);
            Q_EMIT statusMessage(tr("Drop on the component to connect %1 to")
                                     .arg(nameOf(*m_document->design().findComponent(
                                         item->componentId()))));
            event->accept();
            return;
        }
    }
    QGraphicsScene::mousePressEvent(event);
    m_pressPositions.clear();
    if (event->button() == Qt::LeftButton) {
        for (const auto& id : selectedComponentIds())
            if (const auto* component = m_document->design().findComponent(id))
                m_pressPositions[id] = component->position;
        m_mouseDragging = true;
    }
}

void DesignScene::mouseMoveEvent(QGraphicsSceneMouseEvent* event)
{
    if (m_connectSource) {
        QPainterPath path;
        const QPointF start = m_connectSource->outPort();
        const QPointF end = event->scenePos();
        const qreal dx = std::max(30.0, std::abs(end.x() - start.x()) / 2);
        path.moveTo(start);
        path.cubicTo(start + QPointF(dx, 0), end - QPointF(dx, 0), end);
        m_connectLine->setPath(path);
        ComponentItem* target = componentItemAt(end);
        if (target && target != m_connectSource) {
            const auto* from = m_document->design().findComponent(m_connectSource->componentId());
            const auto* to = m_document->design().findComponent(target->componentId());
            if (auto refusal = refusalFor(*from, *to, std::nullopt)) {
                Q_EMIT statusMessage(*refusal);
            } else {
                QStringList kinds;
                for (auto kind : model::ComponentCatalog::allowedKinds(from->type, to->type))
                    kinds << ComponentStyle::kindTitle(kind);
                Q_EMIT statusMessage(tr("Release to connect %1 to %2 (%3)")
                                         .arg(nameOf(*from), nameOf(*to),
                                              kinds.join(tr(" or "))));
            }
        }
        event->accept();
        return;
    }
    QGraphicsScene::mouseMoveEvent(event);
}

void DesignScene::mouseReleaseEvent(QGraphicsSceneMouseEvent* event)
{
    if (m_connectSource) {
        ComponentItem* source = m_connectSource;
        m_connectSource = nullptr;
        delete m_connectLine;
        m_connectLine = nullptr;
        if (ComponentItem* target = componentItemAt(event->scenePos()); target && target != source)
            connectComponents(source->componentId(), target->componentId(), std::nullopt,
                              event->screenPos());
        else
            Q_EMIT statusMessage(QString());
        event->accept();
        return;
    }
    QGraphicsScene::mouseReleaseEvent(event);
    m_mouseDragging = false;
    std::map<std::string, MoveComponentsCommand::Move> moves;
    for (const auto& [id, from] : m_pressPositions) {
        const ComponentItem* item = componentItem(id);
        if (item && (item->pos().x() != from.x || item->pos().y() != from.y))
            moves[id] = {from, {item->pos().x(), item->pos().y()}};
    }
    m_pressPositions.clear();
    if (!moves.empty())
        m_document->undoStack()->push(new MoveComponentsCommand(m_document, std::move(moves)));
}

} // namespace eventflow::studio
