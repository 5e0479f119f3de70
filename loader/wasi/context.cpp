// Config helpers, Context construction (preopens and stdio become fd table
// entries) and run_start.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "kiln/error.h"
#include "kiln/wasi.h"
#include "loader/wasi/file_info.h"
#include "loader/wasi/wasi_state.h"

extern char** environ;

namespace kiln::wasi {

Config& Config::arg(std::string value) {
  args.push_back(std::move(value));
  return *this;
}

Config& Config::set_env(const std::string& name, const std::string& value) {
  env.push_back(name + "=" + value);
  return *this;
}

Config& Config::inherit_env() {
  for (char** e = environ; e && *e; ++e) env.emplace_back(*e);
  return *this;
}

Config& Config::preopen_dir(std::string host_path, std::string guest_path) {
  if (guest_path.empty()) guest_path = host_path;
  preopens.push_back(Preopen{std::move(host_path), std::move(guest_path)});
  return *this;
}

Config& Config::inherit_stdio() {
  stdin_fd = 0;
  stdout_fd = 1;
  stderr_fd = 2;
  return *this;
}

namespace {

loader::Result<FdEntry> stdio_entry(int host_fd, int guest_fd) {
  int fd = fcntl(host_fd, F_DUPFD_CLOEXEC, 3);
  if (fd < 0)
    return loader::fail("wasi: cannot use host fd " + std::to_string(host_fd) + " as guest fd " +
                        std::to_string(guest_fd) + ": " + std::strerror(errno));
  FdEntry entry;
  entry.host.reset(fd);
  entry.type = filetype_of_fd(fd);
  entry.rights_base = applicable_rights(entry.type, is_seekable(fd));
  entry.rights_inheriting = 0;
  int fl = fcntl(fd, F_GETFL);
  if (fl >= 0 && (fl & O_SYNC) == O_SYNC) entry.sync_flags = abi::fdflag::kSync;
  else if (fl >= 0 && (fl & O_DSYNC)) entry.sync_flags = abi::fdflag::kDsync;
  return entry;
}

loader::Result<FdEntry> preopen_entry(const Preopen& preopen) {
  int fd = open(preopen.host_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return loader::fail("wasi: cannot open directory '" + preopen.host_path + "': " + std::strerror(errno));
  FdEntry entry;
  entry.host.reset(fd);
  entry.type = abi::FileType::Directory;
  entry.rights_base = abi::right::kDirRights;
  entry.rights_inheriting = abi::right::kDirRights | abi::right::kFileRights;
  entry.preopen_name = preopen.guest_path;
  return entry;
}

}  // namespace

loader::Status populate_state(const Config& config, WasiState& state) {
  state.args = config.args;
  state.env = config.env;
  const int stdio[3] = {config.stdin_fd, config.stdout_fd, config.stderr_fd};
  for (int i = 0; i < 3; ++i) {
    if (stdio[i] < 0) continue;
    loader::Result<FdEntry> entry = stdio_entry(stdio[i], i);
    if (!entry) return std::move(entry).failure();
    state.fds.add_at(uint32_t(i), std::move(*entry));
  }
  uint32_t next = 3;
  for (const Preopen& preopen : config.preopens) {
    loader::Result<FdEntry> entry = preopen_entry(preopen);
    if (!entry) return std::move(entry).failure();
    state.fds.add_at(next++, std::move(*entry));
  }
  return {};
}

Context::Context(const Config& config) : state_(std::make_shared<WasiState>()) {
  populate_state(config, *state_).or_throw();
}

Context::~Context() = default;
Context::Context(Context&&) noexcept = default;
Context& Context::operator=(Context&&) noexcept = default;

uint32_t run_start(const Instance& instance) {
  Func start = instance.func("_start");
  if (start.type() != FuncType{})
    throw Error("_start has type " + start.type().to_string() + ", expected func");
  try {
    start.call();
  } catch (const Exit& exit) {
    return exit.code();
  }
  return 0;
}

}  // namespace kiln::wasi
