#pragma once

// Shared by the desktop-app suites: settings, recovery files and autosaves go to a scratch
// place of the test's own, never the user's.

#include <QCoreApplication>
#include <QSettings>
#include <QStandardPaths>
#include <QString>

namespace eventflow::test {

inline void isolateStudioSettings(const QString& settingsDirectory, const QString& suiteName)
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDirectory);
    QCoreApplication::setOrganizationName(QStringLiteral("EventFlowTests"));
    QCoreApplication::setApplicationName(suiteName);
}

} // namespace eventflow::test
