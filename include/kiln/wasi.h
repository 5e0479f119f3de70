// WASI preview1 (the `wasi_snapshot_preview1` import module) for programs
// run through libkiln. Lives in its own library, kiln_wasi, linked on top
// of libkiln.
//
//   kiln::wasi::Config config;
//   config.args = {"prog", "input.txt"};
//   config.preopen_dir("/tmp/sandbox", "/data");
//   kiln::wasi::Context wasi(config);
//   kiln::Imports imports;
//   wasi.add_to(imports);
//   kiln::Instance instance = kiln::Instance::create(store, module, imports);
//   uint32_t status = kiln::wasi::run_start(instance);
#pragma once
#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "kiln/imports.h"
#include "kiln/instance.h"

namespace kiln::wasi {

/// A host directory the guest may use. The guest sees it as a preopened
/// directory named `guest_path` and reaches nothing outside it: `..` above
/// it, absolute paths and symlinks leading out all fail with `notcapable`.
struct Preopen {
  std::string host_path;
  std::string guest_path;
};

/// What a WASI program is given: its arguments, its environment, its
/// directories and its standard streams.
struct Config {
  /// argv, program name first.
  std::vector<std::string> args;
  /// The environment, "NAME=VALUE" each.
  std::vector<std::string> env;
  /// Preopened directories, given to the guest as fds 3, 4, ... in order.
  std::vector<Preopen> preopens;
  /// Host fds the guest gets as its fds 0, 1 and 2 (duplicated, so the
  /// guest closing them leaves the host's open); -1 leaves that guest fd
  /// closed. By default the process's own stdin, stdout and stderr.
  int stdin_fd = 0;
  int stdout_fd = 1;
  int stderr_fd = 2;

  /// Appends one argument.
  Config& arg(std::string value);
  /// Appends NAME=VALUE to the environment.
  Config& set_env(const std::string& name, const std::string& value);
  /// Appends the whole environment of this process.
  Config& inherit_env();
  /// Appends a preopened directory; an empty guest_path means host_path.
  Config& preopen_dir(std::string host_path, std::string guest_path = "");
  /// Gives the guest this process's fds 0, 1 and 2 (the default).
  Config& inherit_stdio();
};

/// Thrown by the guest's proc_exit: it unwinds the wasm code and reaches the
/// host code that called into wasm (run_start() catches it and returns the
/// code). Deliberately not a kiln::Error: exiting is not a failure.
class Exit : public std::exception {
 public:
  explicit Exit(uint32_t code) : code_(code) {}
  /// The status the guest passed to proc_exit.
  uint32_t code() const { return code_; }
  /// "wasi exit N".
  const char* what() const noexcept override;

 private:
  uint32_t code_;
  mutable char text_[32] = {};
};

struct WasiState;

/// One WASI world: the configuration turned into open host descriptors and
/// the guest's fd table. The host functions from add_to() share it, so it
/// lives as long as they do; the Context object itself may go earlier.
/// Like a Store, it is used by one thread at a time.
class Context {
 public:
  /// Opens the preopened directories and duplicates the stdio fds. Throws
  /// kiln::Error naming a directory that cannot be opened or an fd that is
  /// not open.
  explicit Context(const Config& config);
  ~Context();
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;
  Context(Context&&) noexcept;
  Context& operator=(Context&&) noexcept;

  /// Defines every wasi_snapshot_preview1 function (all 46 of preview1) in
  /// `imports`, bound to this context. A module that calls one of them with
  /// pointers must export its memory as "memory".
  void add_to(Imports& imports) const;

 private:
  std::shared_ptr<WasiState> state_;
};

/// Calls the instance's `_start` export (a WASI command's entry point) and
/// returns its exit status: 0 when `_start` returns, the code passed to
/// proc_exit when it exits. A trap still propagates as kiln::Trap; a missing
/// or mistyped `_start` throws kiln::Error.
uint32_t run_start(const Instance& instance);

}  // namespace kiln::wasi
