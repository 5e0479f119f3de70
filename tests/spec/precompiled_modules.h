// The artifacts spec_compile left in a directory, looked up by module key
// through its manifest instead of compiled.
#pragma once
#include <filesystem>
#include <map>
#include <string>

#include "tests/spec/manifest.h"
#include "tests/spec/module_source.h"

namespace kiln::spec {

class PrecompiledModules : public ModuleSource {
 public:
  /// `modules` is the manifest's, read from `directory`.
  PrecompiledModules(std::filesystem::path directory, std::map<std::string, CompileResult> modules);

  /// The manifest's entry; Unavailable, naming the module, when it has none
  /// (the directory was compiled from other scripts or another wast2json).
  CompileResult lookup(std::span<const uint8_t> bytes, bool is_text,
                       const std::string& name) override;

 private:
  std::filesystem::path directory_;
  std::map<std::string, CompileResult> modules_;  // read only: lookups may run concurrently
};

}  // namespace kiln::spec
