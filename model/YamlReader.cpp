#include "YamlReader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <string>

namespace eventflow::model {

namespace {

using Json = nlohmann::ordered_json;

std::string at(int line, int column)
{
    return "line " + std::to_string(line + 1) + ", column " + std::to_string(column + 1) + ": ";
}

std::string at(const YAML::Mark& mark)
{
    return mark.is_null() ? std::string() : at(mark.line, mark.column);
}

bool allDigits(std::string_view s, int base)
{
    if (s.empty())
        return false;
    for (char c : s) {
        const bool ok = base == 16  ? std::isxdigit(static_cast<unsigned char>(c)) != 0
                        : base == 8 ? c >= '0' && c <= '7'
                                    : c >= '0' && c <= '9';
        if (!ok)
            return false;
    }
    return true;
}

/// A plain scalar as the YAML 1.2 core schema resolves it; numbers that would lose digits
/// (leading zeros, beyond 64 bits) and infinities stay strings.
Json plainScalar(const std::string& text)
{
    if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL")
        return nullptr;
    if (text == "true" || text == "True" || text == "TRUE")
        return true;
    if (text == "false" || text == "False" || text == "FALSE")
        return false;
    std::string_view s = text;
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o')) {
        const int base = s[1] == 'x' ? 16 : 8;
        std::uint64_t value = 0;
        const auto digits = s.substr(2);
        if (allDigits(digits, base)) {
            const auto [end, ec] =
                std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
            if (ec == std::errc() && end == digits.data() + digits.size())
                return value;
        }
        return text;
    }
    const std::string_view unsignedPart = (s[0] == '-' || s[0] == '+') ? s.substr(1) : s;
    if (allDigits(unsignedPart, 10)) {
        if (unsignedPart.size() > 1 && unsignedPart[0] == '0')
            return text;
        std::int64_t value = 0;
        const auto* begin = s.data() + (s[0] == '+' ? 1 : 0);
        const auto [end, ec] = std::from_chars(begin, s.data() + s.size(), value);
        if (ec == std::errc() && end == s.data() + s.size())
            return value;
        return text;
    }
    // [-+]? ( . digits | digits ( . digits? )? ) ( [eE] [-+]? digits )?
    std::size_t i = 0;
    if (i < s.size() && (s[i] == '-' || s[i] == '+'))
        ++i;
    const std::size_t intStart = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])))
        ++i;
    const std::size_t intDigits = i - intStart;
    std::size_t fracDigits = 0;
    bool dot = false;
    if (i < s.size() && s[i] == '.') {
        dot = true;
        ++i;
        const std::size_t fracStart = i;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])))
            ++i;
        fracDigits = i - fracStart;
    }
    if (intDigits + fracDigits == 0 || (intDigits > 1 && s[intStart] == '0'))
        return text;
    bool exponent = false;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '-' || s[i] == '+'))
            ++i;
        const std::size_t expStart = i;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])))
            ++i;
        if (i == expStart)
            return text;
        exponent = true;
    }
    if (i != s.size() || (!dot && !exponent))
        return text;
    try {
        return std::stod(text);
    } catch (const std::exception&) {
        return text;
    }
}

class Converter {
public:
    explicit Converter(Diagnostics& diagnostics) : m_diagnostics(diagnostics) {}

    bool ok() const { return m_ok; }

    Json convert(const YAML::Node& node)
    {
        const std::string& tag = node.Tag();
        if (!tag.empty() && tag != "?" && tag != "!" && tag.rfind("tag:yaml.org,2002:", 0) != 0)
            return intrinsic(node, tag);
        return value(node, tag);
    }

private:
    Json value(const YAML::Node& node, const std::string& tag)
    {
        switch (node.Type()) {
        case YAML::NodeType::Null:
            return nullptr;
        case YAML::NodeType::Scalar: {
            const std::string& text = node.Scalar();
            if (tag == "?")
                return plainScalar(text);
            if (tag.rfind("tag:yaml.org,2002:", 0) == 0 && tag != "tag:yaml.org,2002:str") {
                Json typed = plainScalar(text);
                if (!typed.is_string())
                    return typed;
            }
            return text;
        }
        case YAML::NodeType::Sequence: {
            Json array = Json::array();
            for (const auto& item : node)
                array.push_back(convert(item));
            return array;
        }
        case YAML::NodeType::Map: {
            Json object = Json::object();
            for (const auto& entry : node) {
                if (!entry.first.IsScalar()) {
                    fail(entry.first.Mark(), "a mapping key must be a plain string");
                    continue;
                }
                object[entry.first.Scalar()] = convert(entry.second);
            }
            return object;
        }
        case YAML::NodeType::Undefined:
            break;
        }
        return nullptr;
    }

    Json intrinsic(const YAML::Node& node, const std::string& tag)
    {
        const std::string name = tag.substr(1);
        // A tagged empty node (`!GetAZs` alone) is the empty string, as CloudFormation reads it.
        Json inner = node.IsNull() ? Json("") : value(node, node.IsScalar() ? "!" : tag);
        if (name == "Ref" || name == "Condition")
            return Json{{name, std::move(inner)}};
        if (name == "GetAtt") {
            if (inner.is_string()) {
                const std::string dotted = inner.get<std::string>();
                const auto dot = dotted.find('.');
                if (dot == std::string::npos || dot == 0 || dot + 1 == dotted.size()) {
                    fail(node.Mark(),
                         "!GetAtt needs \"Resource.Attribute\"; found \"" + dotted + "\"");
                    return nullptr;
                }
                return Json{
                    {"Fn::GetAtt", Json::array({dotted.substr(0, dot), dotted.substr(dot + 1)})}};
            }
            return Json{{"Fn::GetAtt", std::move(inner)}};
        }
        static const char* const known[] = {
            "Sub",    "Join",        "If",        "Select", "Split",        "FindInMap",
            "GetAZs", "ImportValue", "Base64",    "Equals", "Not",          "And",
            "Or",     "Cidr",        "Transform", "Length", "ToJsonString", "ForEach"};
        for (const char* k : known)
            if (name == k)
                return Json{{"Fn::" + name, std::move(inner)}};
        fail(node.Mark(), "unknown tag " + tag +
                              " (CloudFormation knows !Ref, !GetAtt, !Sub, "
                              "!Join, !If, !Select, !Split, !FindInMap, "
                              "!GetAZs, !ImportValue, !Base64, !Equals, !Not, "
                              "!And, !Or, !Condition, !Cidr...)");
        return nullptr;
    }

    void fail(const YAML::Mark& mark, const std::string& message)
    {
        m_ok = false;
        m_diagnostics.push_back({Severity::Error, "", at(mark) + message, ""});
    }

    Diagnostics& m_diagnostics;
    bool m_ok = true;
};

std::optional<Json> readJson(std::string_view text, Diagnostics& diagnostics)
{
    try {
        return Json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        int line = 0;
        int column = 0;
        const std::size_t end = std::min<std::size_t>(e.byte > 0 ? e.byte - 1 : 0, text.size());
        for (std::size_t i = 0; i < end; ++i) {
            if (text[i] == '\n')
                ++line, column = 0;
            else
                ++column;
        }
        std::string what = e.what();
        if (const auto colon = what.rfind(": "); colon != std::string::npos)
            what = what.substr(colon + 2);
        diagnostics.push_back({Severity::Error, "", at(line, column) + what, ""});
        return std::nullopt;
    }
}

} // namespace

std::optional<nlohmann::ordered_json> readYaml(std::string_view text, Diagnostics& diagnostics)
{
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first != std::string_view::npos && text[first] == '{')
        return readJson(text, diagnostics);
    YAML::Node root;
    try {
        root = YAML::Load(std::string(text));
    } catch (const YAML::Exception& e) {
        diagnostics.push_back({Severity::Error, "", at(e.mark) + e.msg, ""});
        return std::nullopt;
    }
    Converter converter(diagnostics);
    Json result = converter.convert(root);
    if (!converter.ok())
        return std::nullopt;
    return result;
}

} // namespace eventflow::model
