#pragma once

#include "DesignDocument.h"

#include <QUndoCommand>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace eventflow::studio {

/// The undo commands every edit of a design goes through. Each stores just what it needs to go
/// both ways. Components are addressed by id; connections and removed items by index, which is
/// sound on a linear undo stack: when a command runs, every later one has been undone.
/// Commands that merge: consecutive moves of the same components, and consecutive edits of the
/// same field of the same item (typing a number is one undo step).

/// Adds components (at the end) and connections (at the end); used to place, connect, paste and
/// duplicate. Undo removes them.
class AddItemsCommand : public QUndoCommand {
public:
    AddItemsCommand(DesignDocument* document, std::vector<model::Component> components,
                    std::vector<model::Connection> connections, const QString& text);
    void redo() override;
    void undo() override;

private:
    DesignDocument* m_document;
    std::vector<model::Component> m_components;
    std::vector<model::Connection> m_connections;
};

/// Removes components — with every connection touching them, their traffic and their faults —
/// and connections. Undo puts everything back where it was.
class RemoveItemsCommand : public QUndoCommand {
public:
    RemoveItemsCommand(DesignDocument* document, const std::set<std::string>& componentIds,
                       const std::set<int>& connectionIndices, const QString& text);
    void redo() override;
    void undo() override;

private:
    DesignDocument* m_document;
    std::vector<std::pair<int, model::Component>> m_components;   // ascending index
    std::vector<std::pair<int, model::Connection>> m_connections; // ascending index
    DesignDocument::Scenario m_scenarioBefore;
    DesignDocument::Scenario m_scenarioAfter;
};

/// Moves components; consecutive moves of the same set of components merge into one step.
class MoveComponentsCommand : public QUndoCommand {
public:
    struct Move {
        model::Point from;
        model::Point to;
    };
    MoveComponentsCommand(DesignDocument* document, std::map<std::string, Move> moves);
    void redo() override;
    void undo() override;
    int id() const override { return 1; }
    bool mergeWith(const QUndoCommand* other) override;

private:
    DesignDocument* m_document;
    std::map<std::string, Move> m_moves;
};

/// Replaces one component (label or parameters). `field` names what was edited: consecutive
/// edits of the same field of the same component merge; an empty field never merges.
class EditComponentCommand : public QUndoCommand {
public:
    EditComponentCommand(DesignDocument* document, model::Component before, model::Component after,
                         const QString& field, const QString& text);
    void redo() override;
    void undo() override;
    int id() const override { return 2; }
    bool mergeWith(const QUndoCommand* other) override;

private:
    DesignDocument* m_document;
    model::Component m_before;
    model::Component m_after;
    QString m_field;
};

/// Replaces one connection (kind or parameters), addressed by its index; merges like
/// EditComponentCommand.
class EditConnectionCommand : public QUndoCommand {
public:
    EditConnectionCommand(DesignDocument* document, int index, model::Connection before,
                          model::Connection after, const QString& field, const QString& text);
    void redo() override;
    void undo() override;
    int id() const override { return 3; }
    bool mergeWith(const QUndoCommand* other) override;

private:
    DesignDocument* m_document;
    int m_index;
    model::Connection m_before;
    model::Connection m_after;
    QString m_field;
};

/// Replaces the design-level content (name, description, traffic, faults, simulation settings);
/// merges like EditComponentCommand.
class EditScenarioCommand : public QUndoCommand {
public:
    EditScenarioCommand(DesignDocument* document, DesignDocument::Scenario before,
                        DesignDocument::Scenario after, const QString& field, const QString& text);
    void redo() override;
    void undo() override;
    int id() const override { return 4; }
    bool mergeWith(const QUndoCommand* other) override;

private:
    DesignDocument* m_document;
    DesignDocument::Scenario m_before;
    DesignDocument::Scenario m_after;
    QString m_field;
};

} // namespace eventflow::studio
