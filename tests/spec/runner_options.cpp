#include "tests/spec/runner_options.h"

#include <charconv>
#include <cstdlib>
#include <string_view>

namespace kiln::spec {
namespace {

std::optional<unsigned> parse_unsigned(std::string_view text) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

/// The value of "--name=VALUE" when `arg` has that form.
std::optional<std::string_view> option_value(std::string_view arg, std::string_view name) {
  if (!arg.starts_with(name) || arg.size() <= name.size() || arg[name.size()] != '=')
    return std::nullopt;
  return arg.substr(name.size() + 1);
}

}  // namespace

std::string usage() {
  return "usage: spec_runner [--opt=N] [--cpu=NAME] [--filter=SUBSTR] [--jobs=N] [--verbose] [--keep-scratch]\n"
         "                   [--suite=DIR] [--default-suite=DIR] [--wast2json=PATH] [SCRIPT...]\n"
         "Runs the WebAssembly spec scripts (DIR/*.wast) through aotc and libkiln.\n"
         "The suite is --suite, else $KILN_TESTSUITE, else --default-suite.";
}

std::optional<RunnerOptions> parse_options(int argc, char** argv, std::string& error) {
  RunnerOptions options;
  std::string default_suite;
  for (int i = 0; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      error = usage();
      return std::nullopt;
    }
    if (arg == "--verbose" || arg == "-v") {
      options.verbose = true;
    } else if (arg == "--keep-scratch") {
      options.keep_scratch = true;
    } else if (auto v = option_value(arg, "--opt")) {
      auto level = parse_unsigned(*v);
      if (!level || *level > 3) {
        error = "--opt wants 0..3, got '" + std::string(*v) + "'";
        return std::nullopt;
      }
      options.opt_level = *level;
    } else if (auto v = option_value(arg, "--cpu")) {
      options.cpu = std::string(*v);
    } else if (auto v = option_value(arg, "--jobs")) {
      auto jobs = parse_unsigned(*v);
      if (!jobs || *jobs == 0) {
        error = "--jobs wants a positive number, got '" + std::string(*v) + "'";
        return std::nullopt;
      }
      options.jobs = *jobs;
    } else if (auto v = option_value(arg, "--filter")) {
      options.filter = *v;
    } else if (auto v = option_value(arg, "--suite")) {
      options.suite_dir = *v;
    } else if (auto v = option_value(arg, "--default-suite")) {
      default_suite = *v;
    } else if (auto v = option_value(arg, "--wast2json")) {
      options.wast2json = *v;
    } else if (arg.starts_with("-")) {
      error = "unknown option '" + std::string(arg) + "'\n" + usage();
      return std::nullopt;
    } else {
      std::string name(arg);
      if (name.ends_with(".wast")) name.resize(name.size() - 5);
      options.scripts.push_back(name);
    }
  }
  if (options.suite_dir.empty()) {
    const char* env = std::getenv("KILN_TESTSUITE");
    options.suite_dir = env && *env ? env : default_suite;
  }
  if (options.suite_dir.empty()) {
    error = "no suite directory: give --suite=DIR or set KILN_TESTSUITE";
    return std::nullopt;
  }
  return options;
}

}  // namespace kiln::spec
