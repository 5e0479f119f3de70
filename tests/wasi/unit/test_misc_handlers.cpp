// args/environ, clocks, random, poll_oneoff, proc_*, sockets, and the
// import set Context::add_to defines.
#include <doctest/doctest.h>

#include <time.h>
#include <unistd.h>

#include <map>

#include "kiln/imports.h"
#include "wasi_world.h"

using namespace kiln::wasi;
using namespace kiln::wasi::testing;
namespace E = abi::err;
namespace H = handlers;

TEST_CASE("args and environ") {
  World w;
  uint32_t count = w.m.alloc(4), size = w.m.alloc(4);
  REQUIRE(H::args_sizes_get(w.state, w.m.memory, count, size) == E::kSuccess);
  CHECK(w.m.load<uint32_t>(count) == 3);
  CHECK(w.m.load<uint32_t>(size) == 5 + 3 + 10);
  uint32_t argv = w.m.alloc(12), buf = w.m.alloc(18);
  REQUIRE(H::args_get(w.state, w.m.memory, argv, buf) == E::kSuccess);
  CHECK(w.m.load<uint32_t>(argv) == buf);
  CHECK(w.m.load<uint32_t>(argv + 8) == buf + 8);
  CHECK(w.m.text(buf, 18) == std::string("prog\0a1\0two words\0", 18));

  REQUIRE(H::environ_sizes_get(w.state, w.m.memory, count, size) == E::kSuccess);
  CHECK(w.m.load<uint32_t>(count) == 2);
  CHECK(w.m.load<uint32_t>(size) == 4 + 6);
  uint32_t env = w.m.alloc(8), ebuf = w.m.alloc(10);
  REQUIRE(H::environ_get(w.state, w.m.memory, env, ebuf) == E::kSuccess);
  CHECK(w.m.text(w.m.load<uint32_t>(env + 4), 6) == std::string("B=xyz\0", 6));
}

TEST_CASE("clocks") {
  World w;
  uint32_t t = w.m.alloc(8);
  REQUIRE(H::clock_time_get(w.state, w.m.memory, abi::clock::kRealtime, 1, t) == E::kSuccess);
  uint64_t realtime = w.m.load<uint64_t>(t);
  CHECK(realtime / 1'000'000'000ull >= uint64_t(time(nullptr)) - 1);
  CHECK(realtime / 1'000'000'000ull <= uint64_t(time(nullptr)) + 1);
  REQUIRE(H::clock_time_get(w.state, w.m.memory, abi::clock::kMonotonic, 1, t) == E::kSuccess);
  uint64_t m1 = w.m.load<uint64_t>(t);
  usleep(2000);
  REQUIRE(H::clock_time_get(w.state, w.m.memory, abi::clock::kMonotonic, 1, t) == E::kSuccess);
  CHECK(w.m.load<uint64_t>(t) >= m1 + 2'000'000);
  for (uint32_t id : {abi::clock::kProcessCputime, abi::clock::kThreadCputime}) {
    CHECK(H::clock_time_get(w.state, w.m.memory, id, 1, t) == E::kSuccess);
    CHECK(w.m.load<uint64_t>(t) > 0);
  }
  for (uint32_t id = 0; id < 4; ++id) {
    REQUIRE(H::clock_res_get(w.state, w.m.memory, id, t) == E::kSuccess);
    CHECK(w.m.load<uint64_t>(t) >= 1);
    CHECK(w.m.load<uint64_t>(t) <= 1'000'000'000ull);
  }
  CHECK(H::clock_time_get(w.state, w.m.memory, 4, 1, t) == E::kInval);
  CHECK(H::clock_res_get(w.state, w.m.memory, 99, t) == E::kInval);
}

TEST_CASE("random_get fills the buffer") {
  World w;
  uint32_t a = w.m.alloc(64), b = w.m.alloc(64);
  REQUIRE(H::random_get(w.state, w.m.memory, a, 64) == E::kSuccess);
  REQUIRE(H::random_get(w.state, w.m.memory, b, 64) == E::kSuccess);
  CHECK(w.m.text(a, 64) != w.m.text(b, 64));
  CHECK(w.m.text(a, 64) != std::string(64, '\0'));
  CHECK(H::random_get(w.state, w.m.memory, a, 0) == E::kSuccess);
}

namespace {

struct Sub {
  uint64_t userdata;
  uint8_t tag;
  uint32_t clock_or_fd;
  uint64_t timeout = 0;
  uint16_t flags = 0;
};

uint32_t write_subs(World& w, const std::vector<Sub>& subs) {
  uint32_t base = w.m.alloc(uint32_t(48 * subs.size()));
  for (size_t i = 0; i < subs.size(); ++i) {
    uint32_t p = base + uint32_t(48 * i);
    w.m.store<uint64_t>(p, subs[i].userdata);
    w.m.store<uint8_t>(p + 8, subs[i].tag);
    w.m.store<uint32_t>(p + 16, subs[i].clock_or_fd);
    w.m.store<uint64_t>(p + 24, subs[i].timeout);
    w.m.store<uint16_t>(p + 40, subs[i].flags);
  }
  return base;
}

uint64_t now_ns(clockid_t c) {
  timespec ts;
  clock_gettime(c, &ts);
  return uint64_t(ts.tv_sec) * 1'000'000'000ull + uint64_t(ts.tv_nsec);
}

}  // namespace

TEST_CASE("poll_oneoff: relative and absolute clocks") {
  World w;
  uint32_t out = w.m.alloc(32 * 4), n = w.m.alloc(4);
  uint64_t start = now_ns(CLOCK_MONOTONIC);
  uint32_t in = write_subs(w, {{7, abi::eventtype::kClock, abi::clock::kMonotonic, 20'000'000}});
  REQUIRE(H::poll_oneoff(w.state, w.m.memory, in, out, 1, n) == E::kSuccess);
  CHECK(now_ns(CLOCK_MONOTONIC) - start >= 20'000'000);
  CHECK(w.m.load<uint32_t>(n) == 1);
  CHECK(w.m.load<uint64_t>(out) == 7);
  CHECK(w.m.load<uint16_t>(out + 8) == 0);
  CHECK(w.m.load<uint8_t>(out + 10) == abi::eventtype::kClock);

  // Two clocks: only the earlier fires.
  start = now_ns(CLOCK_MONOTONIC);
  in = write_subs(w, {{1, abi::eventtype::kClock, abi::clock::kMonotonic, 5'000'000'000ull},
                      {2, abi::eventtype::kClock, abi::clock::kRealtime,
                       now_ns(CLOCK_REALTIME) + 10'000'000, abi::kSubclockAbstime}});
  REQUIRE(H::poll_oneoff(w.state, w.m.memory, in, out, 2, n) == E::kSuccess);
  uint64_t waited = now_ns(CLOCK_MONOTONIC) - start;
  CHECK(waited >= 5'000'000);
  CHECK(waited < 2'000'000'000ull);
  CHECK(w.m.load<uint32_t>(n) == 1);
  CHECK(w.m.load<uint64_t>(out) == 2);

  // An absolute time in the past fires at once.
  in = write_subs(w, {{3, abi::eventtype::kClock, abi::clock::kMonotonic, 1, abi::kSubclockAbstime}});
  REQUIRE(H::poll_oneoff(w.state, w.m.memory, in, out, 1, n) == E::kSuccess);
  CHECK(w.m.load<uint64_t>(out) == 3);
  // A bad clock id is an event with an error.
  in = write_subs(w, {{4, abi::eventtype::kClock, 42, 0}});
  REQUIRE(H::poll_oneoff(w.state, w.m.memory, in, out, 1, n) == E::kSuccess);
  CHECK(w.m.load<uint16_t>(out + 8) == E::kInval);
  CHECK(H::poll_oneoff(w.state, w.m.memory, in, out, 0, n) == E::kInval);
}

TEST_CASE("poll_oneoff: fd_read on a pipe, fd_write at once, bad fds") {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  Config config;
  config.args = {"prog"};
  config.stdin_fd = fds[0];
  World w(config);
  close(fds[0]);
  uint32_t out = w.m.alloc(32 * 3), n = w.m.alloc(4);

  // Nothing to read yet: the timeout fires.
  uint32_t in = write_subs(w, {{1, abi::eventtype::kFdRead, 0},
                               {2, abi::eventtype::kClock, abi::clock::kMonotonic, 10'000'000}});
  REQUIRE(H::poll_oneoff(w.state, w.m.memory, in, out, 2, n) == E::kSuccess);
  CHECK(w.m.load<uint32_t>(n) == 1);
  CHECK(w.m.load<uint64_t>(out) == 2);

  REQUIRE(write(fds[1], "abc", 3) == 3);
  REQUIRE(H::poll_oneoff(w.state, w.m.memory, in, out, 2, n) == E::kSuccess);
  CHECK(w.m.load<uint32_t>(n) == 1);
  CHECK(w.m.load<uint64_t>(out) == 1);
  CHECK(w.m.load<uint8_t>(out + 10) == abi::eventtype::kFdRead);
  CHECK(w.m.load<uint64_t>(out + 16) == 3);

  close(fds[1]);  // hangup
  std::string text;
  REQUIRE(w.read(0, 8, text) == E::kSuccess);
  REQUIRE(H::poll_oneoff(w.state, w.m.memory, in, out, 1, n) == E::kSuccess);
  CHECK(w.m.load<uint16_t>(out + 24) == abi::kEventFdReadwriteHangup);

  in = write_subs(w, {{5, abi::eventtype::kFdWrite, 1}, {6, abi::eventtype::kFdRead, 99},
                      {8, abi::eventtype::kClock, abi::clock::kMonotonic, 5'000'000'000ull}});
  REQUIRE(H::poll_oneoff(w.state, w.m.memory, in, out, 3, n) == E::kSuccess);
  CHECK(w.m.load<uint32_t>(n) == 2);
  CHECK(w.m.load<uint64_t>(out) == 5);
  CHECK(w.m.load<uint16_t>(out + 8) == 0);
  CHECK(w.m.load<uint64_t>(out + 32) == 6);
  CHECK(w.m.load<uint16_t>(out + 32 + 8) == E::kBadf);
}

TEST_CASE("poll_oneoff: a regular file is readable at once with its remaining bytes") {
  World w;
  w.dir.write("sandbox/f", "0123456789");
  uint32_t fd = 0;
  REQUIRE(w.open("f", 0, abi::right::kFileRights, 0, fd) == E::kSuccess);
  uint32_t out = w.m.alloc(32), n = w.m.alloc(4);
  uint32_t in = write_subs(w, {{9, abi::eventtype::kFdRead, fd}});
  REQUIRE(H::poll_oneoff(w.state, w.m.memory, in, out, 1, n) == E::kSuccess);
  CHECK(w.m.load<uint64_t>(out + 16) == 10);
}

TEST_CASE("proc_exit throws Exit; proc_raise, sockets unsupported") {
  World w;
  try {
    H::proc_exit(w.state, w.m.memory, 42);
    FAIL("proc_exit returned");
  } catch (const Exit& e) {
    CHECK(e.code() == 42);
    CHECK(std::string(e.what()) == "wasi exit 42");
  }
  CHECK(H::proc_raise(w.state, w.m.memory, 6) == E::kNotSup);
  CHECK(H::sched_yield(w.state, w.m.memory) == E::kSuccess);
  CHECK(H::sock_accept(w.state, w.m.memory, 0, 0, 0) == E::kNotSup);
  CHECK(H::sock_recv(w.state, w.m.memory, 1, 0, 0, 0, 0, 0) == E::kNotSup);
  CHECK(H::sock_send(w.state, w.m.memory, 1, 0, 0, 0, 0) == E::kNotSup);
  CHECK(H::sock_shutdown(w.state, w.m.memory, 1, 1) == E::kNotSup);
  CHECK(H::sock_shutdown(w.state, w.m.memory, 50, 1) == E::kBadf);
}

TEST_CASE("Context::add_to defines all of preview1 with the wasm types") {
  using kiln::ValType;
  const ValType I = ValType::I32, L = ValType::I64;
  using V = std::vector<ValType>;
  // Parameter lists as clang's wasi-libc imports them.
  const std::map<std::string, V> params = {
      {"args_get", {I, I}}, {"args_sizes_get", {I, I}}, {"environ_get", {I, I}},
      {"environ_sizes_get", {I, I}}, {"clock_res_get", {I, I}}, {"clock_time_get", {I, L, I}},
      {"fd_advise", {I, L, L, I}}, {"fd_allocate", {I, L, L}}, {"fd_close", {I}},
      {"fd_datasync", {I}}, {"fd_fdstat_get", {I, I}}, {"fd_fdstat_set_flags", {I, I}},
      {"fd_fdstat_set_rights", {I, L, L}}, {"fd_filestat_get", {I, I}},
      {"fd_filestat_set_size", {I, L}}, {"fd_filestat_set_times", {I, L, L, I}},
      {"fd_pread", {I, I, I, L, I}}, {"fd_prestat_get", {I, I}}, {"fd_prestat_dir_name", {I, I, I}},
      {"fd_pwrite", {I, I, I, L, I}}, {"fd_read", {I, I, I, I}}, {"fd_readdir", {I, I, I, L, I}},
      {"fd_renumber", {I, I}}, {"fd_seek", {I, L, I, I}}, {"fd_sync", {I}}, {"fd_tell", {I, I}},
      {"fd_write", {I, I, I, I}}, {"path_create_directory", {I, I, I}},
      {"path_filestat_get", {I, I, I, I, I}}, {"path_filestat_set_times", {I, I, I, I, L, L, I}},
      {"path_link", {I, I, I, I, I, I, I}}, {"path_open", {I, I, I, I, I, L, L, I, I}},
      {"path_readlink", {I, I, I, I, I, I}}, {"path_remove_directory", {I, I, I}},
      {"path_rename", {I, I, I, I, I, I}}, {"path_symlink", {I, I, I, I, I}},
      {"path_unlink_file", {I, I, I}}, {"poll_oneoff", {I, I, I, I}}, {"proc_exit", {I}},
      {"proc_raise", {I}}, {"sched_yield", {}}, {"random_get", {I, I}},
      {"sock_accept", {I, I, I}}, {"sock_recv", {I, I, I, I, I, I}}, {"sock_send", {I, I, I, I, I}},
      {"sock_shutdown", {I, I}},
  };
  REQUIRE(params.size() == 46);
  Config config;
  config.stdin_fd = config.stdout_fd = config.stderr_fd = -1;
  Context context(config);
  kiln::Imports imports;
  context.add_to(imports);
  for (const auto& [name, want] : params) {
    CAPTURE(name);
    const kiln::Imports::Entry* entry = imports.find("wasi_snapshot_preview1", name);
    REQUIRE(entry != nullptr);
    const auto* host = std::get_if<kiln::Imports::HostFunc>(entry);
    REQUIRE(host != nullptr);
    CHECK(host->type.params == want);
    CHECK(host->type.results == (name == "proc_exit" ? V{} : V{I}));
  }
}

TEST_CASE("Context reports a preopen it cannot open") {
  Config config;
  config.preopen_dir("/definitely/not/here", "x");
  CHECK_THROWS_WITH_AS(Context{config}, doctest::Contains("/definitely/not/here"), kiln::Error);
}
