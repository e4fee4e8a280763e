#pragma once

#include <QImage>
#include <QString>

#include <optional>

namespace eventflow::studio {

class DesignScene;

/// Pictures of a design for documents and slides: PNG at twice the scene's scale (sharp on
/// high-DPI screens and in print) and SVG (vector, scales without loss). The selection is not
/// drawn. Files are written atomically (QSaveFile): a failure never leaves half a picture.
class DiagramPicture {
public:
    static constexpr qreal kPngScale = 2.0;

    /// The whole design (DesignScene::contentsRect) drawn at `scale` on the palette's base colour.
    static QImage render(DesignScene* scene, qreal scale = kPngScale);
    /// Returns an error message, or nullopt when the file was written.
    static std::optional<QString> savePng(DesignScene* scene, const QString& path);
    static std::optional<QString> saveSvg(DesignScene* scene, const QString& path,
                                          const QString& title);
};

} // namespace eventflow::studio
