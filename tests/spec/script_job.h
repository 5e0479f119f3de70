// One script from its files to a result.
#pragma once
#include <filesystem>

#include "tests/spec/module_source.h"
#include "tests/spec/runner_options.h"
#include "tests/spec/script_result.h"

namespace kiln::spec {

/// Converts `wast` into scratch/<name>/, runs it and removes that directory
/// (unless options.keep_scratch). Never throws: problems with the script
/// itself become script errors in the result.
ScriptResult run_wast_file(const std::filesystem::path& wast, const std::filesystem::path& scratch,
                           ModuleSource& modules, const RunnerOptions& options);

}  // namespace kiln::spec
