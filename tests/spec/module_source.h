// Where the runner gets a module's artifact from: compiled in this process
// (CompileCache) or compiled earlier, maybe on another machine
// (PrecompiledModules). The script runner only sees this interface.
#pragma once
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

#include "tests/spec/wast_script.h"

namespace kiln::spec {

struct CompileResult {
  enum class Status {
    Compiled,     // artifact_path is the artifact
    Refused,      // the compiler refused the module: error is its message
    Unavailable,  // neither is known (unreadable file, no manifest entry): always a failure
  };
  Status status = Status::Unavailable;
  std::string artifact_path;  // when Compiled
  std::string error;          // the compiler's message, or why Unavailable
  std::string name;           // the input name the compiler's message uses

  bool compiled() const { return status == Status::Compiled; }
  /// Why there is no artifact, for messages.
  std::string problem() const {
    return (status == Status::Unavailable ? "no artifact: " : "compile error: ") + error;
  }
};

class ModuleSource {
 public:
  virtual ~ModuleSource() = default;

  /// The artifact of the module `bytes` (text format if `is_text`), or why
  /// there is none; `name` is the module file, for messages. Thread-safe.
  virtual CompileResult lookup(std::span<const uint8_t> bytes, bool is_text,
                               const std::string& name) = 0;
};

/// Reads the module file of `command` (in `directory`) and looks it up.
CompileResult lookup_module_file(ModuleSource& source, const std::filesystem::path& directory,
                                 const Command& command);

/// `result` as the asker `name` sees it: a shared module's compiler message
/// starts with the name of whoever asked first; show `name` instead.
CompileResult as_asked_by(CompileResult result, const std::string& name);

}  // namespace kiln::spec
