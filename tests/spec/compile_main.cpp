// spec_compile: the compiling half of spec_runner, for a target that cannot
// compile (aotc only runs on the build machine). Converts the chosen spec
// scripts into --out=DIR and compiles every module they use with aotc
// (--target, --opt, --cpu), writing the artifacts and DIR/manifest.json for
// spec_run --precompiled=DIR. With --proposals/--pending-proposals, the
// proposals' scripts instead (a pending one's only converted, for spec_run
// to count as skipped). Links aotc, not libkiln.
#include <filesystem>
#include <iostream>
#include <system_error>

#include "aotc/backend/target.h"
#include "tests/spec/compile_cache.h"
#include "tests/spec/compile_job.h"
#include "tests/spec/crash_report.h"
#include "tests/spec/manifest.h"
#include "tests/spec/proposal_scripts.h"
#include "tests/spec/runner_options.h"
#include "tests/spec/scheduler.h"
#include "tests/spec/script_selection.h"

namespace fs = std::filesystem;
using namespace kiln::spec;

namespace {

/// "NAME: N modules, R refused" and the script's problems; true if it has none.
bool print_compiled(const CompiledScript& compiled) {
  if (!compiled.entry.skip_reason.empty()) {
    // Its commands are all skipped: a conversion failure only makes that one skip.
    std::cout << compiled.entry.name << ": converted only (" << compiled.entry.skip_reason << ")\n";
    return true;
  }
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
  // What to convert: the core suite's scripts, or the proposals'.
  struct Job {
    fs::path wast;
    std::string group;        // the proposal, for a proposal's script
    std::string skip_reason;  // a pending proposal's: convert only
  };
  std::vector<Job> jobs;
  std::vector<std::string> names;  // as reported, for the crash reporter
  int exit_status = 0;
  if (!options->proposals.empty() || !options->pending_proposals.empty()) {
    auto chosen = select_proposal_scripts(*options, Tool::Compile, exit_status);
    if (!chosen) return exit_status;
    for (const ProposalScript& s : *chosen) {
      jobs.push_back({s.wast, s.proposal, s.pending ? pending_reason(s.proposal) : ""});
      names.push_back(s.name);
    }
  } else {
    fs::path suite;
    auto scripts = select_suite_scripts(*options, suite, Tool::Compile, exit_status);
    if (!scripts) return exit_status;
    for (const std::string& name : *scripts) jobs.push_back({suite / (name + ".wast"), "", ""});
    names = std::move(*scripts);
  }

  fs::path out = options->out_dir;
  const fs::path artifacts = "artifacts";  // below `out`, as the manifest names them
  std::error_code ec;
  fs::create_directories(out / artifacts, ec);
  if (ec)
    return usage_error(Tool::Compile,
                       "cannot create " + (out / artifacts).string() + ": " + ec.message());
  std::string features_error;
  kiln::aotc::CompileOptions compile_options = compile_options_for(*options, features_error);
  if (!features_error.empty()) return usage_error(Tool::Compile, features_error);
  CompileCache cache(out / artifacts, compile_options);
  // Proposals compiled with features of their own: their keys carry a prefix.
  auto own_caches = proposal_caches(*options, compile_options, out / artifacts, features_error);
  if (!features_error.empty()) return usage_error(Tool::Compile, features_error);

  std::vector<CompiledScript> compiled(jobs.size());
  bool clean = true;
  run_in_order(
      names, worker_count(options->jobs, jobs.size()),
      [&](size_t i) {
        const Job& job = jobs[i];
        auto own = own_caches.find(job.group);
        CompileCache& compiler = own == own_caches.end() ? cache : *own->second;
        compiled[i] = job.skip_reason.empty()
                          ? compile_wast_file(job.wast, out, job.group, compiler, options->wast2json)
                          : convert_skipped_wast_file(job.wast, out, job.group, job.skip_reason,
                                                      options->wast2json);
        if (own != own_caches.end()) compiled[i].entry.key_prefix = job.group + ".";
      },
      [&](size_t i) { clean = print_compiled(compiled[i]) && clean; });

  Manifest manifest{options->target, options->cpu, options->opt_level, {}, cache.results()};
  for (CompiledScript& script : compiled) manifest.scripts.push_back(std::move(script.entry));
  for (const auto& [proposal, own] : own_caches) manifest.modules.merge(own->results());
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
