// ARGS: first "second arg" "" third
// ENV: GREETING=hello EMPTY= MULTI=a=b=c
// Arguments and environment: exactly what kiln run was given.
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

#include "test_util.h"

extern char** environ;

int main(int argc, char** argv) {
  printf("argc=%d\n", argc);
  size_t len = strlen(argv[0]);
  printf("argv[0] is the artifact: %s\n", YES(len > 3 && strcmp(argv[0] + len - 3, ".so") == 0));
  for (int i = 1; i < argc; i++) printf("argv[%d]=[%s]\n", i, argv[i]);
  const char* names[] = {"GREETING", "EMPTY", "MULTI", "MISSING", "PATH", "HOME"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    const char* v = getenv(names[i]);
    if (v) printf("%s=[%s]\n", names[i], v);
    else printf("%s unset\n", names[i]);
  }
  int n = 0;
  for (char** e = environ; *e; e++) n++;
  printf("environ entries: %d\n", n);

  // The raw calls agree with what libc built from them.
  __wasi_size_t count, size;
  printf("args_sizes_get: %d, count %u\n", __wasi_args_sizes_get(&count, &size), (unsigned)count);
  printf("environ_sizes_get: %d, count %u, bytes %u\n", __wasi_environ_sizes_get(&count, &size), (unsigned)count,
         (unsigned)size);
  return 0;
}
