// Executes the commands of one parsed script in a fresh store.
#pragma once
#include <filesystem>

#include "tests/spec/module_source.h"
#include "tests/spec/script_result.h"
#include "tests/spec/wast_script.h"

namespace kiln::spec {

/// Runs `script`, whose module files are in `directory`, adding counts and
/// failures to `result`; `modules` gives their artifacts. Uses one kiln::Store, so it runs on one thread;
/// different scripts may run concurrently. `verbose` fills result.log.
void run_script(const Script& script, const std::filesystem::path& directory,
                ModuleSource& modules, bool verbose, ScriptResult& result);

}  // namespace kiln::spec
