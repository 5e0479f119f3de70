// Compiles each distinct module once per run, however many scripts and
// threads ask for it: identical bytes share one artifact.
#pragma once
#include <cstdint>
#include <filesystem>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <unordered_map>

#include "aotc/backend/compiler.h"
#include "tests/spec/module_source.h"
#include "tests/spec/runner_options.h"

namespace kiln::spec {

class CompileCache : public ModuleSource {
 public:
  /// Artifacts are written into `directory`, which must exist, named by
  /// `key_prefix` + module_key (a prefix keeps caches with different
  /// options apart when they share a directory and a manifest).
  CompileCache(std::filesystem::path directory, aotc::CompileOptions options,
               std::string key_prefix = "");

  /// Compiles `bytes` unless a module with the same key was compiled before;
  /// a module another thread is compiling is waited for, not compiled twice.
  CompileResult lookup(std::span<const uint8_t> bytes, bool is_text,
                       const std::string& name) override;

  /// Every module compiled so far, by module_key. Call when no lookup runs.
  std::map<std::string, CompileResult> results() const;

 private:
  CompileResult run_compiler(std::span<const uint8_t> bytes, bool is_text, const std::string& name,
                             const std::string& key) const;

  std::filesystem::path directory_;
  aotc::CompileOptions options_;
  std::string key_prefix_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::shared_future<CompileResult>> entries_;
};

/// The aotc options --opt, --cpu, --target and --features ask for; an
/// unknown feature name leaves `error` set.
aotc::CompileOptions compile_options_for(const RunnerOptions& options, std::string& error);

/// One cache per --proposal-features entry, compiling with `base` changed by
/// that proposal's list, keyed "PROPOSAL." + module_key in `directory`. An
/// unknown feature name leaves `error` set.
std::map<std::string, std::unique_ptr<CompileCache>> proposal_caches(
    const RunnerOptions& options, const aotc::CompileOptions& base,
    const std::filesystem::path& directory, std::string& error);

}  // namespace kiln::spec
