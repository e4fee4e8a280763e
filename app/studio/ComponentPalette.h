#pragma once

#include "model/ComponentType.h"

#include <QListWidget>

#include <optional>

class QMimeData;

namespace eventflow::studio {

/// The component types to draw with, each with its icon and a tooltip saying what it stands
/// for. Drag one onto the canvas to place it there; double-click or Enter places it in the
/// middle of the view.
class ComponentPalette : public QListWidget {
    Q_OBJECT
public:
    static constexpr const char* kMimeType = "application/x-eventflow-component-type";

    explicit ComponentPalette(QWidget* parent = nullptr);

    static std::optional<model::ComponentType> typeFromMime(const QMimeData* mime);
    QListWidgetItem* itemFor(model::ComponentType type) const;

Q_SIGNALS:
    void placeRequested(model::ComponentType type);

protected:
    QStringList mimeTypes() const override;
    QMimeData* mimeData(const QList<QListWidgetItem*>& items) const override;
};

} // namespace eventflow::studio
