#pragma once

#include "model/Design.h"
#include "sim/Comparison.h"

#include <QMainWindow>

#include <memory>
#include <optional>

class QLabel;
class QTableWidget;
class QThread;

namespace eventflow::studio {

class DesignDocument;
class DesignScene;
class DesignView;
class TimeChart;

/// Two designs run side by side under one seed and duration: both canvases coloured by how
/// each component coped, a table of the figures that decide between them (the better value
/// marked), and charts with both runs overlaid. The runs happen on a worker thread.
class CompareWindow : public QMainWindow {
    Q_OBJECT
public:
    CompareWindow(model::Design a, model::Design b, QWidget* parent = nullptr);
    ~CompareWindow() override;

    /// Null until both runs have finished.
    const std::optional<sim::Comparison>& comparison() const { return m_comparison; }
    QTableWidget* table() const { return m_table; }
    DesignScene* sceneA() const { return m_sceneA; }
    DesignScene* sceneB() const { return m_sceneB; }
    TimeChart* latencyChart() const { return m_response; }
    TimeChart* failuresChart() const { return m_failures; }

Q_SIGNALS:
    void finished();

private:
    void showComparison();

    model::Design m_a;
    model::Design m_b;
    DesignDocument* m_documentA;
    DesignDocument* m_documentB;
    DesignScene* m_sceneA;
    DesignScene* m_sceneB;
    DesignView* m_viewA;
    DesignView* m_viewB;
    QTableWidget* m_table;
    QLabel* m_status;
    TimeChart* m_response;
    TimeChart* m_completed;
    TimeChart* m_backlog;
    TimeChart* m_failures;
    QThread* m_worker = nullptr;
    std::optional<sim::Comparison> m_comparison;
};

} // namespace eventflow::studio
