// manifest.json of a precompiled directory (spec_compile writes it, spec_run
// reads it): the scripts converted there and, per module key, the artifact
// or the compiler's refusal. Paths in it are relative to the directory, so
// the directory can be copied to the target machine.
#pragma once
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tests/spec/module_source.h"
#include "tests/spec/script_result.h"

namespace kiln::spec {

inline constexpr const char* kManifestFile = "manifest.json";

struct PrecompiledScript {
  std::string name;
  std::string json;                // wast2json's output; unused when there is a failure
  std::optional<Failure> failure;  // why the script could not be converted
  /// Non-empty for a pending proposal's script: its modules are not
  /// compiled, and spec_run counts each command skipped with this reason.
  std::string skip_reason;
  /// Prefix of its modules' keys: a proposal compiled with features of its
  /// own (--proposal-features) has "PROPOSAL."; the others none.
  std::string key_prefix;
};

struct Manifest {
  std::string target;  // as given to spec_compile (empty: aotc's default)
  std::string cpu;     // likewise
  unsigned opt_level = 2;
  std::vector<PrecompiledScript> scripts;
  /// By module_key: Compiled (artifact_path) or Refused (error, name).
  std::map<std::string, CompileResult> modules;
};

/// Writes `directory`/manifest.json (whole or not at all). Returns an error
/// message, or an empty string.
std::string write_manifest(const std::filesystem::path& directory, const Manifest& manifest);

/// Reads `directory`/manifest.json. On failure returns nothing and sets `error`.
std::optional<Manifest> read_manifest(const std::filesystem::path& directory, std::string& error);

}  // namespace kiln::spec
