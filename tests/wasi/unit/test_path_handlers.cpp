// path_* functions: directories, links, renames, oflags, and every way out
// of the sandbox a guest might try.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/stat.h>

#include "wasi_world.h"

using namespace kiln::wasi;
using namespace kiln::wasi::testing;
namespace E = abi::err;
namespace H = handlers;

namespace {

abi::Errno g_mkdir(World& w, const std::string& p) {
  auto [ptr, len] = w.path(p);
  return H::path_create_directory(w.state, w.m.memory, kPreopen, ptr, len);
}
abi::Errno g_rmdir(World& w, const std::string& p) {
  auto [ptr, len] = w.path(p);
  return H::path_remove_directory(w.state, w.m.memory, kPreopen, ptr, len);
}
abi::Errno g_unlink(World& w, const std::string& p) {
  auto [ptr, len] = w.path(p);
  return H::path_unlink_file(w.state, w.m.memory, kPreopen, ptr, len);
}
abi::Errno g_rename(World& w, const std::string& a, const std::string& b) {
  auto [pa, la] = w.path(a);
  auto [pb, lb] = w.path(b);
  return H::path_rename(w.state, w.m.memory, kPreopen, pa, la, kPreopen, pb, lb);
}
abi::Errno g_link(World& w, const std::string& a, const std::string& b, uint32_t flags = 0) {
  auto [pa, la] = w.path(a);
  auto [pb, lb] = w.path(b);
  return H::path_link(w.state, w.m.memory, kPreopen, flags, pa, la, kPreopen, pb, lb);
}
abi::Errno g_symlink(World& w, const std::string& target, const std::string& p) {
  auto [pt, lt] = w.path(target);
  auto [pp, lp] = w.path(p);
  return H::path_symlink(w.state, w.m.memory, pt, lt, kPreopen, pp, lp);
}
abi::Errno g_readlink(World& w, const std::string& p, std::string& out, uint32_t cap = 256) {
  auto [ptr, len] = w.path(p);
  uint32_t buf = w.m.alloc(cap), used = w.m.alloc(4);
  abi::Errno e = H::path_readlink(w.state, w.m.memory, kPreopen, ptr, len, buf, cap, used);
  out = w.m.text(buf, w.m.load<uint32_t>(used));
  return e;
}
abi::Errno g_stat(World& w, const std::string& p, uint32_t flags, uint8_t& type, uint64_t& size) {
  auto [ptr, len] = w.path(p);
  uint32_t st = w.m.alloc(64);
  abi::Errno e = H::path_filestat_get(w.state, w.m.memory, kPreopen, flags, ptr, len, st);
  type = w.m.load<uint8_t>(st + 16);
  size = w.m.load<uint64_t>(st + 32);
  return e;
}

}  // namespace

TEST_CASE("directories: create, list through open, remove") {
  World w;
  REQUIRE(g_mkdir(w, "d") == E::kSuccess);
  CHECK(g_mkdir(w, "d") == E::kExist);
  REQUIRE(g_mkdir(w, "d/e/") == E::kSuccess);
  CHECK(w.dir.exists("sandbox/d/e"));
  uint32_t fd = 0;
  REQUIRE(w.open("d", abi::oflag::kDirectory, abi::right::kDirRights, 0, fd) == E::kSuccess);
  uint32_t st = w.m.alloc(24);
  REQUIRE(H::fd_fdstat_get(w.state, w.m.memory, fd, st) == E::kSuccess);
  CHECK(w.m.load<uint8_t>(st) == uint8_t(abi::FileType::Directory));
  // Paths relative to the new directory fd work too.
  auto [p, len] = w.path("e");
  uint32_t fs = w.m.alloc(64);
  CHECK(H::path_filestat_get(w.state, w.m.memory, fd, 0, p, len, fs) == E::kSuccess);
  CHECK(g_rmdir(w, "d") == E::kNotEmpty);
  REQUIRE(g_rmdir(w, "d/e") == E::kSuccess);
  REQUIRE(g_rmdir(w, "d") == E::kSuccess);
  CHECK_FALSE(w.dir.exists("sandbox/d"));
  CHECK(g_rmdir(w, ".") == E::kInval);
  w.dir.write("sandbox/f", "");
  CHECK(g_rmdir(w, "f") == E::kNotDir);
  CHECK(w.open("f", abi::oflag::kDirectory, abi::right::kDirRights, 0, fd) == E::kNotDir);
  // A file fd is no directory for path functions.
  uint32_t file = w.create("g");
  CHECK(H::path_create_directory(w.state, w.m.memory, file, p, len) == E::kNotDir);
}

TEST_CASE("path_open oflags: creat, excl, trunc, directory") {
  World w;
  uint32_t fd = 0;
  CHECK(w.open("new", 0, abi::right::kFileRights, 0, fd) == E::kNoEnt);
  REQUIRE(w.open("new", abi::oflag::kCreat | abi::oflag::kExcl, abi::right::kFileRights, 0, fd) ==
          E::kSuccess);
  REQUIRE(w.write(fd, "abcdef") == E::kSuccess);
  CHECK(w.open("new", abi::oflag::kCreat | abi::oflag::kExcl, abi::right::kFileRights, 0, fd) == E::kExist);
  REQUIRE(w.open("new", abi::oflag::kTrunc, abi::right::kFileRights, 0, fd) == E::kSuccess);
  CHECK(w.dir.read("sandbox/new").empty());
  CHECK(w.open("new", 0x10, abi::right::kFileRights, 0, fd) == E::kInval);
  CHECK(w.open("new", 0, abi::right::kFileRights, 0x40, fd) == E::kInval);
  // Writing a directory.
  CHECK(w.open(".", 0, abi::right::kFileRights, 0, fd) == E::kIsDir);
  // Append mode.
  REQUIRE(w.open("new", 0, abi::right::kFileRights, abi::fdflag::kAppend, fd) == E::kSuccess);
  REQUIRE(w.write(fd, "one") == E::kSuccess);
  uint32_t pos = w.m.alloc(8);
  REQUIRE(H::fd_seek(w.state, w.m.memory, fd, 0, abi::whence::kSet, pos) == E::kSuccess);
  REQUIRE(w.write(fd, "two") == E::kSuccess);
  CHECK(w.dir.read("sandbox/new") == "onetwo");
  // Without the create right the directory refuses O_CREAT.
  uint64_t no_create = abi::right::kDirRights & ~abi::right::kPathCreateFile;
  REQUIRE(H::fd_fdstat_set_rights(w.state, w.m.memory, kPreopen, no_create, kAllRights) == E::kSuccess);
  CHECK(w.open("other", abi::oflag::kCreat, abi::right::kFileRights, 0, fd) == E::kNotCapable);
}

TEST_CASE("rename, link, unlink") {
  World w;
  w.dir.write("sandbox/a", "A");
  w.dir.mkdir("sandbox/sub");
  REQUIRE(g_rename(w, "a", "sub/b") == E::kSuccess);
  CHECK(w.dir.read("sandbox/sub/b") == "A");
  CHECK(g_rename(w, "a", "c") == E::kNoEnt);
  REQUIRE(g_link(w, "sub/b", "hard") == E::kSuccess);
  uint8_t type;
  uint64_t size;
  REQUIRE(g_stat(w, "hard", 0, type, size) == E::kSuccess);
  CHECK(size == 1);
  CHECK(g_link(w, "sub/b", "hard") == E::kExist);
  REQUIRE(g_unlink(w, "sub/b") == E::kSuccess);
  CHECK(w.dir.read("sandbox/hard") == "A");
  CHECK(g_unlink(w, "sub") == E::kIsDir);
  CHECK(g_unlink(w, "hard/") == E::kNotDir);
  CHECK(g_unlink(w, "missing") == E::kNoEnt);
  CHECK(g_rename(w, "hard/", "x") == E::kNotDir);
}

TEST_CASE("symlinks: create, readlink, stat with and without follow") {
  World w;
  w.dir.write("sandbox/target.txt", "12345");
  REQUIRE(g_symlink(w, "target.txt", "ln") == E::kSuccess);
  std::string text;
  REQUIRE(g_readlink(w, "ln", text) == E::kSuccess);
  CHECK(text == "target.txt");
  REQUIRE(g_readlink(w, "ln", text, 3) == E::kSuccess);
  CHECK(text == "tar");
  CHECK(g_readlink(w, "target.txt", text) == E::kInval);
  uint8_t type;
  uint64_t size;
  REQUIRE(g_stat(w, "ln", 0, type, size) == E::kSuccess);
  CHECK(type == uint8_t(abi::FileType::SymbolicLink));
  REQUIRE(g_stat(w, "ln", abi::lookupflag::kSymlinkFollow, type, size) == E::kSuccess);
  CHECK(type == uint8_t(abi::FileType::RegularFile));
  CHECK(size == 5);
  // Opening without follow refuses the link itself.
  uint32_t fd = 0;
  CHECK(w.open("ln", 0, abi::right::kFdRead, 0, fd, 0) == E::kLoop);
  REQUIRE(w.open("ln", 0, abi::right::kFdRead, 0, fd) == E::kSuccess);
  std::string data;
  REQUIRE(w.read(fd, 10, data) == E::kSuccess);
  CHECK(data == "12345");
  CHECK(g_symlink(w, "x", "ln") == E::kExist);
  // Times on the link itself vs its target.
  auto [p, len] = w.path("ln");
  REQUIRE(H::path_filestat_set_times(w.state, w.m.memory, kPreopen, abi::lookupflag::kSymlinkFollow, p,
                                     len, 0, 5'000'000'000ull, abi::fstflag::kMtim) == E::kSuccess);
  struct stat st;
  REQUIRE(::stat((w.dir / "sandbox/target.txt").c_str(), &st) == 0);
  CHECK(st.st_mtim.tv_sec == 5);
  REQUIRE(g_unlink(w, "ln") == E::kSuccess);
  CHECK(w.dir.exists("sandbox/target.txt"));
}

TEST_CASE("escapes: .., absolute paths, symlinks out, guest-made symlinks, renames out") {
  World w;
  w.dir.write("sandbox/inside.txt", "in");
  w.dir.mkdir("sandbox/sub");
  w.dir.symlink("../outside.txt", "sandbox/host_link_out");
  w.dir.symlink((w.dir / "outside.txt").string(), "sandbox/host_link_abs");
  uint32_t fd = 0;
  uint8_t type;
  uint64_t size;

  // ..
  CHECK(w.open("../outside.txt", 0, abi::right::kFdRead, 0, fd) == E::kNotCapable);
  CHECK(w.open("sub/../../outside.txt", 0, abi::right::kFdRead, 0, fd) == E::kNotCapable);
  CHECK(g_stat(w, "..", 0, type, size) == E::kNotCapable);
  CHECK(g_mkdir(w, "../escaped") == E::kNotCapable);
  CHECK_FALSE(w.dir.exists("escaped"));
  // absolute
  CHECK(w.open((w.dir / "outside.txt").string(), 0, abi::right::kFdRead, 0, fd) == E::kNotCapable);
  CHECK(w.open("/etc/passwd", 0, abi::right::kFdRead, 0, fd) == E::kNotCapable);
  // host symlinks leading out
  CHECK(w.open("host_link_out", 0, abi::right::kFdRead, 0, fd) == E::kNotCapable);
  CHECK(w.open("host_link_abs", 0, abi::right::kFdRead, 0, fd) == E::kNotCapable);
  CHECK(g_stat(w, "host_link_out", abi::lookupflag::kSymlinkFollow, type, size) == E::kNotCapable);
  // writing through a link out never creates the target
  CHECK(w.open("host_link_out", abi::oflag::kCreat | abi::oflag::kTrunc, abi::right::kFileRights, 0, fd) ==
        E::kNotCapable);
  CHECK(w.dir.read("outside.txt") == "secret");
  // guest-created symlinks: absolute targets refused, relative ones never followed out
  CHECK(g_symlink(w, (w.dir / "outside.txt").string(), "mine_abs") == E::kNotCapable);
  REQUIRE(g_symlink(w, "../outside.txt", "mine_out") == E::kSuccess);
  CHECK(w.open("mine_out", 0, abi::right::kFdRead, 0, fd) == E::kNotCapable);
  REQUIRE(g_symlink(w, "../../..", "sub/up3") == E::kSuccess);
  CHECK(w.open("sub/up3/etc/passwd", 0, abi::right::kFdRead, 0, fd) == E::kNotCapable);
  // link / rename out
  CHECK(g_rename(w, "inside.txt", "../moved.txt") == E::kNotCapable);
  CHECK(g_link(w, "inside.txt", "../linked.txt") == E::kNotCapable);
  CHECK(g_link(w, "host_link_out", "hard_to_outside", abi::lookupflag::kSymlinkFollow) == E::kNotCapable);
  CHECK(g_rename(w, "../outside.txt", "stolen.txt") == E::kNotCapable);
  CHECK_FALSE(w.dir.exists("moved.txt"));
  CHECK_FALSE(w.dir.exists("linked.txt"));
  CHECK(w.dir.exists("sandbox/inside.txt"));
  // unlinking or statting through a directory symlink out
  REQUIRE(g_symlink(w, "..", "parent") == E::kSuccess);
  CHECK(g_unlink(w, "parent/outside.txt") == E::kNotCapable);
  CHECK(w.dir.exists("outside.txt"));
  // moved one level down, "../outside.txt" now names sandbox/outside.txt
  // (absent): resolution follows the link where it is, never the host file
  REQUIRE(g_rename(w, "mine_out", "sub/moved_link") == E::kSuccess);
  CHECK(w.open("sub/moved_link", 0, abi::right::kFdRead, 0, fd) == E::kNoEnt);
  std::string target;
  REQUIRE(g_readlink(w, "sub/moved_link", target) == E::kSuccess);
  CHECK(target == "../outside.txt");
}

TEST_CASE("paths must be UTF-8 and within memory") {
  World w;
  uint32_t fd = 0;
  CHECK(w.open(std::string("bad\xff"), abi::oflag::kCreat, abi::right::kFileRights, 0, fd) == E::kIlseq);
  CHECK(w.open(std::string("nul\0x", 5), abi::oflag::kCreat, abi::right::kFileRights, 0, fd) == E::kInval);
  CHECK(w.open("", 0, abi::right::kFileRights, 0, fd) == E::kNoEnt);
}
