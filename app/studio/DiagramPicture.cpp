#include "DiagramPicture.h"

#include "DesignScene.h"

#include <QGraphicsItem>
#include <QPainter>
#include <QSaveFile>
#include <QSvgGenerator>

namespace eventflow::studio {

namespace {

/// Clears the selection while drawing: a picture shows the design, not what was clicked last.
class SelectionHidden {
public:
    explicit SelectionHidden(DesignScene* scene)
        : m_scene(scene)
        , m_selected(scene->selectedItems())
    {
        const QSignalBlocker blocker(scene);
        scene->clearSelection();
    }
    ~SelectionHidden()
    {
        const QSignalBlocker blocker(m_scene);
        for (QGraphicsItem* item : m_selected)
            item->setSelected(true);
    }

private:
    DesignScene* m_scene;
    QList<QGraphicsItem*> m_selected;
};

} // namespace

QImage DiagramPicture::render(DesignScene* scene, qreal scale)
{
    const SelectionHidden hidden(scene);
    const QRectF source = scene->contentsRect();
    QImage image((source.size() * scale).toSize(), QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    painter.setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing |
                           QPainter::SmoothPixmapTransform);
    scene->render(&painter, QRectF(QPointF(0, 0), image.size()), source);
    return image;
}

std::optional<QString> DiagramPicture::savePng(DesignScene* scene, const QString& path)
{
    const QImage image = render(scene);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return QObject::tr("cannot write %1: %2").arg(path, file.errorString());
    if (!image.save(&file, "PNG"))
        return QObject::tr("cannot encode the picture as PNG");
    if (!file.commit())
        return QObject::tr("cannot write %1: %2").arg(path, file.errorString());
    return std::nullopt;
}

std::optional<QString> DiagramPicture::saveSvg(DesignScene* scene, const QString& path,
                                               const QString& title)
{
    const SelectionHidden hidden(scene);
    const QRectF source = scene->contentsRect();
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return QObject::tr("cannot write %1: %2").arg(path, file.errorString());
    {
        QSvgGenerator generator;
        generator.setOutputDevice(&file);
        generator.setSize(source.size().toSize());
        generator.setViewBox(QRectF(QPointF(0, 0), source.size()));
        generator.setTitle(title);
        generator.setDescription(QObject::tr("Drawn with EventFlow Studio"));
        QPainter painter(&generator);
        painter.setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
        scene->render(&painter, QRectF(QPointF(0, 0), source.size()), source);
    }
    if (!file.commit())
        return QObject::tr("cannot write %1: %2").arg(path, file.errorString());
    return std::nullopt;
}

} // namespace eventflow::studio
