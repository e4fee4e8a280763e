#include "ReportWriter.h"

#include <QImage>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgRenderer>
#include <QTextDocument>
#include <QUrl>

namespace eventflow::report {

namespace {

std::optional<QString> writePdf(const sim::RunReport& report, QSaveFile& file)
{
    QTextDocument document;
    for (const auto& figure : report.figures()) {
        QSvgRenderer renderer(QByteArray::fromStdString(figure.svg));
        if (!renderer.isValid())
            return QObject::tr("figure %1 is not valid SVG")
                .arg(QString::fromStdString(figure.name));
        // Twice the layout size: sharp in print.
        QImage image(QSize(int(figure.width * 2), int(figure.height * 2)), QImage::Format_RGB32);
        image.fill(Qt::white);
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        renderer.render(&painter);
        painter.end();
        document.addResource(QTextDocument::ImageResource,
                             QUrl(QString::fromStdString(figure.name)), image);
    }
    document.setHtml(QString::fromStdString(report.html()));
    QPdfWriter writer(&file);
    writer.setPageSize(QPageSize(QPageSize::A4));
    writer.setPageMargins(QMarginsF(12, 12, 12, 12), QPageLayout::Millimeter);
    writer.setTitle(QStringLiteral("EventFlow report"));
    writer.setCreator(QStringLiteral("EventFlow Studio"));
    // Lay the page out at about 96 dpi so the HTML's pixel sizes fit an A4 page.
    writer.setResolution(96);
    document.setPageSize(QSizeF(writer.width(), writer.height()));
    document.print(&writer);
    return std::nullopt;
}

} // namespace

std::optional<QString> ReportWriter::write(const sim::RunReport& report, const QString& path)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return QObject::tr("cannot write %1: %2").arg(path, file.errorString());
    if (path.endsWith(QLatin1String(".pdf"), Qt::CaseInsensitive)) {
        if (auto error = writePdf(report, file))
            return error;
    } else {
        const std::string html = report.selfContainedHtml();
        file.write(html.data(), qint64(html.size()));
    }
    if (!file.commit())
        return QObject::tr("cannot write %1: %2").arg(path, file.errorString());
    return std::nullopt;
}

} // namespace eventflow::report
