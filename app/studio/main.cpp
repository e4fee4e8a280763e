#include "CompareWindow.h"
#include "Dashboard.h"
#include "MainWindow.h"
#include "ScenarioGallery.h"
#include "SimulationRunner.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QEventLoop>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTimer>

#include <cstdio>
#include <cstdlib>

namespace {

/// Exit codes as for the command line: 0 done, 1 the file has problems, 2 cannot read or write.
constexpr int kExitOk = 0;
constexpr int kExitProblems = 1;
constexpr int kExitUnreadable = 2;

bool wantsScreenshot(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i)
        if (QByteArray(argv[i]).startsWith("--screenshot"))
            return true;
    return false;
}

/// Writes `widget` as a PNG; false (with the reason on stderr) when the file cannot be written.
bool savePicture(QWidget& widget, const QString& out)
{
    if (widget.grab().save(out, "PNG"))
        return true;
    std::fprintf(stderr, "eventflow-studio: cannot write %s\n", qPrintable(out));
    return false;
}

} // namespace

int main(int argc, char** argv)
{
    // A screenshot needs no screen: without a display, render offscreen instead of failing.
    if (wantsScreenshot(argc, argv) && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") &&
        qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");

    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("EventFlow"));
    QApplication::setApplicationName(QStringLiteral("EventFlow Studio"));
    QApplication::setApplicationVersion(QStringLiteral(EVENTFLOW_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("eventflow-studio"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Design, simulate and export event-driven AWS architectures."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("FILE"),
                                 QStringLiteral("A design (.eventflow.json) or an AWS SAM / "
                                                "CloudFormation template to open"),
                                 QStringLiteral("[FILE]"));
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QStringLiteral("Render the window with FILE open to OUT.png and exit"),
        QStringLiteral("OUT.png"));
    const QCommandLineOption size(QStringLiteral("size"),
                                  QStringLiteral("Window size for --screenshot (default 1400x860)"),
                                  QStringLiteral("WxH"), QStringLiteral("1400x860"));
    const QCommandLineOption runTo(
        QStringLiteral("run-to"),
        QStringLiteral("With --screenshot: run the simulation to SECONDS first, so the picture "
                       "shows the run on the canvas and in the charts"),
        QStringLiteral("SECONDS"));
    const QCommandLineOption compare(
        QStringLiteral("compare"),
        QStringLiteral("Compare FILE with the design B side by side (with --screenshot: picture "
                       "the comparison)"),
        QStringLiteral("B"));
    const QCommandLineOption scenario(
        QStringLiteral("scenario"),
        QStringLiteral("Start a new design from the workshop scenario NAME (a file name in the "
                       "scenario folder without .eventflow.json, e.g. order-flow-sync)"),
        QStringLiteral("NAME"));
    const QCommandLineOption gallery(
        QStringLiteral("gallery"),
        QStringLiteral("Show the scenario gallery (File > New from Scenario) at start; with "
                       "--scenario NAME highlighted"));
    parser.addOption(scenario);
    parser.addOption(gallery);
    parser.addOption(screenshot);
    parser.addOption(size);
    parser.addOption(runTo);
    parser.addOption(compare);
    parser.process(app);

    const bool capture = parser.isSet(screenshot);
    QSize windowSize(1400, 860);
    if (parser.isSet(size)) {
        const auto match = QRegularExpression(QStringLiteral("^(\\d+)x(\\d+)$"))
                               .match(parser.value(size));
        if (!match.hasMatch() || match.captured(1).toInt() < 320 ||
            match.captured(2).toInt() < 240 || match.captured(1).toInt() > 8000 ||
            match.captured(2).toInt() > 8000) {
            std::fprintf(stderr,
                         "eventflow-studio: --size must be WIDTHxHEIGHT between 320x240 and "
                         "8000x8000, e.g. 1400x860; found \"%s\"\n",
                         qPrintable(parser.value(size)));
            return kExitUnreadable;
        }
        windowSize = QSize(match.captured(1).toInt(), match.captured(2).toInt());
    }

    eventflow::studio::MainWindow window;
    bool openFailed = false;
    if (capture) {
        window.setErrorReporter([&openFailed](const QString& title, const QString& message) {
            std::fprintf(stderr, "eventflow-studio: %s\n%s\n", qPrintable(title),
                         qPrintable(message));
            openFailed = true;
        });
    }
    // Work a crash left behind comes first: opening a file must not bury it.
    const bool recovered = !capture && window.offerRecovery();
    if (!recovered && !parser.positionalArguments().isEmpty())
        window.openFile(parser.positionalArguments().first());
    if (parser.isSet(gallery)) {
        if (capture) {
            eventflow::studio::ScenarioGallery dialog(
                eventflow::studio::loadScenarios(eventflow::studio::scenarioDirectory()));
            dialog.setCurrent(parser.value(scenario));
            dialog.resize(windowSize);
            dialog.show();
            QApplication::processEvents();
            if (!savePicture(dialog, parser.value(screenshot)))
                return kExitUnreadable;
            return dialog.scenarios().scenarios.empty() ? kExitProblems : kExitOk;
        }
        window.show();
        QTimer::singleShot(0, &window, [&window, highlighted = parser.value(scenario)] {
            window.newFromScenario(highlighted);
        });
        return QApplication::exec();
    }
    if (parser.isSet(scenario)) {
        const QString directory = eventflow::studio::scenarioDirectory();
        const auto scenarios = eventflow::studio::loadScenarios(directory);
        const auto* chosen = scenarios.find(parser.value(scenario));
        if (!chosen) {
            QStringList names;
            for (const auto& known : scenarios.scenarios)
                names << known.stem;
            std::fprintf(stderr, "eventflow-studio: no scenario \"%s\" in %s; there are: %s\n",
                         qPrintable(parser.value(scenario)),
                         qPrintable(directory.isEmpty() ? QStringLiteral("(no scenario folder)")
                                                        : directory),
                         qPrintable(names.join(QStringLiteral(", "))));
            return kExitUnreadable;
        }
        window.openScenario(*chosen);
    }
    eventflow::studio::CompareWindow* comparison = nullptr;
    if (parser.isSet(compare)) {
        comparison = window.compareWith(parser.value(compare));
        if (!comparison)
            return kExitProblems; // the reason went to the error reporter
    }
    if (!capture) {
        window.show();
        if (comparison)
            comparison->show();
        return QApplication::exec();
    }
    if (comparison) {
        comparison->resize(windowSize);
        comparison->show();
        QEventLoop loop;
        QObject::connect(comparison, &eventflow::studio::CompareWindow::finished, &loop,
                         &QEventLoop::quit);
        if (!comparison->comparison())
            loop.exec();
        QApplication::processEvents();
        if (!savePicture(*comparison, parser.value(screenshot)))
            return kExitUnreadable;
        window.document()->undoStack()->setClean();
        return kExitOk;
    }
    if (openFailed)
        return kExitUnreadable;

    window.resize(windowSize);
    window.show();
    QApplication::processEvents();
    window.showWholeDesign();
    QApplication::processEvents();
    if (parser.isSet(runTo)) {
        bool ok = false;
        const double seconds = parser.value(runTo).toDouble(&ok);
        if (!ok || seconds < 0) {
            std::fprintf(stderr, "eventflow-studio: --run-to needs a number of seconds >= 0; "
                                 "found \"%s\"\n",
                         qPrintable(parser.value(runTo)));
            return kExitUnreadable;
        }
        using State = eventflow::studio::SimulationRunner::State;
        QEventLoop loop;
        QObject::connect(window.runner(), &eventflow::studio::SimulationRunner::stateChanged,
                         &loop, [&loop](State state) {
                             if (state != State::Running)
                                 loop.quit();
                         });
        window.setErrorReporter([](const QString& title, const QString& message) {
            std::fprintf(stderr, "eventflow-studio: %s\n%s\n", qPrintable(title),
                         qPrintable(message));
        });
        window.setRunSpeed(0.0);
        window.run(seconds);
        if (window.runner()->state() == State::Idle)
            return kExitProblems; // refused: the design has errors (reported above)
        if (window.runner()->state() == State::Running)
            loop.exec();
        if (window.runner()->state() == State::Failed)
            return kExitProblems;
        // The charts catch up one per event-loop turn.
        for (int turn = 0; turn < 100 && !window.dashboard()->isUpToDate(); ++turn)
            QApplication::processEvents();
        QApplication::processEvents();
    }
    if (!savePicture(window, parser.value(screenshot)))
        return kExitUnreadable;
    // The window is closed without the unsaved-changes prompt: a screenshot changes nothing.
    window.document()->undoStack()->setClean();
    return kExitOk;
}
