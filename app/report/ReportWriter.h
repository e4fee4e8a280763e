#pragma once

#include "sim/RunReport.h"

#include <QString>

#include <optional>

namespace eventflow::report {

/// Writes a RunReport to a file: `.html` as one self-contained page (figures inlined as SVG),
/// `.pdf` through QPdfWriter (A4, figures rendered with QSvgRenderer). Needs a
/// QGuiApplication for PDF (fonts); uses Qt Gui and Svg only, never Widgets, so the command
/// line can write reports too. Files are written atomically (QSaveFile).
class ReportWriter {
public:
    /// Returns an error message, or nullopt when the file was written.
    static std::optional<QString> write(const sim::RunReport& report, const QString& path);
};

} // namespace eventflow::report
