#include "ProblemsPanel.h"

#include "DesignPointer.h"
#include "Wording.h"

#include <QHeaderView>
#include <QStyle>

namespace eventflow::studio {

ProblemsPanel::ProblemsPanel(DesignDocument* document, QWidget* parent)
    : QTreeWidget(parent)
    , m_document(document)
{
    setColumnCount(3);
    setHeaderLabels({tr("Severity"), tr("Where"), tr("Problem")});
    setRootIsDecorated(false);
    setUniformRowHeights(true);
    setWordWrap(false);
    setAlternatingRowColors(true);
    header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    header()->setSectionResizeMode(1, QHeaderView::Interactive);
    header()->resizeSection(1, 200);
    header()->setStretchLastSection(true);
    connect(document, &DesignDocument::diagnosticsChanged, this, &ProblemsPanel::refresh);
    connect(this, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* item) {
        Q_EMIT problemActivated(item->data(0, Qt::UserRole).toString());
    });
    connect(this, &QTreeWidget::itemClicked, this, [this](QTreeWidgetItem* item) {
        Q_EMIT problemActivated(item->data(0, Qt::UserRole).toString());
    });
    refresh();
}

void ProblemsPanel::refresh()
{
    const auto& design = m_document->design();
    auto diagnostics = m_document->diagnostics();
    std::stable_sort(diagnostics.begin(), diagnostics.end(),
                     [](const auto& a, const auto& b) { return a.severity < b.severity; });
    clear();
    m_errors = m_warnings = 0;
    QList<QTreeWidgetItem*> rows;
    for (const auto& diagnostic : diagnostics) {
        const bool error = diagnostic.severity == model::Severity::Error;
        (error ? m_errors : m_warnings)++;
        const auto place = DesignPointer::resolve(diagnostic.pointer, design);
        QString where;
        if (place.target == DesignPointer::Target::Component) {
            const auto& c = design.components[std::size_t(place.index)];
            where = QString::fromStdString(c.label.empty() ? c.id : c.label);
        } else if (place.target == DesignPointer::Target::Connection) {
            const auto& c = design.connections[std::size_t(place.index)];
            where = QString::fromStdString(c.from + " → " + c.to);
        } else {
            where = tr("Design");
        }
        if (!place.key.empty())
            where += QStringLiteral(" · ") + QString::fromStdString(place.key);
        auto* row = new QTreeWidgetItem;
        row->setIcon(0, style()->standardIcon(error ? QStyle::SP_MessageBoxCritical
                                                    : QStyle::SP_MessageBoxWarning));
        row->setText(0, error ? tr("Error") : tr("Warning"));
        row->setText(1, where);
        row->setText(2, QString::fromStdString(diagnostic.message));
        QString tip = QString::fromStdString(diagnostic.message).toHtmlEscaped();
        if (!diagnostic.fix.empty())
            tip += QStringLiteral("<br><b>%1</b> %2")
                       .arg(tr("Fix:"), QString::fromStdString(diagnostic.fix).toHtmlEscaped());
        tip += QStringLiteral("<br><tt>%1</tt>")
                   .arg(QString::fromStdString(diagnostic.pointer).toHtmlEscaped());
        for (int column = 0; column < 3; ++column)
            row->setToolTip(column, tip);
        row->setData(0, Qt::UserRole, QString::fromStdString(diagnostic.pointer));
        rows.append(row);
    }
    addTopLevelItems(rows);
    QString summary;
    if (m_errors == 0 && m_warnings == 0)
        summary = tr("No problems");
    else
        summary = countOf(m_errors, tr("error"), tr("errors")) + QStringLiteral(", ") +
                  countOf(m_warnings, tr("warning"), tr("warnings"));
    Q_EMIT summaryChanged(summary);
}

} // namespace eventflow::studio
