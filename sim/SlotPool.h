#pragma once

#include <cstdint>
#include <vector>

namespace eventflow::sim {

/// Index of a slot to reuse in `items`: the most recently released one in `freeSlots`, else a
/// new one at the end. Per-message and per-call state lives in such pools so that memory follows
/// what is in flight and, once the pool has grown to the peak, nothing is allocated. The slot's
/// old content is left for the caller to overwrite.
template <typename T>
std::uint32_t acquireSlot(std::vector<T>& items, std::vector<std::uint32_t>& freeSlots)
{
    if (!freeSlots.empty()) {
        const std::uint32_t slot = freeSlots.back();
        freeSlots.pop_back();
        return slot;
    }
    items.emplace_back();
    return static_cast<std::uint32_t>(items.size() - 1);
}

} // namespace eventflow::sim
