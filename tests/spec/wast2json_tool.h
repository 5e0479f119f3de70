// Converting a .wast script to JSON and module files with wabt's wast2json.
#pragma once
#include <filesystem>
#include <string>

namespace kiln::spec {

/// Runs `tool --enable-all WAST -o JSON` (JSON's directory must exist; the
/// module files land next to it). Returns an empty string on success, or a
/// one-line description of the failure including wast2json's first message.
std::string run_wast2json(const std::string& tool, const std::filesystem::path& wast,
                          const std::filesystem::path& json);

}  // namespace kiln::spec
