#pragma once

#include "DesignDocument.h"
#include "RecoveryStore.h"

#include <QElapsedTimer>
#include <QMainWindow>
#include <QMessageBox>

#include <functional>
#include <memory>
#include <optional>

class QComboBox;
class QLabel;
class QTimer;
class QUndoView;
class QMenu;

namespace eventflow::studio {

class ComponentPalette;
class Dashboard;
class FaultTimeline;
class SimulationRunner;
class DesignScene;
class DesignView;
class Inspector;
class OverviewView;
class ProblemsPanel;
struct Scenario;

/// The designer's window: palette, canvas, inspector, problems, undo history and overview around
/// one DesignDocument; the File, Edit, Arrange and View menus with standard shortcuts; files
/// (atomic saves, recent files, a prompt before losing changes, drag-and-drop), autosave to a
/// recovery file that is offered back after a crash, template export/import, and pictures.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    struct Options {
        int autosaveIntervalMs = 30000;
    };
    explicit MainWindow(Options options, QWidget* parent = nullptr);
    MainWindow()
        : MainWindow(Options{})
    {
    }
    ~MainWindow() override;

    DesignDocument* document() const { return m_document; }
    DesignScene* scene() const { return m_scene; }
    DesignView* view() const { return m_view; }
    Inspector* inspector() const { return m_inspector; }
    ProblemsPanel* problems() const { return m_problems; }
    ComponentPalette* palette() const { return m_palette; }
    OverviewView* overview() const { return m_overview; }
    SimulationRunner* runner() const { return m_runner; }
    Dashboard* dashboard() const { return m_dashboard; }
    FaultTimeline* timeline() const { return m_timeline; }

    /// Runs the design's simulation live (or resumes a paused run). With `pauseAt` the run
    /// pauses when the simulated clock reaches it.
    void run(std::optional<double> pauseAt = std::nullopt);
    /// Simulated seconds per wall second; 0 for as fast as possible.
    void setRunSpeed(double speed);
    /// Opens a window comparing this design (A) with the design at `path` (B); null when B
    /// cannot be read or either design has errors (the reason is reported).
    class CompareWindow* compareWith(const QString& path);
    /// Writes the design's report (HTML or PDF by extension) from the finished run, or from a
    /// whole run made for it; returns an error message or nullopt.
    std::optional<QString> writeReport(const QString& path);

    /// Opens a design (or imports a template, by extension). Shows what is wrong and keeps the
    /// current design when the file cannot be read; returns whether it was opened.
    bool openFile(const QString& path);
    /// Returns an error message, or nullopt when saved.
    std::optional<QString> saveTo(const QString& path);
    bool importTemplate(const QString& path);
    /// Starts a new, untitled design from a workshop scenario: saving asks where, so the
    /// shipped file stays as it is.
    void openScenario(const Scenario& scenario);
    /// File ▸ New from Scenario: the gallery; "Open and Compare" also opens the comparison with
    /// the scenario's partner. `highlighted` names the scenario chosen first.
    void newFromScenario(const QString& highlighted = QString());
    /// Fits the design into the view and the overview (after opening, or for a screenshot).
    void showWholeDesign();
    /// Writes this window's recovery file now (the autosave timer calls this).
    void autosave();
    /// Where this window's recovery file goes.
    QString recoveryPath() const;
    /// Asks whether to recover work a crashed window left behind, and does; true if recovered.
    /// The application calls it at start-up, before opening a file from the command line.
    bool offerRecovery();
    /// Opens the most recent work a crashed window left behind as a modified design (no
    /// questions); false when there is none or it cannot be read (it is kept then).
    bool recover();

    QStringList recentFiles() const;

    /// Asks what to do with unsaved changes; replaceable so tests answer without a dialog.
    using SavePrompt = std::function<QMessageBox::StandardButton(const QString& name)>;
    void setSavePrompt(SavePrompt prompt) { m_savePrompt = std::move(prompt); }
    /// Shows an error; replaceable so tests can read it instead of a dialog.
    using ErrorReporter = std::function<void(const QString& title, const QString& message)>;
    void setErrorReporter(ErrorReporter reporter) { m_reportError = std::move(reporter); }

    void copySelection();
    void paste();
    void duplicateSelection();
    void deleteSelection();
    enum class Alignment { Left, HorizontalCentre, Right, Top, VerticalCentre, Bottom };
    void alignSelection(Alignment alignment);
    void distributeSelection(Qt::Orientation orientation);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createActions();
    void createMenus();
    void createToolBars();
    void createDocks();
    void createRunToolBar();
    void showSnapshot();
    void runStateChanged();
    /// An edit makes a run stale: it is stopped and its pictures go.
    void resetRun();
    void readSettings();
    void writeSettings();

    void newDesign();
    void open();
    bool save();
    bool saveAs();
    void importTemplateDialog();
    void exportTemplate();
    void exportPicture();
    void exportReport();
    bool maybeSave();
    void addRecentFile(const QString& path);
    void updateRecentMenu();
    void updateTitle();
    void syncInspectorWithSelection();
    void showProblem(const QString& pointer);
    void placeFromPalette(model::ComponentType type);
    /// The selected components with the links between them and their traffic.
    model::Design selectionFragment() const;
    void pasteFragment(const model::Design& fragment, QPointF offset, const QString& text);
    void removeRecoveryFile();

    Options m_options;
    DesignDocument* m_document;
    DesignScene* m_scene;
    DesignView* m_view;
    ComponentPalette* m_palette = nullptr;
    Inspector* m_inspector = nullptr;
    ProblemsPanel* m_problems = nullptr;
    QUndoView* m_history = nullptr;
    OverviewView* m_overview = nullptr;
    QLabel* m_zoomLabel = nullptr;
    QLabel* m_problemSummary = nullptr;
    QMenu* m_recentMenu = nullptr;
    QMenu* m_viewMenu = nullptr;
    QTimer* m_autosaveTimer = nullptr;
    RecoveryStore m_recovery;
    SimulationRunner* m_runner = nullptr;
    Dashboard* m_dashboard = nullptr;
    FaultTimeline* m_timeline = nullptr;
    QLabel* m_clockLabel = nullptr;
    QComboBox* m_speedCombo = nullptr;
    QElapsedTimer m_dashboardClock;
    SavePrompt m_savePrompt;
    ErrorReporter m_reportError;
    int m_pasteCount = 0;

    struct Actions;
    std::unique_ptr<Actions> m_actions;
};

} // namespace eventflow::studio
