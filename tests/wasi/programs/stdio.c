// STDIN: first line\nsecond line\nthird\n
// STDERR: this goes to stderr
// Standard streams: stdin read to its end, stdout through stdio and
// write(), stderr separately.
#include <ctype.h>
#include <string.h>
#include <unistd.h>

#include "test_util.h"

int main(void) {
  char buf[256];
  int lines = 0;
  while (fgets(buf, sizeof buf, stdin)) {
    lines++;
    for (char* p = buf; *p; p++) *p = (char)toupper((unsigned char)*p);
    printf("%d: %s", lines, buf);
  }
  printf("lines: %d, eof: %s\n", lines, YES(feof(stdin)));
  printf("read at eof: %zd\n", read(0, buf, sizeof buf));
  fflush(stdout);
  const char direct[] = "written with write()\n";
  printf("write returned %zd\n", write(1, direct, strlen(direct)));
  fprintf(stderr, "this goes to stderr\n");
  printf("stdin is a tty: %s\n", YES(isatty(0)));
  errno = 0;
  report("lseek on stdin (a pipe)", lseek(0, 0, SEEK_CUR));
  report("write to stdin", write(0, "x", 1));
  return 0;
}
