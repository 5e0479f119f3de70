// A WASI state over a temporary sandbox, driven through the handlers with
// a fake memory: the host functions without any wasm.
#pragma once
#include <string>

#include "kiln/wasi.h"
#include "loader/wasi/handlers.h"
#include "loader/wasi/unique_fd.h"
#include "loader/wasi/wasi_state.h"
#include "wasi_test_support.h"

namespace kiln::wasi::testing {

inline constexpr uint64_t kAllRights = abi::right::kFileRights | abi::right::kDirRights;
inline constexpr uint32_t kPreopen = 3;

struct World {
  TempDir dir;  // dir/sandbox is preopened as "/sandbox"; dir/outside.txt is not reachable
  WasiState state;
  FakeMemory m;

  explicit World(Config config = {}) {
    dir.mkdir("sandbox");
    dir.write("outside.txt", "secret");
    UniqueFd null(::open("/dev/null", O_RDWR | O_CLOEXEC));
    if (config.args.empty()) {  // stdio on /dev/null, so new fds start at 4
      config.stdin_fd = config.stdout_fd = config.stderr_fd = null.get();
      config.args = {"prog", "a1", "two words"};
      config.env = {"A=1", "B=xyz"};
    }
    config.preopen_dir((dir / "sandbox").string(), "/sandbox");
    populate_state(config, state).or_throw();
  }

  abi::Errno open(const std::string& path, uint32_t oflags, uint64_t rights, uint32_t fdflags,
                  uint32_t& fd, uint32_t dirflags = abi::lookupflag::kSymlinkFollow) {
    uint32_t p = m.str(path);
    uint32_t out = m.alloc(4);
    abi::Errno e = handlers::path_open(state, m.memory, kPreopen, dirflags, p, uint32_t(path.size()),
                                       oflags, rights, kAllRights, fdflags, out);
    fd = m.load<uint32_t>(out);
    return e;
  }
  /// Opens read-write, creating the file.
  uint32_t create(const std::string& path, uint32_t fdflags = 0) {
    uint32_t fd = 0;
    abi::Errno e = open(path, abi::oflag::kCreat, abi::right::kFileRights, fdflags, fd);
    return e == abi::err::kSuccess ? fd : UINT32_MAX;
  }
  abi::Errno write(uint32_t fd, const std::string& text, uint32_t* written = nullptr) {
    uint32_t iov = m.alloc(8), buf = m.str(text), n = m.alloc(4);
    m.store<uint32_t>(iov, buf);
    m.store<uint32_t>(iov + 4, uint32_t(text.size()));
    abi::Errno e = handlers::fd_write(state, m.memory, fd, iov, 1, n);
    if (written) *written = m.load<uint32_t>(n);
    return e;
  }
  abi::Errno read(uint32_t fd, uint32_t len, std::string& out) {
    uint32_t iov = m.alloc(8), buf = m.alloc(len), n = m.alloc(4);
    m.store<uint32_t>(iov, buf);
    m.store<uint32_t>(iov + 4, len);
    abi::Errno e = handlers::fd_read(state, m.memory, fd, iov, 1, n);
    out = m.text(buf, m.load<uint32_t>(n));
    return e;
  }
  /// A path_* call's (ptr, len) for `path`.
  std::pair<uint32_t, uint32_t> path(const std::string& p) { return {m.str(p), uint32_t(p.size())}; }
};

}  // namespace kiln::wasi::testing
