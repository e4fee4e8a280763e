// The desktop designer driven as a user drives it: mouse and keys on the canvas, typing in the
// inspector, menus' actions; each test asserts the model, the undo stack or the files written.
#include "StudioTestSupport.h"
#include "app/studio/ComponentItem.h"
#include "app/studio/ComponentPalette.h"
#include "app/studio/ComponentStyle.h"
#include "app/studio/ConnectionItem.h"
#include "app/studio/DesignCommands.h"
#include "app/studio/DesignPointer.h"
#include "app/studio/DesignScene.h"
#include "app/studio/DesignView.h"
#include "app/studio/DiagramPicture.h"
#include "app/studio/Inspector.h"
#include "app/studio/MainWindow.h"
#include "app/studio/ParameterField.h"
#include "app/studio/ProblemsPanel.h"
#include "app/studio/RecoveryStore.h"
#include "app/studio/TemplateExportDialog.h"

#include "model/TemplateExporter.h"

#include "model/DesignFile.h"

#include <QComboBox>
#include <QDir>
#include <QPlainTextEdit>
#include <QXmlStreamReader>
#include <QLineEdit>
#include <QMimeData>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

using namespace eventflow;
using studio::MainWindow;

namespace {

QString artifactDir()
{
    const QString dir = QStringLiteral(EVENTFLOW_BINARY_DIR "/test-artifacts");
    QDir().mkpath(dir);
    return dir;
}

model::Component makeComponent(const std::string& id, model::ComponentType type, double x,
                               double y)
{
    model::Component c;
    c.id = id;
    c.type = type;
    c.label = id;
    c.position = {x, y};
    return c;
}

} // namespace

class TestDesigner : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<MainWindow> m_window;
    QTemporaryDir m_settingsDir;

    MainWindow& window() { return *m_window; }
    studio::DesignDocument& document() { return *m_window->document(); }
    const model::Design& design() { return m_window->document()->design(); }
    QWidget* viewport() { return m_window->view()->viewport(); }

    QPoint viewPoint(QPointF scenePoint) { return m_window->view()->mapFromScene(scenePoint); }
    QPointF cardCentre(const std::string& id)
    {
        auto* item = m_window->scene()->componentItem(id);
        return item->mapToScene(item->cardRect().center());
    }

    /// A design of `components` at fixed places, loaded as if opened.
    void load(std::vector<model::Component> components,
              std::vector<model::Connection> connections = {})
    {
        model::Design d;
        d.name = "Test design";
        d.components = std::move(components);
        d.connections = std::move(connections);
        document().reset(std::move(d), QString());
        m_window->view()->resetZoom();
        m_window->view()->centerOn(300, 100);
        QCoreApplication::processEvents();
    }

    void dragWithMouse(QPointF fromScene, QPointF toScene)
    {
        QTest::mousePress(viewport(), Qt::LeftButton, {}, viewPoint(fromScene));
        const QPointF step = (toScene - fromScene) / 5;
        for (int i = 1; i <= 5; ++i)
            QTest::mouseMove(viewport(), viewPoint(fromScene + step * i));
        QTest::mouseRelease(viewport(), Qt::LeftButton, {}, viewPoint(toScene));
    }

    void connectWithMouse(const std::string& from, const std::string& to)
    {
        auto* source = m_window->scene()->componentItem(from);
        dragWithMouse(source->outPort(), cardCentre(to));
    }

private Q_SLOTS:
    void initTestCase()
    {
        eventflow::test::isolateStudioSettings(m_settingsDir.path(), QStringLiteral("TestDesigner"));
    }

    void init()
    {
        QDir(studio::RecoveryStore::directory()).removeRecursively();
        m_window = eventflow::test::makeTestWindow(QSize(1280, 800));
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void cleanup()
    {
        m_window.reset();
    }

    void paletteDropPlacesComponentWhereItLands()
    {
        load({});
        auto* palette = window().palette();
        auto* item = palette->itemFor(model::ComponentType::Queue);
        QVERIFY(item);
        std::unique_ptr<QMimeData> mime(
            palette->model()->mimeData({palette->indexFromItem(item)}));
        QVERIFY(mime);
        const QPoint at = viewPoint(QPointF(400, 200));
        QDragEnterEvent enter(at, Qt::CopyAction, mime.get(), Qt::LeftButton, {});
        QCoreApplication::sendEvent(viewport(), &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(at), Qt::CopyAction, mime.get(), Qt::LeftButton, {});
        QCoreApplication::sendEvent(viewport(), &drop);

        QCOMPARE(design().components.size(), std::size_t(1));
        const auto& queue = design().components[0];
        QCOMPARE(queue.type, model::ComponentType::Queue);
        QCOMPARE(queue.id, std::string("queue-1"));
        // The card lands under the pointer, on the grid.
        QVERIFY(std::abs(queue.position.x + 24 - 400) <= studio::DesignScene::kGrid);
        QVERIFY(std::abs(queue.position.y + 30 - 200) <= studio::DesignScene::kGrid);
        QCOMPARE(std::fmod(queue.position.x, studio::DesignScene::kGrid), 0.0);
        QCOMPARE(window().scene()->selectedComponentIds(), std::set<std::string>{"queue-1"});

        document().undoStack()->undo();
        QVERIFY(design().components.empty());
        QVERIFY(!window().scene()->componentItem("queue-1"));
        document().undoStack()->redo();
        QCOMPARE(design().components.size(), std::size_t(1));
        QVERIFY(window().scene()->componentItem("queue-1"));
    }

    void paletteDoubleClickPlacesInTheViewAndNumbersIds()
    {
        load({});
        auto* palette = window().palette();
        for (int i = 0; i < 3; ++i)
            Q_EMIT palette->itemActivated(palette->itemFor(model::ComponentType::Function));
        QCOMPARE(design().components.size(), std::size_t(3));
        QCOMPARE(design().components[2].id, std::string("function-3"));
        // Placed one after another, never on top of each other.
        QVERIFY(design().components[0].position.x != design().components[1].position.x);
        const QRectF visible =
            window().view()->mapToScene(viewport()->rect()).boundingRect();
        for (const auto& c : design().components)
            QVERIFY(visible.contains(QPointF(c.position.x, c.position.y)));
    }

    void dragFromHandleConnectsWithTheInferredKind()
    {
        load({makeComponent("orders", model::ComponentType::Queue, 0, 0),
              makeComponent("worker", model::ComponentType::Function, 300, 0)});
        connectWithMouse("orders", "worker");
        QCOMPARE(design().connections.size(), std::size_t(1));
        const auto& c = design().connections[0];
        QCOMPARE(c.from, std::string("orders"));
        QCOMPARE(c.to, std::string("worker"));
        QCOMPARE(c.kind, model::ConnectionKind::EventSource);
        auto* item = window().scene()->connectionItem(0);
        QVERIFY(item);
        QVERIFY(item->labelText().startsWith(QStringLiteral("poll")));
        QCOMPARE(document().undoStack()->count(), 1);

        document().undoStack()->undo();
        QVERIFY(design().connections.empty());
        QVERIFY(!window().scene()->connectionItem(0));
        document().undoStack()->redo();
        QCOMPARE(design().connections.size(), std::size_t(1));
        QVERIFY(window().scene()->connectionItem(0));
    }

    void severalPossibleKindsAskTheUser()
    {
        load({makeComponent("worker", model::ComponentType::Function, 0, 0),
              makeComponent("failures", model::ComponentType::Queue, 300, 0)});
        std::vector<model::ConnectionKind> offered;
        window().scene()->setKindChooser([&](const auto& kinds, QPoint) {
            offered = kinds;
            return std::optional(model::ConnectionKind::OnFailure);
        });
        connectWithMouse("worker", "failures");
        QCOMPARE(offered, (std::vector{model::ConnectionKind::Send,
                                       model::ConnectionKind::OnFailure,
                                       model::ConnectionKind::DeadLetter}));
        QCOMPARE(design().connections.size(), std::size_t(1));
        QCOMPARE(design().connections[0].kind, model::ConnectionKind::OnFailure);

        // Cancelling the choice makes no connection.
        document().undoStack()->undo();
        window().scene()->setKindChooser([](const auto&, QPoint) {
            return std::optional<model::ConnectionKind>();
        });
        connectWithMouse("worker", "failures");
        QVERIFY(design().connections.empty());
        QCOMPARE(document().undoStack()->index(), 0);
    }

    void refusedConnectionSaysWhyAtThePointer()
    {
        load({makeComponent("table", model::ComponentType::Database, 0, 0),
              makeComponent("orders", model::ComponentType::Queue, 300, 0)});
        QSignalSpy refused(window().scene(), &studio::DesignScene::connectionRefused);
        connectWithMouse("table", "orders");
        QVERIFY(design().connections.empty());
        QCOMPARE(document().undoStack()->count(), 0);
        QCOMPARE(refused.count(), 1);
        const QString reason = refused.first().at(0).toString();
        QCOMPARE(reason, QStringLiteral("No connection from a database to a queue is possible "
                                        "(a database only answers calls)"));
        QCOMPARE(window().statusBar()->currentMessage(), reason);
        // Reported where the pointer dropped it: at the target.
        const QPointF at = refused.first().at(1).toPointF();
        QVERIFY(window().scene()->componentItem("orders")->sceneBoundingRect().adjusted(-2, -2, 2, 2)
                    .contains(at));
    }

    void connectingToItselfOrTwiceIsRefused()
    {
        load({makeComponent("orders", model::ComponentType::Queue, 0, 0),
              makeComponent("worker", model::ComponentType::Function, 300, 0)});
        QSignalSpy refused(window().scene(), &studio::DesignScene::connectionRefused);
        QVERIFY(window().scene()->connectComponents("orders", "worker"));
        QVERIFY(!window().scene()->connectComponents("orders", "worker"));
        QVERIFY(!window().scene()->connectComponents("orders", "orders"));
        QCOMPARE(refused.count(), 2);
        QVERIFY(refused.at(0).at(0).toString().contains(QStringLiteral("already connected")));
        QVERIFY(refused.at(1).at(0).toString().contains(QStringLiteral("itself")));
        QCOMPARE(design().connections.size(), std::size_t(1));
    }

    void inspectorEditsAPropertyWithUndoAndInlineErrors()
    {
        load({makeComponent("orders", model::ComponentType::Queue, 0, 0)});
        window().scene()->selectOnly({"orders"});
        auto* field = window().inspector()->field("props", "VisibilityTimeout");
        QVERIFY(field);
        auto* edit = qobject_cast<QLineEdit*>(field->editor());
        QVERIFY(edit);
        QCOMPARE(edit->placeholderText(), QStringLiteral("default 30"));
        edit->setFocus();
        QTest::keyClicks(edit, QStringLiteral("120"));
        QCOMPARE(design().components[0].props.value("VisibilityTimeout", 0), 120);
        // Typing "120" is one undo step, not three.
        QCOMPARE(document().undoStack()->count(), 1);
        QVERIFY(field->problem().isEmpty());

        QTest::keyClicks(edit, QStringLiteral("000")); // 120,000 s: above SQS's 12 hours
        QCOMPARE(field->problem(),
                 QStringLiteral("VisibilityTimeout must be between 0 and 43200 s"));
        // The model keeps the last value that passed (12000, one keystroke earlier).
        QCOMPARE(design().components[0].props.value("VisibilityTimeout", 0), 12000);
        QCOMPARE(document().undoStack()->count(), 1);
        edit->clear();
        QTest::keyClicks(edit, QStringLiteral("120"));

        edit->clear();
        QTest::keyClicks(edit, QStringLiteral("abc"));
        QVERIFY(field->problem().contains(QStringLiteral("not a number")));
        QCOMPARE(design().components[0].props.value("VisibilityTimeout", 0), 120);

        edit->clearFocus();
        document().undoStack()->undo();
        QVERIFY(!design().components[0].props.contains("VisibilityTimeout"));
        QCOMPARE(edit->text(), QString());
        document().undoStack()->redo();
        QCOMPARE(design().components[0].props.value("VisibilityTimeout", 0), 120);
        QCOMPARE(edit->text(), QStringLiteral("120"));
    }

    void inspectorShowsValidatorProblemsUnderTheField()
    {
        auto queue = makeComponent("orders", model::ComponentType::Queue, 0, 0);
        queue.props["MessageRetentionPeriod"] = 30; // below SQS's 60 s minimum
        load({queue});
        QCoreApplication::processEvents(); // diagnostics are coalesced per event-loop turn
        window().scene()->selectOnly({"orders"});
        auto* field = window().inspector()->field("props", "MessageRetentionPeriod");
        QVERIFY(field);
        QVERIFY2(field->problem().contains(QStringLiteral("MessageRetentionPeriod")),
                 qPrintable(field->problem()));
        QVERIFY(window().problems()->errorCount() >= 1);
    }

    void problemClickSelectsAndFocusesTheField()
    {
        auto queue = makeComponent("orders", model::ComponentType::Queue, 0, 0);
        queue.props["MessageRetentionPeriod"] = 30;
        load({makeComponent("other", model::ComponentType::Queue, 0, 200), queue});
        QCoreApplication::processEvents();
        auto* problems = window().problems();
        QTreeWidgetItem* row = nullptr;
        for (int i = 0; i < problems->topLevelItemCount(); ++i)
            if (problems->topLevelItem(i)->data(0, Qt::UserRole).toString() ==
                QStringLiteral("/components/1/props/MessageRetentionPeriod"))
                row = problems->topLevelItem(i);
        QVERIFY(row);
        QTest::mouseClick(problems->viewport(), Qt::LeftButton, {},
                          problems->visualItemRect(row).center());
        QCOMPARE(window().scene()->selectedComponentIds(), std::set<std::string>{"orders"});
        auto* field = window().inspector()->field("props", "MessageRetentionPeriod");
        QVERIFY(field);
        QVERIFY(field->editor()->hasFocus());
    }

    void producerTrafficIsEditedInTheInspector()
    {
        load({});
        window().scene()->placeComponent(model::ComponentType::Producer, QPointF(0, 0));
        QCOMPARE(design().traffic.size(), std::size_t(1));
        QCOMPARE(design().traffic[0].producer, std::string("producer-1"));
        QCOMPARE(design().traffic[0].profile.rate, 10.0);
        QCOMPARE(document().undoStack()->count(), 1); // placing is one step, traffic included

        auto* rate = qobject_cast<QLineEdit*>(
            window().inspector()->field("traffic", "profile.rate")->editor());
        QVERIFY(rate);
        rate->setFocus();
        rate->selectAll();
        QTest::keyClicks(rate, QStringLiteral("250"));
        QCOMPARE(design().traffic[0].profile.rate, 250.0);

        // The kind decides which fields exist: a spike has a peak rate and a window.
        auto* kind = qobject_cast<QComboBox*>(
            window().inspector()->field("traffic", "profile.kind")->editor());
        QVERIFY(kind);
        const int spike = kind->findData(QStringLiteral("spike"));
        kind->setCurrentIndex(spike);
        Q_EMIT kind->activated(spike);
        QCOMPARE(design().traffic[0].profile.kind, model::RateProfile::Kind::Spike);
        QVERIFY(window().inspector()->field("traffic", "profile.peak_rate"));

        auto* events = window().inspector()->field("traffic", "events");
        QVERIFY(events);
        auto* text = qobject_cast<QPlainTextEdit*>(events->editor());
        QVERIFY(text);
        text->setFocus();
        text->selectAll();
        QTest::keyClicks(text, QStringLiteral(
            R"([{"source": "shop.orders", "detail-type": "OrderPlaced", "detail": {"amount": 12}}])"));
        QCOMPARE(design().traffic[0].events.size(), std::size_t(1));
        QCOMPARE(design().traffic[0].events[0].detailType, std::string("OrderPlaced"));
        QVERIFY(design().traffic[0].events[0].detail["amount"] == nlohmann::json(12));

        text->selectAll();
        QTest::keyClicks(text, QStringLiteral(R"([{"weight": "heavy"}])"));
        QVERIFY2(events->problem().contains(QStringLiteral("weight")), qPrintable(events->problem()));
        QCOMPARE(design().traffic[0].events[0].detailType, std::string("OrderPlaced"));

        // Undo walks back through events, kind and rate to the placement.
        text->clearFocus();
        while (document().undoStack()->index() > 1)
            document().undoStack()->undo();
        QCOMPARE(design().traffic[0].profile.rate, 10.0);
        QCOMPARE(design().traffic[0].events[0].detailType, std::string("Event"));
    }

    void choosingAProfileKindWithTheKeyboard()
    {
        // The choice rebuilds the page under the combo box that made it: no crash, new fields.
        load({});
        window().scene()->placeComponent(model::ComponentType::Producer, QPointF(0, 0));
        auto* kind = qobject_cast<QComboBox*>(
            window().inspector()->field("traffic", "profile.kind")->editor());
        kind->setFocus();
        while (kind->currentText() != QStringLiteral("ramp"))
            QTest::keyClick(kind, Qt::Key_Down);
        QCoreApplication::processEvents();
        QCOMPARE(design().traffic[0].profile.kind, model::RateProfile::Kind::Ramp);
        QVERIFY(window().inspector()->field("traffic", "profile.to_rate"));
    }

    void editsOfTwoProducersAreTwoUndoSteps()
    {
        load({});
        window().scene()->placeComponent(model::ComponentType::Producer, QPointF(0, 0));
        window().scene()->placeComponent(model::ComponentType::Producer, QPointF(0, 200));
        for (const char* id : {"producer-1", "producer-2"}) {
            window().scene()->selectOnly({id});
            auto* rate = qobject_cast<QLineEdit*>(
                window().inspector()->field("traffic", "profile.rate")->editor());
            rate->setFocus();
            rate->selectAll();
            QTest::keyClicks(rate, QStringLiteral("50"));
        }
        QCOMPARE(design().traffic[0].profile.rate, 50.0);
        QCOMPARE(design().traffic[1].profile.rate, 50.0);
        document().undoStack()->undo();
        QCOMPARE(design().traffic[0].profile.rate, 50.0);
        QCOMPARE(design().traffic[1].profile.rate, 10.0);
    }

    void undoWhileDrawingAConnection()
    {
        load({makeComponent("orders", model::ComponentType::Queue, 300, 0)});
        window().scene()->placeComponent(model::ComponentType::Function, QPointF(0, 0));
        auto* source = window().scene()->componentItem("function-1");
        QTest::mousePress(viewport(), Qt::LeftButton, {}, viewPoint(source->outPort()));
        document().undoStack()->undo(); // the card being dragged from goes away
        QTest::mouseMove(viewport(), viewPoint(cardCentre("orders")));
        QTest::mouseRelease(viewport(), Qt::LeftButton, {}, viewPoint(cardCentre("orders")));
        QVERIFY(design().connections.empty());
        QCOMPARE(design().components.size(), std::size_t(1));
    }

    void changingTheConnectionKindShowsTheNewKindsFields()
    {
        load({makeComponent("worker", model::ComponentType::Function, 0, 0),
              makeComponent("failures", model::ComponentType::Queue, 300, 0),
              makeComponent("api", model::ComponentType::Api, -300, 0)},
             {{"api", "worker", model::ConnectionKind::Invoke, {}, {}},
              {"worker", "failures", model::ConnectionKind::Send, {}, {}}});
        window().scene()->selectOnly({}, {0});
        QVERIFY(window().inspector()->field("sim", "timeout_ms"));
        // Another connection added before it: the inspector stays on the same connection.
        window().scene()->selectOnly({}, {1});
        document().undoStack()->push(new studio::AddItemsCommand(
            &document(), {}, {{"api", "failures", model::ConnectionKind::Send, {}, {}}}, "x"));
        auto* combo = window().inspector()->kindCombo();
        QVERIFY(combo);
        combo->setFocus();
        while (combo->currentData().toInt() != int(model::ConnectionKind::OnFailure))
            QTest::keyClick(combo, Qt::Key_Down);
        QCoreApplication::processEvents();
        QCOMPARE(design().connections[1].kind, model::ConnectionKind::OnFailure);
        QVERIFY(!window().inspector()->field("sim", "timeout_ms"));
    }

    void undoReachesAFocusedDescription()
    {
        load({});
        auto* description = window().findChild<QPlainTextEdit*>();
        QVERIFY(description);
        description->setFocus();
        QTest::keyClicks(description, QStringLiteral("abc"));
        QCOMPARE(design().description, std::string("abc"));
        document().undoStack()->undo();
        QCOMPARE(design().description, std::string());
        QCOMPARE(description->toPlainText(), QString());
        QTest::keyClicks(description, QStringLiteral("d"));
        QCOMPARE(design().description, std::string("d"));
    }

    void aDesignSavedAsJsonReopens()
    {
        QTemporaryDir dir;
        load({makeComponent("orders", model::ComponentType::Queue, 0, 0)});
        const QString path = dir.filePath(QStringLiteral("plain.json"));
        QVERIFY(!window().saveTo(path));
        load({});
        QVERIFY(window().openFile(path));
        QVERIFY(design().findComponent("orders"));
    }

    void designPointersResolve_data()
    {
        QTest::addColumn<QString>("pointer");
        QTest::addColumn<int>("target");
        QTest::addColumn<int>("index");
        QTest::addColumn<QString>("scope");
        QTest::addColumn<QString>("key");
        using T = studio::DesignPointer::Target;
        QTest::newRow("component prop") << "/components/1/props/RedrivePolicy/maxReceiveCount"
                                        << int(T::Component) << 1 << "props"
                                        << "RedrivePolicy.maxReceiveCount";
        QTest::newRow("connection sim") << "/connections/0/sim/timeout_ms" << int(T::Connection)
                                        << 0 << "sim" << "timeout_ms";
        QTest::newRow("traffic to producer") << "/traffic/0/profile/rate" << int(T::Component)
                                             << 0 << "traffic" << "profile.rate";
        QTest::newRow("escapes in one pass") << "/components/1/props/a~00b~1c" << int(T::Component)
                                             << 1 << "props" << "a~0b/c";
        QTest::newRow("design field") << "/name" << int(T::Design) << -1 << "name" << "";
        QTest::newRow("leading zero") << "/components/01/props/x" << int(T::Design) << -1
                                      << "components" << "01.props.x";
        QTest::newRow("out of range") << "/components/7" << int(T::Design) << -1 << "components"
                                      << "7";
    }

    void designPointersResolve()
    {
        QFETCH(QString, pointer);
        QFETCH(int, target);
        QFETCH(int, index);
        QFETCH(QString, scope);
        QFETCH(QString, key);
        model::Design d;
        d.components = {makeComponent("clients", model::ComponentType::Producer, 0, 0),
                        makeComponent("orders", model::ComponentType::Queue, 0, 0)};
        d.connections = {{"clients", "orders", model::ConnectionKind::Send, {}, {}}};
        d.traffic = {{"clients", {}, {model::EventTemplate{}}}};
        const auto place = studio::DesignPointer::resolve(pointer.toStdString(), d);
        QCOMPARE(int(place.target), target);
        QCOMPARE(place.index, index);
        QCOMPARE(QString::fromStdString(place.scope), scope);
        QCOMPARE(QString::fromStdString(place.key), key);
    }

    void followsADarkPalette()
    {
        const QPalette light = QApplication::palette();
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x20, 0x22, 0x26));
        dark.setColor(QPalette::WindowText, QColor(0xE0, 0xE0, 0xE0));
        dark.setColor(QPalette::Base, QColor(0x18, 0x19, 0x1C));
        dark.setColor(QPalette::Text, QColor(0xE8, 0xE8, 0xE8));
        QApplication::setPalette(dark);
        load({makeComponent("orders", model::ComponentType::Queue, 0, 0)});
        const QImage image = studio::DiagramPicture::render(window().scene(), 1.0);
        QCoreApplication::processEvents();
        window().grab().save(artifactDir() + QStringLiteral("/designer-dark.png"));
        QApplication::setPalette(light);
        QVERIFY(image.pixelColor(2, 2).lightness() < 60);   // canvas
        const QPoint card(40 + 120, 40 + 30);                // inside the card, right of the icon
        QVERIFY(image.pixelColor(card).lightness() < 100);
    }

    void droppingAFileOnTheWindowOpensIt()
    {
        load({});
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(QStringLiteral(
            EVENTFLOW_SOURCE_DIR "/examples/order-flow-sync.eventflow.json"))});
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, {});
        QCoreApplication::sendEvent(&window(), &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, {});
        QCoreApplication::sendEvent(&window(), &drop);
        QVERIFY(design().findComponent("forecasting"));
        QVERIFY(document().filePath().endsWith(QStringLiteral("order-flow-sync.eventflow.json")));
    }

    void connectionKindIsEditedInTheInspector()
    {
        load({makeComponent("worker", model::ComponentType::Function, 0, 0),
              makeComponent("failures", model::ComponentType::Queue, 300, 0)},
             {{"worker", "failures", model::ConnectionKind::Send, {}, {}}});
        window().scene()->selectOnly({}, {0});
        auto* combo = window().inspector()->kindCombo();
        QVERIFY(combo);
        QCOMPARE(combo->count(), 3);
        const int onFailure = combo->findData(int(model::ConnectionKind::OnFailure));
        combo->setCurrentIndex(onFailure);
        Q_EMIT combo->activated(onFailure);
        QCOMPARE(design().connections[0].kind, model::ConnectionKind::OnFailure);
        QCOMPARE(window().scene()->connectionItem(0)->kind(), model::ConnectionKind::OnFailure);
        document().undoStack()->undo();
        QCOMPARE(design().connections[0].kind, model::ConnectionKind::Send);
    }

    void draggingMovesAndConsecutiveMovesMerge()
    {
        load({makeComponent("a", model::ComponentType::Queue, 0, 0),
              makeComponent("b", model::ComponentType::Function, 300, 0)},
             {{"a", "b", model::ConnectionKind::EventSource, {}, {}}});
        auto* connection = window().scene()->connectionItem(0);
        const QPointF endBefore = connection->path().pointAtPercent(1.0);
        dragWithMouse(cardCentre("b"), cardCentre("b") + QPointF(103, 47));
        // Snapped to the 20 px grid.
        QCOMPARE(design().components[1].position.x, 400.0);
        QCOMPARE(design().components[1].position.y, 40.0);
        // The connection followed its end.
        QCOMPARE(connection->path().pointAtPercent(1.0), endBefore + QPointF(100, 40));
        QCOMPARE(document().undoStack()->count(), 1);
        dragWithMouse(cardCentre("b"), cardCentre("b") + QPointF(40, 0));
        QCOMPARE(design().components[1].position.x, 440.0);
        QCOMPARE(document().undoStack()->count(), 1); // merged with the previous move
        window().view()->setFocus();
        QTest::keyClick(window().view(), Qt::Key_Down);
        QTest::keyClick(window().view(), Qt::Key_Down);
        QCOMPARE(design().components[1].position.y, 80.0);
        QCOMPARE(document().undoStack()->count(), 1);
        document().undoStack()->undo();
        QCOMPARE(design().components[1].position.x, 300.0);
        QCOMPARE(design().components[1].position.y, 0.0);
        QCOMPARE(window().scene()->componentItem("b")->pos(), QPointF(300, 0));
    }

    void deleteTakesConnectionsAlongAndUndoRestoresAll()
    {
        auto producer = makeComponent("clients", model::ComponentType::Producer, 0, 0);
        load({producer, makeComponent("api", model::ComponentType::Api, 300, 0),
              makeComponent("fn", model::ComponentType::Function, 600, 0)},
             {{"clients", "api", model::ConnectionKind::Invoke, {}, {}},
              {"api", "fn", model::ConnectionKind::Invoke, {}, {}}});
        auto withTraffic = document().scenario();
        withTraffic.traffic.push_back({"clients", {}, {model::EventTemplate{}}});
        document().setScenario(withTraffic);
        const std::string before = model::DesignFile::serialize(design());

        window().scene()->selectOnly({"clients", "api"});
        window().view()->setFocus();
        QTest::keyClick(window().view(), Qt::Key_Delete);
        QCOMPARE(design().components.size(), std::size_t(1));
        QVERIFY(design().connections.empty());
        QVERIFY(design().traffic.empty());
        document().undoStack()->undo();
        QCOMPARE(model::DesignFile::serialize(design()), before);
        QVERIFY(window().scene()->connectionItem(1));
    }

    void copyPasteAndDuplicateRenameIds()
    {
        load({makeComponent("orders", model::ComponentType::Queue, 0, 0),
              makeComponent("worker", model::ComponentType::Function, 300, 0)},
             {{"orders", "worker", model::ConnectionKind::EventSource, {}, {}}});
        window().scene()->selectOnly({"orders", "worker"});
        window().copySelection();
        window().paste();
        QCOMPARE(design().components.size(), std::size_t(4));
        QCOMPARE(design().components[2].id, std::string("orders-2"));
        QCOMPARE(design().components[3].id, std::string("worker-2"));
        QCOMPARE(design().components[2].position.x, 40.0);
        QCOMPARE(design().connections.size(), std::size_t(2));
        QCOMPARE(design().connections[1].from, std::string("orders-2"));
        QCOMPARE(design().connections[1].to, std::string("worker-2"));
        QCOMPARE(window().scene()->selectedComponentIds(),
                 (std::set<std::string>{"orders-2", "worker-2"}));
        window().duplicateSelection();
        QCOMPARE(design().components.size(), std::size_t(6));
        QCOMPARE(design().components[4].id, std::string("orders-3"));
        QCOMPARE(design().components[4].position.x, 80.0);
        document().undoStack()->undo();
        document().undoStack()->undo();
        QCOMPARE(design().components.size(), std::size_t(2));
        QCOMPARE(design().connections.size(), std::size_t(1));
    }

    void alignAndDistribute()
    {
        load({makeComponent("a", model::ComponentType::Queue, 0, 0),
              makeComponent("b", model::ComponentType::Queue, 100, 37),
              makeComponent("c", model::ComponentType::Queue, 500, 80)});
        window().scene()->selectOnly({"a", "b", "c"});
        window().alignSelection(MainWindow::Alignment::Top);
        for (const auto& c : design().components)
            QCOMPARE(c.position.y, 0.0);
        window().distributeSelection(Qt::Horizontal);
        QCOMPARE(design().components[1].position.x, 250.0);
        document().undoStack()->undo();
        document().undoStack()->undo();
        QCOMPARE(design().components[1].position.y, 37.0);
    }

    void saveAndReopenGivesTheSameModel()
    {
        QTemporaryDir dir;
        const QString source = QStringLiteral(EVENTFLOW_SOURCE_DIR
                                              "/examples/order-flow-async.eventflow.json");
        QVERIFY(window().openFile(source));
        QVERIFY(!document().isModified());
        // An edit, then save through the window's own path.
        window().scene()->selectOnly({"fulfillment-queue"});
        auto* edit = qobject_cast<QLineEdit*>(
            window().inspector()->field("props", "VisibilityTimeout")->editor());
        edit->setFocus();
        edit->selectAll();
        QTest::keyClicks(edit, QStringLiteral("75"));
        QVERIFY(document().isModified());
        QVERIFY(window().windowTitle().contains(QStringLiteral("order-flow-async")));
        const QString path = dir.filePath(QStringLiteral("copy.eventflow.json"));
        QVERIFY(!window().saveTo(path));
        QVERIFY(!document().isModified());
        QCOMPARE(window().recentFiles().value(0), QFileInfo(path).absoluteFilePath());
        const std::string saved = model::DesignFile::serialize(design());

        MainWindow::Options options;
        MainWindow reopened(options);
        QVERIFY(reopened.openFile(path));
        QCOMPARE(model::DesignFile::serialize(reopened.document()->design()), saved);
        const auto* queue = reopened.document()->design().findComponent("fulfillment-queue");
        QCOMPARE(queue->props.value("VisibilityTimeout", 0), 75);
    }

    void brokenFileIsReportedAndTheDesignKept()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("broken.eventflow.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"format\": \"eventflow/1\", \"components\": [ {\"id\": 3} ]}");
        file.close();
        load({makeComponent("orders", model::ComponentType::Queue, 0, 0)});
        QString reported;
        window().setErrorReporter([&](const QString&, const QString& message) { reported = message; });
        QVERIFY(!window().openFile(path));
        QVERIFY2(reported.contains(QStringLiteral("/components/0")), qPrintable(reported));
        QCOMPARE(design().components.size(), std::size_t(1));
        QCOMPARE(design().components[0].id, std::string("orders"));
    }

    void closingWithUnsavedChangesAsks()
    {
        load({});
        Q_EMIT window().palette()->itemActivated(
            window().palette()->itemFor(model::ComponentType::Topic));
        int asked = 0;
        window().setSavePrompt([&](const QString&) {
            ++asked;
            return QMessageBox::Cancel;
        });
        QVERIFY(!window().close());
        QCOMPARE(asked, 1);
        QVERIFY(window().isVisible());
        window().setSavePrompt([&](const QString&) {
            ++asked;
            return QMessageBox::Discard;
        });
        QVERIFY(window().close());
        QCOMPARE(asked, 2);
    }

    void recoversAfterACrash()
    {
        QVERIFY(window().openFile(QStringLiteral(EVENTFLOW_SOURCE_DIR
                                                 "/examples/fanout-throttled.eventflow.json")));
        window().scene()->placeComponent(model::ComponentType::Stream, QPointF(0, 600));
        window().autosave();
        const std::string edited = model::DesignFile::serialize(design());
        const QString crashedFile = window().recoveryPath();
        QVERIFY(QFileInfo::exists(crashedFile));
        QVERIFY(studio::RecoveryStore::orphans().empty()); // its window still lives

        // Another window opening and saving files leaves the first one's work alone.
        MainWindow::Options options;
        MainWindow other(options);
        QVERIFY(other.openFile(QStringLiteral(EVENTFLOW_SOURCE_DIR
                                              "/examples/order-flow-sync.eventflow.json")));
        QVERIFY(QFileInfo::exists(crashedFile));

        // A crash: the window goes without closeEvent, so its recovery file stays behind.
        m_window.reset();
        QVERIFY(QFileInfo::exists(crashedFile));
        QCOMPARE(studio::RecoveryStore::orphans().size(), std::size_t(1));

        MainWindow next(options);
        QVERIFY(next.recover());
        QCOMPARE(model::DesignFile::serialize(next.document()->design()), edited);
        QVERIFY(next.document()->isModified());
        QVERIFY(next.document()->filePath().endsWith(QStringLiteral("fanout-throttled.eventflow.json")));
        QVERIFY(!QFileInfo::exists(crashedFile));          // taken over...
        QVERIFY(QFileInfo::exists(next.recoveryPath()));   // ...into the new window's own file
        QVERIFY(studio::RecoveryStore::orphans().empty());
        // Closing cleanly ends the recovery.
        next.setSavePrompt([](const QString&) { return QMessageBox::Discard; });
        next.close();
        QVERIFY(!QFileInfo::exists(next.recoveryPath()));
    }

    void damagedRecoveryFileIsReportedAndKept()
    {
        QDir().mkpath(studio::RecoveryStore::directory());
        const QString path = studio::RecoveryStore::directory() + QStringLiteral("/x.eventflow.json");
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{ not json");
        file.close();
        QString reported;
        window().setErrorReporter([&](const QString&, const QString& message) { reported = message; });
        QVERIFY(!window().recover());
        QVERIFY(reported.contains(QStringLiteral("damaged")));
        QVERIFY(QFileInfo::exists(path));
    }

    void exportsPngAndSvgOfTheDesign()
    {
        QVERIFY(window().openFile(QStringLiteral(EVENTFLOW_SOURCE_DIR
                                                 "/examples/order-flow-sync.eventflow.json")));
        const QRectF contents = window().scene()->contentsRect();
        QTemporaryDir dir;
        const QString png = dir.filePath(QStringLiteral("design.png"));
        QVERIFY(!studio::DiagramPicture::savePng(window().scene(), png));
        QImage image(png);
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), (contents.size() * studio::DiagramPicture::kPngScale).toSize());
        // Not blank: the cards' colours are there.
        const QColor api = studio::ComponentStyle::colour(model::ComponentType::Api);
        int apiPixels = 0;
        for (int y = 0; y < image.height(); y += 2)
            for (int x = 0; x < image.width(); x += 2)
                if (image.pixelColor(x, y) == api)
                    ++apiPixels;
        QVERIFY2(apiPixels > 50, qPrintable(QString::number(apiPixels)));
        image.save(artifactDir() + QStringLiteral("/export-order-flow-sync.png"));

        const QString svg = dir.filePath(QStringLiteral("design.svg"));
        QVERIFY(!studio::DiagramPicture::saveSvg(window().scene(), svg, QStringLiteral("t")));
        QFile file(svg);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        QXmlStreamReader xml(text);
        QVERIFY(xml.readNextStartElement());
        QCOMPARE(xml.name(), QStringLiteral("svg"));
        QCOMPARE(xml.attributes().value(QStringLiteral("viewBox")).toString(),
                 QStringLiteral("0 0 %1 %2").arg(contents.width()).arg(contents.height()));
        while (!xml.atEnd())
            xml.readNext();
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QVERIFY(text.contains("Orders API"));
    }

    void exportToAnUnwritablePlaceFailsCleanly()
    {
        load({makeComponent("orders", model::ComponentType::Queue, 0, 0)});
        const auto error = studio::DiagramPicture::savePng(
            window().scene(), QStringLiteral("/nonexistent-dir/x.png"));
        QVERIFY(error);
        QVERIFY(error->contains(QStringLiteral("/nonexistent-dir/x.png")));
        QVERIFY(window().saveTo(QStringLiteral("/nonexistent-dir/x.eventflow.json")));
    }

    void importsATemplateAsANewUnsavedDesign()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("template.yaml"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("Transform: AWS::Serverless-2016-10-31\n"
                   "Resources:\n"
                   "  Orders:\n    Type: AWS::SQS::Queue\n"
                   "  Worker:\n    Type: AWS::Serverless::Function\n    Properties:\n"
                   "      Runtime: python3.12\n      Handler: app.handler\n      CodeUri: src/\n"
                   "      Events:\n        Queue:\n          Type: SQS\n"
                   "          Properties:\n            Queue: !GetAtt Orders.Arn\n");
        file.close();
        QVERIFY(window().openFile(path));
        QCOMPARE(design().components.size(), std::size_t(2));
        QCOMPARE(design().connections.size(), std::size_t(1));
        QVERIFY(document().isModified());
        QVERIFY(document().filePath().isEmpty());
    }

    void templateExportPreviewIsTheExportersOutput()
    {
        QVERIFY(window().openFile(QStringLiteral(EVENTFLOW_SOURCE_DIR
                                                 "/examples/fanout-throttled.eventflow.json")));
        studio::TemplateExportDialog dialog(design(), document().filePath());
        for (auto flavour : {model::TemplateFlavour::Sam, model::TemplateFlavour::CloudFormation})
            for (auto syntax : {model::TemplateSyntax::Yaml, model::TemplateSyntax::Json}) {
                dialog.setFormat(flavour, syntax);
                model::Diagnostics findings;
                const std::string expected = model::TemplateExporter::write(
                    model::TemplateExporter::build(design(), flavour, findings), syntax);
                QCOMPARE(dialog.templateText().toStdString(), expected);
            }
        dialog.setFormat(model::TemplateFlavour::Sam, model::TemplateSyntax::Yaml);
        QCOMPARE(dialog.suggestedFileName(), QStringLiteral("fanout-throttled.sam.yaml"));
        QTemporaryDir dir;
        const QString path = dir.filePath(dialog.suggestedFileName());
        QVERIFY(!dialog.saveTo(path));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(file.readAll()), dialog.templateText());
        QVERIFY(dialog.templateText().startsWith(QStringLiteral("AWSTemplateFormatVersion")));
    }

    void screenshotCommandRendersTheWindow_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QSize>("size");
        QTest::addColumn<QString>("stderrHas");
        const QString example = QStringLiteral(EVENTFLOW_SOURCE_DIR
                                               "/examples/order-flow-sync.eventflow.json");
        QTest::newRow("example") << QStringList{example, QStringLiteral("--size"),
                                                QStringLiteral("1000x640")}
                                 << 0 << QSize(1000, 640) << QString();
        QTest::newRow("no file") << QStringList{} << 0 << QSize(1400, 860) << QString();
        // High-DPI: the picture has the screen's device pixels.
        QTest::newRow("scale 2") << QStringList{example, QStringLiteral("--size"),
                                                QStringLiteral("800x500"),
                                                QStringLiteral("--scale-test")}
                                 << 0 << QSize(1600, 1000) << QString();
        QTest::newRow("missing file")
            << QStringList{QStringLiteral("/nonexistent/x.eventflow.json")} << 2 << QSize()
            << QStringLiteral("Cannot open x.eventflow.json");
        QTest::newRow("bad size") << QStringList{example, QStringLiteral("--size"),
                                                 QStringLiteral("big")}
                                  << 2 << QSize() << QStringLiteral("--size must be");
    }

    void screenshotCommandRendersTheWindow()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QSize, size);
        QFETCH(QString, stderrHas);
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("shot.png"));
        QProcess process;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        environment.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.path());
        environment.insert(QStringLiteral("XDG_DATA_HOME"), dir.path());
        if (arguments.removeAll(QStringLiteral("--scale-test")))
            environment.insert(QStringLiteral("QT_SCALE_FACTOR"), QStringLiteral("2"));
        process.setProcessEnvironment(environment);
        process.start(QStringLiteral(EVENTFLOW_BINARY_DIR "/app/studio/eventflow-studio"),
                      arguments + QStringList{QStringLiteral("--screenshot"), out});
        QVERIFY(process.waitForFinished(60000));
        QCOMPARE(process.exitCode(), exitCode);
        if (exitCode == 0) {
            QImage shot(out);
            QCOMPARE(shot.size(), size);
        } else {
            QVERIFY(!QFileInfo::exists(out));
            QVERIFY2(QString::fromUtf8(process.readAllStandardError()).contains(stderrHas),
                     qPrintable(stderrHas));
        }
    }

    void screenshotsOfTheMainStates()
    {
        // Artifacts to look at: an example open, a component selected with its inspector,
        // a connection selected, and a refused connection in the status bar.
        QVERIFY(window().openFile(QStringLiteral(EVENTFLOW_SOURCE_DIR
                                                 "/examples/order-flow-async.eventflow.json")));
        QCoreApplication::processEvents();
        window().grab().save(artifactDir() + QStringLiteral("/designer-example.png"));
        window().scene()->selectOnly({"fulfillment-queue"});
        QCoreApplication::processEvents();
        window().grab().save(artifactDir() + QStringLiteral("/designer-component.png"));
        window().scene()->selectOnly({}, {5});
        QCoreApplication::processEvents();
        window().grab().save(artifactDir() + QStringLiteral("/designer-connection.png"));
        QVERIFY(QFileInfo(artifactDir() + QStringLiteral("/designer-connection.png")).size() > 0);
    }
};

QTEST_MAIN(TestDesigner)
#include "TestDesigner.moc"
