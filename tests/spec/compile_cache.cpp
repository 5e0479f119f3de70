#include "tests/spec/compile_cache.h"

#include <exception>

namespace kiln::spec {

CompileCache::CompileCache(std::filesystem::path directory, aotc::CompileOptions options)
    : directory_(std::move(directory)), options_(std::move(options)) {}

CompileResult CompileCache::compile(std::span<const uint8_t> bytes, bool is_text,
                                    const std::string& name) {
  std::string key;
  key.reserve(bytes.size() + 1);
  key += is_text ? 't' : 'b';
  key.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());

  std::promise<CompileResult> promise;
  std::shared_future<CompileResult> future;
  uint64_t id = 0;
  bool owner = false;
  {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(key);
    if (it != entries_.end()) {
      future = it->second;
    } else {
      owner = true;
      id = next_id_++;
      future = promise.get_future().share();
      entries_.emplace(std::move(key), future);
    }
  }
  if (owner) promise.set_value(run_compiler(bytes, is_text, name, id));
  CompileResult result = future.get();
  // Messages start with the name of the file compiled first; show the asker's.
  if (!result.ok && result.name != name && result.error.starts_with(result.name)) {
    result.error.replace(0, result.name.size(), name);
    result.name = name;
  }
  return result;
}

uint64_t CompileCache::compilations() const {
  std::lock_guard lock(mutex_);
  return next_id_;
}

CompileResult CompileCache::run_compiler(std::span<const uint8_t> bytes, bool is_text,
                                         const std::string& name, uint64_t id) const {
  CompileResult result;
  result.name = name;
  std::string path = (directory_ / ("m" + std::to_string(id) + ".so")).string();
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
  result.ok = true;
  result.artifact_path = std::move(path);
  return result;
}

}  // namespace kiln::spec
