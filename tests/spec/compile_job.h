// spec_compile's work on one script: convert it into the output directory
// and compile every module the runner will ask for.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/spec/manifest.h"
#include "tests/spec/module_source.h"

namespace kiln::spec {

struct CompiledScript {
  PrecompiledScript entry;        // for the manifest
  uint64_t modules = 0;           // module files of its commands (repeats included)
  uint64_t refused = 0;           // of which the compiler refused
  std::vector<std::string> unavailable;  // why a module could not be compiled at all
};

/// Converts `wast` into out/[group/]<name>/ with `wast2json`, then looks up
/// every module a command compiles in `compiler` (which writes the
/// artifacts). A proposal's scripts have their proposal as `group` (script
/// names repeat across proposals) and are named "group/name".
CompiledScript compile_wast_file(const std::filesystem::path& wast, const std::filesystem::path& out,
                                 const std::string& group, ModuleSource& compiler,
                                 const std::string& wast2json);

/// Converts `wast` the same way but compiles nothing: a pending proposal's
/// script, whose commands spec_run counts as skipped for `skip_reason`.
CompiledScript convert_skipped_wast_file(const std::filesystem::path& wast,
                                         const std::filesystem::path& out, const std::string& group,
                                         const std::string& skip_reason,
                                         const std::string& wast2json);

}  // namespace kiln::spec
