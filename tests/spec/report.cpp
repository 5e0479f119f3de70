#include "tests/spec/report.h"

#include <cstdio>
#include <map>
#include <string>

namespace kiln::spec {
namespace {

/// Control characters (a message quoting a wasm name, a multi-line compiler
/// message) as \xx, so each failure stays on one line.
std::string one_line(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (c >= 0x20 && c != 0x7f) {
      out += static_cast<char>(c);
      continue;
    }
    char hex[8];
    std::snprintf(hex, sizeof hex, "\\%02x", c);
    out += hex;
  }
  return out;
}

std::string counts_line(const Counts& c) {
  return std::to_string(c.passed) + " passed, " + std::to_string(c.failed) + " failed, " +
         std::to_string(c.skipped) + " skipped";
}

std::string table_row(const char* label, const Counts& c) {
  char row[128];
  std::snprintf(row, sizeof row, "  %-28s %8llu %8llu %8llu\n", label,
                static_cast<unsigned long long>(c.passed), static_cast<unsigned long long>(c.failed),
                static_cast<unsigned long long>(c.skipped));
  return row;
}

}  // namespace

void print_script_result(std::ostream& out, const ScriptResult& result) {
  out << result.name << ": " << counts_line(result.totals()) << "\n";
  for (const Failure& f : result.failures) {
    out << "  FAIL " << result.name << ".wast";
    if (f.line) out << ":" << f.line;
    out << ": " << f.command << ": expected " << one_line(f.expected) << ", got " << one_line(f.got)
        << "\n";
  }
  out << result.log;
  out.flush();
}

void print_summary(std::ostream& out, const std::vector<ScriptResult>& results) {
  std::array<Counts, kCommandKindCount> by_kind{};
  Counts total, script_errors;
  std::map<std::string, uint64_t> skip_reasons;
  std::vector<std::string> failed_scripts;
  for (const ScriptResult& r : results) {
    for (size_t k = 0; k < kCommandKindCount; ++k) by_kind[k] += r.by_kind[k];
    script_errors.failed += r.script_errors;
    for (const auto& [reason, count] : r.skip_reasons) skip_reasons[reason] += count;
    Counts t = r.totals();
    total += t;
    if (t.failed) failed_scripts.push_back(r.name);
  }

  char header[128];
  std::snprintf(header, sizeof header, "  %-28s %8s %8s %8s\n", "command", "passed", "failed",
                "skipped");
  out << "\nper command kind:\n" << header;
  for (size_t k = 0; k < kCommandKindCount; ++k) {
    const Counts& c = by_kind[k];
    if (c.passed + c.failed + c.skipped == 0) continue;
    out << table_row(command_kind_name(static_cast<CommandKind>(k)), c);
  }
  // The suite's binary-level assertions (what every engine must get right).
  Counts binary_level;
  for (CommandKind k : {CommandKind::AssertReturn, CommandKind::AssertTrap,
                        CommandKind::AssertExhaustion, CommandKind::AssertException,
                        CommandKind::AssertInvalid,
                        CommandKind::AssertMalformedBinary, CommandKind::AssertUnlinkable,
                        CommandKind::AssertUninstantiable})
    binary_level += by_kind[static_cast<size_t>(k)];
  if (script_errors.failed) out << table_row("script errors", script_errors);
  out << table_row("binary-level assertions", binary_level);
  out << table_row("total", total);
  for (const auto& [reason, count] : skip_reasons)
    out << "skipped " << count << ": " << reason << "\n";
  if (!failed_scripts.empty()) {
    out << "scripts with failures (" << failed_scripts.size() << "):";
    for (const std::string& name : failed_scripts) out << " " << name;
    out << "\n";
  }
  out << "spec: " << counts_line(total) << "\n";
  out.flush();
}

}  // namespace kiln::spec
