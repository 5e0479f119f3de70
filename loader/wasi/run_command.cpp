// kiln run: option parsing, then load, link against WASI, run _start.
#include "loader/wasi/run_command.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "kiln/kiln.h"
#include "kiln/wasi.h"

namespace kiln::wasi {

namespace {

constexpr const char* kUsage =
    "usage: kiln run [--dir HOST[::GUEST]]... [--env NAME[=VALUE]]... ARTIFACT [ARGS...]";

struct UsageError {
  std::string message;
};

/// The value of `--name VALUE` or `--name=VALUE` at args[i]; advances i.
bool take_option(const std::vector<std::string>& args, size_t& i, std::string_view name,
                 std::string& value) {
  std::string_view word = args[i];
  if (word == name) {
    if (i + 1 >= args.size()) throw UsageError{std::string(name) + " needs a value"};
    value = args[++i];
    return true;
  }
  if (word.size() > name.size() && word.substr(0, name.size()) == name && word[name.size()] == '=') {
    value = std::string(word.substr(name.size() + 1));
    return true;
  }
  return false;
}

Config parse(const std::vector<std::string>& args, std::string& artifact) {
  Config config;
  size_t i = 0;
  for (; i < args.size(); ++i) {
    std::string value;
    if (args[i] == "--") {
      ++i;
      break;
    }
    if (take_option(args, i, "--dir", value)) {
      size_t sep = value.find("::");
      std::string host = sep == std::string::npos ? value : value.substr(0, sep);
      std::string guest = sep == std::string::npos ? value : value.substr(sep + 2);
      if (host.empty() || guest.empty()) throw UsageError{"--dir needs HOST or HOST::GUEST"};
      config.preopen_dir(host, guest);
      continue;
    }
    if (take_option(args, i, "--env", value)) {
      size_t eq = value.find('=');
      if (eq == 0) throw UsageError{"--env needs NAME=VALUE"};
      if (eq == std::string::npos) {
        const char* host_value = std::getenv(value.c_str());
        if (host_value) config.set_env(value, host_value);
      } else {
        config.env.push_back(value);
      }
      continue;
    }
    if (!args[i].empty() && args[i][0] == '-' && args[i] != "-")
      throw UsageError{"unknown option " + args[i]};
    break;
  }
  if (i >= args.size()) throw UsageError{"missing ARTIFACT"};
  artifact = args[i];
  config.args.assign(args.begin() + long(i), args.end());
  return config;
}

}  // namespace

int run_wasi_command(const std::vector<std::string>& args) {
  Config config;
  std::string artifact;
  try {
    config = parse(args, artifact);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "error: %s\n%s\n", e.message.c_str(), kUsage);
    return 2;
  }
  // A guest writing to a closed pipe gets `pipe`, as a native program that
  // ignores SIGPIPE would, instead of killing kiln.
  std::signal(SIGPIPE, SIG_IGN);
  try {
    Context context(config);
    Module module = Module::load(artifact);
    Store store;
    Imports imports;
    context.add_to(imports);
    Instance instance = Instance::create(store, module, imports);
    return int(run_start(instance));
  } catch (const Exit& exit) {  // proc_exit from a start function
    return int(exit.code());
  } catch (const Trap& trap) {
    std::fprintf(stderr, "error: %s\n", trap.what());
    return 134;
  } catch (const Error& error) {
    std::fprintf(stderr, "error: %s\n", error.what());
    return 1;
  }
}

}  // namespace kiln::wasi
