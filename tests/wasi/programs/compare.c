// ARGS: alpha "beta gamma" 42
// ENV: KILN_TEST_NAME=compare KILN_TEST_EMPTY=
// Built twice, for wasm32-wasi (run with kiln run) and for this machine;
// both runs must print the same and leave the same files. Anything random
// or time-dependent is printed as a fact about it.
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "test_util.h"

extern char** environ;

static int64_t ns(clockid_t c) {
  struct timespec ts;
  clock_gettime(c, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int cmp(const void* a, const void* b) { return strcmp(*(char* const*)a, *(char* const*)b); }

static void list(const char* path) {
  DIR* d = opendir(path);
  char* names[32];
  int n = 0;
  struct dirent* e;
  while (d && (e = readdir(d)) && n < 32) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    names[n] = malloc(strlen(e->d_name) + 2);
    sprintf(names[n++], "%s%s", e->d_name, e->d_type == DT_DIR ? "/" : e->d_type == DT_LNK ? "@" : "");
  }
  if (d) closedir(d);
  qsort(names, n, sizeof names[0], cmp);
  printf("%s:", path);
  for (int i = 0; i < n; i++) {
    printf(" %s", names[i]);
    free(names[i]);
  }
  printf("\n");
}

int main(int argc, char** argv) {
  // Arguments and environment.
  printf("args:");
  for (int i = 1; i < argc; i++) printf(" [%s]", argv[i]);
  printf("\n");
  const char* vars[] = {"KILN_TEST_NAME", "KILN_TEST_EMPTY", "KILN_TEST_MISSING"};
  for (int i = 0; i < 3; i++) {
    const char* v = getenv(vars[i]);
    printf("%s %s%s%s\n", vars[i], v ? "= [" : "unset", v ? v : "", v ? "]" : "");
  }
  int envc = 0;
  for (char** e = environ; *e; e++) envc++;
  printf("environment size: %d\n", envc);

  // Files.
  FILE* f = fopen("notes.txt", "w");
  for (int i = 1; i <= 5; i++) fprintf(f, "line %d of %s\n", i, argv[1]);
  fclose(f);
  f = fopen("notes.txt", "r");
  char line[128];
  int lines = 0;
  while (fgets(line, sizeof line, f)) lines++;
  printf("lines read back: %d, last: %s", lines, line);
  fclose(f);
  struct stat st;
  stat("notes.txt", &st);
  printf("size: %lld, regular: %s\n", (long long)st.st_size, YES(S_ISREG(st.st_mode)));
  int fd = open("notes.txt", O_RDWR);
  pwrite(fd, "LINE", 4, 0);
  char head[16] = {0};
  pread(fd, head, 11, 0);
  printf("pwrite/pread: [%s], offset still %lld\n", head, (long long)lseek(fd, 0, SEEK_CUR));
  lseek(fd, -10, SEEK_END);
  memset(head, 0, sizeof head);
  read(fd, head, 9);
  printf("tail via lseek: [%s]\n", head);
  ftruncate(fd, 20);
  fstat(fd, &st);
  printf("after ftruncate: %lld\n", (long long)st.st_size);
  close(fd);
  report("open missing.txt", open("missing.txt", O_RDONLY));
  report("exclusive create of notes.txt", open("notes.txt", O_CREAT | O_EXCL | O_WRONLY, 0644));

  // Directories.
  report("mkdir tree", mkdir("tree", 0755));
  report("mkdir tree/a", mkdir("tree/a", 0755));
  report("mkdir tree again", mkdir("tree", 0755));
  for (int i = 0; i < 4; i++) {
    char name[32];
    sprintf(name, "tree/file%d", i);
    fd = open(name, O_CREAT | O_WRONLY, 0644);
    write(fd, name, strlen(name));
    close(fd);
  }
  report("rename tree/file0 -> tree/a/moved", rename("tree/file0", "tree/a/moved"));
  report("symlink tree/link -> file1", symlink("file1", "tree/link"));
  char target[64] = {0};
  readlink("tree/link", target, sizeof target);
  printf("readlink: %s\n", target);
  report("link tree/file2 -> tree/hard", link("tree/file2", "tree/hard"));
  stat("tree/file2", &st);
  printf("nlink: %d\n", (int)st.st_nlink);
  report("unlink tree/file3", unlink("tree/file3"));
  report("rmdir tree (not empty)", rmdir("tree"));
  report("rmdir tree/file1 (a file)", rmdir("tree/file1"));
  report("unlink tree/a (a directory)", unlink("tree/a"));
  report("mkdir tree/gone", mkdir("tree/gone", 0755));
  report("rmdir tree/gone", rmdir("tree/gone"));
  list(".");
  list("tree");
  list("tree/a");

  // Clocks.
  int64_t m0 = ns(CLOCK_MONOTONIC), real = ns(CLOCK_REALTIME);
  struct timespec nap = {0, 10 * 1000000};
  nanosleep(&nap, NULL);
  int64_t m1 = ns(CLOCK_MONOTONIC);
  printf("realtime plausible: %s\n", YES(real > 1577836800LL * 1000000000));
  printf("sleep 10ms took at least 10ms: %s\n", YES(m1 - m0 >= 10000000));
  printf("time() close to realtime: %s\n", YES(time(NULL) - real / 1000000000 <= 1));
  printf("cpu time positive: %s\n", YES(ns(CLOCK_PROCESS_CPUTIME_ID) > 0));

  // Random numbers.
  unsigned char r1[16], r2[16];
  getentropy(r1, sizeof r1);
  getentropy(r2, sizeof r2);
  printf("random bytes differ: %s\n", YES(memcmp(r1, r2, sizeof r1) != 0));
  return 0;
}
