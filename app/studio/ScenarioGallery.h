#pragma once

#include "ScenarioLibrary.h"

#include <QDialog>

class QLabel;
class QListWidget;
class QPushButton;

namespace eventflow::studio {

/// File ▸ New from Scenario: the workshop scenarios as thumbnails the app draws from each design,
/// and beside the chosen one its title, story, what a run shows and its partner for comparison.
/// Accepting gives the chosen scenario, and whether to compare it with its partner.
class ScenarioGallery : public QDialog {
    Q_OBJECT
public:
    static constexpr QSize kThumbnailSize{240, 150};

    explicit ScenarioGallery(ScenarioList scenarios, QWidget* parent = nullptr);

    const ScenarioList& scenarios() const { return m_scenarios; }
    /// The highlighted scenario, or null.
    const Scenario* current() const;
    void setCurrent(const QString& stem);
    /// Whether the dialog was accepted with "Open and Compare".
    bool compareRequested() const { return m_compare; }

    QListWidget* list() const { return m_list; }
    QPushButton* openButton() const { return m_open; }
    QPushButton* compareButton() const { return m_compareButton; }
    QLabel* story() const { return m_story; }

private:
    void showCurrent();

    ScenarioList m_scenarios;
    QListWidget* m_list = nullptr;
    QLabel* m_title = nullptr;
    QLabel* m_story = nullptr;
    QLabel* m_outcome = nullptr;
    QLabel* m_partner = nullptr;
    QPushButton* m_open = nullptr;
    QPushButton* m_compareButton = nullptr;
    bool m_compare = false;
};

} // namespace eventflow::studio
