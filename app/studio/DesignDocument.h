#pragma once

#include "model/Design.h"
#include "model/Diagnostic.h"

#include <QObject>
#include <QString>
#include <QUndoStack>

namespace eventflow::studio {

/// The design being edited: the one source of truth the canvas, inspector and problems panel
/// are views of. It owns the model::Design and the undo stack. Edits arrive only as undo
/// commands (DesignCommands.h), which call the mutators below; every mutator emits a signal
/// describing exactly what changed, so views update incrementally. Components and connections
/// are addressed by their index in the design, which views mirror in parallel arrays.
/// Lives in the GUI thread.
class DesignDocument : public QObject {
    Q_OBJECT
public:
    explicit DesignDocument(QObject* parent = nullptr);

    const model::Design& design() const { return m_design; }
    QUndoStack* undoStack() { return &m_undoStack; }

    /// The file the design was read from or last saved to; empty for a new design.
    QString filePath() const { return m_filePath; }
    void setFilePath(const QString& path);
    /// A name for titles: the file's name, or the design's name for an unsaved design.
    QString displayName() const;
    bool isModified() const { return !m_undoStack.isClean(); }

    /// Replaces the whole design (new, open, import, recovery) and forgets the undo history.
    /// `modified` marks a design that differs from its file (recovered or imported).
    void reset(model::Design design, const QString& filePath, bool modified = false);
    /// Records that the current state is what the file holds.
    void markSaved(const QString& filePath);

    /// The validator's findings for the current design; recomputed lazily after changes.
    const model::Diagnostics& diagnostics() const;

    /// An id for a new component of `type` that no component has yet ("queue-3").
    std::string uniqueComponentId(model::ComponentType type) const;

    // Mutators: called by undo commands only.
    void insertComponent(int index, model::Component component);
    model::Component takeComponent(int index);
    void replaceComponent(int index, model::Component component);
    void setComponentPosition(int index, model::Point position);
    void insertConnection(int index, model::Connection connection);
    model::Connection takeConnection(int index);
    void replaceConnection(int index, model::Connection connection);
    /// Design-level content: name, description, traffic, faults and simulation settings.
    struct Scenario {
        std::string name;
        std::string description;
        std::vector<model::TrafficSpec> traffic;
        std::vector<model::Fault> faults;
        model::SimulationSettings simulation;
    };
    Scenario scenario() const;
    void setScenario(Scenario scenario);

Q_SIGNALS:
    void designReset();
    void componentInserted(int index);
    void componentRemoved(int index);
    /// Anything but the position changed (label, parameters).
    void componentChanged(int index);
    void componentMoved(int index);
    void connectionInserted(int index);
    void connectionRemoved(int index);
    void connectionChanged(int index);
    void scenarioChanged();
    /// Emitted once per event-loop turn after any change (validation is coalesced).
    void diagnosticsChanged();
    void modifiedChanged(bool modified);
    void filePathChanged(const QString& path);

private:
    void contentChanged();

    model::Design m_design;
    QUndoStack m_undoStack;
    QString m_filePath;
    mutable model::Diagnostics m_diagnostics;
    mutable bool m_diagnosticsStale = true;
    bool m_diagnosticsQueued = false;
};

} // namespace eventflow::studio
