#pragma once

#include "Message.h"

#include <vector>

namespace eventflow::sim {

/// A value a behaviour keeps for each message it holds (its arrival time, a retry count) when
/// Message has no field for it or the field is not the holder's alone (the engine rewrites
/// `enqueuedAt` on every hand-over, including refused ones). Indexed by MessageId: ids are pool
/// slots, so the table grows to the pool's peak and then never allocates again.
template <typename T> class PerMessage {
public:
    T& operator[](MessageId id)
    {
        if (id >= m_values.size())
            m_values.resize(static_cast<std::size_t>(id) + 1 + m_values.size() / 2);
        return m_values[id];
    }

private:
    std::vector<T> m_values;
};

} // namespace eventflow::sim
