#include "ScenarioGallery.h"

#include "Wording.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

namespace eventflow::studio {

ScenarioGallery::ScenarioGallery(ScenarioList scenarios, QWidget* parent)
    : QDialog(parent)
    , m_scenarios(std::move(scenarios))
    , m_list(new QListWidget(this))
    , m_title(new QLabel(this))
    , m_story(new QLabel(this))
    , m_outcome(new QLabel(this))
    , m_partner(new QLabel(this))
{
    setWindowTitle(tr("New from Scenario"));

    m_list->setViewMode(QListView::IconMode);
    m_list->setIconSize(kThumbnailSize);
    m_list->setGridSize(kThumbnailSize + QSize(24, 64));
    m_list->setResizeMode(QListView::Adjust);
    m_list->setMovement(QListView::Static);
    m_list->setWordWrap(true);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    for (const auto& scenario : m_scenarios.scenarios) {
        auto* item = new QListWidgetItem(
            QIcon(QPixmap::fromImage(scenarioThumbnail(scenario.design, kThumbnailSize))),
            scenario.title(), m_list);
        item->setData(Qt::UserRole, scenario.stem);
        item->setToolTip(qs(scenario.design.description));
    }

    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    for (QLabel* label : {m_title, m_story, m_outcome, m_partner}) {
        label->setWordWrap(true);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        label->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    }
    auto* details = new QWidget;
    auto* detailsLayout = new QVBoxLayout(details);
    auto* showsHeading = new QLabel(tr("<b>What a run shows</b>"));
    detailsLayout->addWidget(m_title);
    detailsLayout->addWidget(m_story);
    detailsLayout->addSpacing(8);
    detailsLayout->addWidget(showsHeading);
    detailsLayout->addWidget(m_outcome);
    detailsLayout->addSpacing(8);
    detailsLayout->addWidget(m_partner);
    detailsLayout->addStretch();
    auto* scroll = new QScrollArea;
    scroll->setWidget(details);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setMinimumWidth(320);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel);
    m_open = buttons->addButton(tr("&Open"), QDialogButtonBox::AcceptRole);
    m_compareButton = buttons->addButton(tr("Open and &Compare"), QDialogButtonBox::AcceptRole);
    m_open->setDefault(true);
    connect(m_open, &QPushButton::clicked, this, [this] {
        m_compare = false;
        accept();
    });
    connect(m_compareButton, &QPushButton::clicked, this, [this] {
        m_compare = true;
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_list, &QListWidget::currentItemChanged, this, &ScenarioGallery::showCurrent);
    connect(m_list, &QListWidget::itemActivated, this, [this] {
        m_compare = false;
        accept();
    });

    auto* body = new QHBoxLayout;
    body->addWidget(m_list, 5);
    body->addWidget(scroll, 2);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(body);
    if (!m_scenarios.problems.isEmpty()) {
        auto* skipped = new QLabel(tr("Not shown: %1").arg(m_scenarios.problems.join(QLatin1String("; "))));
        skipped->setWordWrap(true);
        layout->addWidget(skipped);
    }
    layout->addWidget(buttons);
    resize(1100, 680);

    if (m_list->count() > 0)
        m_list->setCurrentRow(0);
    showCurrent();
}

const Scenario* ScenarioGallery::current() const
{
    const QListWidgetItem* item = m_list->currentItem();
    return item ? m_scenarios.find(item->data(Qt::UserRole).toString()) : nullptr;
}

void ScenarioGallery::setCurrent(const QString& stem)
{
    for (int row = 0; row < m_list->count(); ++row)
        if (m_list->item(row)->data(Qt::UserRole).toString() == stem)
            m_list->setCurrentRow(row);
}

void ScenarioGallery::showCurrent()
{
    const Scenario* scenario = current();
    m_open->setEnabled(scenario != nullptr);
    if (!scenario) {
        m_title->setText(m_scenarios.scenarios.empty() ? tr("No scenarios found") : QString());
        m_story->clear();
        m_outcome->clear();
        m_partner->clear();
        m_compareButton->setEnabled(false);
        return;
    }
    const auto& lesson = scenario->design.lesson;
    m_title->setText(scenario->title());
    m_story->setText(qs(scenario->design.description));
    m_outcome->setText(lesson.outcome.empty() ? tr("(not stated)") : qs(lesson.outcome));
    const Scenario* partner = m_scenarios.find(qs(lesson.compareWith));
    m_partner->setText(partner ? tr("<b>Compare with</b><br>%1").arg(partner->title().toHtmlEscaped())
                               : QString());
    m_compareButton->setEnabled(partner != nullptr);
}

} // namespace eventflow::studio
