// The artifacts spec_compile left in a directory, looked up by module key
// through its manifest instead of compiled.
#pragma once
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "tests/spec/manifest.h"
#include "tests/spec/module_source.h"

namespace kiln::spec {

class PrecompiledModules : public ModuleSource {
 public:
  /// `modules` is the manifest's, read from `directory`.
  PrecompiledModules(std::filesystem::path directory, std::map<std::string, CompileResult> modules);

  /// The same modules, looked up with keys that start with `key_prefix`
  /// (a script's PrecompiledScript::key_prefix).
  PrecompiledModules with_prefix(std::string key_prefix) const;

  /// The manifest's entry; Unavailable, naming the module, when it has none
  /// (the directory was compiled from other scripts or another wast2json).
  CompileResult lookup(std::span<const uint8_t> bytes, bool is_text,
                       const std::string& name) override;

 private:
  std::filesystem::path directory_;
  // Shared by the prefixed views; read only, so lookups may run concurrently.
  std::shared_ptr<const std::map<std::string, CompileResult>> modules_;
  std::string key_prefix_;
};

}  // namespace kiln::spec
