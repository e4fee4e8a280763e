// The scenario gallery (File ▸ New from Scenario): every shipped scenario is a complete lesson,
// drawn as a thumbnail by the app, and opening one starts a new design that leaves the shipped
// file alone.

#include "StudioTestSupport.h"
#include "app/studio/DesignDocument.h"
#include "app/studio/Inspector.h"
#include "app/studio/ScenarioGallery.h"

#include <QLabel>
#include <QListWidget>
#include <QProcess>
#include <QPushButton>
#include <QTemporaryDir>
#include <QtTest>

using namespace eventflow;
using namespace eventflow::studio;

namespace {

const QString kExamples = QStringLiteral(EVENTFLOW_SOURCE_DIR "/examples");

/// Pixels of `image` that differ from its top-left corner's colour (the background).
int drawnPixels(const QImage& image)
{
    const QRgb background = image.pixel(image.width() / 2, 2);
    int count = 0;
    for (int y = 2; y < image.height() - 2; ++y)
        for (int x = 2; x < image.width() - 2; ++x)
            count += image.pixel(x, y) != background;
    return count;
}

} // namespace

class TestScenarioGallery : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_settings.isValid());
        test::isolateStudioSettings(m_settings.path(), QStringLiteral("TestScenarioGallery"));
    }

    // Twelve lessons at least, each with a title, a story, an outcome, and a partner that
    // exists and names it back.
    void everyScenarioIsALesson()
    {
        const ScenarioList list = loadScenarios(kExamples);
        QVERIFY2(list.problems.isEmpty(), qPrintable(list.problems.join('\n')));
        QVERIFY2(list.scenarios.size() >= 12, qPrintable(QString::number(list.scenarios.size())));
        for (const auto& scenario : list.scenarios) {
            const auto& design = scenario.design;
            QVERIFY2(!design.name.empty() && design.name != "Untitled design",
                     qPrintable(scenario.stem));
            QVERIFY2(design.description.size() > 120, qPrintable(scenario.stem + ": story"));
            QVERIFY2(design.lesson.outcome.size() > 40, qPrintable(scenario.stem + ": outcome"));
            if (design.lesson.compareWith.empty())
                continue;
            const Scenario* partner = list.find(QString::fromStdString(design.lesson.compareWith));
            QVERIFY2(partner, qPrintable(scenario.stem + ": no partner"));
            QCOMPARE(QString::fromStdString(partner->design.lesson.compareWith), scenario.stem);
        }
    }

    // examples/README.md lists every scenario by file and title.
    void readmeListsEveryScenario()
    {
        QFile readme(kExamples + QStringLiteral("/README.md"));
        QVERIFY(readme.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(readme.readAll());
        for (const auto& scenario : loadScenarios(kExamples).scenarios) {
            QVERIFY2(text.contains(scenario.stem + QStringLiteral(".eventflow.json")),
                     qPrintable(scenario.stem));
            QVERIFY2(text.contains(scenario.title()), qPrintable(scenario.title()));
        }
    }

    // The gallery follows examples/README.md: the lessons in teaching order, each pair together
    // with the problem first.
    void scenariosComeInTeachingOrder()
    {
        const ScenarioList list = loadScenarios(kExamples);
        QStringList stems;
        for (const auto& scenario : list.scenarios)
            stems << scenario.stem;
        QCOMPARE(stems.mid(0, 3), QStringList({"order-flow-sync", "order-flow-async",
                                                "fanout-throttled"}));
        QCOMPARE(stems.indexOf("cascade-bulkhead"), stems.indexOf("cascade-chain") + 1);
        QCOMPARE(stems.indexOf("retry-storm-backoff"), stems.indexOf("retry-storm-naive") + 1);
        QCOMPARE(stems.last(), QStringLiteral("spike-buffered"));
        // Without a README the order is by file name.
        QTemporaryDir dir;
        for (const char* name : {"b", "a"})
            QVERIFY(QFile::copy(kExamples + QStringLiteral("/fanout-throttled.eventflow.json"),
                                dir.filePath(QString::fromLatin1(name) + ".eventflow.json")));
        const ScenarioList plain = loadScenarios(dir.path());
        QCOMPARE(plain.scenarios.front().stem, QStringLiteral("a"));
    }

    void galleryShowsThumbnailsAndTheStory()
    {
        ScenarioGallery gallery(loadScenarios(kExamples));
        gallery.show();
        const auto& scenarios = gallery.scenarios().scenarios;
        QCOMPARE(gallery.list()->count(), int(scenarios.size()));
        for (int row = 0; row < gallery.list()->count(); ++row) {
            const QImage thumbnail = gallery.list()->item(row)->icon()
                                         .pixmap(ScenarioGallery::kThumbnailSize)
                                         .toImage();
            QCOMPARE(thumbnail.size(), ScenarioGallery::kThumbnailSize);
            // Cards and links are drawn: a blank or failed render has (almost) nothing.
            const int drawn = drawnPixels(thumbnail);
            QVERIFY2(drawn > 1500, qPrintable(scenarios[std::size_t(row)].stem + ": " +
                                              QString::number(drawn)));
        }
        gallery.setCurrent(QStringLiteral("order-flow-sync"));
        QCOMPARE(gallery.current()->stem, QStringLiteral("order-flow-sync"));
        QVERIFY(gallery.story()->text().contains(QStringLiteral("29 s integration timeout")));
        QVERIFY(gallery.compareButton()->isEnabled());
        gallery.setCurrent(QStringLiteral("fanout-throttled"));
        QVERIFY(gallery.story()->text().contains(QStringLiteral("ledger")));
        QVERIFY(!gallery.compareButton()->isEnabled()); // no partner
        QVERIFY(gallery.openButton()->isEnabled());
        gallery.setCurrent(QStringLiteral("order-flow-async"));
        QTest::mouseClick(gallery.compareButton(), Qt::LeftButton);
        QCOMPARE(gallery.result(), int(QDialog::Accepted));
        QVERIFY(gallery.compareRequested());
    }

    // A scenario becomes a new, untitled design: nothing to save yet, and Save asks where.
    void openingAScenarioStartsANewDesign()
    {
        const ScenarioList list = loadScenarios(kExamples);
        const Scenario* scenario = list.find(QStringLiteral("retry-storm-naive"));
        QVERIFY(scenario);
        const QByteArray before = [&] {
            QFile f(scenario->path);
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        }();
        auto window = test::makeTestWindow(QSize(1200, 800));
        window->openScenario(*scenario);
        QCOMPARE(window->document()->filePath(), QString());
        QVERIFY(!window->document()->isModified());
        QCOMPARE(window->document()->design().name, scenario->design.name);
        QCOMPARE(window->document()->design().components.size(),
                 scenario->design.components.size());
        QCOMPARE(window->document()->design().faults.size(), std::size_t(1));
        QVERIFY(window->windowTitle().contains(scenario->title()));
        // The inspector's design page says what the run should show.
        auto* outcome = window->inspector()->findChild<QLabel*>(QStringLiteral("lessonOutcome"));
        QVERIFY(outcome);
        QCOMPARE(outcome->text(), QString::fromStdString(scenario->design.lesson.outcome));
        QFile f(scenario->path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), before);
    }

    // A file that does not load is left out and named; the others still show.
    void brokenFilesAreSkippedAndNamed()
    {
        QTemporaryDir dir;
        QVERIFY(QFile::copy(kExamples + QStringLiteral("/order-flow-sync.eventflow.json"),
                            dir.filePath(QStringLiteral("good.eventflow.json"))));
        QFile bad(dir.filePath(QStringLiteral("bad.eventflow.json")));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write(R"({"format": "eventflow/1", "components": [)");
        bad.close();
        const ScenarioList list = loadScenarios(dir.path());
        QCOMPARE(list.scenarios.size(), std::size_t(1));
        QCOMPARE(list.scenarios.front().stem, QStringLiteral("good"));
        QCOMPARE(list.problems.size(), 1);
        QVERIFY2(list.problems.front().startsWith(QStringLiteral("bad.eventflow.json: ")) &&
                     list.problems.front().contains(QStringLiteral("JSON")),
                 qPrintable(list.problems.front()));
        ScenarioGallery gallery(list);
        QCOMPARE(gallery.list()->count(), 1);
    }

    void scenarioFolderCanBeChosen()
    {
        QTemporaryDir dir;
        qputenv("EVENTFLOW_EXAMPLES", dir.path().toUtf8());
        QCOMPARE(scenarioDirectory(), dir.path());
        qunsetenv("EVENTFLOW_EXAMPLES");
        // This test program has no share/eventflow-studio/examples beside it.
        QCOMPARE(scenarioDirectory(), QString());
    }

    // The app run from its build folder finds the scenarios where an installed one would,
    // ../share/eventflow-studio/examples, and opens one by name; an unknown name is refused with
    // the names there are.
    void theAppOpensAScenarioByName()
    {
        QTemporaryDir out;
        QProcess studio;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.remove(QStringLiteral("EVENTFLOW_EXAMPLES"));
        environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        environment.insert(QStringLiteral("XDG_CONFIG_HOME"), out.path());
        environment.insert(QStringLiteral("XDG_DATA_HOME"), out.path());
        studio.setProcessEnvironment(environment);
        const QString program = QStringLiteral(EVENTFLOW_BINARY_DIR "/app/studio/eventflow-studio");
        const QString picture = out.filePath(QStringLiteral("scenario.png"));
        studio.start(program, {"--scenario", "poison-messages", "--screenshot", picture,
                               "--size", "900x600"});
        QVERIFY(studio.waitForFinished(60000));
        QCOMPARE(studio.exitCode(), 0);
        QCOMPARE(QImage(picture).size(), QSize(900, 600));

        studio.start(program, {"--scenario", "no-such-lesson", "--screenshot", picture});
        QVERIFY(studio.waitForFinished(60000));
        QCOMPARE(studio.exitCode(), 2);
        const QString error = QString::fromUtf8(studio.readAllStandardError());
        QVERIFY2(error.contains(QStringLiteral("no scenario \"no-such-lesson\"")) &&
                     error.contains(QStringLiteral("order-flow-sync")),
                 qPrintable(error));

        const QString gallery = out.filePath(QStringLiteral("gallery.png"));
        studio.start(program, {"--gallery", "--screenshot", gallery, "--size", "1000x700"});
        QVERIFY(studio.waitForFinished(60000));
        QCOMPARE(studio.exitCode(), 0);
        QCOMPARE(QImage(gallery).size(), QSize(1000, 700));
    }

private:
    QTemporaryDir m_settings;
};

QTEST_MAIN(TestScenarioGallery)
#include "TestScenarioGallery.moc"
