// spec_run: runs the spec scripts spec_compile prepared in a directory,
// with libkiln only (no aotc, no LLVM), so it can run on a target that
// cannot compile, e.g. aarch64 under qemu-user.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>

#include "tests/spec/crash_report.h"
#include "tests/spec/manifest.h"
#include "tests/spec/precompiled_modules.h"
#include "tests/spec/run_scripts.h"
#include "tests/spec/runner_options.h"
#include "tests/spec/scheduler.h"
#include "tests/spec/script_job.h"
#include "tests/spec/script_selection.h"

namespace fs = std::filesystem;
using namespace kiln::spec;

namespace {

/// The manifest's scripts the options choose; empty, with `error` set, if none.
std::vector<PrecompiledScript> choose_scripts(const Manifest& manifest, const RunnerOptions& options,
                                              std::string& error) {
  std::vector<std::string> available;
  for (const PrecompiledScript& script : manifest.scripts) available.push_back(script.name);
  std::vector<std::string> names = select_scripts(available, options, options.precompiled_dir, error);
  std::vector<PrecompiledScript> chosen;
  for (const PrecompiledScript& script : manifest.scripts)
    if (std::find(names.begin(), names.end(), script.name) != names.end()) chosen.push_back(script);
  return chosen;
}

}  // namespace

int main(int argc, char** argv) {
  install_crash_reporter();
  auto options = parse_options(Tool::Run, argc, argv);
  if (!options) return 2;
  fs::path directory = options->precompiled_dir;
  std::string error;
  auto manifest = read_manifest(directory, error);
  if (!manifest) return usage_error(Tool::Run, error);
  std::vector<PrecompiledScript> scripts = choose_scripts(*manifest, *options, error);
  if (scripts.empty()) return usage_error(Tool::Run, error);
  std::cout << "precompiled in " << directory.string() << " for "
            << (manifest->target.empty() ? "the default target" : manifest->target) << ", -O"
            << manifest->opt_level << (manifest->cpu.empty() ? "" : ", cpu " + manifest->cpu)
            << "\n";

  PrecompiledModules modules(directory, std::move(manifest->modules));
  // A proposal compiled with features of its own looks its modules up by prefix.
  std::map<std::string, PrecompiledModules> prefixed;
  std::vector<std::string> names;
  for (const PrecompiledScript& script : scripts) {
    names.push_back(script.name);
    if (!script.key_prefix.empty() && !prefixed.contains(script.key_prefix))
      prefixed.emplace(script.key_prefix, modules.with_prefix(script.key_prefix));
  }
  return run_scripts(names, worker_count(options->jobs, names.size()), [&](size_t i) {
    const PrecompiledScript& script = scripts[i];
    auto own = prefixed.find(script.key_prefix);
    PrecompiledModules& source = own == prefixed.end() ? modules : own->second;
    return run_precompiled_script(script, directory, source, options->verbose);
  });
}
