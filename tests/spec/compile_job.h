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

/// Converts `wast` into out/<name>/ with `wast2json`, then looks up every
/// module a command compiles in `compiler` (which writes the artifacts).
CompiledScript compile_wast_file(const std::filesystem::path& wast, const std::filesystem::path& out,
                                 ModuleSource& compiler, const std::string& wast2json);

}  // namespace kiln::spec
