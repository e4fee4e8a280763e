#include "CostEstimate.h"

#include "model/ComponentCatalog.h"

#include <cmath>
#include <map>

namespace eventflow::sim {

namespace {

using model::ComponentType;
using model::ConnectionKind;
using model::ParameterScope;

} // namespace

CostEstimate CostEstimate::of(const model::Design& design, const SimulationResults& results)
{
    CostEstimate estimate;
    const double measured = results.simulatedSeconds - results.warmupSeconds;
    if (measured <= 0)
        return estimate;
    const double scale = kSecondsPerMonth / measured;
    estimate.monthScale = scale;
    std::map<std::string, const ComponentResult*> byId;
    for (const auto& c : results.components)
        byId[c.id] = &c;

    auto add = [&](const model::Component& c, const char* service, const char* item,
                   double quantity, double price, double per) {
        if (quantity <= 0)
            return;
        const double usd = quantity / per * price;
        estimate.lines.push_back({c.id, service, item, quantity, price, per, usd});
        estimate.monthlyUsd += usd;
    };

    for (const auto& c : design.components) {
        const auto found = byId.find(c.id);
        if (found == byId.end())
            continue;
        const ComponentResult& r = *found->second;
        const double received = double(r.received) * scale;
        // Invocations that ran (throttled ones are not billed; asynchronous retries are).
        const double invocations = double(r.completed + r.failed + r.timedOut) * scale;
        switch (c.type) {
        case ComponentType::Function: {
            add(c, "Lambda", "requests", invocations, PriceTable::kLambdaPerMillionRequests, 1e6);
            // Busy time is the time-weighted concurrency over the run (Little's law).
            const double memoryGb = c.number(ParameterScope::Aws, "MemorySize") / 1024.0;
            const auto architectures = c.parameter(ParameterScope::Aws, "Architectures");
            const bool arm = architectures.is_array() && !architectures.empty() &&
                             architectures[0] == "arm64";
            add(c, "Lambda", "GB-seconds", r.concurrency.mean * measured * scale * memoryGb,
                arm ? PriceTable::kLambdaPerGbSecondArm : PriceTable::kLambdaPerGbSecondX86, 1);
            break;
        }
        case ComponentType::Queue: {
            // SendMessage per message; ReceiveMessage and DeleteMessage per batch its poller
            // takes (the largest batch size among the queue's event sources, 1 for workers).
            double batch = 1;
            for (const auto& link : design.connections)
                if (link.from == c.id && link.kind == ConnectionKind::EventSource)
                    batch = std::max(batch, link.number(ParameterScope::Aws, "BatchSize"));
            const bool fifo = c.flag(ParameterScope::Aws, "FifoQueue");
            add(c, "SQS", "requests", received * (1.0 + 2.0 / batch),
                fifo ? PriceTable::kSqsFifoPerMillion : PriceTable::kSqsStandardPerMillion, 1e6);
            break;
        }
        case ComponentType::Topic: {
            add(c, "SNS", "publishes", received, PriceTable::kSnsPerMillionPublishes, 1e6);
            // Deliveries to SQS and Lambda are free; to a service they are HTTP/S.
            int http = 0;
            for (const auto& link : design.connections)
                if (link.from == c.id && link.kind == ConnectionKind::Subscription)
                    if (const auto* target = design.findComponent(link.to);
                        target && target->type == ComponentType::Service)
                        ++http;
            add(c, "SNS", "HTTP deliveries", received * http,
                PriceTable::kSnsPerMillionHttpDeliveries, 1e6);
            break;
        }
        case ComponentType::EventBus:
            add(c, "EventBridge", "events", received, PriceTable::kEventBridgePerMillionEvents,
                1e6);
            break;
        case ComponentType::StateMachine: {
            // One Task state per outgoing link (the exporter's definition), plus the start.
            int tasks = 0;
            for (const auto& link : design.connections)
                if (link.from == c.id &&
                    (link.kind == ConnectionKind::Invoke || link.kind == ConnectionKind::Send))
                    ++tasks;
            if (c.text(ParameterScope::Aws, "Type") == "EXPRESS") {
                add(c, "Step Functions", "requests", received,
                    PriceTable::kStepFunctionsExpressPerMillion, 1e6);
                add(c, "Step Functions", "GB-seconds (64 MB)",
                    r.inFlight.mean * measured * scale * 0.0625,
                    PriceTable::kStepFunctionsExpressPerGbSecond, 1);
            } else {
                // A transition per state entered (the Tasks and the end), and one per retry.
                add(c, "Step Functions", "state transitions",
                    received * (tasks + 1.0) + double(r.retried) * scale,
                    PriceTable::kStepFunctionsPerThousandTransitions, 1e3);
            }
            break;
        }
        case ComponentType::Api:
            add(c, "API Gateway", "requests", received,
                c.text(ParameterScope::Aws, "ApiType") == "HTTP" ? PriceTable::kApiHttpPerMillion
                                                                 : PriceTable::kApiRestPerMillion,
                1e6);
            break;
        case ComponentType::Stream: {
            const double shards = c.number(ParameterScope::Aws, "ShardCount");
            add(c, "Kinesis", "shard-hours", shards * kSecondsPerMonth / 3600.0,
                PriceTable::kKinesisPerShardHour, 1);
            // One PUT payload unit per 25 KB of a record; producers' event sizes are ~1 KB.
            add(c, "Kinesis", "PUT payload units", received, PriceTable::kKinesisPerMillionPutUnits,
                1e6);
            break;
        }
        default:
            break; // producers, services, databases: not on this bill
        }
    }
    return estimate;
}

} // namespace eventflow::sim
