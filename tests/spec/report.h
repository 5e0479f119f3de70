// The runner's output: one line per script with its failures, then a table
// per command kind and the closing "spec: N passed, M failed, K skipped".
#pragma once
#include <ostream>
#include <vector>

#include "tests/spec/script_result.h"

namespace kiln::spec {

/// "NAME: P passed, F failed, S skipped", one line per failure, and the log.
void print_script_result(std::ostream& out, const ScriptResult& result);

/// The per-kind table, the skip reasons, and the closing line (last, so
/// tests/summarize.py picks it up).
void print_summary(std::ostream& out, const std::vector<ScriptResult>& results);

}  // namespace kiln::spec
