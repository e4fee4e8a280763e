#include "DesignDocument.h"

#include "model/Validator.h"

#include <QFileInfo>
#include <QTimer>

namespace eventflow::studio {

DesignDocument::DesignDocument(QObject* parent)
    : QObject(parent)
{
    m_design.name = "Untitled design";
    connect(&m_undoStack, &QUndoStack::cleanChanged, this,
            [this](bool clean) { Q_EMIT modifiedChanged(!clean); });
}

void DesignDocument::setFilePath(const QString& path)
{
    if (path == m_filePath)
        return;
    m_filePath = path;
    Q_EMIT filePathChanged(path);
}

QString DesignDocument::displayName() const
{
    if (!m_filePath.isEmpty())
        return QFileInfo(m_filePath).fileName();
    return m_design.name.empty() ? QStringLiteral("Untitled design")
                                 : QString::fromStdString(m_design.name);
}

void DesignDocument::reset(model::Design design, const QString& filePath, bool modified)
{
    m_design = std::move(design);
    m_undoStack.clear();
    if (modified) {
        // QUndoStack has no "dirty without a command": an unreachable clean index says the same.
        m_undoStack.resetClean();
    } else {
        m_undoStack.setClean();
    }
    setFilePath(filePath);
    Q_EMIT designReset();
    Q_EMIT modifiedChanged(isModified());
    contentChanged();
}

void DesignDocument::markSaved(const QString& filePath)
{
    setFilePath(filePath);
    m_undoStack.setClean();
}

const model::Diagnostics& DesignDocument::diagnostics() const
{
    if (m_diagnosticsStale) {
        m_diagnostics = model::Validator::validate(m_design);
        m_diagnosticsStale = false;
    }
    return m_diagnostics;
}

std::string DesignDocument::uniqueComponentId(model::ComponentType type) const
{
    std::string base(model::componentTypeName(type));
    std::replace(base.begin(), base.end(), '_', '-');
    for (int n = 1;; ++n) {
        std::string id = base + "-" + std::to_string(n);
        if (m_design.indexOf(id) < 0)
            return id;
    }
}

void DesignDocument::insertComponent(int index, model::Component component)
{
    m_design.components.insert(m_design.components.begin() + index, std::move(component));
    Q_EMIT componentInserted(index);
    contentChanged();
}

model::Component DesignDocument::takeComponent(int index)
{
    model::Component component = std::move(m_design.components[std::size_t(index)]);
    m_design.components.erase(m_design.components.begin() + index);
    Q_EMIT componentRemoved(index);
    contentChanged();
    return component;
}

void DesignDocument::replaceComponent(int index, model::Component component)
{
    m_design.components[std::size_t(index)] = std::move(component);
    Q_EMIT componentChanged(index);
    contentChanged();
}

void DesignDocument::setComponentPosition(int index, model::Point position)
{
    m_design.components[std::size_t(index)].position = position;
    Q_EMIT componentMoved(index);
}

void DesignDocument::insertConnection(int index, model::Connection connection)
{
    m_design.connections.insert(m_design.connections.begin() + index, std::move(connection));
    Q_EMIT connectionInserted(index);
    contentChanged();
}

model::Connection DesignDocument::takeConnection(int index)
{
    model::Connection connection = std::move(m_design.connections[std::size_t(index)]);
    m_design.connections.erase(m_design.connections.begin() + index);
    Q_EMIT connectionRemoved(index);
    contentChanged();
    return connection;
}

void DesignDocument::replaceConnection(int index, model::Connection connection)
{
    m_design.connections[std::size_t(index)] = std::move(connection);
    Q_EMIT connectionChanged(index);
    contentChanged();
}

DesignDocument::Scenario DesignDocument::scenario() const
{
    return {m_design.name, m_design.description, m_design.traffic, m_design.faults,
            m_design.simulation};
}

void DesignDocument::setScenario(Scenario scenario)
{
    m_design.name = std::move(scenario.name);
    m_design.description = std::move(scenario.description);
    m_design.traffic = std::move(scenario.traffic);
    m_design.faults = std::move(scenario.faults);
    m_design.simulation = scenario.simulation;
    Q_EMIT scenarioChanged();
    contentChanged();
}

void DesignDocument::contentChanged()
{
    m_diagnosticsStale = true;
    if (m_diagnosticsQueued)
        return;
    m_diagnosticsQueued = true;
    QTimer::singleShot(0, this, [this] {
        m_diagnosticsQueued = false;
        Q_EMIT diagnosticsChanged();
    });
}

} // namespace eventflow::studio
