// One script from its files to a result: in-process from the .wast, or as
// spec_compile left it in a precompiled directory.
#pragma once
#include <filesystem>

#include "tests/spec/manifest.h"
#include "tests/spec/module_source.h"
#include "tests/spec/runner_options.h"
#include "tests/spec/script_result.h"

namespace kiln::spec {

/// Converts `wast` into scratch/<name>/, runs it and removes that directory
/// (unless options.keep_scratch). Never throws: problems with the script
/// itself become script errors in the result.
ScriptResult run_wast_file(const std::filesystem::path& wast, const std::filesystem::path& scratch,
                           ModuleSource& modules, const RunnerOptions& options);

/// Runs `script` from the precompiled `directory` (its failure to convert,
/// if spec_compile recorded one, is the script's error). Never throws.
ScriptResult run_precompiled_script(const PrecompiledScript& script,
                                    const std::filesystem::path& directory, ModuleSource& modules,
                                    bool verbose);

}  // namespace kiln::spec
