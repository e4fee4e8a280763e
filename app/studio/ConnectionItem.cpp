#include "ConnectionItem.h"

#include "ComponentItem.h"
#include "ComponentStyle.h"

#include <QApplication>
#include <QGraphicsScene>
#include <QHash>
#include <QPainter>
#include <QPainterPathStroker>
#include <QPalette>
#include <QStyleOptionGraphicsItem>

#include <QtMath>
#include <algorithm>
#include <cmath>

namespace eventflow::studio {

namespace {

constexpr qreal kArrowSize = 9.0;
constexpr qreal kLabelMaxWidth = 190.0;

QFont labelFont()
{
    QFont font = QApplication::font();
    font.setPointSizeF(font.pointSizeF() * 0.8);
    return font;
}

QString scalarText(const nlohmann::json& value)
{
    if (value.is_string())
        return QString::fromStdString(value.get<std::string>());
    if (value.is_array()) {
        QStringList parts;
        for (const auto& element : value)
            parts << scalarText(element);
        return parts.join(QStringLiteral("|"));
    }
    if (value.is_object() && value.size() == 1) {
        // {"prefix": "eu-"} reads as prefix eu-; {"numeric": [">", 100]} as > 100.
        const auto& [op, operand] = *value.items().begin();
        if (op == "numeric" && operand.is_array()) {
            QStringList parts;
            for (const auto& element : operand)
                parts << scalarText(element);
            return parts.join(QLatin1Char(' '));
        }
        return QString::fromStdString(op) + QLatin1Char(' ') + scalarText(operand);
    }
    return QString::fromStdString(value.dump());
}

void flatten(const nlohmann::json& pattern, const QString& prefix, QStringList& out)
{
    if (!pattern.is_object())
        return;
    for (const auto& [key, value] : pattern.items()) {
        const QString name = QString::fromStdString(key);
        if (value.is_object() && !(value.size() == 1 && (value.contains("numeric") ||
                                                         value.contains("prefix") ||
                                                         value.contains("suffix") ||
                                                         value.contains("anything-but") ||
                                                         value.contains("exists"))))
            flatten(value, name == QLatin1String("detail") ? QString() : name + QLatin1Char('.'),
                    out);
        else
            out << prefix + name + QLatin1Char('=') + scalarText(value);
    }
}

QString patternSummary(const nlohmann::json& pattern)
{
    QStringList parts;
    flatten(pattern, QString(), parts);
    return parts.join(QStringLiteral(", "));
}

} // namespace

ConnectionItem::ConnectionItem(ComponentItem* source, ComponentItem* target)
    : m_source(source)
    , m_target(target)
{
    setFlags(ItemIsSelectable);
    setZValue(0.0);
    m_source->attach(this);
    m_target->attach(this);
}

ConnectionItem::~ConnectionItem()
{
    m_source->detach(this);
    m_target->detach(this);
}

void ConnectionItem::setConnection(const model::Connection& connection, const QString& summary)
{
    m_kind = connection.kind;
    m_summary = summary;
    setToolTip(QStringLiteral("<b>%1</b> (%2)<br>%3 → %4%5")
                   .arg(ComponentStyle::kindTitle(m_kind),
                        ComponentStyle::isSynchronous(m_kind) ? QObject::tr("synchronous")
                                                              : QObject::tr("asynchronous"),
                        QString::fromStdString(connection.from).toHtmlEscaped(),
                        QString::fromStdString(connection.to).toHtmlEscaped(),
                        summary.isEmpty() ? QString()
                                          : QStringLiteral("<br>") + summary.toHtmlEscaped()));
    updatePath();
}

QString ConnectionItem::labelText() const
{
    QString text = ComponentStyle::kindTitle(m_kind);
    if (m_kind == model::ConnectionKind::Invoke)
        text += QObject::tr(" · sync");
    if (!m_summary.isEmpty())
        text += QStringLiteral(" · ") + m_summary;
    return text;
}

void ConnectionItem::updatePath()
{
    prepareGeometryChange();
    const QRectF from = QRectF(m_source->pos(), QSizeF(ComponentItem::kWidth, ComponentItem::kHeight));
    const QRectF to = QRectF(m_target->pos(), QSizeF(ComponentItem::kWidth, ComponentItem::kHeight));
    QPainterPath path;
    QPointF end;
    m_labelWidth = kLabelMaxWidth;
    if (to.left() - from.right() > 24) {
        const QPointF start(from.right(), from.center().y());
        end = QPointF(to.left(), to.center().y());
        const qreal dx = std::max(40.0, (end.x() - start.x()) / 2);
        path.moveTo(start);
        path.cubicTo(start + QPointF(dx, 0), end - QPointF(dx, 0), end);
        // Between close neighbours the label gets what room there is, or none.
        m_labelWidth = std::min(kLabelMaxWidth, end.x() - start.x() - 20);
        if (m_labelWidth < 40)
            m_labelWidth = 0;
    } else if (std::abs(to.center().x() - from.center().x()) < ComponentItem::kWidth &&
               std::abs(to.center().y() - from.center().y()) > ComponentItem::kHeight + 16) {
        const bool down = to.center().y() > from.center().y();
        const QPointF start(from.center().x(), down ? from.bottom() : from.top());
        end = QPointF(to.center().x(), down ? to.top() : to.bottom());
        const qreal dy = std::max(24.0, std::abs(end.y() - start.y()) / 2) * (down ? 1 : -1);
        path.moveTo(start);
        path.cubicTo(start + QPointF(0, dy), end - QPointF(0, dy), end);
        // A card in between (a dead-letter queue below a column of queues): go round the side.
        for (const qreal side : {1.0, -1.0}) {
            if (!crossesOtherComponents(path))
                break;
            const qreal x = side > 0 ? std::max(from.right(), to.right())
                                     : std::min(from.left(), to.left());
            const QPointF sideStart(side > 0 ? from.right() : from.left(), from.center().y());
            end = QPointF(side > 0 ? to.right() : to.left(), to.center().y());
            const qreal reach = x + side * 36;
            path = QPainterPath();
            path.moveTo(sideStart);
            path.cubicTo(QPointF(reach + side * 20, sideStart.y()),
                         QPointF(reach + side * 20, end.y()), end);
            m_labelWidth = 0; // a label on the side loop would sit on the neighbouring column
        }
    } else {
        // Backward: leave to the right, pass under both cards, come in from the left.
        const QPointF start(from.right(), from.center().y());
        end = QPointF(to.left(), to.center().y());
        const qreal below = std::max(from.bottom(), to.bottom()) + 28;
        const qreal r = 14;
        path.moveTo(start);
        path.lineTo(start.x() + 24 - r, start.y());
        path.quadTo(start.x() + 24, start.y(), start.x() + 24, start.y() + r);
        path.lineTo(start.x() + 24, below - r);
        path.quadTo(start.x() + 24, below, start.x() + 24 - r, below);
        path.lineTo(end.x() - 24 + r, below);
        path.quadTo(end.x() - 24, below, end.x() - 24, below - r);
        path.lineTo(end.x() - 24, end.y() + r);
        path.quadTo(end.x() - 24, end.y(), end.x() - 24 + r, end.y());
        path.lineTo(end);
    }
    m_path = path;
    m_arrowTip = end;
    m_arrowAngle = path.angleAtPercent(1.0);
    // The label is laid out here, once per change: the view asks for the bounding rect (which
    // holds it) several times per frame, and shaping text is the costliest part of a connection.
    m_labelShown.clear();
    m_labelRect = QRectF();
    if (m_labelWidth > 0) {
        const QFontMetricsF metrics(labelFont());
        m_labelShown = metrics.elidedText(labelText(), Qt::ElideRight, m_labelWidth - 10);
        const QSizeF size(metrics.horizontalAdvance(m_labelShown) + 10, metrics.height() + 4);
        const QPointF centre = m_path.pointAtPercent(0.5);
        m_labelRect = QRectF(centre - QPointF(size.width() / 2, size.height() / 2), size);
    }
    update();
}

bool ConnectionItem::crossesOtherComponents(const QPainterPath& path) const
{
    if (!scene())
        return false;
    QPainterPathStroker stroker;
    stroker.setWidth(4);
    for (QGraphicsItem* item : scene()->items(stroker.createStroke(path), Qt::IntersectsItemShape))
        if (item != m_source && item != m_target && item->type() == ComponentItem::Type)
            return true;
    return false;
}

QRectF ConnectionItem::boundingRect() const
{
    return m_path.boundingRect()
        .adjusted(-kArrowSize - 4, -kArrowSize - 4, kArrowSize + 4, kArrowSize + 4)
        .united(m_labelRect);
}

QPainterPath ConnectionItem::shape() const
{
    QPainterPathStroker stroker;
    stroker.setWidth(12);
    QPainterPath shape = stroker.createStroke(m_path);
    if (!m_labelRect.isEmpty())
        shape.addRect(m_labelRect);
    return shape;
}

void ConnectionItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget*)
{
    const QPalette palette = QApplication::palette();
    const bool selected = option->state & QStyle::State_Selected;
    painter->setRenderHint(QPainter::Antialiasing);
    QColor foreground = palette.color(QPalette::WindowText);
    foreground.setAlphaF(0.75);
    QPen pen = ComponentStyle::pen(m_kind, foreground);
    if (selected) {
        pen.setColor(palette.color(QPalette::Highlight));
        pen.setWidthF(pen.widthF() + 1.2);
    }
    const qreal lod = option->levelOfDetailFromTransform(painter->worldTransform());
    if (m_flow && !selected) {
        // Heavier with traffic, redder with failures.
        const double share = std::clamp(m_flow->errorShare, 0.0, 1.0);
        const QColor base = pen.color();
        const QColor red(0xD1, 0x3B, 0x3B);
        pen.setColor(QColor::fromRgbF(float((1 - share) * base.redF() + share * red.redF()),
                                      float((1 - share) * base.greenF() + share * red.greenF()),
                                      float((1 - share) * base.blueF() + share * red.blueF()),
                                      std::max(0.85f, float(base.alphaF()))));
        pen.setWidthF(pen.widthF() + std::min(5.0, std::log10(1.0 + m_flow->perSecond) * 1.4));
    }
    // Zoomed out, a line under ~1.4 device pixels looks the same drawn 1 px wide (cosmetic), and
    // that skips rasterising every dash's outline: half the frame time of a large design.
    QPen linePen = pen;
    if (pen.widthF() * lod < 1.4)
        linePen.setWidthF(0);
    painter->setPen(linePen);
    painter->setBrush(Qt::NoBrush);
    painter->drawPath(m_path);
    if (m_flow && m_flow->perSecond > 0 && lod > 0.3) {
        // Dots travel from source to target; more traffic, closer dots.
        const qreal gap = std::clamp(36.0 / std::log2(2.0 + m_flow->perSecond), 2.5, 18.0);
        QPen dots(pen.color().darker(120), 4.0, Qt::CustomDashLine, Qt::RoundCap);
        dots.setDashPattern({0.01, gap});
        dots.setDashOffset(-m_flowPhase / 4.0);
        painter->setPen(dots);
        painter->drawPath(m_path);
    }

    const qreal angle = qDegreesToRadians(-m_arrowAngle);
    const QPointF back(std::cos(angle) * kArrowSize, std::sin(angle) * kArrowSize);
    const QPointF side(-back.y() * 0.5, back.x() * 0.5);
    QPolygonF arrow;
    arrow << m_arrowTip << m_arrowTip - back + side << m_arrowTip - back - side;
    painter->setPen(Qt::NoPen);
    painter->setBrush(pen.color());
    painter->drawPolygon(arrow);

    if (m_labelRect.isEmpty() || lod < 0.55)
        return;
    const QRectF& rect = m_labelRect;
    QColor background = palette.color(QPalette::Base);
    background.setAlphaF(0.92);
    painter->setBrush(background);
    painter->setPen(QPen(pen.color(), 0.8));
    painter->drawRoundedRect(rect, rect.height() / 2, rect.height() / 2);
    painter->setFont(labelFont());
    painter->setPen(palette.color(QPalette::Text));
    painter->drawText(rect, Qt::AlignCenter, m_labelShown);
}

void ConnectionItem::setLiveFlow(std::optional<LiveFlow> flow)
{
    // Repaint only when the link would look different: width in quarter pixels, colour in 5%
    // steps of the error share (most links of a busy design change by less every snapshot).
    auto look = [](const std::optional<LiveFlow>& f) {
        if (!f)
            return std::pair{-1L, -1L};
        return std::pair{std::lround(std::min(5.0, std::log10(1.0 + f->perSecond) * 1.4) * 4),
                         std::lround(std::clamp(f->errorShare, 0.0, 1.0) * 20)};
    };
    const bool changed = look(flow) != look(m_flow) ||
                         (flow && m_flow && (flow->perSecond > 0) != (m_flow->perSecond > 0));
    m_flow = flow;
    if (changed)
        update();
}

void ConnectionItem::setFlowPhase(qreal phase)
{
    if (!m_flow || m_flow->perSecond <= 0)
        return;
    m_flowPhase = phase;
    update();
}

QString ConnectionItem::summary(const model::Design& design, const model::Connection& connection)
{
    using model::ConnectionKind;
    using model::ParameterScope;
    switch (connection.kind) {
    case ConnectionKind::Subscription: {
        if (const auto* target = design.findComponent(connection.to);
            target && target->type == model::ComponentType::Rule) {
            const auto pattern = target->parameter(ParameterScope::Aws, "EventPattern");
            return pattern.is_object() ? patternSummary(pattern) : QString();
        }
        const auto policy = connection.parameter(ParameterScope::Aws, "FilterPolicy");
        return policy.is_object() ? QObject::tr("filter ") + patternSummary(policy) : QString();
    }
    case ConnectionKind::EventSource: {
        const auto batch = connection.parameter(ParameterScope::Aws, "BatchSize");
        return batch.is_number() ? QObject::tr("batch %1").arg(batch.get<double>()) : QString();
    }
    case ConnectionKind::Invoke: {
        const auto timeout = connection.parameter(ParameterScope::Sim, "timeout_ms");
        return timeout.is_number()
                   ? QObject::tr("timeout %1 s").arg(timeout.get<double>() / 1000.0)
                   : QString();
    }
    default:
        return {};
    }
}

} // namespace eventflow::studio
