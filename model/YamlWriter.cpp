#include "YamlWriter.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

namespace eventflow::model {

namespace {

std::string lowered(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// YAML 1.1 readers (cfn-lint, PyYAML) take these plain scalars as booleans or null.
bool isReservedWord(std::string_view text)
{
    static constexpr std::array kWords = {"true", "false", "yes", "no",   "on",   "off",   "y",
                                          "n",    "null",  "~",   ".nan", ".inf", "-.inf", "+.inf"};
    const std::string low = lowered(text);
    return std::any_of(kWords.begin(), kWords.end(), [&](const char* word) { return low == word; });
}

// Anything number-like (123, -4.5, 1e3, 0x1F, 0o7, 1_000, 12:30 sexagesimal) is quoted: being
// too careful costs two quote characters, being too lax changes a value's type.
bool looksNumeric(std::string_view text)
{
    if (text.empty())
        return false;
    std::size_t i = (text[0] == '-' || text[0] == '+' || text[0] == '.') ? 1 : 0;
    if (i >= text.size())
        return false;
    return std::isdigit(static_cast<unsigned char>(text[i])) != 0;
}

bool needsQuotes(std::string_view text)
{
    if (text.empty() || isReservedWord(text) || looksNumeric(text))
        return true;
    if (text.front() == ' ' || text.back() == ' ')
        return true;
    return false;
}

void emitString(YAML::Emitter& out, const std::string& text)
{
    if (text.find('\n') != std::string::npos)
        out << YAML::Literal << text;
    else if (needsQuotes(text))
        out << YAML::DoubleQuoted << text;
    else
        out << text;
}

template <typename Json> void emit(YAML::Emitter& out, const Json& value)
{
    switch (value.type()) {
    case Json::value_t::object:
        if (value.empty()) {
            out << YAML::Flow << YAML::BeginMap << YAML::EndMap;
            return;
        }
        out << YAML::BeginMap;
        for (auto it = value.begin(); it != value.end(); ++it) {
            out << YAML::Key;
            emitString(out, it.key());
            out << YAML::Value;
            emit(out, it.value());
        }
        out << YAML::EndMap;
        return;
    case Json::value_t::array:
        if (value.empty()) {
            out << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
            return;
        }
        out << YAML::BeginSeq;
        for (const auto& item : value)
            emit(out, item);
        out << YAML::EndSeq;
        return;
    case Json::value_t::string:
        emitString(out, value.template get_ref<const std::string&>());
        return;
    case Json::value_t::boolean:
        out << YAML::TrueFalseBool << value.template get<bool>();
        return;
    case Json::value_t::null:
        out << YAML::Null;
        return;
    default:
        // Numbers as nlohmann prints them, so JSON and YAML output carry the same digits.
        out << value.dump();
        return;
    }
}

template <typename Json> std::string write(const Json& value)
{
    YAML::Emitter out;
    out.SetIndent(2);
    out.SetOutputCharset(YAML::EmitNonAscii);
    emit(out, value);
    std::string text = out.c_str();
    if (text.empty() || text.back() != '\n')
        text += '\n';
    return text;
}

} // namespace

std::string toYaml(const nlohmann::ordered_json& value)
{
    return write(value);
}

std::string toYaml(const nlohmann::json& value)
{
    return write(value);
}

} // namespace eventflow::model
