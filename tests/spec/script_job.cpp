#include "tests/spec/script_job.h"

#include <system_error>

#include "tests/spec/proposal_scripts.h"
#include "tests/spec/script_file.h"
#include "tests/spec/script_runner.h"

namespace kiln::spec {
namespace {

/// Reads wast2json's `json` and runs it; its module files are beside it.
void read_and_run(const std::filesystem::path& json, ModuleSource& modules, bool verbose,
                  ScriptResult& result) {
  try {
    Failure failure;
    auto script = read_script(json, failure);
    if (!script) return result.add_script_error(std::move(failure));
    run_script(*script, json.parent_path(), modules, verbose, result);
  } catch (const std::exception& e) {
    // E.g. the spectest module could not be created: nothing of this script can run.
    result.add_script_error(Failure::of_script("the script runs", std::string("exception: ") + e.what()));
  }
}

}  // namespace

ScriptResult run_wast_file(const std::filesystem::path& wast, const std::filesystem::path& scratch,
                           ModuleSource& modules, const RunnerOptions& options) {
  ScriptResult result;
  result.name = wast.stem().string();
  std::filesystem::path json = script_json_path(scratch, result.name);
  if (auto failure = convert_script(options.wast2json, wast, json))
    result.add_script_error(std::move(*failure));
  else
    read_and_run(json, modules, options.verbose, result);
  if (!options.keep_scratch) {
    std::error_code ignored;
    std::filesystem::remove_all(json.parent_path(), ignored);
  }
  return result;
}

ScriptResult run_precompiled_script(const PrecompiledScript& script,
                                    const std::filesystem::path& directory, ModuleSource& modules,
                                    bool verbose) {
  if (!script.skip_reason.empty()) {
    Failure failure;
    std::optional<Script> parsed;
    if (!script.failure) parsed = read_script(directory / script.json, failure);
    return skip_commands(script.name, script.skip_reason, parsed);
  }
  ScriptResult result;
  result.name = script.name;
  if (script.failure)
    result.add_script_error(*script.failure);
  else
    read_and_run(directory / script.json, modules, verbose, result);
  return result;
}

}  // namespace kiln::spec
