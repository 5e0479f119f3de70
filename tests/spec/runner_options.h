// Command line of spec_runner.
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace kiln::spec {

struct RunnerOptions {
  unsigned opt_level = 2;        // --opt=N, for aotc
  std::string cpu;               // --cpu=NAME, for aotc (empty: aotc's default)
  std::string filter;            // --filter=SUBSTR: scripts whose name contains it
  unsigned jobs = 0;             // --jobs=N; 0: one per core
  bool verbose = false;          // --verbose
  bool keep_scratch = false;     // --keep-scratch: leave the converted scripts and artifacts
  std::string suite_dir;         // --suite=DIR, else $KILN_TESTSUITE, else --default-suite=DIR
  std::string wast2json = "wast2json";  // --wast2json=PATH
  std::vector<std::string> scripts;     // names ("i32" or "i32.wast"); empty: all
};

/// Parses the arguments (argv[0] excluded). On a bad argument returns
/// nothing and sets `error`; "--help" sets error to the usage text.
std::optional<RunnerOptions> parse_options(int argc, char** argv, std::string& error);

std::string usage();

}  // namespace kiln::spec
