// fdstat: file types, open flags, fcntl flags, rights and dropping them.
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <wasi/api.h>

#include "test_util.h"

static void show(const char* label, int fd) {
  __wasi_fdstat_t st;
  __wasi_errno_t e = __wasi_fd_fdstat_get(fd, &st);
  if (e) {
    printf("%s: errno %d\n", label, e);
    return;
  }
  printf("%s: type %d flags 0x%x read %s write %s seek %s readdir %s path_open %s\n", label, st.fs_filetype,
         st.fs_flags, YES(st.fs_rights_base & __WASI_RIGHTS_FD_READ),
         YES(st.fs_rights_base & __WASI_RIGHTS_FD_WRITE), YES(st.fs_rights_base & __WASI_RIGHTS_FD_SEEK),
         YES(st.fs_rights_base & __WASI_RIGHTS_FD_READDIR), YES(st.fs_rights_base & __WASI_RIGHTS_PATH_OPEN));
}

int main(void) {
  show("preopen fd 3", 3);
  int fd = open("f", O_CREAT | O_WRONLY | O_APPEND, 0644);
  show("write-only append file", fd);
  int fl = fcntl(fd, F_GETFL);
  printf("F_GETFL append: %s, write-only: %s\n", YES(fl & O_APPEND), YES((fl & O_ACCMODE) == O_WRONLY));
  report("F_SETFL nonblock", fcntl(fd, F_SETFL, O_NONBLOCK));
  fl = fcntl(fd, F_GETFL);
  printf("now nonblock: %s, append: %s\n", YES(fl & O_NONBLOCK), YES(fl & O_APPEND));
  printf("set_flags sync: %d\n", __wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_SYNC));
  printf("set_flags unknown bit: %d\n", __wasi_fd_fdstat_set_flags(fd, 0x100));
  close(fd);

  int rw = open("f", O_RDWR | O_DSYNC);
  show("read-write dsync file", rw);
  int rs = open("f", O_RDONLY | O_RSYNC);
  show("read-only rsync file", rs);
  int sy = open("f", O_WRONLY | O_SYNC);
  show("sync file", sy);
  int d = open(".", O_RDONLY | O_DIRECTORY);
  show("directory", d);

  // Dropping rights is permanent for that fd.
  __wasi_fdstat_t st;
  if (__wasi_fd_fdstat_get(rw, &st)) return 1;
  printf("drop write: %d\n",
         __wasi_fd_fdstat_set_rights(rw, st.fs_rights_base & ~__WASI_RIGHTS_FD_WRITE, st.fs_rights_inheriting));
  report("write after dropping the right", write(rw, "x", 1));
  char c;
  report("read still allowed", read(rw, &c, 1));
  printf("take write back: %d\n", __wasi_fd_fdstat_set_rights(rw, st.fs_rights_base, st.fs_rights_inheriting));
  // A directory that may no longer open files for writing.
  if (__wasi_fd_fdstat_get(d, &st)) return 1;
  printf("narrow directory: %d\n", __wasi_fd_fdstat_set_rights(d, st.fs_rights_base,
                                                            st.fs_rights_inheriting & ~__WASI_RIGHTS_FD_WRITE));
  __wasi_fd_t nf;
  __wasi_errno_t e = __wasi_path_open(d, 0, "f", 0, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE, 0, 0, &nf);
  printf("open through it: %d\n", e);
  show("opened through the narrowed directory", nf);
  printf("fdstat of a closed fd: %d\n", __wasi_fd_fdstat_get(99, &st));
  return 0;
}
