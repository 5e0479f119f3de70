// spec_compile: the compiling half of spec_runner, for a target that cannot
// compile (aotc only runs on the build machine). Converts the chosen spec
// scripts into --out=DIR and compiles every module they use with aotc
// (--target, --opt, --cpu), writing the artifacts and DIR/manifest.json for
// spec_run --precompiled=DIR. Links aotc, not libkiln.
#include <filesystem>
#include <iostream>
#include <system_error>

#include "aotc/backend/target.h"
#include "tests/spec/compile_cache.h"
#include "tests/spec/compile_job.h"
#include "tests/spec/crash_report.h"
#include "tests/spec/manifest.h"
#include "tests/spec/runner_options.h"
#include "tests/spec/scheduler.h"
#include "tests/spec/script_selection.h"

namespace fs = std::filesystem;
using namespace kiln::spec;

namespace {

/// "NAME: N modules, R refused" and the script's problems; true if it has none.
bool print_compiled(const CompiledScript& compiled) {
  std::cout << compiled.entry.name << ": " << compiled.modules << " modules, " << compiled.refused
            << " refused by the compiler\n";
  if (compiled.entry.failure)
    std::cout << "  ERROR " << compiled.entry.name << ".wast: expected "
              << compiled.entry.failure->expected << ", got " << compiled.entry.failure->got << "\n";
  for (const std::string& why : compiled.unavailable)
    std::cout << "  ERROR " << compiled.entry.name << ".wast: " << why << "\n";
  std::cout.flush();
  return !compiled.entry.failure && compiled.unavailable.empty();
}

}  // namespace

int main(int argc, char** argv) {
  install_crash_reporter();
  auto options = parse_options(Tool::Compile, argc, argv);
  if (!options) return 2;
  if (!kiln::aotc::find_target(options->target))
    return usage_error(Tool::Compile, "unsupported target '" + options->target +
                       "' (expected x86_64-linux-gnu or aarch64-linux-gnu)");
  fs::path suite;
  int exit_status = 0;
  auto scripts = select_suite_scripts(*options, suite, Tool::Compile, exit_status);
  if (!scripts) return exit_status;

  fs::path out = options->out_dir;
  const fs::path artifacts = "artifacts";  // below `out`, as the manifest names them
  std::error_code ec;
  fs::create_directories(out / artifacts, ec);
  if (ec)
    return usage_error(Tool::Compile,
                       "cannot create " + (out / artifacts).string() + ": " + ec.message());
  CompileCache cache(out / artifacts, compile_options_for(*options));

  std::vector<CompiledScript> compiled(scripts->size());
  bool clean = true;
  run_in_order(
      *scripts, worker_count(options->jobs, scripts->size()),
      [&](size_t i) {
        compiled[i] = compile_wast_file(suite / ((*scripts)[i] + ".wast"), out, cache,
                                        options->wast2json);
      },
      [&](size_t i) { clean = print_compiled(compiled[i]) && clean; });

  Manifest manifest{options->target, options->cpu, options->opt_level, {}, cache.results()};
  for (CompiledScript& script : compiled) manifest.scripts.push_back(std::move(script.entry));
  for (auto& [key, result] : manifest.modules)
    if (result.compiled())
      result.artifact_path = (artifacts / fs::path(result.artifact_path).filename()).string();
  if (std::string failure = write_manifest(out, manifest); !failure.empty())
    return usage_error(Tool::Compile, failure);
  uint64_t refused = 0;
  for (const auto& [key, result] : manifest.modules) refused += !result.compiled();
  std::cout << "spec_compile: " << manifest.scripts.size() << " scripts, "
            << manifest.modules.size() << " distinct modules (" << refused
            << " refused) in " << (out / kManifestFile).string() << "\n";
  return clean ? 0 : 1;
}
