#include "tests/spec/script_selection.h"

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <string_view>
#include <system_error>

namespace kiln::spec {

namespace fs = std::filesystem;
namespace {

/// The suite directory: DIR itself, or DIR/core when DIR is the testsuite root.
fs::path resolve_suite(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir / "core", ec)) return dir;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.path().extension() == ".wast") return dir;
  return dir / "core";
}

}  // namespace

std::optional<std::vector<std::string>> suite_scripts(const fs::path& suite, std::string& error) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(suite, ec))
    if (entry.path().extension() == ".wast") names.push_back(entry.path().stem().string());
  if (ec) {
    error = "cannot read suite directory " + suite.string() + ": " + ec.message();
    return std::nullopt;
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::optional<int> report_missing_suite(const fs::path& suite) {
  if (std::error_code ec; fs::is_directory(suite, ec)) return std::nullopt;
  // Not part of the repository: say where it is expected and how to point at it.
  const char* ci = std::getenv("CI");
  const bool required = ci && std::string_view(ci) == "true";
  std::cout << (required ? "error" : "skipped") << ": no WebAssembly spec suite at "
            << suite.string()
            << " (put the testsuite at ../shared/testsuite beside the checkout, or set "
               "KILN_TESTSUITE=DIR)\n";
  return required ? 1 : 77;
}

std::vector<std::string> select_scripts(const std::vector<std::string>& available,
                                        const RunnerOptions& options, const std::string& where,
                                        std::string& error) {
  auto has = [](const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
  };
  for (const std::string& name : options.scripts) {
    if (!has(available, name)) {
      error = "no script " + name + " in " + where;
      return {};
    }
  }
  std::vector<std::string> chosen;
  for (const std::string& name : available) {
    if (!options.scripts.empty() && !has(options.scripts, name)) continue;
    if (!options.filter.empty() && name.find(options.filter) == std::string::npos) continue;
    chosen.push_back(name);
  }
  if (chosen.empty()) error = "no script selected in " + where;
  return chosen;
}

std::optional<std::vector<std::string>> select_suite_scripts(const RunnerOptions& options,
                                                             fs::path& suite, Tool tool,
                                                             int& exit_status) {
  suite = resolve_suite(options.suite_dir);
  if (auto status = report_missing_suite(suite)) {
    exit_status = *status;
    return std::nullopt;
  }
  std::string error;
  std::vector<std::string> chosen;
  if (auto available = suite_scripts(suite, error))
    chosen = select_scripts(*available, options, suite.string(), error);
  if (chosen.empty()) {
    exit_status = usage_error(tool, error);
    return std::nullopt;
  }
  return chosen;
}

}  // namespace kiln::spec
