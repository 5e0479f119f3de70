// Sandboxed path resolution against a real directory tree, with both the
// openat2 strategy and the manual component walk.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/stat.h>

#include "loader/wasi/path_resolver.h"
#include "wasi_test_support.h"

using namespace kiln::wasi;
using kiln::wasi::testing::TempDir;
namespace E = abi::err;

namespace {

struct Tree {
  TempDir root;
  UniqueFd base;
  Tree() {
    root.mkdir("sandbox/dir/sub");
    root.write("secret.txt", "secret");
    root.write("sandbox/file.txt", "hello");
    root.write("sandbox/dir/inner.txt", "inner");
    root.symlink("..", "sandbox/dir/up");
    root.symlink("dir/inner.txt", "sandbox/link_in");
    root.symlink("dir", "sandbox/link_dir");
    root.symlink("../secret.txt", "sandbox/link_out");
    root.symlink((root / "secret.txt").string(), "sandbox/link_abs");
    root.symlink("loop2", "sandbox/loop1");
    root.symlink("loop1", "sandbox/loop2");
    root.symlink("not_there_yet", "sandbox/dangling");
    root.symlink("sub/../../link_out", "sandbox/dir/sneaky");
    base.reset(open((root / "sandbox").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  }
  /// Resolves and, on success, returns the inode the result names (0 if
  /// the entry does not exist).
  abi::Errno resolve(const std::string& path, bool follow, ResolvedPath& out) {
    return resolve_path(base.get(), path, follow, out);
  }
};

ino_t inode_of(const std::filesystem::path& p) {
  struct stat st;
  return lstat(p.c_str(), &st) == 0 ? st.st_ino : 0;
}

ino_t inode_at(const ResolvedPath& r) {
  struct stat st;
  return fstatat(r.parent.get(), r.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 ? st.st_ino : 0;
}

void run_resolver_cases(Tree& t) {
  ResolvedPath r;
  const auto& root = t.root;

  SUBCASE("plain names and nested paths") {
    REQUIRE(t.resolve("file.txt", false, r) == E::kSuccess);
    CHECK(r.name == "file.txt");
    CHECK(inode_at(r) == inode_of(root / "sandbox/file.txt"));
    REQUIRE(t.resolve("dir/inner.txt", false, r) == E::kSuccess);
    CHECK(inode_at(r) == inode_of(root / "sandbox/dir/inner.txt"));
    REQUIRE(t.resolve("dir//./inner.txt", false, r) == E::kSuccess);
    CHECK(inode_at(r) == inode_of(root / "sandbox/dir/inner.txt"));
    REQUIRE(t.resolve("dir/../file.txt", false, r) == E::kSuccess);
    CHECK(inode_at(r) == inode_of(root / "sandbox/file.txt"));
  }
  SUBCASE("the directory itself") {
    REQUIRE(t.resolve(".", false, r) == E::kSuccess);
    CHECK(r.name == ".");
    CHECK(inode_at(r) == inode_of(root / "sandbox"));
    REQUIRE(t.resolve("dir/..", false, r) == E::kSuccess);
    CHECK(r.name == ".");
    CHECK(inode_at(r) == inode_of(root / "sandbox"));
  }
  SUBCASE("trailing slash") {
    REQUIRE(t.resolve("dir/", false, r) == E::kSuccess);
    CHECK(r.name == "dir");
    CHECK(r.trailing_slash);
    REQUIRE(t.resolve("file.txt", false, r) == E::kSuccess);
    CHECK_FALSE(r.trailing_slash);
  }
  SUBCASE("dot-dot above the base is refused") {
    CHECK(t.resolve("..", false, r) == E::kNotCapable);
    CHECK(t.resolve("../secret.txt", false, r) == E::kNotCapable);
    CHECK(t.resolve("dir/../../secret.txt", false, r) == E::kNotCapable);
    CHECK(t.resolve("dir/sub/../../../sandbox/file.txt", false, r) == E::kNotCapable);
  }
  SUBCASE("absolute paths are refused") {
    CHECK(t.resolve("/etc/passwd", false, r) == E::kNotCapable);
    CHECK(t.resolve((root / "sandbox/file.txt").string(), false, r) == E::kNotCapable);
  }
  SUBCASE("symlinks inside the sandbox are followed") {
    REQUIRE(t.resolve("link_in", true, r) == E::kSuccess);
    CHECK(inode_at(r) == inode_of(root / "sandbox/dir/inner.txt"));
    REQUIRE(t.resolve("link_dir/inner.txt", false, r) == E::kSuccess);
    CHECK(inode_at(r) == inode_of(root / "sandbox/dir/inner.txt"));
    REQUIRE(t.resolve("dir/up/file.txt", false, r) == E::kSuccess);
    CHECK(inode_at(r) == inode_of(root / "sandbox/file.txt"));
  }
  SUBCASE("without follow the last symlink is the entry itself") {
    REQUIRE(t.resolve("link_out", false, r) == E::kSuccess);
    CHECK(r.name == "link_out");
    CHECK(inode_at(r) == inode_of(root / "sandbox/link_out"));
  }
  SUBCASE("symlinks leading out are refused") {
    CHECK(t.resolve("link_out", true, r) == E::kNotCapable);
    CHECK(t.resolve("link_abs", true, r) == E::kNotCapable);
    CHECK(t.resolve("link_out/x", false, r) == E::kNotCapable);
    CHECK(t.resolve("dir/up/../secret.txt", false, r) == E::kNotCapable);
    CHECK(t.resolve("dir/sneaky", true, r) == E::kNotCapable);
  }
  SUBCASE("symlink loops") {
    CHECK(t.resolve("loop1", true, r) == E::kLoop);
    CHECK(t.resolve("loop1/x", false, r) == E::kLoop);
  }
  SUBCASE("a dangling symlink resolves to where its target would be") {
    REQUIRE(t.resolve("dangling", true, r) == E::kSuccess);
    CHECK(r.name == "not_there_yet");
    CHECK(inode_at(r) == 0);
  }
  SUBCASE("bad paths") {
    CHECK(t.resolve("", false, r) == E::kNoEnt);
    CHECK(t.resolve(std::string("a\0b", 3), false, r) == E::kInval);
    CHECK(t.resolve("file.txt/x", false, r) == E::kNotDir);
    CHECK(t.resolve("missing/x", false, r) == E::kNoEnt);
    CHECK(t.resolve(std::string(300, 'n'), false, r) == E::kNameTooLong);
  }
  SUBCASE("a symlink swapped in for a directory is still checked") {
    // The walk never trusts an earlier lookup: replacing dir/sub with a
    // link out after a first resolution changes nothing for later ones.
    REQUIRE(t.resolve("dir/sub/x", false, r) == E::kSuccess);
    std::filesystem::remove(root / "sandbox/dir/sub");
    root.symlink((root / "").string(), "sandbox/dir/sub");
    CHECK(t.resolve("dir/sub/secret.txt", false, r) == E::kNotCapable);
  }
}

}  // namespace

TEST_CASE("path resolution: manual component walk") {
  Tree t;
  REQUIRE(t.base);
  set_resolve_mode(ResolveMode::ManualWalk);
  run_resolver_cases(t);
  set_resolve_mode(ResolveMode::Auto);
}

TEST_CASE("path resolution: openat2 with RESOLVE_BENEATH (walk when the kernel lacks it)") {
  Tree t;
  REQUIRE(t.base);
  set_resolve_mode(ResolveMode::Openat2);
  run_resolver_cases(t);
  set_resolve_mode(ResolveMode::Auto);
}
