// fd_renumber moves an open fd over another; freed numbers are reused.
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

#include "test_util.h"

int main(void) {
  int a = open("a.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644);
  int b = open("b.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644);
  printf("distinct fds: %s\n", YES(a >= 0 && b >= 0 && a != b));
  printf("renumber a -> b: %d\n", __wasi_fd_renumber(a, b));
  printf("write through b: %zd\n", write(b, "via b\n", 6));
  report("write through a", write(a, "x", 1));
  printf("renumber a -> b again: %d\n", __wasi_fd_renumber(a, b));
  printf("renumber b -> unopened 77: %d\n", __wasi_fd_renumber(b, 77));
  printf("renumber b -> b: %d\n", __wasi_fd_renumber(b, b));
  int c = open("c.txt", O_CREAT | O_WRONLY, 0644);
  printf("freed number reused: %s\n", YES(c == a));
  close(b);
  close(c);
  struct stat st;
  stat("a.txt", &st);
  printf("a.txt size: %lld\n", (long long)st.st_size);
  stat("b.txt", &st);
  printf("b.txt size: %lld\n", (long long)st.st_size);
  // stderr can be moved onto a file too.
  int log = open("err.log", O_CREAT | O_WRONLY | O_TRUNC, 0644);
  printf("renumber log -> 2: %d\n", __wasi_fd_renumber(log, 2));
  fprintf(stderr, "to the log\n");
  fflush(stderr);
  stat("err.log", &st);
  printf("err.log size: %lld\n", (long long)st.st_size);
  return 0;
}
