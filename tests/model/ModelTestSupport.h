#pragma once

// Helpers shared by the model test suites: whole-file reads and writes, and diagnostics as text
// for failure messages.

#include "model/Diagnostic.h"

#include <QString>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace eventflow::test {

inline std::string readFile(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

inline void writeFile(const std::filesystem::path& path, const std::string& bytes)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
}

/// One line per diagnostic: "\n  error /pointer: message [fix: …]".
inline QString describe(const model::Diagnostics& diagnostics)
{
    QString text;
    for (const auto& d : diagnostics) {
        text += QStringLiteral("\n  %1 %2: %3")
                    .arg(QString::fromLatin1(model::severityName(d.severity)),
                         QString::fromStdString(d.pointer), QString::fromStdString(d.message));
        if (!d.fix.empty())
            text += QStringLiteral(" [fix: %1]").arg(QString::fromStdString(d.fix));
    }
    return text;
}

} // namespace eventflow::test
