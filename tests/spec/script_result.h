// What running one script produced: counts per command kind, the failures,
// the reasons for skips, and (with --verbose) a log.
#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "tests/spec/wast_script.h"

namespace kiln::spec {

struct Failure {
  uint32_t line = 0;     // 0: the script as a whole (conversion or reading failed)
  std::string command;   // e.g. `assert_return invoke "f"(i32:1)`
  std::string expected;
  std::string got;

  /// A problem with the script as a whole (it could not be converted or read).
  static Failure of_script(std::string expected, std::string got) {
    return Failure{0, "script", std::move(expected), std::move(got)};
  }
};

struct Counts {
  uint64_t passed = 0;
  uint64_t failed = 0;
  uint64_t skipped = 0;
  Counts& operator+=(const Counts& other) {
    passed += other.passed;
    failed += other.failed;
    skipped += other.skipped;
    return *this;
  }
};

struct ScriptResult {
  std::string name;  // the script's file name without .wast
  std::array<Counts, kCommandKindCount> by_kind{};
  /// Problems with the script itself (wast2json failed, unreadable JSON);
  /// each counts as one failure.
  uint64_t script_errors = 0;
  std::vector<Failure> failures;
  std::map<std::string, uint64_t> skip_reasons;
  std::string log;

  void add_script_error(Failure failure) {
    ++script_errors;
    failures.push_back(std::move(failure));
  }

  Counts totals() const {
    Counts total;
    for (const Counts& c : by_kind) total += c;
    total.failed += script_errors;
    return total;
  }
};

}  // namespace kiln::spec
