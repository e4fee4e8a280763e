#pragma once

// Helpers shared by the model test suites: whole-file reads and writes, and diagnostics as text
// for failure messages.

#include "model/Diagnostic.h"

#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QString>
#include <QStringList>
#include <QFileInfo>
#include <optional>
#include <vector>
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

/// AWS's template linter, or empty when it is not installed (pyenv shims count: pip puts it
/// there on the development machines).
inline QString cfnLintPath()
{
    QString path = QStandardPaths::findExecutable(QStringLiteral("cfn-lint"));
    if (path.isEmpty())
        path = QStandardPaths::findExecutable(QStringLiteral("cfn-lint"),
                                              {QStringLiteral("/root/.pyenv/shims")});
    return path;
}

/// One cfn-lint finding: the file's name, the rule (E3002, W1020...) and the message.
struct LintFinding {
    QString file;
    QString rule;
    QString message;
};

/// Runs cfn-lint once over `files` (it is slow to start) and returns every finding; an empty
/// optional when it could not run. `cfnLint` is cfnLintPath().
inline std::optional<std::vector<LintFinding>> runCfnLint(const QString& cfnLint,
                                                          const QStringList& files)
{
    QProcess lint;
    lint.start(cfnLint, QStringList{QStringLiteral("--format"), QStringLiteral("parseable")} + files);
    if (!lint.waitForFinished(300000) || lint.exitStatus() != QProcess::NormalExit)
        return std::nullopt;
    // parseable lines: file:line:column:endLine:endColumn:rule:message
    static const QRegularExpression line(
        QStringLiteral("^(.*?):\\d+:\\d+:\\d+:\\d+:([EWI]\\d+):(.*)$"));
    std::vector<LintFinding> findings;
    const QString output = QString::fromUtf8(lint.readAllStandardOutput());
    for (const QString& text : output.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        const auto m = line.match(text);
        if (!m.hasMatch())
            findings.push_back({QString(), QStringLiteral("?"), text});
        else
            findings.push_back({QFileInfo(m.captured(1)).fileName(), m.captured(2), m.captured(3)});
    }
    return findings;
}

} // namespace eventflow::test
