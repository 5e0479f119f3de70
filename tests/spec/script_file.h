// A script's files in a scratch or precompiled directory: wast2json writes
// DIR/NAME/NAME.json and the module files beside it.
#pragma once
#include <filesystem>
#include <optional>
#include <string>

#include "tests/spec/script_result.h"
#include "tests/spec/wast_script.h"

namespace kiln::spec {

/// `directory`/NAME/NAME.json.
std::filesystem::path script_json_path(const std::filesystem::path& directory,
                                       const std::string& name);

/// Converts `wast` with `wast2json` into `json`, creating its directory.
/// Returns why that failed, if it did.
std::optional<Failure> convert_script(const std::string& wast2json,
                                      const std::filesystem::path& wast,
                                      const std::filesystem::path& json);

/// Reads and parses wast2json's `json`; on failure returns nothing and sets `failure`.
std::optional<Script> read_script(const std::filesystem::path& json, Failure& failure);

}  // namespace kiln::spec
