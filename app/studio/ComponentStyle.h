#pragma once

#include "model/ComponentType.h"
#include "model/ConnectionKind.h"

#include <QColor>
#include <QCoreApplication>
#include <QIcon>
#include <QPen>
#include <QString>

namespace eventflow::studio {

/// How each component type and connection kind looks, shared by the palette, the canvas and
/// exported pictures so a type has one colour and one icon everywhere.
class ComponentStyle {
    Q_DECLARE_TR_FUNCTIONS(ComponentStyle)
public:
    static QColor colour(model::ComponentType type);
    /// The type's icon from resources/icons (an SVG, sharp at any size and device pixel ratio).
    static QIcon icon(model::ComponentType type);
    /// "Event bus", "State machine"...: the title shown in the palette and inspector.
    static QString title(model::ComponentType type);
    /// One sentence on what the type stands for, for palette tooltips.
    static QString description(model::ComponentType type);

    /// Synchronous calls solid and heavier, asynchronous hand-overs dashed, failure paths red.
    static QPen pen(model::ConnectionKind kind, const QColor& foreground);
    static QString kindTitle(model::ConnectionKind kind);
    /// "sync" for Invoke, "async" for every other kind.
    static bool isSynchronous(model::ConnectionKind kind);
};

} // namespace eventflow::studio
