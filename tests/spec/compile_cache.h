// Compiles each distinct module once per run, however many scripts and
// threads ask for it: identical bytes share one artifact.
#pragma once
#include <cstdint>
#include <filesystem>
#include <future>
#include <mutex>
#include <span>
#include <string>
#include <unordered_map>

#include "aotc/backend/compiler.h"

namespace kiln::spec {

struct CompileResult {
  bool ok = false;
  std::string artifact_path;  // when ok
  std::string error;          // the compiler's message otherwise
  std::string name;           // the input name the message uses
};

class CompileCache {
 public:
  /// Artifacts are written into `directory`, which must exist.
  CompileCache(std::filesystem::path directory, aotc::CompileOptions options);

  /// The artifact for `bytes` (text format if `is_text`); `name` appears in
  /// the compiler's messages. Thread-safe: a module another thread is
  /// compiling is waited for, not compiled twice.
  CompileResult compile(std::span<const uint8_t> bytes, bool is_text, const std::string& name);

  /// How many compilations ran (cache misses).
  uint64_t compilations() const;

 private:
  CompileResult run_compiler(std::span<const uint8_t> bytes, bool is_text, const std::string& name,
                             uint64_t id) const;

  std::filesystem::path directory_;
  aotc::CompileOptions options_;
  mutable std::mutex mutex_;
  // Keyed by the module's bytes (prefixed by the format), so equal content is
  // the only way to share an artifact.
  std::unordered_map<std::string, std::shared_future<CompileResult>> entries_;
  uint64_t next_id_ = 0;
};

}  // namespace kiln::spec
