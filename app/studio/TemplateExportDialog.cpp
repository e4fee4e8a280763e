#include "TemplateExportDialog.h"

#include "Wording.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QVBoxLayout>

namespace eventflow::studio {

TemplateExportDialog::TemplateExportDialog(const model::Design& design, const QString& designPath,
                                           QWidget* parent)
    : QDialog(parent)
    , m_design(design)
    , m_designPath(designPath)
{
    setWindowTitle(tr("Export Template"));
    resize(820, 640);
    auto* column = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    m_flavour = new QComboBox(this);
    m_flavour->addItem(tr("AWS SAM (Transform: AWS::Serverless-2016-10-31)"),
                       int(model::TemplateFlavour::Sam));
    m_flavour->addItem(tr("CloudFormation (no transform)"),
                       int(model::TemplateFlavour::CloudFormation));
    m_syntax = new QComboBox(this);
    m_syntax->addItem(QStringLiteral("YAML"), int(model::TemplateSyntax::Yaml));
    m_syntax->addItem(QStringLiteral("JSON"), int(model::TemplateSyntax::Json));
    form->addRow(tr("Template"), m_flavour);
    form->addRow(tr("Syntax"), m_syntax);
    column->addLayout(form);
    m_preview = new QPlainTextEdit(this);
    m_preview->setReadOnly(true);
    m_preview->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_preview->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    column->addWidget(m_preview, 1);
    m_findings = new QLabel(this);
    m_findings->setWordWrap(true);
    column->addWidget(m_findings);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Close, this);
    buttons->button(QDialogButtonBox::Save)->setText(tr("Save As…"));
    connect(buttons, &QDialogButtonBox::accepted, this, &TemplateExportDialog::saveAs);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    column->addWidget(buttons);
    connect(m_flavour, &QComboBox::currentIndexChanged, this, &TemplateExportDialog::regenerate);
    connect(m_syntax, &QComboBox::currentIndexChanged, this, &TemplateExportDialog::regenerate);
    regenerate();
}

void TemplateExportDialog::setFormat(model::TemplateFlavour flavour, model::TemplateSyntax syntax)
{
    m_flavour->setCurrentIndex(m_flavour->findData(int(flavour)));
    m_syntax->setCurrentIndex(m_syntax->findData(int(syntax)));
    regenerate();
}

QString TemplateExportDialog::templateText() const
{
    return m_text;
}

void TemplateExportDialog::regenerate()
{
    model::Diagnostics findings;
    const auto flavour = model::TemplateFlavour(m_flavour->currentData().toInt());
    const auto syntax = model::TemplateSyntax(m_syntax->currentData().toInt());
    const auto tmpl = model::TemplateExporter::build(m_design, flavour, findings);
    m_text = QString::fromStdString(model::TemplateExporter::write(tmpl, syntax));
    m_preview->setPlainText(m_text);
    QStringList lines;
    for (const auto& finding : findings)
        lines << QStringLiteral("⚠ %1 (%2)")
                     .arg(QString::fromStdString(finding.message).toHtmlEscaped(),
                          QString::fromStdString(finding.pointer).toHtmlEscaped());
    const auto notExported = tmpl.contains("Metadata") && tmpl["Metadata"].contains("EventFlow")
                                 ? tmpl["Metadata"]["EventFlow"].value("NotExported",
                                                                       nlohmann::ordered_json())
                                 : nlohmann::ordered_json();
    if (notExported.is_array() && !notExported.empty())
        lines << tr("Not exported, as no AWS resource stands for them: %1 (listed under "
                    "Metadata.EventFlow.NotExported).")
                     .arg(countOf(qsizetype(notExported.size()), tr("part"), tr("parts")));
    m_findings->setText(lines.isEmpty() ? tr("Ready to deploy: no findings.")
                                        : lines.join(QStringLiteral("<br>")));
}

QString TemplateExportDialog::suggestedFileName() const
{
    QString base = m_designPath.isEmpty() ? QStringLiteral("template")
                                          : QFileInfo(m_designPath).fileName();
    base.remove(QStringLiteral(".eventflow.json"));
    const bool sam = model::TemplateFlavour(m_flavour->currentData().toInt()) ==
                     model::TemplateFlavour::Sam;
    const bool yaml = model::TemplateSyntax(m_syntax->currentData().toInt()) ==
                      model::TemplateSyntax::Yaml;
    return base + (sam ? QStringLiteral(".sam") : QStringLiteral(".cfn")) +
           (yaml ? QStringLiteral(".yaml") : QStringLiteral(".json"));
}

std::optional<QString> TemplateExportDialog::saveTo(const QString& path) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return tr("cannot write %1: %2").arg(path, file.errorString());
    file.write(m_text.toUtf8());
    if (!file.commit())
        return tr("cannot write %1: %2").arg(path, file.errorString());
    return std::nullopt;
}

void TemplateExportDialog::saveAs()
{
    const QString dir = m_designPath.isEmpty() ? QString() : QFileInfo(m_designPath).absolutePath();
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save Template"), dir + QLatin1Char('/') + suggestedFileName(),
        tr("Templates (*.yaml *.yml *.json)"));
    if (path.isEmpty())
        return;
    if (auto error = saveTo(path)) {
        QMessageBox::warning(this, tr("Export Template"), *error);
        return;
    }
    accept();
}

} // namespace eventflow::studio
