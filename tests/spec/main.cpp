// spec_runner: runs the WebAssembly spec test suite in-process, compiling
// every module with aotc and running it with libkiln. Scripts run on worker
// threads (each with its own store); results print in script order.
#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

#include "tests/spec/compile_cache.h"
#include "tests/spec/crash_report.h"
#include "tests/spec/report.h"
#include "tests/spec/runner_options.h"
#include "tests/spec/script_job.h"

namespace fs = std::filesystem;
using namespace kiln::spec;

namespace {

// Workers compile (LLVM) and run wasm, whose stack budget comes out of the
// thread's stack: give them more than the default.
constexpr size_t kWorkerStackBytes = 64 * 1024 * 1024;

/// The .wast files of `suite` chosen by the options, sorted by name.
std::vector<fs::path> select_scripts(const fs::path& suite, const RunnerOptions& options,
                                     std::string& error) {
  std::vector<fs::path> all;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(suite, ec))
    if (entry.path().extension() == ".wast") all.push_back(entry.path());
  if (ec) {
    error = "cannot read suite directory " + suite.string() + ": " + ec.message();
    return {};
  }
  std::sort(all.begin(), all.end());
  std::vector<fs::path> chosen;
  for (const std::string& name : options.scripts) {
    auto it = std::find_if(all.begin(), all.end(), [&](const fs::path& p) { return p.stem() == name; });
    if (it == all.end()) {
      error = "no script " + name + ".wast in " + suite.string();
      return {};
    }
  }
  for (const fs::path& path : all) {
    std::string stem = path.stem().string();
    if (!options.scripts.empty() &&
        std::find(options.scripts.begin(), options.scripts.end(), stem) == options.scripts.end())
      continue;
    if (!options.filter.empty() && stem.find(options.filter) == std::string::npos) continue;
    chosen.push_back(path);
  }
  if (chosen.empty()) error = "no script selected in " + suite.string();
  return chosen;
}

/// The suite directory: DIR itself, or DIR/core when DIR is the testsuite root.
fs::path resolve_suite(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir / "core", ec)) return dir;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.path().extension() == ".wast") return dir;
  return dir / "core";
}

std::optional<fs::path> make_scratch(std::string& error) {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/kiln-spec-XXXXXX";
  if (!mkdtemp(pattern.data())) {
    error = "cannot create a scratch directory from " + pattern;
    return std::nullopt;
  }
  return fs::path(pattern);
}

/// Runs every script on `jobs` workers and prints each result as soon as all
/// earlier ones are printed.
class Scheduler {
 public:
  Scheduler(const std::vector<fs::path>& scripts, const fs::path& scratch, CompileCache& cache,
            const RunnerOptions& options)
      : scripts_(scripts), scratch_(scratch), cache_(cache), options_(options),
        results_(scripts.size()) {
    for (const fs::path& path : scripts) names_.push_back(path.stem().string());
  }

  std::vector<ScriptResult> run(unsigned jobs) {
    std::vector<pthread_t> threads;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, kWorkerStackBytes);
    for (unsigned i = 0; i < jobs; ++i) {
      pthread_t thread;
      if (pthread_create(&thread, &attr, &Scheduler::worker_entry, this) == 0)
        threads.push_back(thread);
    }
    pthread_attr_destroy(&attr);
    if (threads.empty()) work(0);  // no thread could start: run here

    std::vector<ScriptResult> done;
    for (size_t i = 0; i < scripts_.size(); ++i) {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [&] { return results_[i].has_value(); });
      ScriptResult result = std::move(*results_[i]);
      results_[i].reset();
      lock.unlock();
      print_script_result(std::cout, result);
      done.push_back(std::move(result));
    }
    for (pthread_t thread : threads) pthread_join(thread, nullptr);
    return done;
  }

 private:
  static void* worker_entry(void* self) {
    auto* scheduler = static_cast<Scheduler*>(self);
    scheduler->work(scheduler->next_worker_.fetch_add(1));
    return nullptr;
  }

  void work(unsigned worker) {
    for (;;) {
      size_t index = next_.fetch_add(1);
      if (index >= scripts_.size()) break;
      set_running_script(worker, names_[index].c_str());
      ScriptResult result = run_script_file(scripts_[index], scratch_, cache_, options_);
      set_running_script(worker, nullptr);
      std::lock_guard lock(mutex_);
      results_[index] = std::move(result);
      ready_.notify_all();
    }
  }

  const std::vector<fs::path>& scripts_;
  const fs::path& scratch_;
  CompileCache& cache_;
  const RunnerOptions& options_;
  std::vector<std::string> names_;
  std::atomic<size_t> next_{0};
  std::atomic<unsigned> next_worker_{0};
  std::mutex mutex_;
  std::condition_variable ready_;
  std::vector<std::optional<ScriptResult>> results_;
};

}  // namespace

int main(int argc, char** argv) {
  install_crash_reporter();
  std::string error;
  auto options = parse_options(argc - 1, argv + 1, error);
  if (!options) {
    std::cerr << "spec_runner: " << error << "\n";
    return 2;
  }
  fs::path suite = resolve_suite(options->suite_dir);
  if (std::error_code ec; !fs::is_directory(suite, ec)) {
    // Not part of the repository: say where it is expected and how to point at it.
    const char* ci = std::getenv("CI");
    const bool required = ci && std::string_view(ci) == "true";
    std::cout << (required ? "error" : "skipped") << ": no WebAssembly spec suite at "
              << suite.string()
              << " (put the testsuite at ../shared/testsuite beside the checkout, or set "
                 "KILN_TESTSUITE=DIR)\n";
    return required ? 1 : 77;
  }
  std::vector<fs::path> scripts = select_scripts(suite, *options, error);
  if (scripts.empty()) {
    std::cerr << "spec_runner: " << error << "\n";
    return 2;
  }
  auto scratch = make_scratch(error);
  if (!scratch) {
    std::cerr << "spec_runner: " << error << "\n";
    return 2;
  }
  fs::path artifacts = *scratch / "artifacts";
  fs::create_directories(artifacts);

  kiln::aotc::CompileOptions compile_options;
  compile_options.opt_level = options->opt_level;
  if (!options->cpu.empty()) compile_options.cpu = options->cpu;
  CompileCache cache(artifacts, compile_options);

  unsigned jobs = options->jobs ? options->jobs : std::max(1u, std::thread::hardware_concurrency());
  jobs = std::min<unsigned>(jobs, scripts.size());
  Scheduler scheduler(scripts, *scratch, cache, *options);
  std::vector<ScriptResult> results = scheduler.run(jobs);

  print_summary(std::cout, results);
  if (options->keep_scratch) {
    std::cout << "scratch kept in " << scratch->string() << "\n";
  } else {
    std::error_code ignored;
    fs::remove_all(*scratch, ignored);
  }
  for (const ScriptResult& r : results)
    if (r.totals().failed) return 1;
  return 0;
}
