// Which scripts a run takes: those of the suite directory (or of a
// precompiled directory) that the command line names or the filter matches.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "tests/spec/runner_options.h"

namespace kiln::spec {

/// The names of `available` that options.scripts and options.filter choose,
/// in the order of `available`. Empty, with `error` set, when a named script
/// is not available (`where` says where it was looked for) or none is chosen.
std::vector<std::string> select_scripts(const std::vector<std::string>& available,
                                        const RunnerOptions& options, const std::string& where,
                                        std::string& error);

/// The names of the .wast files in `suite`, sorted; nothing, with `error`
/// set, when it cannot be read.
std::optional<std::vector<std::string>> suite_scripts(const std::filesystem::path& suite,
                                                      std::string& error);

/// When `suite` is not a directory: says so on stdout and returns the exit
/// status (77, skipped; 1 under CI=true, where the suite must be there).
std::optional<int> report_missing_suite(const std::filesystem::path& suite);

/// The scripts of the suite options.suite_dir the options choose, for
/// spec_runner and spec_compile; sets `suite` to its directory. When there
/// are none to run, prints why, sets `exit_status` (77 or 1 for a missing
/// suite, 2 for a bad selection) and returns nothing.
std::optional<std::vector<std::string>> select_suite_scripts(const RunnerOptions& options,
                                                             std::filesystem::path& suite,
                                                             Tool tool, int& exit_status);

}  // namespace kiln::spec
