#include "ComponentPalette.h"

#include "ComponentStyle.h"

#include <QMimeData>

namespace eventflow::studio {

ComponentPalette::ComponentPalette(QWidget* parent)
    : QListWidget(parent)
{
    setDragEnabled(true);
    setDragDropMode(DragOnly);
    setIconSize(QSize(28, 28));
    setSpacing(1);
    setUniformItemSizes(true);
    setSelectionMode(SingleSelection);
    for (auto type : model::kAllComponentTypes) {
        auto* item = new QListWidgetItem(ComponentStyle::icon(type), ComponentStyle::title(type),
                                         this);
        item->setData(Qt::UserRole, int(type));
        item->setToolTip(ComponentStyle::description(type) +
                         tr("\nDrag onto the canvas, or double-click to place."));
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled);
    }
    connect(this, &QListWidget::itemActivated, this, [this](QListWidgetItem* item) {
        Q_EMIT placeRequested(model::ComponentType(item->data(Qt::UserRole).toInt()));
    });
}

std::optional<model::ComponentType> ComponentPalette::typeFromMime(const QMimeData* mime)
{
    if (!mime || !mime->hasFormat(kMimeType))
        return std::nullopt;
    return model::componentTypeFromName(mime->data(kMimeType).toStdString());
}

QListWidgetItem* ComponentPalette::itemFor(model::ComponentType type) const
{
    for (int i = 0; i < count(); ++i)
        if (item(i)->data(Qt::UserRole).toInt() == int(type))
            return item(i);
    return nullptr;
}

QStringList ComponentPalette::mimeTypes() const
{
    return {QString::fromLatin1(kMimeType)};
}

QMimeData* ComponentPalette::mimeData(const QList<QListWidgetItem*>& items) const
{
    if (items.isEmpty())
        return nullptr;
    auto* mime = new QMimeData;
    const auto type = model::ComponentType(items.first()->data(Qt::UserRole).toInt());
    mime->setData(kMimeType, QByteArray(model::componentTypeName(type).data(),
                                        qsizetype(model::componentTypeName(type).size())));
    return mime;
}

} // namespace eventflow::studio
