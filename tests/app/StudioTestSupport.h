#pragma once

// Shared by the desktop-app suites: settings, recovery files and autosaves go to a scratch
// place of the test's own, never the user's.

#include "app/studio/MainWindow.h"

#include <QCoreApplication>
#include <QTest>

#include <memory>
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

/// A main window for a test: shown at `size`, unsaved changes discarded without asking, and
/// every error it would show in a dialog failing the test instead.
inline std::unique_ptr<studio::MainWindow> makeTestWindow(QSize size)
{
    auto window = std::make_unique<studio::MainWindow>();
    window->setSavePrompt([](const QString&) { return QMessageBox::Discard; });
    window->setErrorReporter([](const QString& title, const QString& message) {
        QFAIL(qPrintable(title + QStringLiteral(": ") + message));
    });
    window->resize(size);
    window->show();
    return window;
}

} // namespace eventflow::test
