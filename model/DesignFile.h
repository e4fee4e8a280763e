#pragma once

#include "Design.h"
#include "Diagnostic.h"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace eventflow::model {

/// The outcome of reading a design: the design when the file had the right shape, and every
/// problem found, each naming its place as a JSON pointer. `unreadable` is set when the file
/// could not be opened or is not JSON at all (the command line exits 2 for those, 1 otherwise).
struct LoadResult {
    std::optional<Design> design;
    Diagnostics diagnostics;
    bool unreadable = false;
};

/// Reads and writes `.eventflow.json` files ("format": "eventflow/1"). Older formats are
/// migrated on load, step by step, to the current one; saving always writes the current one.
/// Loading checks shape (types, required fields, known names); the Validator checks meaning.
class DesignFile {
public:
    static constexpr std::string_view kFormat = "eventflow/1";
    static constexpr std::string_view kExtension = ".eventflow.json";

    static LoadResult load(const std::filesystem::path& path);
    static LoadResult parse(std::string_view text);
    static LoadResult fromJson(nlohmann::json document);

    static nlohmann::json toJson(const Design& design);
    /// Pretty JSON text, ending with a newline; byte-identical for identical designs.
    static std::string serialize(const Design& design);
    /// Writes to a temporary file beside `path` and renames it over, so a failure midway never
    /// leaves a damaged file. Returns an error message, or nullopt on success.
    static std::optional<std::string> save(const Design& design, const std::filesystem::path& path);

    /// A producer's event templates as written under traffic[i].events, and back; the designer
    /// edits them as JSON. Problems are appended at `pointer` + the place inside the array.
    static std::vector<EventTemplate> eventsFromJson(const nlohmann::json& events,
                                                     const std::string& pointer,
                                                     Diagnostics& diagnostics);
    static nlohmann::json eventsToJson(const std::vector<EventTemplate>& events);
    /// Brings an older document up to eventflow/1; appends a diagnostic if the format is unknown.
    static bool migrate(nlohmann::json& document, Diagnostics& diagnostics);
};

} // namespace eventflow::model
