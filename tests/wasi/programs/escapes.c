// SETUP: file sandbox/inside.txt inside
// SETUP: mkdir sandbox/sub
// SETUP: symlink ../outside.txt sandbox/host_link_out
// SETUP: symlink {root}/outside.txt sandbox/host_link_abs
// SETUP: symlink ../outside_dir sandbox/host_dir_link
// SETUP: symlink sub/../../outside.txt sandbox/sneaky
// SETUP: symlink inside.txt sandbox/host_link_in
// Every way out of the sandbox must fail, and bad pointers must fail
// cleanly. The runner also checks that nothing outside changed.
#include <dirent.h>
#include <stdint.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

#include "test_util.h"

static void try_open(const char* path, int flags) {
  int fd = open(path, flags, 0644);
  printf("open %s: %s\n", path, fd >= 0 ? "OK" : errname(errno));
  if (fd >= 0) close(fd);
}

// The import itself, taking (pointer, length) paths: wasi-libc's wrapper
// would stop at a NUL byte.
int32_t raw_path_open(int32_t fd, int32_t dirflags, int32_t path, int32_t path_len, int32_t oflags,
                      int64_t rights_base, int64_t rights_inheriting, int32_t fdflags, int32_t fd_out)
    __attribute__((import_module("wasi_snapshot_preview1"), import_name("path_open")));

static int32_t raw_open_at(int dirfd, const char* path, size_t len) {
  static __wasi_fd_t fd;
  return raw_path_open(dirfd, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, (int32_t)(uintptr_t)path, (int32_t)len, 0,
                       __WASI_RIGHTS_FD_READ, 0, 0, (int32_t)(uintptr_t)&fd);
}

// Straight to the host with the preopen's fd, bypassing libc's path logic.
static void raw_open(const char* path, size_t len) {
  printf("raw path_open %s: %d\n", path, raw_open_at(3, path, len));
}

int main(void) {
  try_open("inside.txt", O_RDONLY);
  try_open("host_link_in", O_RDONLY);
  // ..
  try_open("../outside.txt", O_RDONLY);
  try_open("sub/../../outside.txt", O_RDONLY);
  try_open("../outside.txt", O_WRONLY | O_TRUNC);
  raw_open("..", 2);
  raw_open("sub/../..", 9);
  // absolute paths
  raw_open("/etc/passwd", 11);
  try_open("/etc/passwd", O_RDONLY);
  // symlinks the host made
  try_open("host_link_out", O_RDONLY);
  try_open("host_link_abs", O_RDONLY);
  try_open("sneaky", O_RDONLY);
  try_open("host_dir_link/new.txt", O_CREAT | O_WRONLY);
  try_open("host_link_out", O_CREAT | O_WRONLY | O_TRUNC);
  struct stat st;
  report("stat host_link_out", stat("host_link_out", &st));
  report("lstat host_link_out (the link itself)", lstat("host_link_out", &st));
  char target[64] = {0};
  report("readlink host_link_out", readlink("host_link_out", target, sizeof target));
  printf("  target text: %s\n", target);
  // symlinks the guest makes
  report("symlink mine -> ../outside.txt", symlink("../outside.txt", "mine"));
  try_open("mine", O_RDONLY);
  try_open("mine", O_CREAT | O_WRONLY | O_TRUNC);
  report("symlink to an absolute path", symlink("/etc/passwd", "mine_abs"));
  report("symlink sub/up -> ../../..", symlink("../../..", "sub/up"));
  try_open("sub/up/etc/passwd", O_RDONLY);
  report("symlink loop a -> b", symlink("loop_b", "loop_a"));
  report("symlink loop b -> a", symlink("loop_a", "loop_b"));
  try_open("loop_a", O_RDONLY);
  // moving things out, or in from outside
  report("rename inside.txt -> ../moved.txt", rename("inside.txt", "../moved.txt"));
  report("rename ../outside.txt -> stolen.txt", rename("../outside.txt", "stolen.txt"));
  report("link inside.txt -> ../linked.txt", link("inside.txt", "../linked.txt"));
  report("link ../outside.txt -> hard.txt", link("../outside.txt", "hard.txt"));
  report("rename host_dir_link/.. -> x", rename("host_dir_link/../outside.txt", "x"));
  report("mkdir ../newdir", mkdir("../newdir", 0755));
  report("mkdir host_dir_link/newdir", mkdir("host_dir_link/newdir", 0755));
  report("unlink ../outside.txt", unlink("../outside.txt"));
  report("rmdir ../outside_dir", rmdir("../outside_dir"));
  report("stat ..", stat("..", &st));
  report("opendir ..", opendir("..") ? 0 : -1);
  report("utimensat ../outside.txt", utimensat(AT_FDCWD, "../outside.txt", NULL, 0));
  report("chdir ..", chdir(".."));

  // Bad pointers and strings, straight to the host.
  printf("path with a NUL byte: %d\n", raw_open_at(3, "a\0b", 3));
  printf("path not UTF-8: %d\n", raw_open_at(3, "\xff\xfe", 2));
  printf("path_open on stdin (not a directory): %d\n", raw_open_at(0, "x", 1));
  printf("path beyond memory: %d\n", raw_open_at(3, (const char*)0xFFFFFFF0u, 100));
  printf("fd_out beyond memory: %d\n",
         raw_path_open(3, 0, (int32_t)(uintptr_t)"inside.txt", 10, 0, __WASI_RIGHTS_FD_READ, 0, 0, -4));
  __wasi_ciovec_t bad = {(const uint8_t*)0xFFFFFFF0u, 100};
  __wasi_size_t n;
  printf("iovec beyond memory: %d\n", __wasi_fd_write(1, &bad, 1, &n));
  __wasi_ciovec_t ok = {(const uint8_t*)"x\n", 2};
  printf("result pointer beyond memory: %d\n", __wasi_fd_write(1, &ok, 1, (__wasi_size_t*)0xFFFFFFFCu));
  printf("iovec array beyond memory: %d\n", __wasi_fd_write(1, (const __wasi_ciovec_t*)0xFFFFFFF8u, 2, &n));
  printf("args_get into nowhere: %d\n", __wasi_args_get((uint8_t**)0xFFFFFFF0u, (uint8_t*)0xFFFFFFF0u));
  printf("random_get beyond memory: %d\n", __wasi_random_get((uint8_t*)0xFFFFFF00u, 1024));
  try_open("inside.txt", O_RDONLY);
  return 0;
}
