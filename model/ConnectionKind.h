#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace eventflow::model {

/// How a message travels along a connection. The kind decides who waits for whom:
/// Invoke is synchronous (the caller holds its request until the callee answers); every
/// other kind hands the message over and lets the sender go on.
enum class ConnectionKind {
    Invoke,       ///< synchronous call (API integration, RPC, Lambda RequestResponse, Task state)
    Send,         ///< asynchronous send/publish/put (SendMessage, Publish, PutEvents, PutRecord)
    Subscription, ///< SNS subscription, or an EventBridge rule attached to its bus
    RuleTarget,   ///< EventBridge rule target
    EventSource,  ///< a poller: Lambda event-source mapping, or service workers polling a queue
    DeadLetter,   ///< redrive / dead-letter queue of a queue, subscription, rule or function
    OnFailure,    ///< Lambda on-failure destination (asynchronous invoke, stream mapping)
};

inline constexpr std::array kAllConnectionKinds = {
    ConnectionKind::Invoke,      ConnectionKind::Send,       ConnectionKind::Subscription,
    ConnectionKind::RuleTarget,  ConnectionKind::EventSource, ConnectionKind::DeadLetter,
    ConnectionKind::OnFailure,
};

std::string_view connectionKindName(ConnectionKind kind);
/// What the connection stands for, in one sentence.
std::string_view connectionKindDescription(ConnectionKind kind);
std::optional<ConnectionKind> connectionKindFromName(std::string_view name);

} // namespace eventflow::model
