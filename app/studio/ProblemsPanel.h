#pragma once

#include "DesignDocument.h"

#include <QTreeWidget>

namespace eventflow::studio {

/// The validator's diagnostics for the design, live: errors first, then design advice, each
/// naming the component or connection it concerns, with the fix as a tooltip. Activating a row
/// (click or Enter) asks the window to select its subject and focus the field.
class ProblemsPanel : public QTreeWidget {
    Q_OBJECT
public:
    explicit ProblemsPanel(DesignDocument* document, QWidget* parent = nullptr);

    int errorCount() const { return m_errors; }
    int warningCount() const { return m_warnings; }

Q_SIGNALS:
    void problemActivated(const QString& pointer);
    /// "2 errors, 1 warning": for the dock's title.
    void summaryChanged(const QString& summary);

private:
    void refresh();

    DesignDocument* m_document;
    int m_errors = 0;
    int m_warnings = 0;
};

} // namespace eventflow::studio
