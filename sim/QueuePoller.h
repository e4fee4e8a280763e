#pragma once

#include "Behaviour.h"
#include "model/Distribution.h"

#include <cstdint>

namespace eventflow::sim {

class QueueBehaviour;

/// One consumer of an SQS queue: the outgoing EventSource link to a function (a Lambda
/// event-source mapping) or to a service (its workers polling). Owned by its QueueBehaviour,
/// which routes the poller's actions and call answers to it.
///
/// Function (ESM): long polling; each receive takes up to BatchSize messages (FIFO: at most 10,
/// one message group) and, when MaximumBatchingWindowInSeconds > 0 and the batch is not full,
/// keeps gathering arrivals until the window ends or the batch fills (one batch gathers at a
/// time). The batch goes to the function in one synchronous callBatch once the connection's
/// sim.poll_latency has passed since its newest message became visible (pollers read ahead,
/// so a backlog costs no further latency). Success deletes the batch — with
/// FunctionResponseTypes ["ReportBatchItemFailures"], all but the records the function named as
/// failed, which stay hidden until the visibility timeout returns them; an error or timeout
/// leaves the whole batch to the visibility timeout; a throttle (429) keeps the batch and retries
/// it after 0.1 s, 0.2 s, 0.4 s… while it is still hidden, and lowers the mapping's concurrency to
/// the batches still running (at least 2). Concurrency starts at 5 and, while messages wait and
/// every slot is busy, grows by 300 per minute (5 each second; not in a second with a throttle) up
/// to ScalingConfig.MaximumConcurrency, else 1,000 (1,250 when the account's concurrency is above
/// 1,000); with nothing to receive it shrinks at the same pace back to 5.
///
/// Service: one message per receive and call, at most sim.workers of the service at once;
/// success deletes it, anything else leaves it to the visibility timeout.
class QueuePoller {
public:
    QueuePoller(Engine& engine, QueueBehaviour& queue, const Link& link, std::uint32_t id);

    /// Tops up a gathering batch, else starts at most one receive; true when it took messages.
    bool pollOnce();
    void onInvokeDue(std::uint32_t receipt);
    void onWindowEnd(std::uint32_t receipt);
    void onRetryDue(std::uint32_t receipt);
    void onScaleTick();
    void onResponse(std::uint32_t receipt, CallId call, Outcome outcome);
    /// The receipt's visibility timeout ran out and its messages are visible again. Returns
    /// true when the poller lets go of the receipt now.
    bool onReturned(std::uint32_t receipt);

    std::uint32_t active() const { return m_active; }
    double limit() const { return m_limit; }

private:
    void dispatch(std::uint32_t receipt);
    void invoke(std::uint32_t receipt);
    /// The receive is over: frees its slot, lets go of the receipt, lets consumers poll.
    void finished(std::uint32_t receipt);
    void ensureTicking();

    Engine& m_engine;
    QueueBehaviour& m_queue;
    Link m_link;
    std::uint32_t m_id;
    bool m_function = true;
    ItemFailures m_itemFailures = ItemFailures::None; ///< ReportBatchItemFailures
    std::uint32_t m_batchSize = 10;
    SimTime m_window = 0;
    model::Distribution m_pollLatency;
    double m_limit = 5;
    double m_floor = 5;
    double m_cap = 1000;
    std::uint32_t m_active = 0;     ///< receives held: gathering, waiting, invoking or backing off
    std::uint32_t m_backingOff = 0; ///< of which waiting to retry after a throttle
    std::uint32_t m_gathering = UINT32_MAX;
    bool m_tickScheduled = false;
    bool m_throttledSinceTick = false;
};

} // namespace eventflow::sim
