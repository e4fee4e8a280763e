#include "DesignPointer.h"

#include <charconv>
#include <vector>

namespace eventflow::studio {

namespace {

std::vector<std::string> split(std::string_view pointer)
{
    std::vector<std::string> parts;
    std::size_t start = 1;
    while (start <= pointer.size() && !pointer.empty()) {
        const std::size_t end = pointer.find('/', start);
        std::string part(pointer.substr(start, end == std::string_view::npos ? end : end - start));
        // JSON pointer escapes (RFC 6901): ~1 is '/', ~0 is '~'.
        for (std::size_t at; (at = part.find("~1")) != std::string::npos;)
            part.replace(at, 2, "/");
        for (std::size_t at; (at = part.find("~0")) != std::string::npos;)
            part.replace(at, 2, "~");
        parts.push_back(std::move(part));
        if (end == std::string_view::npos)
            break;
        start = end + 1;
    }
    return parts;
}

int toIndex(const std::string& text)
{
    int value = -1;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc() && ptr == text.data() + text.size() ? value : -1;
}

} // namespace

DesignPointer DesignPointer::resolve(std::string_view pointer, const model::Design& design)
{
    DesignPointer result;
    const auto parts = split(pointer);
    if (parts.size() < 2)
        return result;
    const int index = toIndex(parts[1]);
    auto keyFrom = [&](std::size_t first) {
        std::string key;
        for (std::size_t i = first; i < parts.size(); ++i)
            key += (key.empty() ? "" : ".") + parts[i];
        return key;
    };
    if (parts[0] == "components" && index >= 0 && index < int(design.components.size())) {
        result.target = Target::Component;
        result.index = index;
        if (parts.size() > 2) {
            result.scope = parts[2];
            result.key = keyFrom(3);
        }
    } else if (parts[0] == "connections" && index >= 0 &&
               index < int(design.connections.size())) {
        result.target = Target::Connection;
        result.index = index;
        if (parts.size() > 2) {
            result.scope = parts[2];
            result.key = keyFrom(3);
        }
    } else if (parts[0] == "traffic" && index >= 0 && index < int(design.traffic.size())) {
        if (int c = design.indexOf(design.traffic[std::size_t(index)].producer); c >= 0) {
            result.target = Target::Component;
            result.index = c;
        }
        result.scope = "traffic";
        result.key = keyFrom(2);
    } else if (parts[0] == "faults" && index >= 0 && index < int(design.faults.size())) {
        if (int c = design.indexOf(design.faults[std::size_t(index)].component); c >= 0) {
            result.target = Target::Component;
            result.index = c;
        }
        result.scope = "faults";
        result.key = keyFrom(2);
    } else {
        result.scope = parts[0];
        result.key = keyFrom(1);
    }
    return result;
}

} // namespace eventflow::studio
