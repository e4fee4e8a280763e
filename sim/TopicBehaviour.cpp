#include "TopicBehaviour.h"

#include "Engine.h"
#include "SlotPool.h"

#include <algorithm>
#include <cmath>

namespace eventflow::sim {

using model::ComponentType;
using model::ConnectionKind;
using model::ParameterScope;

namespace {

// SNS's documented answer window for HTTP/S endpoints: no answer in 15 s is a failed attempt.
constexpr SimTime kHttpTimeout = 15 * kSecond;

// AWS-managed delivery policy (SQS, Lambda): retry phases as numbered retries.
constexpr std::uint32_t kImmediateRetries = 3;
constexpr std::uint32_t kPreBackoffRetries = 2;
constexpr std::uint32_t kBackoffRetries = 10;
constexpr std::uint32_t kPostBackoffRetries = 100000;
// HTTP/S default delivery policy.
constexpr std::uint32_t kHttpRetries = 3;

// Timer arguments: [message: 32][subscription: 15][retry: 17]; 2^17 > 100,015 retries.
constexpr int kRetryBits = 17;
constexpr int kSubscriptionBits = 15;
constexpr std::uint64_t kRetryMask = (1ull << kRetryBits) - 1;
constexpr std::uint64_t kSubscriptionMask = (1ull << kSubscriptionBits) - 1;

std::uint64_t pack(MessageId message, std::uint32_t subscription, std::uint32_t retry)
{
    return (std::uint64_t(message) << 32) | (std::uint64_t(subscription) << kRetryBits) | retry;
}

} // namespace

TopicBehaviour::TopicBehaviour(Engine& engine, ComponentIndex index) : Behaviour(engine, index)
{
    const auto& self = component();
    m_latency = self.distribution("delivery_latency");
    m_fifo = self.flag(ParameterScope::Aws, "FifoTopic");
    const auto& design = engine.design();
    const auto& links = outgoing();
    const std::size_t eventTypes = engine.eventTypes().size();
    for (const Link& link : links) {
        if (link.kind != ConnectionKind::Subscription || m_subscriptions.size() > kSubscriptionMask)
            continue;
        const auto& connection = engine.connection(link);
        Subscription s;
        s.link = link;
        s.http = design.components[link.target].type == ComponentType::Service;
        const auto policy = connection.parameter(ParameterScope::Aws, "FilterPolicy");
        if (policy.is_object() && !policy.empty()) {
            const auto scopeName = connection.parameter(ParameterScope::Aws, "FilterPolicyScope");
            const auto scope =
                scopeName.is_string() && scopeName.get<std::string>() == "MessageBody"
                    ? model::FilterPolicyScope::MessageBody
                    : model::FilterPolicyScope::MessageAttributes;
            // The validator reports an invalid policy; the engine then delivers unfiltered.
            model::Diagnostics ignored;
            s.filter = model::FilterPolicy::parse(
                policy, scope,
                "/connections/" + std::to_string(link.connection) + "/props/FilterPolicy", ignored);
        }
        s.decisions.assign(eventTypes, -1);
        // The subscription's own redrive policy wins over a topic-wide dead-letter queue.
        const std::string& subscriber = design.components[link.target].id;
        for (std::size_t i = 0; i < links.size(); ++i) {
            if (links[i].kind != ConnectionKind::DeadLetter)
                continue;
            const auto forWhom = engine.connection(links[i]).parameter(ParameterScope::Sim, "for");
            const std::string name = forWhom.is_string() ? forWhom.get<std::string>() : "";
            if (name == subscriber) {
                s.deadLetter = static_cast<int>(i);
                break;
            }
            if (name.empty() && s.deadLetter < 0)
                s.deadLetter = static_cast<int>(i);
        }
        m_subscriptions.push_back(std::move(s));
    }
    m_matched.reserve(m_subscriptions.size());
    m_copies.reserve(m_subscriptions.size());
}

SimTime TopicBehaviour::retryDelay(bool httpEndpoint, std::uint32_t retry)
{
    if (retry == 0)
        return 0;
    if (httpEndpoint)
        return retry <= kHttpRetries ? 20 * kSecond : -1;
    if (retry <= kImmediateRetries)
        return 0;
    retry -= kImmediateRetries;
    if (retry <= kPreBackoffRetries)
        return kSecond;
    retry -= kPreBackoffRetries;
    if (retry <= kBackoffRetries) // geometric from 1 s to 20 s over the phase
        return fromSeconds(std::pow(20.0, static_cast<double>(retry - 1) / (kBackoffRetries - 1)));
    retry -= kBackoffRetries;
    return retry <= kPostBackoffRetries ? 20 * kSecond : -1;
}

bool TopicBehaviour::passes(Subscription& subscription, MessageId message)
{
    if (!subscription.filter)
        return true;
    const std::uint32_t type = engine().message(message).eventType;
    const bool cacheable =
        type < subscription.decisions.size() && !engine().eventTypes()[type].dynamic;
    if (cacheable && subscription.decisions[type] >= 0)
        return subscription.decisions[type] != 0;
    // The message body a producer publishes is its whole event document.
    const bool pass = subscription.filter->matches(engine().eventAttributes(message),
                                                   engine().eventDocument(message));
    if (cacheable)
        subscription.decisions[type] = pass ? 1 : 0;
    return pass;
}

Delivery TopicBehaviour::receive(MessageId message, const Link&)
{
    ++stats().received;
    if (faults().outage) {
        ++stats().failed;
        return Delivery::Failed;
    }
    m_matched.clear();
    for (std::uint32_t s = 0; s < m_subscriptions.size(); ++s)
        if (passes(m_subscriptions[s], message))
            m_matched.push_back(s);
    stats().unmatched += m_subscriptions.size() - m_matched.size();
    if (m_matched.empty()) {
        engine().finish(message, Fate::Completed);
        return Delivery::Accepted;
    }

    m_copies.clear();
    m_copies.push_back(message);
    for (std::size_t i = 1; i < m_matched.size(); ++i)
        m_copies.push_back(engine().fork(message));
    const double multiplier = faults().latencyMultiplier;
    for (std::size_t i = 0; i < m_matched.size(); ++i) {
        const MessageId copy = m_copies[i];
        auto& s = m_subscriptions[m_matched[i]];
        m_publishedAt[copy] = now();
        SimTime due = now() + fromMillis(random().sample(m_latency) * multiplier);
        if (m_fifo) {
            due = std::max(due, s.lastDue);
            s.lastDue = due;
        }
        engine().schedule(due - now(), index(), Deliver, pack(copy, m_matched[i], 0));
    }
    stats().inFlight.add(now(), static_cast<double>(m_matched.size()));
    return Delivery::Accepted;
}

void TopicBehaviour::handle(std::uint32_t action, std::uint64_t argument)
{
    if (action == Deliver) {
        const auto retry = static_cast<std::uint32_t>(argument & kRetryMask);
        if (retry > 0)
            stats().backlog.set(now(), static_cast<double>(--m_waitingRetry));
        attempt(static_cast<MessageId>(argument >> 32),
                static_cast<std::uint32_t>((argument >> kRetryBits) & kSubscriptionMask), retry);
        return;
    }
    // HttpTimeout: the endpoint did not answer in time; its late answer will be ignored.
    const auto slot = static_cast<std::uint32_t>(argument);
    HttpDelivery& d = m_http[slot];
    if (!d.open)
        return;
    d.timer = {};
    engine().abandon(d.call);
    const HttpDelivery copy = d;
    closeHttp(slot);
    failedAttempt(copy.message, copy.subscription, copy.retry);
}

void TopicBehaviour::attempt(MessageId message, std::uint32_t subscription, std::uint32_t retry)
{
    const Subscription& s = m_subscriptions[subscription];
    if (s.http) {
        const std::uint32_t slot = acquireSlot(m_http, m_freeHttp);
        m_http[slot] = HttpDelivery{message, subscription, retry, 0, {}, true};
        const CallId call = engine().call(index(), s.link, message, slot);
        // The answer travels as an event, so the slot is still open here.
        HttpDelivery& d = m_http[slot];
        d.call = call;
        d.timer = engine().scheduleTimer(kHttpTimeout, index(), HttpTimeout, slot);
        return;
    }
    if (engine().deliver(index(), s.link, message) == Delivery::Accepted) {
        delivered(message);
        return;
    }
    failedAttempt(message, subscription, retry);
}

void TopicBehaviour::onResponse(std::uint64_t token, CallId, Outcome outcome)
{
    const auto slot = static_cast<std::uint32_t>(token);
    if (slot >= m_http.size() || !m_http[slot].open)
        return;
    HttpDelivery& d = m_http[slot];
    engine().cancelTimer(d.timer);
    const HttpDelivery copy = d;
    closeHttp(slot);
    if (outcome == Outcome::Success) {
        delivered(copy.message);
        // The endpoint has the message; this copy's journey through SNS is over.
        engine().finish(copy.message, Fate::Completed);
        return;
    }
    failedAttempt(copy.message, copy.subscription, copy.retry);
}

void TopicBehaviour::closeHttp(std::uint32_t slot)
{
    m_http[slot].open = false;
    m_freeHttp.push_back(slot);
}

void TopicBehaviour::delivered(MessageId message)
{
    ++stats().completed;
    stats().latency.record(now() - m_publishedAt[message]);
    stats().inFlight.add(now(), -1);
}

void TopicBehaviour::failedAttempt(MessageId message, std::uint32_t subscription,
                                   std::uint32_t retry)
{
    const Subscription& s = m_subscriptions[subscription];
    const std::uint32_t next = retry + 1;
    SimTime delay = retryDelay(s.http, next);
    if (delay >= 0) {
        if (delay > 0)
            delay = fromSeconds(toSeconds(delay) * (0.9 + 0.2 * random().uniform()));
        ++stats().retried;
        stats().backlog.set(now(), static_cast<double>(++m_waitingRetry));
        engine().schedule(delay, index(), Deliver, pack(message, subscription, next));
        return;
    }
    stats().inFlight.add(now(), -1);
    if (s.deadLetter >= 0) {
        engine().detach(message);
        if (engine().deliver(index(), outgoing()[static_cast<std::size_t>(s.deadLetter)],
                             message) == Delivery::Accepted) {
            ++stats().deadLettered;
            return;
        }
    }
    ++stats().failed;
    engine().finish(message, Fate::Failed);
}

} // namespace eventflow::sim
