// Runs one job per script on worker threads and reports them in script
// order, each as soon as it and all before it are done.
#pragma once
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace kiln::spec {

/// Workers for `scripts` scripts: `requested`, or one per core when 0, and
/// never more than there are scripts.
unsigned worker_count(unsigned requested, size_t scripts);

/// Calls job(i) for every script i on `workers` threads (large stacks: jobs
/// compile with LLVM and run wasm), then report(i) on this thread in order.
/// `names` are the scripts' names, for the crash reporter.
void run_in_order(const std::vector<std::string>& names, unsigned workers,
                  const std::function<void(size_t)>& job, const std::function<void(size_t)>& report);

}  // namespace kiln::spec
