// The `kiln` command: runs Kiln artifacts.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "kiln/kiln.h"
#include "kiln/wasi.h"
#include "loader/value_text.h"
#include "loader/wasi/run_command.h"
#include "tools/kiln/inspect.h"

namespace {

constexpr int kExitError = 1;
constexpr int kExitTrap = 134;

const char* kUsage =
    "usage: kiln run [--backtrace] [--no-perf-map] [--dir HOST[::GUEST]]... [--env NAME[=VALUE]]...\n"
    "                ARTIFACT [ARGS...]\n"
    "       kiln run [--backtrace] [--no-perf-map] --invoke NAME ARTIFACT [VALUES...]\n"
    "       kiln inspect [--json] ARTIFACT\n"
    "       kiln check ARTIFACT\n"
    "       kiln --help | --version\n"
    "\n"
    "Runs a module compiled by aotc.\n"
    "  run ARTIFACT          run a WASI preview1 command: call `_start` with ARTIFACT and\n"
    "                        ARGS as argv; the exit status is the guest's proc_exit code\n"
    "  --dir HOST[::GUEST]   make directory HOST visible to the guest as GUEST\n"
    "  --env NAME[=VALUE]    set (or copy from here) an environment variable\n"
    "  --invoke NAME         call export NAME with VALUES parsed by its parameter types\n"
    "                        (integers: decimal or 0x hex; floats: decimal, hex float,\n"
    "                        inf, -inf, nan) and print each result on its own line\n"
    "  --backtrace           after a trap, print the wasm frames\n"
    "  --no-perf-map         under perf, do not name wasm functions in /tmp/perf-PID.map\n"
    "                        (written when started by perf or with KILN_PERF_MAP=1;\n"
    "                        KILN_PERF_MAP=0 also turns it off)\n"
    "  inspect ARTIFACT      what an artifact (of any target) says about itself: target,\n"
    "                        CPU features, ABI, options, imports, exports, sizes, hashes;\n"
    "                        --json: the same as JSON (tools/kiln/inspect.schema.json)\n"
    "  check ARTIFACT        would it load on this machine? every reason it would not,\n"
    "                        one per line; exit status 0 only when it would\n"
    "Exit status: 0 on success, 134 on a wasm trap, 1 on any other error.\n";

struct RunOptions {
  std::string artifact;
  std::string invoke;  // empty: run _start
  bool backtrace = false;
  std::vector<std::string> args;
};

[[noreturn]] void usage_error(const std::string& message) {
  std::fprintf(stderr, "error: %s (see kiln --help)\n", message.c_str());
  std::exit(kExitError);
}

RunOptions parse_run_args(int argc, char** argv) {
  RunOptions o;
  int i = 2;
  for (; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--invoke") {
      if (++i >= argc) usage_error("--invoke needs a function name");
      o.invoke = argv[i];
    } else if (a.starts_with("--invoke=")) {
      o.invoke = a.substr(9);
    } else if (a == "--backtrace") {
      o.backtrace = true;
    } else if (a == "--") {
      ++i;
      break;
    } else if (a.starts_with("--")) {
      usage_error("unknown option " + a);
    } else {
      break;
    }
  }
  if (i >= argc) usage_error("no artifact given");
  o.artifact = argv[i++];
  for (; i < argc; ++i) o.args.push_back(argv[i]);
  if (o.invoke.empty() && o.artifact.empty()) usage_error("empty artifact path");
  return o;
}

void print_backtrace(const kiln::Trap& trap) {
  for (const kiln::TrapFrame& f : trap.trace()) {
    std::string name = f.func_name.empty() ? "func[" + std::to_string(f.func_index) + "]" : f.func_name;
    std::fprintf(stderr, "  at %s (%s, function %u, code offset 0x%x)\n", name.c_str(), f.module.c_str(),
                 f.func_index, f.offset);
  }
}

int run(const RunOptions& o) {
  kiln::Module module = kiln::Module::load(o.artifact);
  kiln::Store store;
  kiln::Imports imports;
  // Exports of WASI modules can be invoked too: WASI with no files or env.
  kiln::wasi::Config wasi_config;
  wasi_config.arg(o.artifact).inherit_stdio();
  kiln::wasi::Context wasi(wasi_config);
  wasi.add_to(imports);
  kiln::Instance instance = kiln::Instance::create(store, module, imports);

  std::string name = o.invoke.empty() ? "_start" : o.invoke;
  std::optional<kiln::Extern> e = instance.get_export(name);
  if (!e || e->kind() != kiln::ExternKind::Func) {
    if (o.invoke.empty()) throw kiln::Error(o.artifact + ": no exported function '_start' (use --invoke NAME)");
    throw kiln::Error(o.artifact + ": no exported function '" + name + "'");
  }
  kiln::Func f = e->func();
  kiln::FuncType type = f.type();

  std::vector<kiln::Value> args;
  if (!o.invoke.empty()) {
    if (o.args.size() != type.params.size())
      throw kiln::Error("'" + name + "' takes " + std::to_string(type.params.size()) + " argument(s), got " +
                        std::to_string(o.args.size()));
    for (size_t i = 0; i < o.args.size(); ++i)
      args.push_back(kiln::loader::parse_value(type.params[i], o.args[i]).or_throw());
  } else if (!type.params.empty() || !type.results.empty()) {
    throw kiln::Error(o.artifact + ": '_start' must have type [] -> [], has " + type.to_string());
  }

  std::vector<kiln::Value> results = f.call(args);
  for (const kiln::Value& v : results) std::printf("%s\n", kiln::loader::format_value(v).c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return kExitError;
  }
  std::string command = argv[1];
  if (command == "--help" || command == "-h" || command == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (command == "--version") {
    std::printf("%s\n", kiln::version());
    return 0;
  }
  if (command == "inspect" || command == "check") {
    std::vector<std::string> words(argv + 2, argv + argc);
    bool json = false;
    if (command == "inspect" && !words.empty() && words[0] == "--json") {
      json = true;
      words.erase(words.begin());
    }
    if (words.size() != 1 || (words[0].starts_with("-") && words[0] != "-"))
      usage_error("kiln " + command + (command == "inspect" ? " [--json]" : "") + " takes one artifact");
    return command == "inspect" ? kiln::tool::inspect_command(words[0], json)
                                : kiln::tool::check_command(words[0]);
  }
  if (command != "run") usage_error("unknown command '" + command + "'");
  // --no-perf-map is kiln's own; the rest go to the WASI runner or --invoke.
  std::vector<char*> run_argv(argv, argv + argc);
  bool invoke = false, perf_map = true;
  for (size_t i = 2; i < run_argv.size() && std::strncmp(run_argv[i], "--", 2) == 0; ++i) {
    if (std::strcmp(run_argv[i], "--") == 0) break;
    if (std::strcmp(run_argv[i], "--no-perf-map") == 0) {
      perf_map = false;
      run_argv.erase(run_argv.begin() + std::ptrdiff_t(i--));
      continue;
    }
    if (std::strcmp(run_argv[i], "--invoke") == 0 || std::strncmp(run_argv[i], "--invoke=", 9) == 0) invoke = true;
    if (std::strcmp(run_argv[i], "--dir") == 0 || std::strcmp(run_argv[i], "--env") == 0) ++i;  // skip the value
  }
  // Under perf, profiles name wasm functions with no flag (kiln/profiling.h);
  // otherwise nothing is copied or written.
  if (perf_map && kiln::started_by_perf()) kiln::enable_perf_map();
  argc = int(run_argv.size());
  argv = run_argv.data();
  if (!invoke) return kiln::wasi::run_wasi_command(std::vector<std::string>(argv + 2, argv + argc));
  RunOptions options = parse_run_args(argc, argv);
  try {
    return run(options);
  } catch (const kiln::Trap& trap) {
    std::fflush(stdout);
    std::fprintf(stderr, "error: %s\n", trap.what());
    if (options.backtrace) print_backtrace(trap);
    return kExitTrap;
  } catch (const kiln::wasi::Exit& exit) {
    std::fflush(stdout);
    return static_cast<int>(exit.code() & 0xff);
  } catch (const std::exception& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "error: %s\n", e.what());
    return kExitError;
  }
}
