#pragma once

#include <cstdint>
#include <vector>

namespace eventflow::sim {

/// Maps 64-bit job ids chosen by an owner to the slots that hold their state: open addressing
/// with linear probing and backward-shift deletion in one power-of-two array. Insert, find and
/// erase are O(1) on average; storage only grows (at half load), so once warm nothing
/// allocates. Ids must be unique while present. Lookups never depend on iteration order, so
/// results stay deterministic.
class JobIndex {
public:
    static constexpr std::uint32_t kMissing = UINT32_MAX;

    void insert(std::uint64_t key, std::uint32_t slot)
    {
        if ((m_size + 1) * 2 > m_entries.size())
            grow();
        place(key, slot);
        ++m_size;
    }

    std::uint32_t find(std::uint64_t key) const
    {
        if (m_entries.empty())
            return kMissing;
        for (std::size_t i = home(key);; i = (i + 1) & mask()) {
            const Entry& e = m_entries[i];
            if (e.slot == kMissing)
                return kMissing;
            if (e.key == key)
                return e.slot;
        }
    }

    void erase(std::uint64_t key)
    {
        if (m_entries.empty())
            return;
        std::size_t i = home(key);
        while (m_entries[i].key != key || m_entries[i].slot == kMissing) {
            if (m_entries[i].slot == kMissing)
                return;
            i = (i + 1) & mask();
        }
        // Backward shift: pull later members of the probe run into the hole so that find()
        // never stops early at it.
        for (std::size_t j = (i + 1) & mask();; j = (j + 1) & mask()) {
            if (m_entries[j].slot == kMissing)
                break;
            const std::size_t h = home(m_entries[j].key);
            const bool movable = i <= j ? (h <= i || h > j) : (h <= i && h > j);
            if (movable) {
                m_entries[i] = m_entries[j];
                i = j;
            }
        }
        m_entries[i].slot = kMissing;
        --m_size;
    }

    std::size_t size() const { return m_size; }

private:
    struct Entry {
        std::uint64_t key = 0;
        std::uint32_t slot = kMissing;
    };

    std::size_t mask() const { return m_entries.size() - 1; }
    std::size_t home(std::uint64_t key) const
    {
        key ^= key >> 33;
        key *= 0xFF51AFD7ED558CCDull;
        key ^= key >> 33;
        return static_cast<std::size_t>(key) & mask();
    }
    void place(std::uint64_t key, std::uint32_t slot)
    {
        std::size_t i = home(key);
        while (m_entries[i].slot != kMissing)
            i = (i + 1) & mask();
        m_entries[i] = {key, slot};
    }
    void grow()
    {
        std::vector<Entry> old(m_entries.empty() ? 16 : m_entries.size() * 2);
        old.swap(m_entries);
        for (const Entry& e : old)
            if (e.slot != kMissing)
                place(e.key, e.slot);
    }

    std::vector<Entry> m_entries;
    std::size_t m_size = 0;
};

} // namespace eventflow::sim
