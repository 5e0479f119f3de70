// EXIT: 134
// STDERR: error: wasm trap: unreachable
// NO-STDERR: guest stderr
// FILE: sandbox/out.log guest stdout, into out.log\nout.log holds 27 bytes: guest stdout, into out.log\nclosed 0 and 2: 1\n
// The guest's stdio is its own: it moves files over its stderr and stdout
// (fd_renumber) and closes fds 0-2, then aborts; kiln's report of the trap
// still reaches kiln's own stderr, and the guest's writes reach its files.
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wasi/api.h>

static void show(const char* path) {
  char buf[128] = {0};
  int fd = open(path, O_RDONLY);
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  printf("%s holds %zd bytes: %s", path, n, buf);
}

int main(void) {
  int log = open("err.log", O_CREAT | O_WRONLY | O_TRUNC, 0644);
  printf("renumber file -> 2: %d\n", __wasi_fd_renumber(log, 2));
  fprintf(stderr, "guest stderr, into err.log\n");
  fflush(stderr);
  show("err.log");
  fflush(stdout);
  int out = open("out.log", O_CREAT | O_WRONLY | O_TRUNC, 0644);
  __wasi_fd_renumber(out, 1);
  printf("guest stdout, into out.log\n");
  fflush(stdout);
  int closed = close(0) == 0 && close(2) == 0;
  // Back on a new stdout file, report through it.
  show("out.log");
  printf("closed 0 and 2: %d\n", closed);
  fflush(stdout);
  abort();
}
