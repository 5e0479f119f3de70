#include "tests/spec/run_scripts.h"

#include <iostream>

#include "tests/spec/report.h"
#include "tests/spec/scheduler.h"

namespace kiln::spec {

int run_scripts(const std::vector<std::string>& names, unsigned workers,
                const std::function<ScriptResult(size_t)>& run_one) {
  std::vector<ScriptResult> results(names.size());
  run_in_order(
      names, workers, [&](size_t i) { results[i] = run_one(i); },
      [&](size_t i) {
        print_script_result(std::cout, results[i]);
        results[i].log.clear();  // printed; the summary needs only the counts
      });
  print_summary(std::cout, results);
  for (const ScriptResult& r : results)
    if (r.totals().failed) return 1;
  return 0;
}

}  // namespace kiln::spec
