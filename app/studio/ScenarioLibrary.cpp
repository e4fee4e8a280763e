#include "ScenarioLibrary.h"

#include "DesignDocument.h"
#include "DesignScene.h"
#include "DiagramPicture.h"
#include "model/DesignFile.h"

#include <QApplication>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QPainter>
#include <QPalette>

#include <algorithm>

namespace eventflow::studio {

const Scenario* ScenarioList::find(const QString& stem) const
{
    for (const auto& scenario : scenarios)
        if (scenario.stem == stem)
            return &scenario;
    return nullptr;
}

QString scenarioDirectory()
{
    const QString fromEnvironment = qEnvironmentVariable("EVENTFLOW_EXAMPLES");
    if (!fromEnvironment.isEmpty())
        return fromEnvironment;
    const QDir installed(QCoreApplication::applicationDirPath() +
                         QStringLiteral("/../share/eventflow-studio/examples"));
    return installed.exists() ? installed.canonicalPath() : QString();
}

ScenarioList loadScenarios(const QString& directory)
{
    ScenarioList list;
    const QString extension = QString::fromUtf8(model::DesignFile::kExtension.data(),
                                                qsizetype(model::DesignFile::kExtension.size()));
    const auto files = QDir(directory).entryInfoList({QLatin1Char('*') + extension}, QDir::Files,
                                                     QDir::Name);
    for (const QFileInfo& file : files) {
        auto loaded = model::DesignFile::load(file.filePath().toStdString());
        if (!loaded.design) {
            list.problems << QStringLiteral("%1: %2").arg(
                file.fileName(), loaded.diagnostics.empty()
                                     ? QStringLiteral("cannot be read")
                                     : QString::fromStdString(loaded.diagnostics.front().message));
            continue;
        }
        QString stem = file.fileName();
        stem.chop(extension.size());
        list.scenarios.push_back({file.filePath(), stem, std::move(*loaded.design)});
    }
    // The folder's README.md is the teaching order: scenarios in the order it links them, the
    // ones it does not mention after them by file name.
    QFile readme(QDir(directory).filePath(QStringLiteral("README.md")));
    if (readme.open(QIODevice::ReadOnly)) {
        const QString text = QString::fromUtf8(readme.readAll());
        auto rank = [&](const Scenario& scenario) {
            const qsizetype at = text.indexOf(QLatin1Char('(') + scenario.stem + extension +
                                              QLatin1Char(')'));
            return at < 0 ? text.size() : at;
        };
        std::stable_sort(list.scenarios.begin(), list.scenarios.end(),
                         [&](const Scenario& a, const Scenario& b) { return rank(a) < rank(b); });
    }
    return list;
}

QImage scenarioThumbnail(const model::Design& design, QSize size)
{
    DesignDocument document;
    document.reset(design, QString());
    DesignScene scene(&document);
    const QRectF contents = scene.contentsRect();
    const qreal scale = contents.isEmpty() ? 1.0
                                           : std::min(size.width() / contents.width(),
                                                      size.height() / contents.height());
    // Drawn at twice the fitting scale, then scaled down smoothly: sharper lines and text.
    const QImage drawing = DiagramPicture::render(&scene, std::min(2 * scale, 2.0));
    QImage thumbnail(size, QImage::Format_ARGB32_Premultiplied);
    thumbnail.fill(QApplication::palette().color(QPalette::Base));
    QPainter painter(&thumbnail);
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    const QImage fitted = drawing.scaled(size, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    painter.drawImage((size.width() - fitted.width()) / 2, (size.height() - fitted.height()) / 2,
                      fitted);
    painter.setPen(QApplication::palette().color(QPalette::Mid));
    painter.drawRect(QRect(QPoint(0, 0), size).adjusted(0, 0, -1, -1));
    return thumbnail;
}

} // namespace eventflow::studio
