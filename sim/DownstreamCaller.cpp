#include "DownstreamCaller.h"

#include "Engine.h"

namespace eventflow::sim {

DownstreamCaller::DownstreamCaller(Engine& engine, ComponentIndex owner, DownstreamClient& client,
                                   Mode mode)
    : m_engine(engine), m_owner(owner), m_client(client), m_mode(mode)
{
}

void DownstreamCaller::start(std::uint64_t job, MessageId) { m_client.onDownstreamDone(job, Outcome::Success); }
void DownstreamCaller::abandon(std::uint64_t) {}
void DownstreamCaller::handle(std::uint32_t, std::uint64_t) {}
void DownstreamCaller::onResponse(std::uint64_t, CallId, Outcome) {}

} // namespace eventflow::sim
