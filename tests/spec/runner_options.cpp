#include "tests/spec/runner_options.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <iostream>
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

struct OptionUse {
  std::string_view name;
  bool runner, compile, run;
};

// spec_run gets artifacts, not modules: the options shaping compilation or
// naming the suite are not its to take.
constexpr OptionUse kOptionUses[] = {
    {"--opt", true, true, false},        {"--cpu", true, true, false},
    {"--features", true, true, false},
    {"--target", false, true, false},    {"--filter", true, true, true},
    {"--jobs", true, true, true},        {"--verbose", true, false, true},
    {"-v", true, false, true},           {"--keep-scratch", true, false, false},
    {"--suite", true, true, false},      {"--default-suite", true, true, false},
    {"--wast2json", true, true, false},  {"--out", false, true, false},
    {"--precompiled", false, false, true},
    {"--proposals", true, true, false}, {"--pending-proposals", true, true, false},
    {"--proposal-features", true, true, false},
};

bool takes(Tool tool, std::string_view arg) {
  std::string_view name = arg.substr(0, arg.find('='));
  auto use = std::find_if(std::begin(kOptionUses), std::end(kOptionUses),
                          [&](const OptionUse& u) { return u.name == name; });
  if (use == std::end(kOptionUses)) return false;
  switch (tool) {
    case Tool::Runner: return use->runner;
    case Tool::Compile: return use->compile;
    case Tool::Run: return use->run;
  }
  return false;
}

/// The directory option `tool` cannot go without, if any.
std::string missing_required(Tool tool, const RunnerOptions& options) {
  if (tool == Tool::Compile && options.out_dir.empty()) return "--out=DIR is required";
  if (tool == Tool::Run && options.precompiled_dir.empty()) return "--precompiled=DIR is required";
  if (tool != Tool::Run && options.suite_dir.empty())
    return "no suite directory: give --suite=DIR or set KILN_TESTSUITE";
  return {};
}

/// "a,b" as its items.
std::vector<std::string> split_commas(std::string_view list) {
  std::vector<std::string> out;
  while (!list.empty()) {
    const size_t comma = list.find(',');
    if (comma != 0) out.emplace_back(list.substr(0, comma));
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return out;
}

/// Parses the arguments (argv[0] excluded); on failure sets `error`.
std::optional<RunnerOptions> parse_arguments(Tool tool, int argc, char** argv, std::string& error) {
  RunnerOptions options;
  std::string default_suite;
  for (int i = 0; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      error = usage(tool);
      return std::nullopt;
    }
    if (arg.starts_with("-") && !takes(tool, arg)) {
      error = "unknown option '" + std::string(arg) + "'\n" + usage(tool);
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
    } else if (auto v = option_value(arg, "--features")) {
      options.features = std::string(*v);
    } else if (auto v = option_value(arg, "--target")) {
      options.target = std::string(*v);
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
    } else if (auto v = option_value(arg, "--out")) {
      options.out_dir = *v;
    } else if (auto v = option_value(arg, "--precompiled")) {
      options.precompiled_dir = *v;
    } else if (auto v = option_value(arg, "--proposals")) {
      options.proposals = split_commas(*v);
    } else if (auto v = option_value(arg, "--pending-proposals")) {
      options.pending_proposals = split_commas(*v);
    } else if (auto v = option_value(arg, "--proposal-features")) {
      const size_t colon = v->find(':');
      if (colon == std::string_view::npos || colon == 0) {
        error = "--proposal-features wants NAME:LIST, got '" + std::string(*v) + "'";
        return std::nullopt;
      }
      options.proposal_features.emplace_back(std::string(v->substr(0, colon)),
                                             std::string(v->substr(colon + 1)));
    } else if (arg.starts_with("-")) {
      error = "malformed option '" + std::string(arg) + "'\n" + usage(tool);
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
  error = missing_required(tool, options);
  if (!error.empty()) return std::nullopt;
  return options;
}

}  // namespace

std::string usage(Tool tool) {
  switch (tool) {
    case Tool::Runner:
      return "usage: spec_runner [--opt=N] [--cpu=NAME] [--features=LIST] [--filter=SUBSTR] [--jobs=N]\n"
             "                   [--verbose] [--keep-scratch]\n"
             "                   [--suite=DIR] [--default-suite=DIR] [--wast2json=PATH]\n"
             "                   [--proposals=A,B] [--pending-proposals=C,D]\n"
             "                   [--proposal-features=A:LIST]... [SCRIPT...]\n"
             "Runs the WebAssembly spec scripts (DIR/*.wast) through aotc and libkiln, or with\n"
             "--proposals those of DIR/proposals/A/*.wast (named A/SCRIPT); the scripts of\n"
             "--pending-proposals are counted as skipped; --proposal-features compiles A's\n"
             "scripts with LIST applied after --features.\n"
             "The suite is --suite, else $KILN_TESTSUITE, else --default-suite.";
    case Tool::Compile:
      return "usage: spec_compile --out=DIR [--target=TRIPLE] [--opt=N] [--cpu=NAME] [--features=LIST]\n"
             "                    [--filter=SUBSTR]\n"
             "                    [--jobs=N] [--suite=DIR] [--default-suite=DIR] [--wast2json=PATH] [SCRIPT...]\n"
             "Converts the WebAssembly spec scripts (suite/*.wast) into DIR and compiles every module\n"
             "they use with aotc, for spec_run --precompiled=DIR (on this machine or the target's).\n"
             "The suite is --suite, else $KILN_TESTSUITE, else --default-suite.";
    case Tool::Run:
      return "usage: spec_run --precompiled=DIR [--filter=SUBSTR] [--jobs=N] [--verbose] [SCRIPT...]\n"
             "Runs the spec scripts spec_compile --out=DIR prepared, with libkiln only.";
  }
  return {};
}

const char* tool_name(Tool tool) {
  switch (tool) {
    case Tool::Runner: return "spec_runner";
    case Tool::Compile: return "spec_compile";
    case Tool::Run: return "spec_run";
  }
  return "spec";
}

int usage_error(Tool tool, const std::string& error) {
  std::cerr << tool_name(tool) << ": " << error << "\n";
  return 2;
}

std::optional<RunnerOptions> parse_options(Tool tool, int argc, char** argv) {
  std::string error;
  auto options = parse_arguments(tool, argc - 1, argv + 1, error);
  if (!options) usage_error(tool, error);
  return options;
}

}  // namespace kiln::spec
