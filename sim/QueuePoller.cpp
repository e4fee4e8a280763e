#include "QueuePoller.h"

#include "Engine.h"
#include "QueueBehaviour.h"

#include <algorithm>

namespace eventflow::sim {

using model::ComponentType;
using model::ParameterScope;

namespace {

// services-sqs-scaling: 5 concurrent batches at first, up to 300 more per minute while
// messages remain; the mapping never goes below 2.
constexpr double kInitialConcurrency = 5;
constexpr double kMinimumConcurrency = 2;
constexpr double kStepPerSecond = 300.0 / 60.0;
constexpr double kFifoMaxBatch = 10;
constexpr SimTime kTick = kSecond;
// AWS gives no figure for how soon the mapping retries a throttled batch; a short first wait
// keeps the slot it holds from idling (the wait doubles each time, within the batch's VT).
constexpr SimTime kFirstThrottleWait = 100 * kMillisecond;
constexpr std::uint32_t kNoReceipt = UINT32_MAX;

} // namespace

QueuePoller::QueuePoller(Engine& engine, QueueBehaviour& queue, const Link& link, std::uint32_t id)
    : m_engine(engine), m_queue(queue), m_link(link), m_id(id)
{
    const auto& design = engine.design();
    const auto& consumer = design.components[link.target];
    const auto& connection = engine.connection(link);
    m_function = consumer.type == ComponentType::Function;
    model::Diagnostics ignored; // the validator reports a malformed latency
    const auto latency = model::Distribution::parse(
        connection.parameter(ParameterScope::Sim, "poll_latency"), {}, ignored);
    m_pollLatency = latency ? *latency : model::Distribution::constant(0.0);
    if (m_function) {
        double batch = connection.number(ParameterScope::Aws, "BatchSize");
        if (queue.fifo())
            batch = std::min(batch, kFifoMaxBatch);
        m_batchSize = static_cast<std::uint32_t>(std::max(1.0, batch));
        m_window =
            fromSeconds(connection.number(ParameterScope::Aws, "MaximumBatchingWindowInSeconds"));
        // Without MaximumConcurrency the mapping may use the default account's 1,000; above
        // that it still stops at 1,250 unless AWS Support raises it.
        m_cap = design.simulation.accountConcurrency > 1000.0 ? 1250.0 : 1000.0;
        const auto maximum =
            connection.parameter(ParameterScope::Aws, "ScalingConfig.MaximumConcurrency");
        if (maximum.is_number())
            m_cap = std::max(kMinimumConcurrency, maximum.get<double>());
        m_floor = std::min(kInitialConcurrency, m_cap);
        m_limit = m_floor;
        const auto types = connection.parameter(ParameterScope::Aws, "FunctionResponseTypes");
        if (types.is_array())
            for (const auto& type : types)
                if (type == "ReportBatchItemFailures")
                    m_itemFailures = queue.fifo() ? ItemFailures::StopAtFirst : ItemFailures::Any;
    } else {
        m_batchSize = 1;
        m_window = 0;
        m_cap = std::max(1.0, consumer.number(ParameterScope::Sim, "workers"));
        m_floor = m_limit = m_cap;
    }
}

bool QueuePoller::pollOnce()
{
    if (m_gathering != kNoReceipt) {
        const std::uint32_t gathering = m_gathering;
        const bool added = m_queue.topUp(gathering, m_batchSize) > 0;
        auto& r = m_queue.receipt(gathering);
        if (r.entries.size() >= m_batchSize) {
            m_engine.cancelTimer(r.window);
            m_gathering = kNoReceipt;
            dispatch(gathering);
        }
        if (added)
            return true;
    }
    if (m_active >= m_limit) {
        ensureTicking();
        return false;
    }
    const std::uint32_t slot = m_queue.receiveBatch(m_id, m_batchSize);
    if (slot == kNone) {
        ensureTicking();
        return false;
    }
    ++m_active;
    m_queue.consumerActivity(+1);
    auto& r = m_queue.receipt(slot);
    if (m_window > 0 && r.entries.size() < m_batchSize && m_gathering == kNoReceipt) {
        r.stage = QueueBehaviour::Stage::Gathering;
        m_gathering = slot;
        r.window =
            m_engine.scheduleTimer(m_window, m_queue.index(), QueueBehaviour::PollerWindowEnd,
                                   QueueBehaviour::pack(m_id, slot));
    } else {
        dispatch(slot);
    }
    ensureTicking();
    return true;
}

void QueuePoller::dispatch(std::uint32_t receipt)
{
    auto& r = m_queue.receipt(receipt);
    r.stage = QueueBehaviour::Stage::Waiting;
    // Poll latency runs from a message becoming visible: messages that waited in a backlog
    // were already fetched by the pollers, which read ahead of the invocations.
    const SimTime latency = fromMillis(m_engine.random(m_queue.index()).sample(m_pollLatency));
    const SimTime waited = m_engine.now() - r.newestVisibleAt;
    m_engine.schedule(std::max<SimTime>(0, latency - waited), m_queue.index(),
                      QueueBehaviour::PollerInvoke, QueueBehaviour::pack(m_id, receipt));
}

void QueuePoller::onInvokeDue(std::uint32_t receipt)
{
    if (!m_queue.receipt(receipt).hidden) {
        finished(receipt); // the visibility timeout ran out before the batch left
        return;
    }
    invoke(receipt);
}

void QueuePoller::invoke(std::uint32_t receipt)
{
    m_queue.receipt(receipt).stage = QueueBehaviour::Stage::Invoking;
    const auto messages = m_queue.prepareDelivery(receipt);
    const std::uint64_t token = QueueBehaviour::pack(m_id, receipt);
    if (m_function)
        m_engine.callBatch(m_queue.index(), m_link, messages, token, m_itemFailures);
    else
        m_engine.call(m_queue.index(), m_link, messages.front(), token);
}

void QueuePoller::onWindowEnd(std::uint32_t receipt)
{
    m_queue.receipt(receipt).window = {};
    if (m_gathering != receipt)
        return;
    m_gathering = kNoReceipt;
    dispatch(receipt);
}

void QueuePoller::onResponse(std::uint32_t receipt, CallId call, Outcome outcome)
{
    auto& r = m_queue.receipt(receipt);
    if (m_function && outcome == Outcome::Throttled && r.hidden) {
        // Back off: the mapping shrinks to the batches the function is actually running, and
        // this batch is retried while it stays hidden.
        m_throttledSinceTick = true;
        ++m_backingOff;
        m_limit = std::max(kMinimumConcurrency,
                           std::min(m_limit, static_cast<double>(m_active - m_backingOff)));
        SimTime wait = kFirstThrottleWait << std::min<std::uint16_t>(r.throttles, 20);
        ++r.throttles;
        wait = std::clamp<SimTime>(wait, 0, r.hiddenUntil - m_engine.now());
        r.stage = QueueBehaviour::Stage::Backoff;
        m_engine.schedule(wait, m_queue.index(), QueueBehaviour::PollerRetry,
                          QueueBehaviour::pack(m_id, receipt));
        return;
    }
    if (outcome == Outcome::Success)
        m_queue.deleteReceipt(receipt, m_engine.itemFailures(call));
    finished(receipt);
}

void QueuePoller::onRetryDue(std::uint32_t receipt)
{
    auto& r = m_queue.receipt(receipt);
    if (r.stage == QueueBehaviour::Stage::Abandoned) {
        m_queue.releaseReceipt(receipt); // its slot was freed when the messages reappeared
        return;
    }
    --m_backingOff;
    if (!r.hidden) {
        finished(receipt);
        return;
    }
    invoke(receipt);
}

bool QueuePoller::onReturned(std::uint32_t receipt)
{
    auto& r = m_queue.receipt(receipt);
    switch (r.stage) {
    case QueueBehaviour::Stage::Gathering:
        m_engine.cancelTimer(r.window);
        m_gathering = kNoReceipt;
        --m_active;
        m_queue.consumerActivity(-1);
        return true;
    case QueueBehaviour::Stage::Backoff:
        // Lambda gives up on a throttled batch when its visibility timeout ends; the retry
        // event still to come only lets go of the receipt.
        --m_backingOff;
        --m_active;
        m_queue.consumerActivity(-1);
        r.stage = QueueBehaviour::Stage::Abandoned;
        return false;
    case QueueBehaviour::Stage::Waiting:
    case QueueBehaviour::Stage::Invoking:
    case QueueBehaviour::Stage::Abandoned:
        break;
    }
    return false;
}

void QueuePoller::finished(std::uint32_t receipt)
{
    --m_active;
    m_queue.consumerActivity(-1);
    m_queue.releaseReceipt(receipt);
    m_queue.pump();
}

void QueuePoller::onScaleTick()
{
    m_tickScheduled = false;
    const bool waiting = m_queue.hasVisible();
    if (waiting && m_active >= m_limit && !m_throttledSinceTick)
        m_limit = std::min(m_cap, m_limit + kStepPerSecond);
    else if (!waiting)
        m_limit = std::max(m_floor, std::min(m_limit, std::max(static_cast<double>(m_active),
                                                               m_limit - kStepPerSecond)));
    m_throttledSinceTick = false;
    m_queue.pump();
    ensureTicking();
}

void QueuePoller::ensureTicking()
{
    if (!m_function || m_tickScheduled)
        return;
    if (!m_queue.hasVisible() && m_active == 0 && m_limit == m_floor)
        return;
    m_tickScheduled = true;
    m_engine.schedule(kTick, m_queue.index(), QueueBehaviour::PollerScaleTick,
                      QueueBehaviour::pack(m_id, 0));
}

} // namespace eventflow::sim
