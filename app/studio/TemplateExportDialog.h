#pragma once

#include "model/Design.h"
#include "model/TemplateExporter.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QPlainTextEdit;

namespace eventflow::studio {

/// File ▸ Export Template: the design as an AWS SAM or CloudFormation template, in YAML or JSON,
/// previewed before it is saved. The text comes from model::TemplateExporter — the same as
/// `eventflow export` writes — and the exporter's findings are listed under the preview.
class TemplateExportDialog : public QDialog {
    Q_OBJECT
public:
    TemplateExportDialog(const model::Design& design, const QString& designPath,
                         QWidget* parent = nullptr);

    void setFormat(model::TemplateFlavour flavour, model::TemplateSyntax syntax);
    QString templateText() const;
    /// Writes the current text atomically; returns an error message or nullopt.
    std::optional<QString> saveTo(const QString& path) const;
    QString suggestedFileName() const;

private:
    void regenerate();
    void saveAs();

    model::Design m_design;
    QString m_designPath;
    QComboBox* m_flavour;
    QComboBox* m_syntax;
    QPlainTextEdit* m_preview;
    QLabel* m_findings;
    QString m_text;
};

} // namespace eventflow::studio
