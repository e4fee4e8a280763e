#include "FaultTimeline.h"

#include "Wording.h"

#include "DesignCommands.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace eventflow::studio {

namespace {

constexpr double kRowHeight = 26;
constexpr double kLabelWidth = 150;
constexpr double kRulerHeight = 22;
constexpr double kGripWidth = 6;
constexpr double kMinimumSeconds = 1;

using Kind = model::Fault::Kind;

QColor kindColour(Kind kind)
{
    switch (kind) {
    case Kind::Outage: return QColor(0xD1, 0x3B, 0x3B);
    case Kind::Latency: return QColor(0xE0, 0x9A, 0x00);
    case Kind::ErrorRate: return QColor(0x8E, 0x44, 0xAD);
    case Kind::Throttle: return QColor(0x2E, 0x73, 0xB8);
    }
    return Qt::gray;
}

QString faultText(const model::Fault& fault)
{
    switch (fault.kind) {
    case Kind::Outage: return QObject::tr("outage");
    case Kind::Latency: return QObject::tr("latency ×%1").arg(fault.value);
    case Kind::ErrorRate: return QObject::tr("errors %1%").arg(fault.value * 100.0);
    case Kind::Throttle: return QObject::tr("throttle %1/s").arg(fault.value);
    }
    return {};
}

bool isTrafficChange(const model::TrafficSpec& traffic)
{
    return traffic.profile.kind == model::RateProfile::Kind::Spike ||
           traffic.profile.kind == model::RateProfile::Kind::Ramp;
}

} // namespace

FaultTimeline::FaultTimeline(DesignDocument* document, QWidget* parent)
    : QWidget(parent)
    , m_document(document)
    , m_component(new QComboBox)
    , m_kind(new QComboBox)
    , m_add(new QPushButton(tr("Add fault")))
    , m_selectedLabel(new QLabel)
    , m_start(new QDoubleSpinBox)
    , m_end(new QDoubleSpinBox)
    , m_value(new QDoubleSpinBox)
    , m_remove(new QPushButton(tr("Remove")))
    , m_controls(new QWidget(this))
{
    setMinimumHeight(150);
    setMouseTracking(true);
    auto* row = new QHBoxLayout(m_controls);
    row->setContentsMargins(4, 2, 4, 2);
    m_component->setToolTip(tr("The component the fault hits"));
    m_component->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    for (auto kind : {Kind::Outage, Kind::Latency, Kind::ErrorRate, Kind::Throttle})
        m_kind->addItem(qs(std::string(model::faultKindName(kind))), int(kind));
    m_kind->setToolTip(tr("outage: every call fails; latency: times k; error rate: a share of "
                          "calls fails; throttle: a limit per second"));
    row->addWidget(m_component);
    row->addWidget(m_kind);
    row->addWidget(m_add);
    row->addSpacing(16);
    row->addWidget(m_selectedLabel);
    for (auto [box, suffix, tip] :
         {std::tuple{m_start, " s", "When it starts"}, {m_end, " s", "When it ends"},
          {m_value, "", "Latency: the multiplier; error rate: the share 0–1; throttle: calls/s; "
                        "spike: the peak rate; ramp: the rate reached"}}) {
        box->setRange(0, 1e9);
        box->setDecimals(2);
        box->setSuffix(QString::fromLatin1(suffix));
        box->setToolTip(tr(tip));
        box->setKeyboardTracking(false);
        row->addWidget(box);
    }
    row->addWidget(m_remove);
    row->addStretch(1);
    connect(m_add, &QPushButton::clicked, this, [this] {
        const std::string id = m_component->currentData().toString().toStdString();
        if (!id.empty())
            addFault(id, Kind(m_kind->currentData().toInt()));
    });
    connect(m_start, &QDoubleSpinBox::valueChanged, this, [this](double start) {
        if (!m_updatingControls && m_selected)
            applyTimes(*m_selected, start, std::max(start, m_selected->end), QString());
    });
    connect(m_end, &QDoubleSpinBox::valueChanged, this, [this](double end) {
        if (!m_updatingControls && m_selected)
            applyTimes(*m_selected, std::min(m_selected->start, end), end, QString());
    });
    connect(m_value, &QDoubleSpinBox::valueChanged, this, [this](double value) {
        if (!m_updatingControls)
            applyValue(value);
    });
    connect(m_remove, &QPushButton::clicked, this, &FaultTimeline::removeSelected);
    for (auto signal : {&DesignDocument::scenarioChanged, &DesignDocument::designReset})
        connect(document, signal, this, [this] {
            // The selected bar may be gone or have moved: find it again.
            if (m_selected) {
                std::optional<Bar> again;
                for (const Bar& bar : bars())
                    if (bar.source == m_selected->source && bar.index == m_selected->index)
                        again = bar;
                m_selected = again;
            }
            refreshControls();
            update();
        });
    for (auto signal : {&DesignDocument::componentInserted, &DesignDocument::componentRemoved,
                        &DesignDocument::componentChanged})
        connect(document, signal, this, [this] { refreshControls(); });
    refreshControls();
}

double FaultTimeline::duration() const
{
    // The run's length, or longer when a fault or traffic change runs past it (the validator
    // allows that): every bar stays on the line.
    const auto& design = m_document->design();
    double end = std::max(1.0, design.simulation.durationSeconds);
    for (const auto& fault : design.faults)
        end = std::max(end, fault.endSeconds);
    for (const auto& traffic : design.traffic)
        if (isTrafficChange(traffic))
            end = std::max(end, traffic.profile.endSeconds);
    return end;
}

std::vector<std::string> FaultTimeline::rowIds() const
{
    const auto& design = m_document->design();
    std::vector<std::string> ids;
    auto addRow = [&](const std::string& id) {
        if (std::find(ids.begin(), ids.end(), id) == ids.end())
            ids.push_back(id);
    };
    for (const auto& traffic : design.traffic)
        if (isTrafficChange(traffic))
            addRow(traffic.producer);
    for (const auto& fault : design.faults)
        addRow(fault.component);
    return ids;
}

std::vector<FaultTimeline::Bar> FaultTimeline::bars() const
{
    const auto& design = m_document->design();
    const auto ids = rowIds();
    auto rowOf = [&](const std::string& id) {
        return int(std::find(ids.begin(), ids.end(), id) - ids.begin());
    };
    std::vector<Bar> out;
    for (int i = 0; i < int(design.traffic.size()); ++i) {
        const auto& traffic = design.traffic[std::size_t(i)];
        if (!isTrafficChange(traffic))
            continue;
        const bool spike = traffic.profile.kind == model::RateProfile::Kind::Spike;
        out.push_back({Bar::Source::Traffic, i, rowOf(traffic.producer),
                       traffic.profile.startSeconds, traffic.profile.endSeconds,
                       spike ? tr("spike %1/s").arg(traffic.profile.peakRate)
                             : tr("ramp to %1/s").arg(traffic.profile.toRate),
                       QColor(0x2E, 0x9E, 0x4F)});
    }
    for (int i = 0; i < int(design.faults.size()); ++i) {
        const auto& fault = design.faults[std::size_t(i)];
        out.push_back({Bar::Source::Fault, i, rowOf(fault.component), fault.startSeconds,
                       fault.endSeconds, faultText(fault), kindColour(fault.kind)});
    }
    return out;
}

QRectF FaultTimeline::plotArea() const
{
    const double top = m_controls->geometry().bottom() + 4;
    return QRectF(kLabelWidth, top + kRulerHeight, std::max(50.0, width() - kLabelWidth - 30),
                  std::max(10.0, height() - top - kRulerHeight - 4));
}

double FaultTimeline::xAt(double seconds) const
{
    const QRectF area = plotArea();
    return area.left() + seconds / duration() * area.width();
}

double FaultTimeline::secondsAt(double x) const
{
    const QRectF area = plotArea();
    return std::clamp((x - area.left()) / area.width() * duration(), 0.0, duration());
}

QRectF FaultTimeline::barRect(const Bar& bar) const
{
    const QRectF area = plotArea();
    const double left = xAt(bar.start);
    const double right = std::max(left + 4, xAt(bar.end));
    return QRectF(left, area.top() + bar.row * kRowHeight + 3, right - left, kRowHeight - 6);
}

void FaultTimeline::select(std::optional<Bar> bar)
{
    m_selected = bar;
    refreshControls();
    update();
}

void FaultTimeline::addFault(const std::string& componentId, Kind kind)
{
    const auto before = m_document->scenario();
    auto after = before;
    model::Fault fault;
    fault.component = componentId;
    fault.kind = kind;
    fault.startSeconds = std::round(duration() * 0.2);
    fault.endSeconds = std::round(duration() * 0.4);
    fault.value = kind == Kind::Latency     ? 10.0
                  : kind == Kind::ErrorRate ? 0.5
                  : kind == Kind::Throttle  ? 10.0
                                            : 0.0;
    after.faults.push_back(fault);
    m_document->undoStack()->push(new EditScenarioCommand(
        m_document, before, after, QString(),
        tr("Add %1 fault on %2").arg(qs(std::string(model::faultKindName(kind))),
                                     qs(componentId))));
    const auto all = bars();
    for (const Bar& bar : all)
        if (bar.source == Bar::Source::Fault && bar.index == int(after.faults.size()) - 1)
            select(bar);
}

void FaultTimeline::setClock(double seconds)
{
    m_clock = seconds;
    update();
}

void FaultTimeline::applyTimes(const Bar& bar, double start, double end, const QString& mergeKey)
{
    const auto before = m_document->scenario();
    auto after = before;
    // A bar keeps at least a second: a spike or ramp must end after it starts.
    start = std::clamp(start, 0.0, std::max(0.0, duration() - kMinimumSeconds));
    end = std::clamp(end, start + kMinimumSeconds, std::max(start + kMinimumSeconds, duration()));
    if (bar.source == Bar::Source::Fault) {
        after.faults[std::size_t(bar.index)].startSeconds = start;
        after.faults[std::size_t(bar.index)].endSeconds = end;
    } else {
        after.traffic[std::size_t(bar.index)].profile.startSeconds = start;
        after.traffic[std::size_t(bar.index)].profile.endSeconds = end;
    }
    m_document->undoStack()->push(
        new EditScenarioCommand(m_document, before, after, mergeKey, tr("Move %1").arg(bar.text)));
}

void FaultTimeline::applyValue(double value)
{
    if (!m_selected)
        return;
    const auto before = m_document->scenario();
    auto after = before;
    if (m_selected->source == Bar::Source::Fault) {
        after.faults[std::size_t(m_selected->index)].value = value;
    } else {
        auto& profile = after.traffic[std::size_t(m_selected->index)].profile;
        (profile.kind == model::RateProfile::Kind::Spike ? profile.peakRate : profile.toRate) =
            value;
    }
    m_document->undoStack()->push(
        new EditScenarioCommand(m_document, before, after, QString(), tr("Change %1")
                                                                         .arg(m_selected->text)));
}

void FaultTimeline::removeSelected()
{
    if (!m_selected || m_selected->source != Bar::Source::Fault)
        return;
    const auto before = m_document->scenario();
    auto after = before;
    after.faults.erase(after.faults.begin() + m_selected->index);
    const QString text = m_selected->text;
    m_selected.reset();
    m_document->undoStack()->push(
        new EditScenarioCommand(m_document, before, after, QString(), tr("Remove %1").arg(text)));
}

void FaultTimeline::refreshControls()
{
    m_updatingControls = true;
    const QString current = m_component->currentData().toString();
    m_component->clear();
    for (const auto& component : m_document->design().components)
        if (component.type != model::ComponentType::Producer)
            m_component->addItem(qs(component.label.empty() ? component.id : component.label),
                                 qs(component.id));
    if (int index = m_component->findData(current); index >= 0)
        m_component->setCurrentIndex(index);
    m_add->setEnabled(m_component->count() > 0);
    const bool any = m_selected.has_value();
    for (QWidget* w : {static_cast<QWidget*>(m_start), static_cast<QWidget*>(m_end),
                       static_cast<QWidget*>(m_value)})
        w->setEnabled(any);
    m_remove->setEnabled(any && m_selected->source == Bar::Source::Fault);
    if (any) {
        m_start->setMaximum(duration());
        m_end->setMaximum(duration());
        m_start->setValue(m_selected->start);
        m_end->setValue(m_selected->end);
        const auto& design = m_document->design();
        double value = 0;
        bool hasValue = true;
        if (m_selected->source == Bar::Source::Fault) {
            const auto& fault = design.faults[std::size_t(m_selected->index)];
            value = fault.value;
            hasValue = fault.kind != Kind::Outage;
        } else {
            const auto& profile = design.traffic[std::size_t(m_selected->index)].profile;
            value = profile.kind == model::RateProfile::Kind::Spike ? profile.peakRate
                                                                     : profile.toRate;
        }
        m_value->setValue(value);
        m_value->setEnabled(hasValue);
        m_selectedLabel->setText(QStringLiteral("<b>%1</b>").arg(m_selected->text.toHtmlEscaped()));
    } else {
        m_selectedLabel->setText(tr("Select a bar to edit it"));
    }
    m_updatingControls = false;
}

void FaultTimeline::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QPalette& pal = palette();
    painter.fillRect(rect(), pal.color(QPalette::Base));
    const QRectF area = plotArea();
    const auto ids = rowIds();
    const auto& design = m_document->design();

    // Ruler: a tick every "nice" step.
    painter.setPen(pal.color(QPalette::Text));
    const double raw = duration() / 8;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    double step = magnitude;
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (raw <= m * magnitude) {
            step = m * magnitude;
            break;
        }
    QColor grid = pal.color(QPalette::Text);
    grid.setAlphaF(0.15);
    for (double t = 0; t <= duration() + 1e-9; t += step) {
        const double x = xAt(t);
        painter.setPen(pal.color(QPalette::Text));
        painter.drawText(QRectF(x - 40, area.top() - kRulerHeight, 80, kRulerHeight),
                         Qt::AlignCenter, QStringLiteral("%1 s").arg(t));
        painter.setPen(grid);
        painter.drawLine(QPointF(x, area.top()), QPointF(x, area.bottom()));
    }
    for (int r = 0; r < int(ids.size()); ++r) {
        const auto* component = design.findComponent(ids[std::size_t(r)]);
        const QString name = component && !component->label.empty() ? qs(component->label)
                                                                    : qs(ids[std::size_t(r)]);
        painter.setPen(pal.color(QPalette::Text));
        painter.drawText(QRectF(6, area.top() + r * kRowHeight, kLabelWidth - 12, kRowHeight),
                         Qt::AlignVCenter | Qt::AlignLeft,
                         fontMetrics().elidedText(name, Qt::ElideRight, int(kLabelWidth - 12)));
        painter.setPen(grid);
        painter.drawLine(QPointF(6, area.top() + (r + 1) * kRowHeight),
                         QPointF(area.right(), area.top() + (r + 1) * kRowHeight));
    }
    if (ids.empty()) {
        painter.setPen(pal.color(QPalette::PlaceholderText));
        painter.drawText(area, Qt::AlignCenter,
                         tr("No faults or traffic changes. Pick a component and a kind, then Add "
                            "fault; a producer's spike or ramp (in the inspector) shows here too."));
    }
    for (const Bar& bar : bars()) {
        const QRectF r = barRect(bar);
        const bool selected = m_selected && m_selected->source == bar.source &&
                              m_selected->index == bar.index;
        painter.setPen(QPen(selected ? pal.color(QPalette::Highlight) : bar.colour.darker(130),
                            selected ? 2.5 : 1));
        painter.setBrush(bar.colour);
        painter.drawRoundedRect(r, 4, 4);
        painter.setPen(Qt::white);
        painter.drawText(r.adjusted(6, 0, -6, 0), Qt::AlignVCenter | Qt::AlignLeft,
                         fontMetrics().elidedText(bar.text, Qt::ElideRight, int(r.width() - 12)));
    }
    if (m_clock >= 0) {
        painter.setPen(QPen(pal.color(QPalette::Highlight), 2));
        painter.drawLine(QPointF(xAt(m_clock), area.top() - 4), QPointF(xAt(m_clock), area.bottom()));
    }
}

void FaultTimeline::resizeEvent(QResizeEvent* event)
{
    m_controls->setGeometry(0, 0, width(), m_controls->sizeHint().height());
    QWidget::resizeEvent(event);
}

void FaultTimeline::mousePressEvent(QMouseEvent* event)
{
    const QPointF at = event->position();
    m_grip = Grip::None;
    for (const Bar& bar : bars()) {
        const QRectF r = barRect(bar);
        if (!r.adjusted(-kGripWidth, 0, kGripWidth, 0).contains(at))
            continue;
        // A narrow bar is all grips: its nearer end, unless the press is well inside.
        const double toStart = std::abs(at.x() - r.left());
        const double toEnd = std::abs(at.x() - r.right());
        if (r.width() > 3 * kGripWidth && toStart > kGripWidth && toEnd > kGripWidth)
            m_grip = Grip::Body;
        else if (r.width() <= 3 * kGripWidth && r.contains(at) && toStart > 2 && toEnd > 2)
            m_grip = Grip::Body;
        else
            m_grip = toStart <= toEnd ? Grip::Start : Grip::End;
        select(bar);
        m_pressSeconds = secondsAt(at.x());
        m_dragStart = bar.start;
        m_dragEnd = bar.end;
        ++m_dragSerial;
        return;
    }
    select(std::nullopt);
}

void FaultTimeline::mouseMoveEvent(QMouseEvent* event)
{
    const QPointF at = event->position();
    if (m_grip == Grip::None || !m_selected) {
        Qt::CursorShape shape = Qt::ArrowCursor;
        for (const Bar& bar : bars()) {
            const QRectF r = barRect(bar);
            if (r.adjusted(-kGripWidth, 0, kGripWidth, 0).contains(at))
                shape = std::abs(at.x() - r.left()) <= kGripWidth ||
                                std::abs(at.x() - r.right()) <= kGripWidth
                            ? Qt::SizeHorCursor
                            : Qt::OpenHandCursor;
        }
        setCursor(shape);
        return;
    }
    // Whole seconds, as a workshop talks about them.
    const double delta = std::round(secondsAt(at.x()) - m_pressSeconds);
    double start = m_dragStart;
    double end = m_dragEnd;
    if (delta == 0)
        return; // a press is not a move
    if (m_grip == Grip::Body) {
        const double length = end - start;
        start = std::clamp(m_dragStart + delta, 0.0, std::max(0.0, duration() - length));
        end = start + length;
    } else if (m_grip == Grip::Start) {
        start = std::clamp(m_dragStart + delta, 0.0, std::max(0.0, end - kMinimumSeconds));
    } else {
        end = std::clamp(m_dragEnd + delta, start + kMinimumSeconds,
                         std::max(start + kMinimumSeconds, duration()));
    }
    if (start != m_selected->start || end != m_selected->end)
        applyTimes(*m_selected, start, end, QStringLiteral("timeline-drag-%1").arg(m_dragSerial));
}

void FaultTimeline::mouseReleaseEvent(QMouseEvent*)
{
    m_grip = Grip::None;
}

} // namespace eventflow::studio
