#include "tests/spec/precompiled_modules.h"

#include "tests/spec/module_key.h"

namespace kiln::spec {

PrecompiledModules::PrecompiledModules(std::filesystem::path directory,
                                       std::map<std::string, CompileResult> modules)
    : directory_(std::move(directory)), modules_(std::move(modules)) {
  for (auto& [key, result] : modules_)
    if (result.compiled()) result.artifact_path = (directory_ / result.artifact_path).string();
}

CompileResult PrecompiledModules::lookup(std::span<const uint8_t> bytes, bool is_text,
                                         const std::string& name) {
  std::string key = module_key(bytes, is_text);
  auto it = modules_.find(key);
  if (it == modules_.end()) {
    std::string manifest = (directory_ / kManifestFile).string();
    return CompileResult{CompileResult::Status::Unavailable, {},
                         "module " + name + " (key " + key + ") is not in " + manifest +
                             ": was the directory compiled from these scripts?",
                         name};
  }
  return as_asked_by(it->second, name);
}

}  // namespace kiln::spec
