// spec_runner: runs the WebAssembly spec test suite in-process, compiling
// every module with aotc and running it with libkiln. Scripts run on worker
// threads (each with its own store); results print in script order.
// spec_compile and spec_run do the same in two halves, on two machines.
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>

#include "tests/spec/compile_cache.h"
#include "tests/spec/crash_report.h"
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
  fs::path suite;
  int exit_status = 0;
  auto scripts = select_suite_scripts(*options, suite, Tool::Runner, exit_status);
  if (!scripts) return exit_status;
  std::string error;
  auto scratch = make_scratch(error);
  if (!scratch) return usage_error(Tool::Runner, error);
  fs::path artifacts = *scratch / "artifacts";
  fs::create_directories(artifacts);
  CompileCache cache(artifacts, compile_options_for(*options));

  exit_status = run_scripts(*scripts, worker_count(options->jobs, scripts->size()), [&](size_t i) {
    return run_wast_file(suite / ((*scripts)[i] + ".wast"), *scratch, cache, *options);
  });

  if (options->keep_scratch) {
    std::cout << "scratch kept in " << scratch->string() << "\n";
  } else {
    std::error_code ignored;
    fs::remove_all(*scratch, ignored);
  }
  return exit_status;
}
