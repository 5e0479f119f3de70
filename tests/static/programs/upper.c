// A WASI command for aotc --emit=exe: copies the file argv[1] to argv[2] in
// upper case, greets $NAME, and exits with status 3. "trap" as argv[1]
// traps instead (in a function of its own, for the backtrace).
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((noinline)) static void fail_hard(void) { __builtin_trap(); }

int main(int argc, char** argv) {
  if (argc > 1 && strcmp(argv[1], "trap") == 0) fail_hard();
  if (argc < 3) {
    fprintf(stderr, "usage: upper IN OUT\n");
    return 2;
  }
  FILE* in = fopen(argv[1], "r");
  if (!in) {
    perror(argv[1]);
    return 1;
  }
  FILE* out = fopen(argv[2], "w");
  if (!out) {
    perror(argv[2]);
    return 1;
  }
  int c, n = 0;
  while ((c = fgetc(in)) != EOF) {
    fputc(toupper(c), out);
    ++n;
  }
  fclose(in);
  fclose(out);
  const char* name = getenv("NAME");
  printf("hello %s: %d bytes, %d args\n", name ? name : "nobody", n, argc);
  return 3;
}
