#include "EventPattern.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <set>
#include <string_view>
#include <utility>
#include <variant>

namespace eventflow::model {

namespace {

using Json = nlohmann::json;

// event-ruler turns numbers into fixed-point values with six decimals in [-5e9, 5e9]
// (ComparableNumber). Outside that range an event value is not a number to numeric tests, and a
// pattern operand there is rejected.
constexpr double kNumericLimit = 5.0e9;
constexpr double kDecimalScale = 1.0e6;

struct IpAddress {
    std::array<std::uint8_t, 16> bytes{};
    std::size_t size = 0; // 4 for IPv4, 16 for IPv6

    bool operator==(const IpAddress&) const = default;
};

int hexDigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Dotted quads are read as decimal, leading zeros included ("010.0.0.1" is 10.0.0.1), as
// event-ruler does through Java's InetAddress.
std::optional<IpAddress> parseIpv4(std::string_view text)
{
    IpAddress address;
    address.size = 4;
    std::size_t i = 0;
    for (std::size_t octet = 0; octet < 4; ++octet) {
        if (octet > 0) {
            if (i >= text.size() || text[i] != '.')
                return std::nullopt;
            ++i;
        }
        const std::size_t start = i;
        unsigned value = 0;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
            value = value * 10 + static_cast<unsigned>(text[i] - '0');
            if (value > 255)
                return std::nullopt;
            ++i;
        }
        if (i == start)
            return std::nullopt;
        address.bytes[octet] = static_cast<std::uint8_t>(value);
    }
    if (i != text.size())
        return std::nullopt;
    return address;
}

// Reads colon-separated hex groups into `groups` from `count` on; false on a malformed group.
bool parseIpv6Groups(std::string_view text, std::array<std::uint16_t, 8>& groups,
                     std::size_t& count)
{
    if (text.empty())
        return true;
    std::size_t start = 0;
    while (true) {
        const std::size_t end = text.find(':', start);
        const std::string_view group = text.substr(
            start, end == std::string_view::npos ? std::string_view::npos : end - start);
        if (group.empty() || group.size() > 4 || count >= groups.size())
            return false;
        unsigned value = 0;
        for (char c : group) {
            const int digit = hexDigit(c);
            if (digit < 0)
                return false;
            value = value * 16 + static_cast<unsigned>(digit);
        }
        groups[count++] = static_cast<std::uint16_t>(value);
        if (end == std::string_view::npos)
            return true;
        start = end + 1;
    }
}

std::optional<IpAddress> parseIpv6(std::string_view text)
{
    std::array<std::uint16_t, 8> head{};
    std::array<std::uint16_t, 8> tail{};
    std::size_t headCount = 0;
    std::size_t tailCount = 0;
    const std::size_t gap = text.find("::");
    if (gap == std::string_view::npos) {
        if (!parseIpv6Groups(text, head, headCount) || headCount != 8)
            return std::nullopt;
    } else {
        if (text.find("::", gap + 1) != std::string_view::npos)
            return std::nullopt;
        if (!parseIpv6Groups(text.substr(0, gap), head, headCount) ||
            !parseIpv6Groups(text.substr(gap + 2), tail, tailCount) || headCount + tailCount > 7)
            return std::nullopt;
    }
    IpAddress address;
    address.size = 16;
    std::array<std::uint16_t, 8> groups{};
    std::copy_n(head.begin(), headCount, groups.begin());
    std::copy_n(tail.begin(), tailCount, groups.end() - static_cast<std::ptrdiff_t>(tailCount));
    for (std::size_t g = 0; g < groups.size(); ++g) {
        address.bytes[2 * g] = static_cast<std::uint8_t>(groups[g] >> 8);
        address.bytes[2 * g + 1] = static_cast<std::uint8_t>(groups[g] & 0xFF);
    }
    return address;
}

std::optional<IpAddress> parseIp(std::string_view text)
{
    if (text.find('.') != std::string_view::npos)
        return parseIpv4(text);
    if (text.find(':') != std::string_view::npos)
        return parseIpv6(text);
    return std::nullopt;
}

bool samePrefix(const IpAddress& a, const IpAddress& b, unsigned prefixLength)
{
    if (a.size != b.size)
        return false;
    const unsigned wholeBytes = prefixLength / 8;
    for (unsigned i = 0; i < wholeBytes; ++i)
        if (a.bytes[i] != b.bytes[i])
            return false;
    const unsigned restBits = prefixLength % 8;
    if (restBits == 0)
        return true;
    const auto mask = static_cast<std::uint8_t>(0xFF << (8 - restBits));
    return (a.bytes[wholeBytes] & mask) == (b.bytes[wholeBytes] & mask);
}

// Simple case folding for ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic: enough for the
// strings designs carry, deterministic (no locale), and length-preserving in UTF-8, which lets
// the comparisons below run without allocating. Invalid UTF-8 bytes compare as themselves.

constexpr char32_t kRawByte = 0x110000; // raw (undecodable) byte b decodes as kRawByte + b

char32_t decodeUtf8(std::string_view text, std::size_t& i)
{
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    char32_t codePoint = 0;
    if (lead < 0x80) {
        ++i;
        return lead;
    }
    if ((lead & 0xE0) == 0xC0) {
        length = 2;
        codePoint = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
        length = 3;
        codePoint = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
        length = 4;
        codePoint = lead & 0x07;
    } else {
        ++i;
        return kRawByte + lead;
    }
    if (i + length > text.size()) {
        ++i;
        return kRawByte + lead;
    }
    for (std::size_t k = 1; k < length; ++k) {
        const auto next = static_cast<unsigned char>(text[i + k]);
        if ((next & 0xC0) != 0x80) {
            ++i;
            return kRawByte + lead;
        }
        codePoint = (codePoint << 6) | (next & 0x3F);
    }
    i += length;
    return codePoint;
}

char32_t foldCodePoint(char32_t c)
{
    if (c < 0x80)
        return (c >= 'A' && c <= 'Z') ? c + 0x20 : c;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
        return c + 0x20;
    if ((c >= 0x100 && c <= 0x12F) || (c >= 0x132 && c <= 0x137) || (c >= 0x14A && c <= 0x177))
        return c | 1U;
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
        return (c % 2 == 1) ? c + 1 : c;
    if (c == 0x178)
        return 0xFF;
    if (c >= 0x391 && c <= 0x3AB && c != 0x3A2)
        return c + 0x20;
    if (c >= 0x410 && c <= 0x42F)
        return c + 0x20;
    if (c >= 0x400 && c <= 0x40F)
        return c + 0x50;
    return c;
}

void appendUtf8(std::string& out, char32_t c)
{
    if (c >= kRawByte) {
        out += static_cast<char>(c - kRawByte);
    } else if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (c >> 18));
        out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    }
}

std::string foldCase(std::string_view text)
{
    std::string folded;
    folded.reserve(text.size());
    for (std::size_t i = 0; i < text.size();)
        appendUtf8(folded, foldCodePoint(decodeUtf8(text, i)));
    return folded;
}

// True when `text` folded starts with `folded` (already folded).
bool startsWithFolded(std::string_view text, std::string_view folded)
{
    std::size_t t = 0;
    std::size_t f = 0;
    while (f < folded.size()) {
        if (t >= text.size())
            return false;
        if (foldCodePoint(decodeUtf8(text, t)) != decodeUtf8(folded, f))
            return false;
    }
    return true;
}

bool equalsFolded(std::string_view text, std::string_view folded)
{
    return text.size() == folded.size() && startsWithFolded(text, folded);
}

bool endsWithFolded(std::string_view text, std::string_view folded)
{
    return text.size() >= folded.size() &&
           equalsFolded(text.substr(text.size() - folded.size()), folded);
}

struct ExactString {
    std::string value;
    std::optional<IpAddress> address; // an IP literal also matches other spellings of that IP
};
struct ExactScalar {
    Json value; // a number (compared by value, so 3 == 3.0), true, false or null
};
struct Prefix {
    std::string value; // folded when ignoreCase
    bool ignoreCase = false;
};
struct Suffix {
    std::string value; // folded when ignoreCase
    bool ignoreCase = false;
};
struct EqualsIgnoreCase {
    std::string folded;
};
struct Wildcard {
    std::vector<std::string> pieces; // literal text around each '*': n stars, n + 1 pieces
};
struct NumericRange {
    double low = -kNumericLimit;
    double high = kNumericLimit;
    bool lowInclusive = true;
    bool highInclusive = true;
};
struct Cidr {
    IpAddress network;
    unsigned prefixLength = 0;
};

// A test of one present scalar event value.
using ValueTest = std::variant<ExactString, ExactScalar, Prefix, Suffix, EqualsIgnoreCase, Wildcard,
                               NumericRange, Cidr>;

struct AnythingBut {
    std::vector<ValueTest> excluded;
};
struct Exists {
    bool present = true;
    bool requireContent = false; // SNS: null and "" do not count as present
};

using Alternative = std::variant<ValueTest, AnythingBut, Exists>;

struct Leaf {
    std::vector<Alternative> alternatives;
};

struct ObjectNode;

struct Field {
    std::string name;
    Leaf leaf;                         // when child is null
    std::unique_ptr<ObjectNode> child; // a nested object pattern
};

struct ObjectNode {
    std::vector<Field> fields;                     // all must match
    std::vector<std::vector<ObjectNode>> orGroups; // each $or: one of its branches must match
    // Only exists:false tests below: reached through an array, every element must satisfy it
    // (no element has the field), rather than one element.
    bool absenceOnly = false;
};

template <typename... Ts> struct Overloaded : Ts... {
    using Ts::operator()...;
};
template <typename... Ts> Overloaded(Ts...) -> Overloaded<Ts...>;

std::optional<double> numericValue(const Json& value)
{
    if (!value.is_number())
        return std::nullopt;
    const double number = value.get<double>();
    if (!(std::fabs(number) <= kNumericLimit))
        return std::nullopt;
    return number;
}

bool wildcardMatches(const Wildcard& wildcard, std::string_view text)
{
    const auto& pieces = wildcard.pieces;
    if (pieces.size() == 1)
        return text == pieces.front();
    const std::string& first = pieces.front();
    const std::string& last = pieces.back();
    if (text.size() < first.size() + last.size() || !text.starts_with(first) ||
        !text.ends_with(last))
        return false;
    // Each middle piece taken at its leftmost place leaves the most room for the rest.
    std::size_t position = first.size();
    const std::size_t limit = text.size() - last.size();
    for (std::size_t i = 1; i + 1 < pieces.size(); ++i) {
        const std::size_t found = text.find(pieces[i], position);
        if (found == std::string_view::npos || found + pieces[i].size() > limit)
            return false;
        position = found + pieces[i].size();
    }
    return true;
}

bool testValue(const ValueTest& test, const Json& value)
{
    const std::string* text = value.is_string() ? value.get_ptr<const std::string*>() : nullptr;
    return std::visit(
        Overloaded{
            [&](const ExactString& t) {
                if (text == nullptr)
                    return false;
                if (*text == t.value)
                    return true;
                return t.address.has_value() && parseIp(*text) == t.address;
            },
            [&](const ExactScalar& t) { return value == t.value; },
            [&](const Prefix& t) {
                return text != nullptr && (t.ignoreCase ? startsWithFolded(*text, t.value)
                                                        : text->starts_with(t.value));
            },
            [&](const Suffix& t) {
                return text != nullptr &&
                       (t.ignoreCase ? endsWithFolded(*text, t.value) : text->ends_with(t.value));
            },
            [&](const EqualsIgnoreCase& t) {
                return text != nullptr && equalsFolded(*text, t.folded);
            },
            [&](const Wildcard& t) { return text != nullptr && wildcardMatches(t, *text); },
            [&](const NumericRange& t) {
                const std::optional<double> number = numericValue(value);
                if (!number)
                    return false;
                const bool aboveLow = t.lowInclusive ? *number >= t.low : *number > t.low;
                const bool belowHigh = t.highInclusive ? *number <= t.high : *number < t.high;
                return aboveLow && belowHigh;
            },
            [&](const Cidr& t) {
                if (text == nullptr)
                    return false;
                const std::optional<IpAddress> address = parseIp(*text);
                return address.has_value() && samePrefix(*address, t.network, t.prefixLength);
            },
        },
        test);
}

// Calls `test` on the scalar values of an event field: the value itself, or the elements of a
// (nested) array; objects are not leaves. True as soon as one passes.
template <typename Test> bool anyLeafValue(const Json& value, const Test& test)
{
    if (value.is_array()) {
        for (const Json& element : value)
            if (anyLeafValue(element, test))
                return true;
        return false;
    }
    if (value.is_object())
        return false;
    return test(value);
}

bool matchLeaf(const Leaf& leaf, const Json* value)
{
    for (const Alternative& alternative : leaf.alternatives) {
        const bool matched = std::visit(
            Overloaded{
                [&](const ValueTest& test) {
                    return value != nullptr &&
                           anyLeafValue(*value, [&](const Json& v) { return testValue(test, v); });
                },
                [&](const AnythingBut& anythingBut) {
                    return value != nullptr && anyLeafValue(*value, [&](const Json& v) {
                               return std::none_of(
                                   anythingBut.excluded.begin(), anythingBut.excluded.end(),
                                   [&](const ValueTest& test) { return testValue(test, v); });
                           });
                },
                [&](const Exists& exists) {
                    const bool present =
                        value != nullptr && anyLeafValue(*value, [&](const Json& v) {
                            if (!exists.requireContent)
                                return true;
                            return !v.is_null() &&
                                   !(v.is_string() && v.get_ref<const std::string&>().empty());
                        });
                    return present == exists.present;
                },
            },
            alternative);
        if (matched)
            return true;
    }
    return false;
}

bool matchScope(const ObjectNode& node, const Json* scope);

// Visits the elements of a (nested) event array as scopes: an object element is a scope of its
// own, any other element an empty one. Stops and returns true when `visit` returns `stopOn`.
template <typename Visit>
bool scanScopes(const Json& array, bool stopOn, const Visit& visit, bool& sawElement)
{
    for (const Json& element : array) {
        if (element.is_array()) {
            if (scanScopes(element, stopOn, visit, sawElement))
                return true;
            continue;
        }
        sawElement = true;
        if (visit(element.is_object() ? &element : nullptr) == stopOn)
            return true;
    }
    return false;
}

bool matchNested(const ObjectNode& node, const Json* value)
{
    if (value != nullptr && value->is_array()) {
        bool sawElement = false;
        const auto visit = [&](const Json* scope) { return matchScope(node, scope); };
        // Array consistency: the fields of one sub-pattern must come from one element.
        const bool stopped = scanScopes(*value, !node.absenceOnly, visit, sawElement);
        if (!sawElement)
            return matchScope(node, nullptr);
        return node.absenceOnly ? !stopped : stopped;
    }
    return matchScope(node, value != nullptr && value->is_object() ? value : nullptr);
}

bool matchScope(const ObjectNode& node, const Json* scope)
{
    for (const Field& field : node.fields) {
        const Json* value = nullptr;
        if (scope != nullptr) {
            const auto found = scope->find(field.name);
            if (found != scope->end())
                value = &*found;
        }
        const bool matched =
            field.child ? matchNested(*field.child, value) : matchLeaf(field.leaf, value);
        if (!matched)
            return false;
    }
    for (const auto& branches : node.orGroups) {
        const bool any =
            std::any_of(branches.begin(), branches.end(),
                        [&](const ObjectNode& branch) { return matchScope(branch, scope); });
        if (!any)
            return false;
    }
    return true;
}

std::string childPointer(const std::string& pointer, std::string_view token)
{
    return pointer + (Json::json_pointer() / std::string(token)).to_string();
}

std::string childPointer(const std::string& pointer, std::size_t index)
{
    return pointer + "/" + std::to_string(index);
}

std::string inQuotes(std::string_view text)
{
    return "\"" + std::string(text) + "\"";
}

// Field names event-ruler reserves inside $or (Constants.RESERVED_FIELD_NAMES_IN_OR_RELATIONSHIP).
bool isReservedInOr(std::string_view name)
{
    static constexpr std::array<std::string_view, 25> kReserved = {"exactly",
                                                                   "equals-ignore-case",
                                                                   "prefix",
                                                                   "suffix",
                                                                   "anything-but",
                                                                   "exists",
                                                                   "wildcard",
                                                                   "numeric",
                                                                   "cidr",
                                                                   "html",
                                                                   "=",
                                                                   "<",
                                                                   "<=",
                                                                   ">",
                                                                   ">=",
                                                                   "regex",
                                                                   "not-wildcard",
                                                                   "not-equals-ignore-case",
                                                                   "date-after",
                                                                   "date-on-or-after",
                                                                   "date-before",
                                                                   "date-on-or-before",
                                                                   "in-date-range",
                                                                   "ip-address-in-range",
                                                                   "ip-address-not-in-range"};
    return std::find(kReserved.begin(), kReserved.end(), name) != kReserved.end();
}

bool isAbsenceOnly(const Leaf& leaf)
{
    return !leaf.alternatives.empty() &&
           std::all_of(leaf.alternatives.begin(), leaf.alternatives.end(),
                       [](const Alternative& a) {
                           const auto* exists = std::get_if<Exists>(&a);
                           return exists != nullptr && !exists->present;
                       });
}

bool isAbsenceOnly(const ObjectNode& node)
{
    const bool fields = std::all_of(node.fields.begin(), node.fields.end(), [](const Field& f) {
        return f.child ? f.child->absenceOnly : isAbsenceOnly(f.leaf);
    });
    const bool branches =
        std::all_of(node.orGroups.begin(), node.orGroups.end(), [](const auto& group) {
            return std::all_of(group.begin(), group.end(),
                               [](const ObjectNode& branch) { return branch.absenceOnly; });
        });
    return fields && branches;
}

// Reads a pattern once into the tree, reporting every problem it finds (not only the first) at
// its JSON pointer, the way EventBridge's PutRule would reject it.
class PatternCompiler {
public:
    PatternCompiler(PatternDialect dialect, const std::string& basePointer,
                    Diagnostics& diagnostics)
        : m_dialect(dialect), m_basePointer(basePointer), m_diagnostics(diagnostics)
    {
    }

    bool failed() const { return m_failed; }
    std::vector<std::string> fieldPaths() const { return {m_paths.begin(), m_paths.end()}; }
    std::string_view subject() const
    {
        return m_dialect == PatternDialect::EventBridge ? "an event pattern" : "a filter policy";
    }

    void error(const std::string& pointer, std::string message, std::string fix = {})
    {
        m_failed = true;
        m_diagnostics.push_back(
            {Severity::Error, m_basePointer + pointer, std::move(message), std::move(fix)});
    }

    ObjectNode compileObject(const Json& object, const std::string& pointer,
                             const std::string& path, bool insideOr)
    {
        ObjectNode node;
        if (object.empty())
            error(pointer, "empty objects are not allowed in " + std::string(subject()));
        for (auto it = object.begin(); it != object.end(); ++it) {
            const std::string& key = it.key();
            const Json& value = it.value();
            const std::string keyPointer = childPointer(pointer, key);
            if (key == "$or") {
                compileOr(value, keyPointer, path, node);
                continue;
            }
            if (insideOr && isReservedInOr(key)) {
                error(keyPointer,
                      inQuotes(key) + " is an operator name and cannot be a field inside $or",
                      "operators go inside a field's array, e.g. {\"field\": [{\"" + key +
                          "\": ...}]}");
                continue;
            }
            const std::string fieldPath = path.empty() ? key : path + "." + key;
            Field field;
            field.name = key;
            if (value.is_object()) {
                field.child = std::make_unique<ObjectNode>(
                    compileObject(value, keyPointer, fieldPath, insideOr));
            } else if (value.is_array()) {
                field.leaf = compileLeaf(value, keyPointer);
                m_paths.insert(fieldPath);
            } else {
                error(keyPointer, "a pattern leaf must be an array",
                      "wrap the value in brackets: " + inQuotes(key) + ": [" +
                          value.dump(-1, ' ', false, Json::error_handler_t::replace) + "]");
                continue;
            }
            node.fields.push_back(std::move(field));
        }
        node.absenceOnly = isAbsenceOnly(node);
        return node;
    }

private:
    void compileOr(const Json& value, const std::string& pointer, const std::string& path,
                   ObjectNode& node)
    {
        const char* fix = "write \"$or\": [{\"a\": [1]}, {\"b\": [2]}]";
        if (!value.is_array() || value.size() < 2) {
            error(pointer, "$or must be an array of at least two objects", fix);
            return;
        }
        std::vector<ObjectNode> branches;
        for (std::size_t i = 0; i < value.size(); ++i) {
            if (!value[i].is_object()) {
                error(childPointer(pointer, i), "$or must be an array of at least two objects",
                      fix);
                continue;
            }
            branches.push_back(compileObject(value[i], childPointer(pointer, i), path, true));
        }
        node.orGroups.push_back(std::move(branches));
    }

    Leaf compileLeaf(const Json& values, const std::string& pointer)
    {
        Leaf leaf;
        if (values.empty()) {
            error(pointer, "empty arrays are not allowed: a pattern leaf needs at least one value",
                  "list the values to match, e.g. [\"a\", \"b\"], or use [{\"exists\": true}]");
            return leaf;
        }
        for (std::size_t i = 0; i < values.size(); ++i) {
            const Json& value = values[i];
            const std::string valuePointer = childPointer(pointer, i);
            if (value.is_string()) {
                const auto& text = value.get_ref<const std::string&>();
                leaf.alternatives.emplace_back(ValueTest{ExactString{text, parseIp(text)}});
            } else if (value.is_number() || value.is_boolean() || value.is_null()) {
                leaf.alternatives.emplace_back(ValueTest{ExactScalar{value}});
            } else if (value.is_object()) {
                if (std::optional<Alternative> alternative = compileOperator(value, valuePointer))
                    leaf.alternatives.push_back(std::move(*alternative));
            } else {
                error(valuePointer,
                      "a match value must be a string, number, true, false, null or an operator "
                      "object");
            }
        }
        return leaf;
    }

    std::optional<Alternative> compileOperator(const Json& expression, const std::string& pointer)
    {
        if (expression.size() != 1) {
            if (expression.empty())
                error(pointer, "an operator object needs exactly one operator",
                      "e.g. {\"prefix\": \"us-\"}");
            else
                error(pointer, "only one operator is allowed per object",
                      "put each condition in its own object: [{\"prefix\": \"a\"}, {\"suffix\": "
                      "\"b\"}]");
            return std::nullopt;
        }
        const std::string& name = expression.begin().key();
        const Json& operand = expression.begin().value();
        const std::string operandPointer = childPointer(pointer, name);
        const bool eventBridge = m_dialect == PatternDialect::EventBridge;

        if (name == "prefix" || name == "suffix")
            return wrap(compileAffix(operand, operandPointer, name == "prefix"));
        if (name == "equals-ignore-case") {
            if (!operand.is_string()) {
                error(operandPointer, "equals-ignore-case expects a string");
                return std::nullopt;
            }
            return Alternative{
                ValueTest{EqualsIgnoreCase{foldCase(operand.get_ref<const std::string&>())}}};
        }
        if (name == "wildcard" && eventBridge) {
            if (!operand.is_string()) {
                error(operandPointer, "wildcard expects a string");
                return std::nullopt;
            }
            return wrap(compileWildcard(operand.get_ref<const std::string&>(), operandPointer));
        }
        if (name == "numeric")
            return wrap(compileNumeric(operand, operandPointer));
        if (name == "cidr")
            return wrap(compileCidr(operand, operandPointer));
        if (name == "exists") {
            if (!operand.is_boolean()) {
                error(operandPointer, "exists expects true or false");
                return std::nullopt;
            }
            return Alternative{Exists{operand.get<bool>(), !eventBridge}};
        }
        if (name == "anything-but") {
            std::optional<AnythingBut> anythingBut = compileAnythingBut(operand, operandPointer);
            if (!anythingBut)
                return std::nullopt;
            return Alternative{std::move(*anythingBut)};
        }
        if (name == "wildcard")
            error(operandPointer, "SNS filter policies do not support the wildcard operator",
                  "use prefix, suffix or equals-ignore-case");
        else
            error(operandPointer, "unknown operator " + inQuotes(name),
                  eventBridge ? "use one of prefix, suffix, equals-ignore-case, wildcard, "
                                "anything-but, numeric, exists, cidr"
                              : "use one of prefix, suffix, equals-ignore-case, anything-but, "
                                "numeric, exists, cidr");
        return std::nullopt;
    }

    static std::optional<Alternative> wrap(std::optional<ValueTest> test)
    {
        if (!test)
            return std::nullopt;
        return Alternative{std::move(*test)};
    }

    // prefix/suffix: a string, or (EventBridge) {"equals-ignore-case": string}.
    std::optional<ValueTest> compileAffix(const Json& operand, const std::string& pointer,
                                          bool prefix)
    {
        const std::string name = prefix ? "prefix" : "suffix";
        if (operand.is_string()) {
            const auto& text = operand.get_ref<const std::string&>();
            if (prefix)
                return Prefix{text, false};
            return Suffix{text, false};
        }
        if (m_dialect == PatternDialect::EventBridge && operand.is_object() &&
            operand.size() == 1 && operand.contains("equals-ignore-case")) {
            const Json& text = operand["equals-ignore-case"];
            if (!text.is_string()) {
                error(pointer + "/equals-ignore-case", "equals-ignore-case expects a string");
                return std::nullopt;
            }
            std::string folded = foldCase(text.get_ref<const std::string&>());
            if (prefix)
                return Prefix{std::move(folded), true};
            return Suffix{std::move(folded), true};
        }
        if (m_dialect == PatternDialect::EventBridge)
            error(pointer, name + " expects a string or {\"equals-ignore-case\": \"...\"}");
        else
            error(pointer, name + " expects a string in an SNS filter policy");
        return std::nullopt;
    }

    // '*' matches any run of characters; "\*" is a literal star and "\\" a literal backslash.
    std::optional<ValueTest> compileWildcard(std::string_view text, const std::string& pointer)
    {
        Wildcard wildcard;
        wildcard.pieces.emplace_back();
        for (std::size_t i = 0; i < text.size(); ++i) {
            const char c = text[i];
            if (c == '*') {
                if (i + 1 < text.size() && text[i + 1] == '*') {
                    error(pointer, "consecutive wildcard characters (**) are not allowed",
                          "one * already matches any number of characters");
                    return std::nullopt;
                }
                wildcard.pieces.emplace_back();
            } else if (c == '\\') {
                if (i + 1 >= text.size() || (text[i + 1] != '*' && text[i + 1] != '\\')) {
                    error(pointer, "invalid escape in wildcard at position " + std::to_string(i) +
                                       ": a backslash may only escape * or \\");
                    return std::nullopt;
                }
                wildcard.pieces.back() += text[++i];
            } else {
                wildcard.pieces.back() += c;
            }
        }
        return wildcard;
    }

    // Numbers the engine compares: within [-5e9, 5e9] and at most six decimal places.
    bool checkNumericOperand(const Json& number, const std::string& pointer)
    {
        const double value = number.get<double>();
        if (!(std::fabs(value) <= kNumericLimit)) {
            error(pointer, "numbers compared by value must lie between -5e9 and 5e9");
            return false;
        }
        const double scaled = value * kDecimalScale;
        const double tolerance = std::max(1e-7, std::fabs(scaled) * 1e-12);
        if (std::fabs(scaled - std::round(scaled)) > tolerance) {
            error(pointer, "numbers compared by value may have at most 6 decimal places");
            return false;
        }
        return true;
    }

    std::optional<ValueTest> compileNumeric(const Json& operand, const std::string& pointer)
    {
        const char* example = "e.g. [\">\", 0, \"<=\", 5] or [\"=\", 100]";
        if (!operand.is_array() || operand.empty()) {
            error(pointer, "numeric expects an array of comparison and number pairs", example);
            return std::nullopt;
        }
        if (operand.size() % 2 != 0) {
            error(pointer, "numeric operator expects pairs of comparison and number", example);
            return std::nullopt;
        }
        if (operand.size() > 4) {
            error(pointer,
                  "numeric takes one comparison or a range of two (a lower bound, then an upper "
                  "bound)",
                  example);
            return std::nullopt;
        }
        std::vector<std::pair<std::string, double>> comparisons;
        bool valid = true;
        for (std::size_t i = 0; i < operand.size(); i += 2) {
            const Json& op = operand[i];
            const Json& number = operand[i + 1];
            static constexpr std::array<std::string_view, 5> kComparisons = {"=", "<", "<=", ">",
                                                                             ">="};
            if (!op.is_string()) {
                error(childPointer(pointer, i),
                      "numeric operator expects pairs of comparison and number", example);
                valid = false;
                continue;
            }
            const auto& name = op.get_ref<const std::string&>();
            if (std::find(kComparisons.begin(), kComparisons.end(), name) == kComparisons.end()) {
                error(childPointer(pointer, i), "unknown numeric comparison " + inQuotes(name),
                      "use =, <, <=, > or >=");
                valid = false;
                continue;
            }
            if (!number.is_number()) {
                error(childPointer(pointer, i + 1),
                      "numeric comparison " + inQuotes(name) + " must be followed by a number");
                valid = false;
                continue;
            }
            if (!checkNumericOperand(number, childPointer(pointer, i + 1))) {
                valid = false;
                continue;
            }
            comparisons.emplace_back(name, number.get<double>());
        }
        if (!valid)
            return std::nullopt;

        NumericRange range;
        const auto applyBound = [&range](const std::string& op, double value) {
            if (op == "=") {
                range.low = range.high = value;
            } else if (op == ">" || op == ">=") {
                range.low = value;
                range.lowInclusive = op == ">=";
            } else {
                range.high = value;
                range.highInclusive = op == "<=";
            }
        };
        if (comparisons.size() == 1) {
            applyBound(comparisons[0].first, comparisons[0].second);
            return range;
        }
        const auto& [lowOp, low] = comparisons[0];
        const auto& [highOp, high] = comparisons[1];
        if ((lowOp != ">" && lowOp != ">=") || (highOp != "<" && highOp != "<=")) {
            error(pointer,
                  "a numeric range is a lower bound (> or >=) followed by an upper bound (< or <=)",
                  example);
            return std::nullopt;
        }
        if (!(low < high)) {
            error(pointer, "numeric range is empty: the lower bound must be below the upper bound");
            return std::nullopt;
        }
        applyBound(lowOp, low);
        applyBound(highOp, high);
        return range;
    }

    std::optional<ValueTest> compileCidr(const Json& operand, const std::string& pointer)
    {
        if (!operand.is_string()) {
            error(pointer, "cidr expects a string such as \"10.0.0.0/24\"");
            return std::nullopt;
        }
        const auto& text = operand.get_ref<const std::string&>();
        const std::size_t slash = text.find('/');
        if (slash == std::string::npos || text.find('/', slash + 1) != std::string::npos) {
            error(pointer, "malformed CIDR " + inQuotes(text) + ": exactly one '/' is required",
                  "e.g. \"10.0.0.0/24\"");
            return std::nullopt;
        }
        const std::string_view bits = std::string_view(text).substr(slash + 1);
        if (bits.empty() || bits.size() > 3 ||
            !std::all_of(bits.begin(), bits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
            error(pointer,
                  "malformed CIDR " + inQuotes(text) + ": the prefix length must be an integer");
            return std::nullopt;
        }
        const std::optional<IpAddress> network = parseIp(std::string_view(text).substr(0, slash));
        if (!network) {
            error(pointer, "malformed CIDR " + inQuotes(text) + ": " +
                               inQuotes(text.substr(0, slash)) + " is not an IPv4 or IPv6 address");
            return std::nullopt;
        }
        const unsigned prefixLength = static_cast<unsigned>(std::stoul(std::string(bits)));
        // event-ruler (CIDR.cidr) accepts prefix lengths below the address width only.
        const unsigned width = network->size == 4 ? 32U : 128U;
        if (prefixLength >= width) {
            error(pointer,
                  std::string(network->size == 4 ? "IPv4" : "IPv6") +
                      " prefix length must be below " + std::to_string(width),
                  "to match one address, list it as a plain value: [" +
                      inQuotes(text.substr(0, slash)) + "]");
            return std::nullopt;
        }
        return Cidr{*network, prefixLength};
    }

    std::optional<AnythingBut> compileAnythingBut(const Json& operand, const std::string& pointer)
    {
        AnythingBut anythingBut;
        if (operand.is_string()) {
            anythingBut.excluded.emplace_back(
                ExactString{operand.get<std::string>(), std::nullopt});
            return anythingBut;
        }
        if (operand.is_number()) {
            if (!checkNumericOperand(operand, pointer))
                return std::nullopt;
            anythingBut.excluded.emplace_back(ExactScalar{operand});
            return anythingBut;
        }
        if (operand.is_array())
            return compileAnythingButList(operand, pointer);
        if (operand.is_object())
            return compileAnythingButOperator(operand, pointer);
        error(pointer,
              "anything-but expects a string, a number, a list of strings or of numbers, or an "
              "operator such as {\"prefix\": \"init\"}");
        return std::nullopt;
    }

    std::optional<AnythingBut> compileAnythingButList(const Json& values,
                                                      const std::string& pointer)
    {
        if (values.empty()) {
            error(pointer, "anything-but needs at least one value");
            return std::nullopt;
        }
        AnythingBut anythingBut;
        bool strings = false;
        bool numbers = false;
        bool valid = true;
        for (std::size_t i = 0; i < values.size(); ++i) {
            const Json& value = values[i];
            if (value.is_string()) {
                strings = true;
                anythingBut.excluded.emplace_back(
                    ExactString{value.get<std::string>(), std::nullopt});
            } else if (value.is_number()) {
                numbers = true;
                if (checkNumericOperand(value, childPointer(pointer, i)))
                    anythingBut.excluded.emplace_back(ExactScalar{value});
                else
                    valid = false;
            } else {
                error(childPointer(pointer, i),
                      "anything-but lists may hold only strings or numbers");
                valid = false;
            }
        }
        if (strings && numbers) {
            error(pointer, "anything-but lists must hold only strings or only numbers, not both");
            valid = false;
        }
        if (!valid)
            return std::nullopt;
        return anythingBut;
    }

    // {"anything-but": {"prefix" | "suffix" | "equals-ignore-case" | "wildcard": string or list}}
    std::optional<AnythingBut> compileAnythingButOperator(const Json& expression,
                                                          const std::string& pointer)
    {
        const bool eventBridge = m_dialect == PatternDialect::EventBridge;
        const char* supported = eventBridge ? "use prefix, suffix, equals-ignore-case or wildcard"
                                            : "SNS supports anything-but with prefix only";
        if (expression.size() != 1) {
            error(pointer, "anything-but takes exactly one operator, e.g. {\"prefix\": \"init\"}",
                  supported);
            return std::nullopt;
        }
        const std::string& name = expression.begin().key();
        const Json& operand = expression.begin().value();
        const std::string operandPointer = childPointer(pointer, name);
        const bool known =
            name == "prefix" || (eventBridge && (name == "suffix" || name == "equals-ignore-case" ||
                                                 name == "wildcard"));
        if (!known) {
            error(operandPointer, "anything-but does not support " + inQuotes(name), supported);
            return std::nullopt;
        }

        std::vector<std::pair<std::string_view, std::string>> texts; // (text, pointer)
        if (operand.is_string()) {
            texts.emplace_back(operand.get_ref<const std::string&>(), operandPointer);
        } else if (operand.is_array() && !operand.empty() &&
                   std::all_of(operand.begin(), operand.end(),
                               [](const Json& v) { return v.is_string(); })) {
            for (std::size_t i = 0; i < operand.size(); ++i)
                texts.emplace_back(operand[i].get_ref<const std::string&>(),
                                   childPointer(operandPointer, i));
        } else {
            error(operandPointer,
                  "anything-but " + name + " expects a string or a list of strings");
            return std::nullopt;
        }

        AnythingBut anythingBut;
        bool valid = true;
        for (const auto& [text, textPointer] : texts) {
            if ((name == "prefix" || name == "suffix") && text.empty()) {
                error(textPointer, "anything-but " + name + " must not be empty");
                valid = false;
            } else if (name == "prefix") {
                anythingBut.excluded.emplace_back(Prefix{std::string(text), false});
            } else if (name == "suffix") {
                anythingBut.excluded.emplace_back(Suffix{std::string(text), false});
            } else if (name == "equals-ignore-case") {
                anythingBut.excluded.emplace_back(EqualsIgnoreCase{foldCase(text)});
            } else if (std::optional<ValueTest> wildcard = compileWildcard(text, textPointer)) {
                anythingBut.excluded.push_back(std::move(*wildcard));
            } else {
                valid = false;
            }
        }
        if (!valid)
            return std::nullopt;
        return anythingBut;
    }

    PatternDialect m_dialect;
    std::string m_basePointer;
    Diagnostics& m_diagnostics;
    std::set<std::string> m_paths;
    bool m_failed = false;
};

} // namespace

struct EventPattern::Tree {
    ObjectNode root;
    std::vector<std::string> fieldPaths;
};

EventPattern::EventPattern(std::shared_ptr<const Tree> tree) : m_tree(std::move(tree)) {}

std::optional<EventPattern> EventPattern::parse(const nlohmann::json& pattern,
                                                const std::string& pointer,
                                                Diagnostics& diagnostics, PatternDialect dialect)
{
    PatternCompiler compiler(dialect, pointer, diagnostics);
    if (!pattern.is_object()) {
        compiler.error("", std::string(compiler.subject()) + " must be a JSON object",
                       "e.g. {\"source\": [\"my.app\"]}");
        return std::nullopt;
    }
    auto tree = std::make_shared<Tree>();
    try {
        tree->root = compiler.compileObject(pattern, "", "", false);
    } catch (const nlohmann::json::exception& e) {
        // Every access above is type-checked first; this only guards against a library surprise.
        compiler.error("", std::string(compiler.subject()) + " could not be read: " + e.what());
    }
    if (compiler.failed())
        return std::nullopt;
    tree->fieldPaths = compiler.fieldPaths();
    return EventPattern(std::move(tree));
}

bool EventPattern::matches(const nlohmann::json& event) const
{
    return event.is_object() && matchScope(m_tree->root, &event);
}

std::vector<std::string> EventPattern::fieldPaths() const
{
    return m_tree->fieldPaths;
}

} // namespace eventflow::model
