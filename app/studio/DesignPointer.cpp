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
        const std::string_view raw =
            pointer.substr(start, end == std::string_view::npos ? end : end - start);
        // JSON pointer escapes (RFC 6901), decoded in one pass: ~1 is '/', ~0 is '~'.
        std::string part;
        for (std::size_t i = 0; i < raw.size(); ++i) {
            if (raw[i] == '~' && i + 1 < raw.size() && (raw[i + 1] == '0' || raw[i + 1] == '1')) {
                part += raw[i + 1] == '1' ? '/' : '~';
                ++i;
            } else {
                part += raw[i];
            }
        }
        parts.push_back(std::move(part));
        if (end == std::string_view::npos)
            break;
        start = end + 1;
    }
    return parts;
}

int toIndex(const std::string& text)
{
    if (text.empty() || (text.size() > 1 && text[0] == '0'))
        return -1; // RFC 6901 array indices: no sign, no leading zeros
    int value = -1;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc() && ptr == text.data() + text.size() ? value : -1;
}

} // namespace

DesignPointer DesignPointer::resolve(std::string_view pointer, const model::Design& design)
{
    DesignPointer result;
    const auto parts = split(pointer);
    if (parts.size() == 1) {
        result.scope = parts[0]; // "/name", "/simulation": the design itself
        return result;
    }
    if (parts.empty())
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
