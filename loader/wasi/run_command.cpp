// kiln run: option parsing, then load, link against WASI, run _start.
#include "loader/wasi/run_command.h"

#include <fcntl.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "kiln/kiln.h"
#include "kiln/wasi.h"
#include "loader/result.h"

namespace kiln::wasi {

namespace {

struct Options {
  Config config;
  std::string artifact;
  bool backtrace = false;
};

// Where the guest's arguments start: `kiln run` takes ARTIFACT first, a
// standalone executable has its module inside.
enum class Form { Artifact, Executable };

/// The value of `--name VALUE` or `--name=VALUE` at args[i] (and i advanced
/// past it); nullopt if args[i] is another word.
loader::Result<std::optional<std::string>> take_option(const std::vector<std::string>& args, size_t& i,
                                                       std::string_view name) {
  std::string_view word = args[i];
  if (word == name) {
    if (i + 1 >= args.size()) return loader::fail(std::string(name) + " needs a value");
    return std::optional<std::string>(args[++i]);
  }
  if (word.size() > name.size() && word.substr(0, name.size()) == name && word[name.size()] == '=')
    return std::optional<std::string>(word.substr(name.size() + 1));
  return std::optional<std::string>();
}

/// The options, or the usage error.
loader::Result<Options> parse(const std::vector<std::string>& args, Form form) {
  Options options;
  Config& config = options.config;
  size_t i = 0;
  for (; i < args.size(); ++i) {
    if (args[i] == "--") {
      ++i;
      break;
    }
    if (args[i] == "--backtrace") {
      options.backtrace = true;
      continue;
    }
    loader::Result<std::optional<std::string>> dir = take_option(args, i, "--dir");
    if (!dir) return std::move(dir).failure();
    if (*dir) {
      const std::string& value = **dir;
      size_t sep = value.find("::");
      std::string host = sep == std::string::npos ? value : value.substr(0, sep);
      std::string guest = sep == std::string::npos ? value : value.substr(sep + 2);
      if (host.empty() || guest.empty()) return loader::fail("--dir needs HOST or HOST::GUEST");
      config.preopen_dir(host, guest);
      continue;
    }
    loader::Result<std::optional<std::string>> env = take_option(args, i, "--env");
    if (!env) return std::move(env).failure();
    if (*env) {
      const std::string& value = **env;
      size_t eq = value.find('=');
      if (eq == 0) return loader::fail("--env needs NAME=VALUE");
      if (eq == std::string::npos) {
        const char* host_value = std::getenv(value.c_str());
        if (host_value) config.set_env(value, host_value);
      } else {
        config.env.push_back(value);
      }
      continue;
    }
    if (!args[i].empty() && args[i][0] == '-' && args[i] != "-") return loader::fail("unknown option " + args[i]);
    break;
  }
  if (form == Form::Executable) {
    // The module is inside; the guest's argv[0] is the executable's.
    config.args.assign(args.begin() + long(i), args.end());
    return options;
  }
  if (i >= args.size()) return loader::fail("no artifact given");
  options.artifact = args[i];
  config.args.assign(args.begin() + long(i), args.end());
  return options;
}

void print_backtrace(const Trap& trap) {
  for (const TrapFrame& f : trap.trace()) {
    std::string name = f.func_name.empty() ? "func[" + std::to_string(f.func_index) + "]" : f.func_name;
    std::fprintf(stderr, "  at %s (%s, function %u, code offset 0x%x)\n", name.c_str(), f.module.c_str(),
                 f.func_index, f.offset);
  }
}

}  // namespace

namespace {

// Parses, links `module()` against WASI, runs _start; see run_wasi_command.
template <class GetModule>
int run_command(const std::vector<std::string>& args, Form form, const std::string& program,
                const char* help, GetModule module_of) {
  loader::Result<Options> parsed = parse(args, form);
  if (!parsed) {
    std::fprintf(stderr, "error: %s (%s)\n", parsed.error().c_str(), help);
    return 1;
  }
  Options options = std::move(*parsed);
  if (form == Form::Executable) {
    options.artifact = program;
    options.config.args.insert(options.config.args.begin(), program);
  }
  // A stdio fd kiln itself was started without stays closed for the guest.
  int* stdio[3] = {&options.config.stdin_fd, &options.config.stdout_fd, &options.config.stderr_fd};
  for (int fd = 0; fd < 3; ++fd)
    if (fcntl(fd, F_GETFD) < 0) *stdio[fd] = -1;
  // A guest writing to a closed pipe gets `pipe`, as a native program that
  // ignores SIGPIPE would, instead of killing kiln.
  std::signal(SIGPIPE, SIG_IGN);
  try {
    Context context(options.config);
    Module module = module_of(options.artifact);
    Store store;
    Imports imports;
    context.add_to(imports);
    Instance instance = Instance::create(store, module, imports);
    if (!instance.get_export("_start")) {
      std::fprintf(stderr, "error: %s: no exported function '_start'%s\n", module.name().c_str(),
                   form == Form::Artifact ? " (use --invoke NAME)" : "");
      return 1;
    }
    return int(run_start(instance));
  } catch (const Exit& exit) {  // proc_exit from a start function
    return int(exit.code());
  } catch (const Trap& trap) {
    std::fprintf(stderr, "error: %s\n", trap.what());
    if (options.backtrace) print_backtrace(trap);
    return 134;
  } catch (const Error& error) {
    std::fprintf(stderr, "error: %s\n", error.what());
    return 1;
  }
}

}  // namespace

int run_wasi_command(const std::vector<std::string>& args) {
  return run_command(args, Form::Artifact, "", "see kiln --help",
                     [](const std::string& path) { return Module::load(path); });
}

int run_linked_command(const LinkedDescriptor& descriptor, const std::string& program,
                       const std::vector<std::string>& args) {
  return run_command(args, Form::Executable, program, "see --help",
                     [&](const std::string&) { return Module::linked(descriptor, program); });
}

}  // namespace kiln::wasi
