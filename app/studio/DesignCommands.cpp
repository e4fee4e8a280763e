#include "DesignCommands.h"

#include <algorithm>

namespace eventflow::studio {

AddItemsCommand::AddItemsCommand(DesignDocument* document,
                                 std::vector<model::Component> components,
                                 std::vector<model::Connection> connections, const QString& text)
    : QUndoCommand(text)
    , m_document(document)
    , m_components(std::move(components))
    , m_connections(std::move(connections))
{
}

void AddItemsCommand::redo()
{
    for (const auto& component : m_components)
        m_document->insertComponent(int(m_document->design().components.size()), component);
    for (const auto& connection : m_connections)
        m_document->insertConnection(int(m_document->design().connections.size()), connection);
}

void AddItemsCommand::undo()
{
    // Everything added sits at the end, in order: take it back from the end.
    for (std::size_t i = 0; i < m_connections.size(); ++i)
        m_document->takeConnection(int(m_document->design().connections.size()) - 1);
    for (std::size_t i = 0; i < m_components.size(); ++i)
        m_document->takeComponent(int(m_document->design().components.size()) - 1);
}

RemoveItemsCommand::RemoveItemsCommand(DesignDocument* document,
                                       const std::set<std::string>& componentIds,
                                       const std::set<int>& connectionIndices, const QString& text)
    : QUndoCommand(text)
    , m_document(document)
{
    const auto& design = document->design();
    for (std::size_t i = 0; i < design.components.size(); ++i)
        if (componentIds.count(design.components[i].id))
            m_components.emplace_back(int(i), design.components[i]);
    for (std::size_t i = 0; i < design.connections.size(); ++i) {
        const auto& c = design.connections[i];
        if (connectionIndices.count(int(i)) || componentIds.count(c.from) ||
            componentIds.count(c.to))
            m_connections.emplace_back(int(i), c);
    }
    m_scenarioBefore = document->scenario();
    m_scenarioAfter = m_scenarioBefore;
    std::erase_if(m_scenarioAfter.traffic,
                  [&](const model::TrafficSpec& t) { return componentIds.count(t.producer) > 0; });
    std::erase_if(m_scenarioAfter.faults,
                  [&](const model::Fault& f) { return componentIds.count(f.component) > 0; });
}

void RemoveItemsCommand::redo()
{
    for (auto it = m_connections.rbegin(); it != m_connections.rend(); ++it)
        m_document->takeConnection(it->first);
    for (auto it = m_components.rbegin(); it != m_components.rend(); ++it)
        m_document->takeComponent(it->first);
    m_document->setScenario(m_scenarioAfter);
}

void RemoveItemsCommand::undo()
{
    for (const auto& [index, component] : m_components)
        m_document->insertComponent(index, component);
    for (const auto& [index, connection] : m_connections)
        m_document->insertConnection(index, connection);
    m_document->setScenario(m_scenarioBefore);
}

MoveComponentsCommand::MoveComponentsCommand(DesignDocument* document,
                                             std::map<std::string, Move> moves)
    : QUndoCommand(moves.size() == 1 ? QObject::tr("Move component")
                                     : QObject::tr("Move %n components", nullptr,
                                                   int(moves.size())))
    , m_document(document)
    , m_moves(std::move(moves))
{
}

void MoveComponentsCommand::redo()
{
    for (const auto& [id, move] : m_moves)
        if (int index = m_document->design().indexOf(id); index >= 0)
            m_document->setComponentPosition(index, move.to);
}

void MoveComponentsCommand::undo()
{
    for (const auto& [id, move] : m_moves)
        if (int index = m_document->design().indexOf(id); index >= 0)
            m_document->setComponentPosition(index, move.from);
}

bool MoveComponentsCommand::mergeWith(const QUndoCommand* other)
{
    const auto* move = static_cast<const MoveComponentsCommand*>(other);
    if (move->m_moves.size() != m_moves.size())
        return false;
    for (const auto& [id, _] : m_moves)
        if (!move->m_moves.count(id))
            return false;
    bool back = true;
    for (const auto& [id, next] : move->m_moves) {
        m_moves[id].to = next.to;
        back = back && next.to.x == m_moves[id].from.x && next.to.y == m_moves[id].from.y;
    }
    setObsolete(back); // moved back where it started: nothing left to undo
    return true;
}

EditComponentCommand::EditComponentCommand(DesignDocument* document, model::Component before,
                                           model::Component after, const QString& field,
                                           const QString& text)
    : QUndoCommand(text)
    , m_document(document)
    , m_before(std::move(before))
    , m_after(std::move(after))
    , m_field(field)
{
}

void EditComponentCommand::redo()
{
    if (int index = m_document->design().indexOf(m_after.id); index >= 0)
        m_document->replaceComponent(index, m_after);
}

void EditComponentCommand::undo()
{
    if (int index = m_document->design().indexOf(m_before.id); index >= 0)
        m_document->replaceComponent(index, m_before);
}

bool EditComponentCommand::mergeWith(const QUndoCommand* other)
{
    const auto* edit = static_cast<const EditComponentCommand*>(other);
    if (m_field.isEmpty() || edit->m_field != m_field || edit->m_after.id != m_after.id)
        return false;
    m_after = edit->m_after;
    setObsolete(m_after.label == m_before.label && m_after.props == m_before.props &&
                m_after.sim == m_before.sim);
    return true;
}

EditConnectionCommand::EditConnectionCommand(DesignDocument* document, int index,
                                             model::Connection before, model::Connection after,
                                             const QString& field, const QString& text)
    : QUndoCommand(text)
    , m_document(document)
    , m_index(index)
    , m_before(std::move(before))
    , m_after(std::move(after))
    , m_field(field)
{
}

void EditConnectionCommand::redo()
{
    m_document->replaceConnection(m_index, m_after);
}

void EditConnectionCommand::undo()
{
    m_document->replaceConnection(m_index, m_before);
}

bool EditConnectionCommand::mergeWith(const QUndoCommand* other)
{
    const auto* edit = static_cast<const EditConnectionCommand*>(other);
    if (m_field.isEmpty() || edit->m_field != m_field || edit->m_index != m_index)
        return false;
    m_after = edit->m_after;
    setObsolete(m_after.kind == m_before.kind && m_after.props == m_before.props &&
                m_after.sim == m_before.sim);
    return true;
}

EditScenarioCommand::EditScenarioCommand(DesignDocument* document,
                                         DesignDocument::Scenario before,
                                         DesignDocument::Scenario after, const QString& field,
                                         const QString& text)
    : QUndoCommand(text)
    , m_document(document)
    , m_before(std::move(before))
    , m_after(std::move(after))
    , m_field(field)
{
}

void EditScenarioCommand::redo()
{
    m_document->setScenario(m_after);
}

void EditScenarioCommand::undo()
{
    m_document->setScenario(m_before);
}

bool EditScenarioCommand::mergeWith(const QUndoCommand* other)
{
    const auto* edit = static_cast<const EditScenarioCommand*>(other);
    if (m_field.isEmpty() || edit->m_field != m_field)
        return false;
    m_after = edit->m_after;
    return true;
}

} // namespace eventflow::studio
