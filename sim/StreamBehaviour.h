#pragma once

#include "Behaviour.h"
#include "PerSecondQuota.h"
#include "model/Distribution.h"

#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace eventflow::sim {

/// A Kinesis data stream (provisioned) and the Lambda event-source mappings that read it.
///
/// Writes: a hand-over is one PutRecord. Refused (Failed) during an outage. Its partition key
/// is the event field sim.partition_key (hashed; a missing field hashes as an empty key) or,
/// when that is empty, a random key; the shard is the mixed hash modulo ShardCount. Each shard
/// takes 1,000 records and 1 MiB (the record's sizeBytes) per second — a throttle fault
/// replaces the record limit — beyond which the write is Throttled
/// (ProvisionedThroughputExceeded). An accepted record stays, in order, until every consumer
/// has processed it or it is older than RetentionPeriodHours (then it ends Expired).
///
/// Consumers: every outgoing EventSource link to a function is a mapping with its own position
/// in each shard, so each gets its own copy of every record. Per shard it runs
/// ParallelizationFactor lanes; records with the same partition key always go to the same
/// lane, and a lane has one batch in flight at a time, so order holds per key. A lane with
/// nothing to do polls its shard once per second; with records left after a batch it polls
/// again after the mapping's sim.poll_latency. A batch holds up to BatchSize records (100 when
/// the mapping leaves it unset) and 6 MiB; with MaximumBatchingWindowInSeconds the lane waits
/// up to that long for a full batch. The function is called synchronously (callBatch).
///
/// A failing batch blocks its lane until it is resolved. Function errors and timeouts: the
/// batch is split in halves first when BisectBatchOnFunctionError is set (a split is not a
/// retry; halves are tried in order, and a single record is retried), otherwise retried after
/// the poll latency, up to MaximumRetryAttempts (-1: no limit). Throttles are retried with
/// exponential backoff from 1 s, doubling, capped at 60 s, and use up no attempts. Before each
/// retry, records past MaximumRecordAgeInSeconds are given up and records past retention
/// expire. Given-up records go to the function's on-failure destination (its outgoing
/// OnFailure link; the copy is detached and counts deadLettered) or end Failed.
///
/// Stats: received per PutRecord, throttled, failed (outage writes and records given up
/// without a destination), completed per processed record copy (latency: write → processed),
/// retried per re-invoked batch, deadLettered, expired. backlog counts record copies not yet
/// processed (all consumers), inFlight those in invoked batches; oldestAge() is the age of the
/// oldest unprocessed record (Lambda's IteratorAge).
class StreamBehaviour : public Behaviour {
public:
    static constexpr double kShardRecordsPerSecond = 1000.0;
    static constexpr double kShardBytesPerSecond = 1024.0 * 1024.0;
    static constexpr std::size_t kMaxBatchBytes = 6u * 1024u * 1024u;
    static constexpr std::size_t kDefaultStreamBatchSize = 100;

    StreamBehaviour(Engine& engine, ComponentIndex index);

    void start() override;
    void handle(std::uint32_t action, std::uint64_t argument) override;
    Delivery receive(MessageId message, const Link& via) override;
    void onResponse(std::uint64_t token, CallId call, Outcome outcome) override;
    SimTime oldestAge() const override;

    /// What one shard saw, for tests and inspection.
    struct ShardView {
        std::uint64_t written = 0;   ///< records accepted
        std::uint64_t throttled = 0; ///< writes refused for the shard's limits
        std::size_t unprocessed = 0; ///< record copies no consumer has finished with yet
    };
    std::size_t shardCount() const { return m_shards.size(); }
    ShardView shard(std::size_t shard) const;
    /// The shard a partition key's text lands on among `shardCount` shards.
    static std::size_t shardForKey(std::string_view key, std::size_t shardCount);

private:
    enum Action : std::uint32_t { Poll, Retry, Expire };
    enum class LaneState : std::uint8_t { Idle, Polling, Gathering, Invoking, Waiting };

    struct Consumer {
        Link link;
        ComponentIndex function = 0;
        std::size_t batchSize = kDefaultStreamBatchSize;
        SimTime window = 0;
        std::uint32_t parallelization = 1;
        bool bisect = false;
        std::int64_t maxRetries = -1;
        SimTime maxRecordAge = kForever;
        model::Distribution pollLatency;
        int onFailure = -1; ///< index into engine.outgoing(function), or -1
    };
    /// One sequence of batches: a (consumer, shard, parallel slot).
    struct Lane {
        std::uint32_t consumer = 0;
        std::uint32_t shard = 0;
        std::deque<MessageId> pending;
        std::vector<MessageId> batch;
        /// Sizes of split halves waiting at the front of `pending`, the front-most last.
        std::vector<std::size_t> splits;
        LaneState state = LaneState::Idle;
        std::int64_t retries = 0;
        std::uint32_t throttles = 0;
        TimerHandle timer;
    };
    struct Shard {
        PerSecondQuota records;
        PerSecondQuota bytes;
        std::deque<MessageId> retained; ///< only when the stream has no consumers
        std::uint64_t written = 0;
        std::uint64_t throttled = 0;
    };

    std::uint64_t partitionKey(MessageId message);
    std::size_t laneOf(std::uint32_t consumer, std::uint32_t shard, std::uint64_t key) const;
    void kick(std::size_t lane);
    void poll(std::size_t lane);
    void formBatch(Lane& lane);
    void invoke(std::size_t lane);
    void retry(std::size_t lane);
    void next(std::size_t lane);
    void popPending(Lane& lane);
    /// Ends a record too old to process; true when it was.
    bool dropIfStale(const Lane& lane, MessageId record);
    void processed(MessageId record);
    void expire(MessageId record);
    void giveUp(const Consumer& consumer, MessageId record);
    void expireRetained();
    void setBacklog(std::int64_t delta);

    std::vector<Shard> m_shards;
    std::vector<Consumer> m_consumers;
    std::vector<Lane> m_lanes;
    std::vector<SimTime> m_pollPhase; ///< per (consumer, shard): when its idle polls fall
    std::string m_keyPath;
    std::vector<std::uint64_t> m_keyCache; ///< per event type without random fields
    std::vector<std::uint8_t> m_keyKnown;
    SimTime m_retention = 0;
    std::int64_t m_unprocessed = 0;
    std::int64_t m_invoked = 0;
};

} // namespace eventflow::sim
