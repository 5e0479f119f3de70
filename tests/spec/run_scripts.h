// The running half shared by spec_runner and spec_run: scripts on worker
// threads, results printed in script order, then the summary.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "tests/spec/script_result.h"

namespace kiln::spec {

/// Calls run_one(i) for every script on `workers` threads, prints each
/// result as soon as all earlier ones are printed, then the summary.
/// Returns the exit status: 1 if anything failed, else 0.
int run_scripts(const std::vector<std::string>& names, unsigned workers,
                const std::function<ScriptResult(size_t)>& run_one);

}  // namespace kiln::spec
