#include "tests/spec/precompiled_modules.h"

#include "tests/spec/module_key.h"

namespace kiln::spec {

PrecompiledModules::PrecompiledModules(std::filesystem::path directory,
                                       std::map<std::string, CompileResult> modules)
    : directory_(std::move(directory)) {
  for (auto& [key, result] : modules)
    if (result.compiled()) result.artifact_path = (directory_ / result.artifact_path).string();
  modules_ = std::make_shared<const std::map<std::string, CompileResult>>(std::move(modules));
}

PrecompiledModules PrecompiledModules::with_prefix(std::string key_prefix) const {
  PrecompiledModules view = *this;
  view.key_prefix_ = std::move(key_prefix);
  return view;
}

CompileResult PrecompiledModules::lookup(std::span<const uint8_t> bytes, bool is_text,
                                         const std::string& name) {
  std::string key = key_prefix_ + module_key(bytes, is_text);
  auto it = modules_->find(key);
  if (it == modules_->end()) {
    std::string manifest = (directory_ / kManifestFile).string();
    return CompileResult{CompileResult::Status::Unavailable, {},
                         "module " + name + " (key " + key + ") is not in " + manifest +
                             ": was the directory compiled from these scripts?",
                         name};
  }
  return as_asked_by(it->second, name);
}

}  // namespace kiln::spec
