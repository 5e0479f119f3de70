// spec_runner: runs the WebAssembly spec test suite in-process, compiling
// every module with aotc and running it with libkiln. Scripts run on worker
// threads (each with its own store); results print in script order.
// spec_compile and spec_run do the same in two halves, on two machines.
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "tests/spec/compile_cache.h"
#include "tests/spec/crash_report.h"
#include "tests/spec/proposal_scripts.h"
#include "tests/spec/run_scripts.h"
#include "tests/spec/runner_options.h"
#include "tests/spec/scheduler.h"
#include "tests/spec/script_job.h"
#include "tests/spec/script_selection.h"

namespace fs = std::filesystem;
using namespace kiln::spec;

namespace {

std::optional<fs::path> make_scratch(std::string& error) {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/kiln-spec-XXXXXX";
  if (!mkdtemp(pattern.data())) {
    error = "cannot create a scratch directory from " + pattern;
    return std::nullopt;
  }
  return fs::path(pattern);
}

}  // namespace

int main(int argc, char** argv) {
  install_crash_reporter();
  auto options = parse_options(Tool::Runner, argc, argv);
  if (!options) return 2;
  const bool of_proposals = !options->proposals.empty() || !options->pending_proposals.empty();
  fs::path suite;
  int exit_status = 0;
  std::optional<std::vector<std::string>> scripts;
  std::vector<ProposalScript> proposal_scripts;
  if (of_proposals) {
    auto chosen = select_proposal_scripts(*options, Tool::Runner, exit_status);
    if (!chosen) return exit_status;
    proposal_scripts = std::move(*chosen);
    scripts.emplace();
    for (const ProposalScript& s : proposal_scripts) scripts->push_back(s.name);
  } else {
    scripts = select_suite_scripts(*options, suite, Tool::Runner, exit_status);
    if (!scripts) return exit_status;
  }
  std::string error;
  auto scratch = make_scratch(error);
  if (!scratch) return usage_error(Tool::Runner, error);
  fs::path artifacts = *scratch / "artifacts";
  fs::create_directories(artifacts);
  kiln::aotc::CompileOptions compile_options = compile_options_for(*options, error);
  if (!error.empty()) return usage_error(Tool::Runner, error);
  CompileCache cache(artifacts, compile_options);
  // Proposals compiled with features of their own, each in its own cache.
  auto own_caches = proposal_caches(*options, compile_options, artifacts, error);
  if (!error.empty()) return usage_error(Tool::Runner, error);

  exit_status = run_scripts(*scripts, worker_count(options->jobs, scripts->size()), [&](size_t i) {
    if (!of_proposals) return run_wast_file(suite / ((*scripts)[i] + ".wast"), *scratch, cache, *options);
    // Each proposal converts in its own directory: script names repeat across them.
    const ProposalScript& script = proposal_scripts[i];
    if (script.pending) return skip_pending_script(script, *scratch, *options);
    auto own = own_caches.find(script.proposal);
    CompileCache& compiler = own == own_caches.end() ? cache : *own->second;
    ScriptResult result = run_wast_file(script.wast, *scratch / script.proposal, compiler, *options);
    result.name = script.name;
    return result;
  });

  if (options->keep_scratch) {
    std::cout << "scratch kept in " << scratch->string() << "\n";
  } else {
    std::error_code ignored;
    fs::remove_all(*scratch, ignored);
  }
  return exit_status;
}
