// Command lines of spec_runner (compile and run in-process), spec_compile
// (compile only) and spec_run (run what spec_compile left): one option set,
// each tool accepting the part it uses.
#pragma once
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kiln::spec {

enum class Tool { Runner, Compile, Run };

struct RunnerOptions {
  unsigned opt_level = 2;        // --opt=N, for aotc
  std::string cpu;               // --cpu=NAME, for aotc (empty: aotc's default)
  std::string target;            // --target=TRIPLE, for aotc (spec_compile; empty: aotc's default)
  std::string filter;            // --filter=SUBSTR: scripts whose name contains it
  unsigned jobs = 0;             // --jobs=N; 0: one per core
  bool verbose = false;          // --verbose
  bool keep_scratch = false;     // --keep-scratch: leave the converted scripts and artifacts
  std::string suite_dir;         // --suite=DIR, else $KILN_TESTSUITE, else --default-suite=DIR
  std::string wast2json = "wast2json";  // --wast2json=PATH
  std::string out_dir;           // --out=DIR: where spec_compile writes
  std::string precompiled_dir;   // --precompiled=DIR: what spec_run reads
  /// --features=LIST, as aotc's (-a disables a): the core 2.0 scripts run
  /// with the proposals disabled whose scripts say the opposite of theirs.
  std::string features;
  std::vector<std::string> scripts;     // names ("i32" or "i32.wast"); empty: all
  /// --proposals=a,b: run the scripts of the suite's proposals/a, proposals/b
  /// instead of the core suite; --pending-proposals=c: count those of
  /// proposals/c as skipped (not supported yet). Scripts are named "a/NAME".
  std::vector<std::string> proposals;
  std::vector<std::string> pending_proposals;
  /// --proposal-features=NAME:LIST (repeatable): proposals/NAME's scripts are
  /// compiled with LIST applied after --features, for a proposal whose
  /// scripts contradict another one (memory64's say a second memory is
  /// invalid, as before multi-memory).
  std::vector<std::pair<std::string, std::string>> proposal_features;
};

/// Parses main's arguments for `tool`. On a bad argument (or one `tool`
/// does not take) prints why on stderr and returns nothing; on "--help"
/// prints the usage text there and returns nothing.
std::optional<RunnerOptions> parse_options(Tool tool, int argc, char** argv);

std::string usage(Tool tool);

/// "spec_runner", "spec_compile" or "spec_run".
const char* tool_name(Tool tool);

/// Prints "TOOL: `error`" on stderr; returns 2, the exit status for a bad
/// command line or a setup that cannot run.
int usage_error(Tool tool, const std::string& error);

}  // namespace kiln::spec
