// Files: write, read, seek, tell, pread, pwrite, sync, allocate, advise,
// stat, truncate, timestamps, append, and the errors of each.
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

#include "test_util.h"

int main(void) {
  char buf[64] = {0};
  int fd = open("data.bin", O_CREAT | O_RDWR | O_TRUNC, 0644);
  printf("open: %s\n", YES(fd >= 0));
  printf("write: %zd\n", write(fd, "hello, world\n", 13));
  printf("tell: %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
  printf("seek set 7: %lld\n", (long long)lseek(fd, 7, SEEK_SET));
  printf("read: %zd [%.5s]\n", read(fd, buf, 5), buf);
  printf("pwrite: %zd\n", pwrite(fd, "HELLO", 5, 0));
  memset(buf, 0, sizeof buf);
  printf("pread: %zd [%s]\n", pread(fd, buf, 5, 0), buf);
  printf("position kept: %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
  printf("seek end -1: %lld\n", (long long)lseek(fd, -1, SEEK_END));
  report("seek before start", lseek(fd, -100, SEEK_SET));
  report("fsync", fsync(fd));
  report("fdatasync", fdatasync(fd));
  printf("posix_fadvise: %d\n", posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL));
  printf("posix_fallocate: %d\n", posix_fallocate(fd, 0, 4096));
  struct stat st;
  fstat(fd, &st);
  printf("size after allocate: %lld, regular: %s, nlink %d\n", (long long)st.st_size, YES(S_ISREG(st.st_mode)),
         (int)st.st_nlink);
  report("ftruncate 5", ftruncate(fd, 5));
  fstat(fd, &st);
  printf("size after truncate: %lld\n", (long long)st.st_size);

  struct timespec times[2] = {{1000000, 0}, {2000000, 500}};
  report("futimens", futimens(fd, times));
  fstat(fd, &st);
  printf("atime %lld.%09ld mtime %lld.%09ld\n", (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec,
         (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
  struct timespec later[2] = {{3000000, 7}, {4000000, 9}};
  report("utimensat by path", utimensat(AT_FDCWD, "data.bin", later, 0));
  stat("data.bin", &st);
  printf("atime %lld.%09ld mtime %lld.%09ld\n", (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec,
         (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
  // "now" for mtime only, through the host call itself (this wasi-libc's
  // utimensat mishandles UTIME_NOW / UTIME_OMIT before reaching the host).
  printf("path_filestat_set_times mtim_now: %d\n",
         __wasi_path_filestat_set_times(3, 0, "data.bin", 0, 0, __WASI_FSTFLAGS_MTIM_NOW));
  stat("data.bin", &st);
  printf("atime kept: %s, mtime now: %s\n", YES(st.st_atim.tv_sec == 3000000),
         YES(st.st_mtim.tv_sec > 1600000000));
  printf("fd_filestat_set_times atim and atim_now: %d\n",
         __wasi_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW));
  report("close", close(fd));
  report("read after close", read(fd, buf, 1));

  // Append mode writes at the end whatever the position.
  fd = open("log.txt", O_CREAT | O_WRONLY | O_APPEND, 0644);
  write(fd, "one\n", 4);
  lseek(fd, 0, SEEK_SET);
  write(fd, "two\n", 4);
  close(fd);
  // stdio on top.
  FILE* f = fopen("log.txt", "r");
  while (fgets(buf, sizeof buf, f)) printf("log: %s", buf);
  fclose(f);
  f = fopen("log.txt", "a");
  fprintf(f, "three %d\n", 3);
  fclose(f);
  f = fopen("log.txt", "r");
  fseek(f, -8, SEEK_END);
  printf("ftell after fseek: %ld\n", ftell(f));
  fgets(buf, sizeof buf, f);
  printf("tail: %s", buf);
  fclose(f);

  report("open missing", open("missing.txt", O_RDONLY));
  report("create exclusive over existing", open("log.txt", O_CREAT | O_EXCL | O_WRONLY, 0644));
  fd = open("log.txt", O_WRONLY);
  report("read a write-only fd", read(fd, buf, 1));
  close(fd);
  fd = open("log.txt", O_RDONLY);
  report("write a read-only fd", write(fd, "x", 1));
  close(fd);
  report("open a directory for writing", open(".", O_WRONLY));
  stat("log.txt", &st);
  printf("log size: %lld\n", (long long)st.st_size);
  fd = open("log.txt", O_WRONLY | O_TRUNC);
  close(fd);
  stat("log.txt", &st);
  printf("after O_TRUNC: %lld\n", (long long)st.st_size);
  return 0;
}
