// fd_* functions on real files in a temporary sandbox.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <set>

#include "wasi_world.h"

using namespace kiln::wasi;
using namespace kiln::wasi::testing;
namespace E = abi::err;
namespace H = handlers;

TEST_CASE("write, seek, tell, read, pread, pwrite") {
  World w;
  uint32_t fd = w.create("data.txt");
  REQUIRE(fd == 4);
  uint32_t n = 0;
  REQUIRE(w.write(fd, "hello world", &n) == E::kSuccess);
  CHECK(n == 11);
  CHECK(w.dir.read("sandbox/data.txt") == "hello world");

  uint32_t pos = w.m.alloc(8);
  REQUIRE(H::fd_tell(w.state, w.m.memory, fd, pos) == E::kSuccess);
  CHECK(w.m.load<uint64_t>(pos) == 11);
  REQUIRE(H::fd_seek(w.state, w.m.memory, fd, uint64_t(-5), abi::whence::kCur, pos) == E::kSuccess);
  CHECK(w.m.load<uint64_t>(pos) == 6);
  std::string text;
  REQUIRE(w.read(fd, 100, text) == E::kSuccess);
  CHECK(text == "world");
  REQUIRE(H::fd_seek(w.state, w.m.memory, fd, 0, abi::whence::kSet, pos) == E::kSuccess);
  CHECK(H::fd_seek(w.state, w.m.memory, fd, 0, 7, pos) == E::kInval);

  // pread / pwrite leave the position alone.
  uint32_t iov = w.m.alloc(16), b1 = w.m.alloc(3), b2 = w.m.alloc(3), cnt = w.m.alloc(4);
  w.m.store<uint32_t>(iov, b1);
  w.m.store<uint32_t>(iov + 4, 3);
  w.m.store<uint32_t>(iov + 8, b2);
  w.m.store<uint32_t>(iov + 12, 3);
  REQUIRE(H::fd_pread(w.state, w.m.memory, fd, iov, 2, 2, cnt) == E::kSuccess);
  CHECK(w.m.load<uint32_t>(cnt) == 6);
  CHECK(w.m.text(b1, 3) == "llo");
  CHECK(w.m.text(b2, 3) == " wo");
  std::memcpy(w.m.bytes.data() + b1, "HEL", 3);
  REQUIRE(H::fd_pwrite(w.state, w.m.memory, fd, iov, 1, 0, cnt) == E::kSuccess);
  CHECK(w.m.load<uint32_t>(cnt) == 3);
  REQUIRE(H::fd_tell(w.state, w.m.memory, fd, pos) == E::kSuccess);
  CHECK(w.m.load<uint64_t>(pos) == 0);
  CHECK(w.dir.read("sandbox/data.txt") == "HELlo world");

  CHECK(H::fd_sync(w.state, w.m.memory, fd) == E::kSuccess);
  CHECK(H::fd_datasync(w.state, w.m.memory, fd) == E::kSuccess);
  CHECK(H::fd_advise(w.state, w.m.memory, fd, 0, 0, abi::advice::kSequential) == E::kSuccess);
  CHECK(H::fd_advise(w.state, w.m.memory, fd, 0, 0, 9) == E::kInval);
  CHECK(H::fd_close(w.state, w.m.memory, fd) == E::kSuccess);
  CHECK(H::fd_close(w.state, w.m.memory, fd) == E::kBadf);
}

TEST_CASE("filestat, set_size, set_times, allocate") {
  World w;
  uint32_t fd = w.create("f");
  REQUIRE(w.write(fd, "12345") == E::kSuccess);
  uint32_t st = w.m.alloc(64);
  REQUIRE(H::fd_filestat_get(w.state, w.m.memory, fd, st) == E::kSuccess);
  CHECK(w.m.load<uint8_t>(st + 16) == uint8_t(abi::FileType::RegularFile));
  CHECK(w.m.load<uint64_t>(st + 32) == 5);
  CHECK(w.m.load<uint64_t>(st + 24) == 1);  // nlink

  REQUIRE(H::fd_filestat_set_size(w.state, w.m.memory, fd, 2) == E::kSuccess);
  REQUIRE(H::fd_allocate(w.state, w.m.memory, fd, 0, 100) == E::kSuccess);
  REQUIRE(H::fd_filestat_get(w.state, w.m.memory, fd, st) == E::kSuccess);
  CHECK(w.m.load<uint64_t>(st + 32) == 100);

  uint64_t atim = 1'000'000'000ull * 1'000'000'000ull / 1000;  // 1e15 ns
  uint64_t mtim = 2'000'000'000'123'456'789ull / 1000;
  REQUIRE(H::fd_filestat_set_times(w.state, w.m.memory, fd, atim, mtim,
                                   abi::fstflag::kAtim | abi::fstflag::kMtim) == E::kSuccess);
  REQUIRE(H::fd_filestat_get(w.state, w.m.memory, fd, st) == E::kSuccess);
  CHECK(w.m.load<uint64_t>(st + 40) == atim);
  CHECK(w.m.load<uint64_t>(st + 48) == mtim);
  CHECK(H::fd_filestat_set_times(w.state, w.m.memory, fd, 0, 0,
                                 abi::fstflag::kAtim | abi::fstflag::kAtimNow) == E::kInval);
  CHECK(H::fd_filestat_set_times(w.state, w.m.memory, fd, 0, 0, 0x100) == E::kInval);
  // MTIM_NOW moves mtime to about now.
  REQUIRE(H::fd_filestat_set_times(w.state, w.m.memory, fd, 0, 0, abi::fstflag::kMtimNow) == E::kSuccess);
  REQUIRE(H::fd_filestat_get(w.state, w.m.memory, fd, st) == E::kSuccess);
  CHECK(w.m.load<uint64_t>(st + 48) > mtim);
  CHECK(w.m.load<uint64_t>(st + 40) == atim);
}

TEST_CASE("fdstat: type, flags, rights; set_flags; set_rights only drops") {
  World w;
  uint32_t st = w.m.alloc(24);
  REQUIRE(H::fd_fdstat_get(w.state, w.m.memory, kPreopen, st) == E::kSuccess);
  CHECK(w.m.load<uint8_t>(st) == uint8_t(abi::FileType::Directory));
  CHECK((w.m.load<uint64_t>(st + 8) & abi::right::kPathOpen) != 0);

  uint32_t fd = w.create("log", abi::fdflag::kAppend);
  REQUIRE(H::fd_fdstat_get(w.state, w.m.memory, fd, st) == E::kSuccess);
  CHECK(w.m.load<uint8_t>(st) == uint8_t(abi::FileType::RegularFile));
  CHECK(w.m.load<uint16_t>(st + 2) == abi::fdflag::kAppend);
  CHECK(w.m.load<uint64_t>(st + 8) == abi::right::kFileRights);

  REQUIRE(H::fd_fdstat_set_flags(w.state, w.m.memory, fd, abi::fdflag::kNonblock) == E::kSuccess);
  REQUIRE(H::fd_fdstat_get(w.state, w.m.memory, fd, st) == E::kSuccess);
  CHECK(w.m.load<uint16_t>(st + 2) == abi::fdflag::kNonblock);
  CHECK(H::fd_fdstat_set_flags(w.state, w.m.memory, fd, abi::fdflag::kSync) == E::kNotSup);
  CHECK(H::fd_fdstat_set_flags(w.state, w.m.memory, fd, 0x80) == E::kInval);

  uint64_t fewer = abi::right::kFileRights & ~abi::right::kFdWrite;
  REQUIRE(H::fd_fdstat_set_rights(w.state, w.m.memory, fd, fewer, 0) == E::kSuccess);
  CHECK(w.write(fd, "x") == E::kNotCapable);
  CHECK(H::fd_fdstat_set_rights(w.state, w.m.memory, fd, abi::right::kFileRights, 0) == E::kNotCapable);
  REQUIRE(H::fd_fdstat_get(w.state, w.m.memory, fd, st) == E::kSuccess);
  CHECK(w.m.load<uint64_t>(st + 8) == fewer);
}

TEST_CASE("open flags: sync flags are reported, read-only files refuse writes") {
  World w;
  uint32_t fd = w.create("s", abi::fdflag::kDsync | abi::fdflag::kRsync);
  uint32_t st = w.m.alloc(24);
  REQUIRE(H::fd_fdstat_get(w.state, w.m.memory, fd, st) == E::kSuccess);
  CHECK(w.m.load<uint16_t>(st + 2) == (abi::fdflag::kDsync | abi::fdflag::kRsync));

  uint32_t nb = w.create("nb", abi::fdflag::kNonblock | abi::fdflag::kSync);
  REQUIRE(H::fd_fdstat_get(w.state, w.m.memory, nb, st) == E::kSuccess);
  CHECK(w.m.load<uint16_t>(st + 2) == (abi::fdflag::kNonblock | abi::fdflag::kSync));
  CHECK((fcntl(w.state.fds.find(nb)->host.get(), F_GETFL) & O_SYNC) == O_SYNC);

  w.dir.write("sandbox/ro.txt", "x");
  uint32_t ro = 0;
  REQUIRE(w.open("ro.txt", 0, abi::right::kFdRead | abi::right::kFdSeek, 0, ro) == E::kSuccess);
  REQUIRE(H::fd_fdstat_get(w.state, w.m.memory, ro, st) == E::kSuccess);
  CHECK((w.m.load<uint64_t>(st + 8) & abi::right::kFdWrite) == 0);
  CHECK(w.write(ro, "y") == E::kNotCapable);
}

TEST_CASE("renumber moves an fd over another") {
  World w;
  uint32_t a = w.create("a"), b = w.create("b");
  REQUIRE(H::fd_renumber(w.state, w.m.memory, a, b) == E::kSuccess);
  REQUIRE(w.write(b, "into a") == E::kSuccess);
  CHECK(w.dir.read("sandbox/a") == "into a");
  CHECK(w.write(a, "x") == E::kBadf);
  CHECK(H::fd_renumber(w.state, w.m.memory, a, b) == E::kBadf);
  CHECK(H::fd_renumber(w.state, w.m.memory, b, 99) == E::kBadf);
  // The freed number is reused.
  CHECK(w.create("c") == a);
}

TEST_CASE("readdir: every entry once across small buffers, resumed by cookie") {
  World w;
  std::set<std::string> want = {".", ".."};
  for (int i = 0; i < 12; ++i) {
    std::string name = "entry_with_a_longish_name_" + std::to_string(i);
    w.dir.write("sandbox/" + name, "");
    want.insert(name);
  }
  w.dir.mkdir("sandbox/subdir");
  want.insert("subdir");

  std::set<std::string> got;
  uint64_t cookie = 0;
  const uint32_t kBuf = 100;  // fits two to three entries
  uint32_t buf = w.m.alloc(kBuf), used = w.m.alloc(4);
  for (int round = 0; round < 100; ++round) {
    REQUIRE(H::fd_readdir(w.state, w.m.memory, kPreopen, buf, kBuf, cookie, used) == E::kSuccess);
    uint32_t n = w.m.load<uint32_t>(used);
    uint32_t off = 0;
    bool truncated = false;
    while (off + 24 <= n) {
      uint64_t next = w.m.load<uint64_t>(buf + off);
      uint32_t namlen = w.m.load<uint32_t>(buf + off + 16);
      uint8_t type = w.m.load<uint8_t>(buf + off + 20);
      if (off + 24 + namlen > n) {
        truncated = true;
        break;
      }
      std::string name = w.m.text(buf + off + 24, namlen);
      CHECK(got.insert(name).second);
      if (name == "subdir") CHECK(type == uint8_t(abi::FileType::Directory));
      if (name.starts_with("entry")) CHECK(type == uint8_t(abi::FileType::RegularFile));
      cookie = next;
      off += 24 + namlen;
    }
    if (n < kBuf && !truncated) break;
  }
  CHECK(got == want);
  // Past the end: nothing.
  REQUIRE(H::fd_readdir(w.state, w.m.memory, kPreopen, buf, kBuf, cookie, used) == E::kSuccess);
  CHECK(w.m.load<uint32_t>(used) == 0);
  // Files cannot be listed.
  uint32_t fd = w.create("plain");
  CHECK(H::fd_readdir(w.state, w.m.memory, fd, buf, kBuf, 0, used) == E::kNotCapable);
}

TEST_CASE("prestat names the preopen; other fds have none") {
  World w;
  uint32_t ps = w.m.alloc(8);
  REQUIRE(H::fd_prestat_get(w.state, w.m.memory, kPreopen, ps) == E::kSuccess);
  CHECK(w.m.load<uint8_t>(ps) == 0);
  CHECK(w.m.load<uint32_t>(ps + 4) == 8);
  uint32_t name = w.m.alloc(8);
  REQUIRE(H::fd_prestat_dir_name(w.state, w.m.memory, kPreopen, name, 8) == E::kSuccess);
  CHECK(w.m.text(name, 8) == "/sandbox");
  CHECK(H::fd_prestat_dir_name(w.state, w.m.memory, kPreopen, name, 3) == E::kNameTooLong);
  CHECK(H::fd_prestat_get(w.state, w.m.memory, 1, ps) == E::kBadf);
  CHECK(H::fd_prestat_get(w.state, w.m.memory, 4, ps) == E::kBadf);
}

TEST_CASE("every guest pointer is bounds-checked") {
  World w;
  uint32_t fd = w.create("f");
  uint32_t size = w.m.size();
  uint32_t iov = w.m.alloc(8), n = w.m.alloc(4);
  // A buffer running off the end of memory.
  w.m.store<uint32_t>(iov, size - 2);
  w.m.store<uint32_t>(iov + 4, 4);
  CHECK(H::fd_write(w.state, w.m.memory, fd, iov, 1, n) == E::kFault);
  CHECK(H::fd_read(w.state, w.m.memory, fd, iov, 1, n) == E::kFault);
  // A buffer whose address + length wraps around 2^32.
  w.m.store<uint32_t>(iov, 0xFFFFFFF0u);
  w.m.store<uint32_t>(iov + 4, 0x20);
  CHECK(H::fd_write(w.state, w.m.memory, fd, iov, 1, n) == E::kFault);
  // The iovec array itself, and the result slot.
  CHECK(H::fd_write(w.state, w.m.memory, fd, size - 4, 1, n) == E::kFault);
  w.m.store<uint32_t>(iov, 0);
  w.m.store<uint32_t>(iov + 4, 1);
  CHECK(H::fd_write(w.state, w.m.memory, fd, iov, 1, size) == E::kFault);
  CHECK(w.dir.read("sandbox/f").empty());  // nothing written by a faulting call
  CHECK(H::fd_fdstat_get(w.state, w.m.memory, fd, size - 8) == E::kFault);
  CHECK(H::fd_filestat_get(w.state, w.m.memory, fd, 0xFFFFFFFFu) == E::kFault);
  CHECK(H::fd_tell(w.state, w.m.memory, fd, size - 7) == E::kFault);
  CHECK(H::args_sizes_get(w.state, w.m.memory, size, 0) == E::kFault);
  CHECK(H::args_get(w.state, w.m.memory, size - 4, 0) == E::kFault);
  CHECK(H::environ_get(w.state, w.m.memory, 0, size - 2) == E::kFault);
  CHECK(H::random_get(w.state, w.m.memory, size - 10, 11) == E::kFault);
  CHECK(H::clock_time_get(w.state, w.m.memory, 0, 0, size - 4) == E::kFault);
  uint32_t used = w.m.alloc(4);
  CHECK(H::fd_readdir(w.state, w.m.memory, kPreopen, size - 10, 20, 0, used) == E::kFault);
  CHECK(H::poll_oneoff(w.state, w.m.memory, size - 40, 0, 1, used) == E::kFault);
  CHECK(H::path_open(w.state, w.m.memory, kPreopen, 0, size - 1, 5, 0, 0, 0, 0, used) == E::kFault);
  auto [p, len] = w.path("f");
  CHECK(H::path_filestat_get(w.state, w.m.memory, kPreopen, 0, p, len, size - 63) == E::kFault);
  CHECK(H::path_readlink(w.state, w.m.memory, kPreopen, p, len, size - 1, 10, used) == E::kFault);
}

TEST_CASE("bad fds and missing rights") {
  World w;
  uint32_t pos = w.m.alloc(8);
  CHECK(H::fd_tell(w.state, w.m.memory, 77, pos) == E::kBadf);
  CHECK(H::fd_seek(w.state, w.m.memory, 0xFFFFFFFFu, 0, 0, pos) == E::kBadf);
  // A directory has no read or seek rights.
  std::string text;
  CHECK(w.read(kPreopen, 10, text) == E::kNotCapable);
  CHECK(H::fd_seek(w.state, w.m.memory, kPreopen, 0, abi::whence::kSet, pos) == E::kNotCapable);
  // stdio on /dev/null: a character device.
  uint32_t st = w.m.alloc(24);
  REQUIRE(H::fd_fdstat_get(w.state, w.m.memory, 1, st) == E::kSuccess);
  CHECK(w.m.load<uint8_t>(st) == uint8_t(abi::FileType::CharacterDevice));
  CHECK(w.write(1, "discarded") == E::kSuccess);
}

TEST_CASE("stdio on a pipe: no seek or tell, data flows") {
  int in[2], out[2];
  REQUIRE(pipe(in) == 0);
  REQUIRE(pipe(out) == 0);
  Config config;
  config.args = {"prog"};
  config.stdin_fd = in[0];
  config.stdout_fd = out[1];
  config.stderr_fd = -1;
  World w(config);
  close(in[0]);
  close(out[1]);
  uint32_t st = w.m.alloc(24);
  REQUIRE(H::fd_fdstat_get(w.state, w.m.memory, 0, st) == E::kSuccess);
  CHECK(w.m.load<uint8_t>(st) == uint8_t(abi::FileType::Unknown));
  CHECK((w.m.load<uint64_t>(st + 8) & (abi::right::kFdSeek | abi::right::kFdTell)) == 0);
  CHECK((w.m.load<uint64_t>(st + 8) & abi::right::kFdRead) != 0);
  uint32_t pos = w.m.alloc(8);
  CHECK(H::fd_tell(w.state, w.m.memory, 0, pos) == E::kNotCapable);
  CHECK(H::fd_fdstat_get(w.state, w.m.memory, 2, st) == E::kBadf);  // stderr left closed

  REQUIRE(::write(in[1], "ping", 4) == 4);
  std::string text;
  REQUIRE(w.read(0, 16, text) == E::kSuccess);
  CHECK(text == "ping");
  REQUIRE(w.write(1, "pong") == E::kSuccess);
  char buf[8] = {};
  CHECK(::read(out[0], buf, sizeof buf) == 4);
  CHECK(std::string(buf) == "pong");
  // The guest closing its stdout closes its own duplicate only.
  CHECK(H::fd_close(w.state, w.m.memory, 1) == E::kSuccess);
  close(in[1]);
  close(out[0]);
}
