#include "DesignLayout.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <string>
#include <vector>

namespace eventflow::model {

void DesignLayout::arrange(Design& design)
{
    const std::size_t n = design.components.size();
    if (n == 0)
        return;
    std::map<std::string, std::size_t, std::less<>> index;
    for (std::size_t i = 0; i < n; ++i)
        index.emplace(design.components[i].id, i);

    std::vector<std::vector<std::size_t>> out(n);
    for (const auto& c : design.connections) {
        const auto from = index.find(c.from);
        const auto to = index.find(c.to);
        if (from == index.end() || to == index.end() || from->second == to->second)
            continue;
        auto& list = out[from->second];
        if (std::find(list.begin(), list.end(), to->second) == list.end())
            list.push_back(to->second);
    }

    // Drop the edges that close a cycle: iterative DFS, an edge to a vertex on the stack is one.
    enum class Mark { New, Active, Done };
    std::vector<Mark> mark(n, Mark::New);
    std::vector<std::vector<std::size_t>> forward(n);
    // Start from the components nothing feeds, so the edge that closes a cycle is the one that
    // runs against the flow from them.
    std::vector<bool> fed(n, false);
    for (const auto& list : out)
        for (std::size_t w : list)
            fed[w] = true;
    std::vector<std::size_t> roots;
    for (std::size_t v = 0; v < n; ++v)
        if (!fed[v])
            roots.push_back(v);
    for (std::size_t v = 0; v < n; ++v)
        if (fed[v])
            roots.push_back(v);
    for (std::size_t root : roots) {
        if (mark[root] != Mark::New)
            continue;
        std::vector<std::pair<std::size_t, std::size_t>> stack{{root, 0}};
        mark[root] = Mark::Active;
        while (!stack.empty()) {
            auto& [v, next] = stack.back();
            if (next == out[v].size()) {
                mark[v] = Mark::Done;
                stack.pop_back();
                continue;
            }
            const std::size_t w = out[v][next++];
            if (mark[w] == Mark::Active)
                continue;
            forward[v].push_back(w);
            if (mark[w] == Mark::New) {
                mark[w] = Mark::Active;
                stack.emplace_back(w, 0);
            }
        }
    }

    std::vector<std::vector<std::size_t>> in(n);
    std::vector<std::size_t> pending(n, 0);
    for (std::size_t v = 0; v < n; ++v)
        for (std::size_t w : forward[v])
            in[w].push_back(v), ++pending[w];
    std::vector<std::size_t> order;
    order.reserve(n);
    for (std::size_t v = 0; v < n; ++v)
        if (pending[v] == 0)
            order.push_back(v);
    for (std::size_t i = 0; i < order.size(); ++i)
        for (std::size_t w : forward[order[i]])
            if (--pending[w] == 0)
                order.push_back(w);

    std::vector<int> layer(n, 0);
    for (std::size_t v : order)
        for (std::size_t w : forward[v])
            layer[w] = std::max(layer[w], layer[v] + 1);
    // Sources move up to just before the nearest component they feed, in reverse order so
    // chains of sources follow along.
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
        const std::size_t v = *it;
        if (!in[v].empty() || forward[v].empty())
            continue;
        int nearest = layer[forward[v].front()];
        for (std::size_t w : forward[v])
            nearest = std::min(nearest, layer[w]);
        layer[v] = std::max(layer[v], nearest - 1);
    }

    const int layers = *std::max_element(layer.begin(), layer.end()) + 1;
    std::vector<std::vector<std::size_t>> columns(static_cast<std::size_t>(layers));
    for (std::size_t v = 0; v < n; ++v)
        columns[static_cast<std::size_t>(layer[v])].push_back(v);
    std::vector<double> row(n, 0.0);
    std::size_t tallest = 0;
    for (auto& column : columns) {
        std::vector<double> key(n, 0.0);
        for (std::size_t v : column) {
            if (in[v].empty()) {
                key[v] = static_cast<double>(v) * 1e-6; // keep design order among sources
                continue;
            }
            double sum = 0;
            for (std::size_t u : in[v])
                sum += row[u];
            key[v] = sum / static_cast<double>(in[v].size());
        }
        std::stable_sort(column.begin(), column.end(),
                         [&](std::size_t a, std::size_t b) { return key[a] < key[b]; });
        for (std::size_t r = 0; r < column.size(); ++r)
            row[column[r]] = static_cast<double>(r);
        tallest = std::max(tallest, column.size());
    }
    for (std::size_t l = 0; l < columns.size(); ++l) {
        const auto& column = columns[l];
        const double offset =
            (static_cast<double>(tallest) - static_cast<double>(column.size())) * kRowSpacing / 2.0;
        for (std::size_t r = 0; r < column.size(); ++r) {
            auto& c = design.components[column[r]];
            c.position.x = static_cast<double>(l) * kLayerSpacing;
            c.position.y = offset + static_cast<double>(r) * kRowSpacing;
        }
    }
}

} // namespace eventflow::model
