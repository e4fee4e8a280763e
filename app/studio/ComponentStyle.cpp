#include "ComponentStyle.h"

#include <QHash>

namespace eventflow::studio {

using model::ComponentType;
using model::ConnectionKind;

QColor ComponentStyle::colour(ComponentType type)
{
    switch (type) {
    case ComponentType::Producer: return QColor(0x54, 0x6E, 0x7A);
    case ComponentType::Api: return QColor(0x8C, 0x4F, 0xFF);
    case ComponentType::Service: return QColor(0x2E, 0x73, 0xB8);
    case ComponentType::Function: return QColor(0xDB, 0x6A, 0x00);
    case ComponentType::Queue: return QColor(0xE7, 0x15, 0x7B);
    case ComponentType::Topic: return QColor(0xC7, 0x13, 0x1F);
    case ComponentType::EventBus: return QColor(0x3F, 0x86, 0x24);
    case ComponentType::Rule: return QColor(0xA0, 0x78, 0x00);
    case ComponentType::Stream: return QColor(0x01, 0x9A, 0x82);
    case ComponentType::StateMachine: return QColor(0xB6, 0x20, 0xC9);
    case ComponentType::Database: return QColor(0x3B, 0x48, 0xCC);
    }
    return Qt::gray;
}

QIcon ComponentStyle::icon(ComponentType type)
{
    static QHash<int, QIcon> cache;
    auto it = cache.find(int(type));
    if (it == cache.end())
        it = cache.insert(int(type),
                          QIcon(QStringLiteral(":/icons/%1.svg")
                                    .arg(QString::fromLatin1(model::componentTypeName(type)))));
    return *it;
}

QString ComponentStyle::title(ComponentType type)
{
    QString text = QString::fromLatin1(model::componentTypeTitle(type));
    if (type == ComponentType::Api)
        return QStringLiteral("API");
    text[0] = text[0].toUpper();
    return text;
}

QString ComponentStyle::description(ComponentType type)
{
    return QString::fromLatin1(model::componentTypeDescription(type));
}

QPen ComponentStyle::pen(ConnectionKind kind, const QColor& foreground)
{
    QPen pen(foreground, 1.6);
    pen.setCapStyle(Qt::RoundCap);
    pen.setJoinStyle(Qt::RoundJoin);
    switch (kind) {
    case ConnectionKind::Invoke:
        pen.setWidthF(2.4);
        break;
    case ConnectionKind::DeadLetter:
    case ConnectionKind::OnFailure:
        pen.setColor(QColor(0xD1, 0x3B, 0x3B));
        pen.setStyle(Qt::DashLine);
        break;
    case ConnectionKind::EventSource:
        pen.setStyle(Qt::DashDotLine);
        break;
    default:
        pen.setStyle(Qt::DashLine);
        break;
    }
    return pen;
}

QString ComponentStyle::kindTitle(ConnectionKind kind)
{
    switch (kind) {
    case ConnectionKind::Invoke: return tr("invoke");
    case ConnectionKind::Send: return tr("send");
    case ConnectionKind::Subscription: return tr("subscription");
    case ConnectionKind::RuleTarget: return tr("target");
    case ConnectionKind::EventSource: return tr("poll");
    case ConnectionKind::DeadLetter: return tr("dead letters");
    case ConnectionKind::OnFailure: return tr("on failure");
    }
    return {};
}

bool ComponentStyle::isSynchronous(ConnectionKind kind)
{
    return kind == ConnectionKind::Invoke;
}

} // namespace eventflow::studio
