#include "tests/spec/compile_cache.h"

#include <exception>

#include "tests/spec/module_key.h"

namespace kiln::spec {

CompileCache::CompileCache(std::filesystem::path directory, aotc::CompileOptions options,
                           std::string key_prefix)
    : directory_(std::move(directory)),
      options_(std::move(options)),
      key_prefix_(std::move(key_prefix)) {}

CompileResult CompileCache::lookup(std::span<const uint8_t> bytes, bool is_text,
                                   const std::string& name) {
  std::string key = key_prefix_ + module_key(bytes, is_text);
  std::promise<CompileResult> promise;
  std::shared_future<CompileResult> future;
  bool owner = false;
  {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(key);
    if (it != entries_.end()) {
      future = it->second;
    } else {
      owner = true;
      future = promise.get_future().share();
      entries_.emplace(key, future);
    }
  }
  if (owner) promise.set_value(run_compiler(bytes, is_text, name, key));
  return as_asked_by(future.get(), name);
}

std::map<std::string, CompileResult> CompileCache::results() const {
  std::lock_guard lock(mutex_);
  std::map<std::string, CompileResult> out;
  for (const auto& [key, future] : entries_) out.emplace(key, future.get());
  return out;
}

CompileResult CompileCache::run_compiler(std::span<const uint8_t> bytes, bool is_text,
                                         const std::string& name, const std::string& key) const {
  CompileResult result;
  result.name = name;
  result.status = CompileResult::Status::Refused;
  std::string path = (directory_ / (key + ".so")).string();
  try {
    if (llvm::Error err = aotc::compile_bytes(bytes, is_text, name, path, options_)) {
      result.error = llvm::toString(std::move(err));
      return result;
    }
  } catch (const std::exception& e) {
    // The compiler reports errors as values; an exception is a bug, but it
    // should fail this module only.
    result.error = std::string("compiler threw: ") + e.what();
    return result;
  }
  result.status = CompileResult::Status::Compiled;
  result.artifact_path = std::move(path);
  return result;
}

aotc::CompileOptions compile_options_for(const RunnerOptions& options, std::string& error) {
  aotc::CompileOptions compile_options;
  compile_options.opt_level = options.opt_level;
  compile_options.cpu = options.cpu;
  compile_options.target = options.target;
  if (auto problem = aotc::apply_feature_list(options.features, compile_options.features))
    error = "--features: " + *problem;
  return compile_options;
}

std::map<std::string, std::unique_ptr<CompileCache>> proposal_caches(
    const RunnerOptions& options, const aotc::CompileOptions& base,
    const std::filesystem::path& directory, std::string& error) {
  std::map<std::string, std::unique_ptr<CompileCache>> caches;
  for (const auto& [proposal, list] : options.proposal_features) {
    aotc::CompileOptions own = base;
    if (auto problem = aotc::apply_feature_list(list, own.features)) {
      error = "--proposal-features=" + proposal + ":" + list + ": " + *problem;
      return {};
    }
    caches[proposal] = std::make_unique<CompileCache>(directory, own, proposal + ".");
  }
  return caches;
}

}  // namespace kiln::spec
