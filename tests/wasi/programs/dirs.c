// Directories: mkdir, readdir (with telldir/seekdir cookies), rmdir,
// rename, link, symlink, readlink, unlink, and their errors.
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_util.h"

static void touch(const char* path, const char* text) {
  int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
  write(fd, text, strlen(text));
  close(fd);
}

static int cmp(const void* a, const void* b) { return strcmp(*(char* const*)a, *(char* const*)b); }

static void list(const char* path) {
  DIR* d = opendir(path);
  if (!d) {
    printf("list %s: %s\n", path, errname(errno));
    return;
  }
  char* names[64];
  int n = 0;
  struct dirent* e;
  while ((e = readdir(d)) && n < 64) {
    char* s = malloc(strlen(e->d_name) + 3);
    const char* kind = e->d_type == DT_DIR ? "/" : e->d_type == DT_LNK ? "@" : e->d_type == DT_REG ? "" : "?";
    sprintf(s, "%s%s", e->d_name, kind);
    names[n++] = s;
  }
  closedir(d);
  qsort(names, n, sizeof names[0], cmp);
  printf("list %s:", path);
  for (int i = 0; i < n; i++) {
    printf(" %s", names[i]);
    free(names[i]);
  }
  printf("\n");
}

int main(void) {
  report("mkdir d", mkdir("d", 0755));
  report("mkdir d/sub", mkdir("d/sub", 0755));
  report("mkdir d again", mkdir("d", 0755));
  report("mkdir in missing parent", mkdir("nope/x", 0755));
  touch("d/a", "AAAA");
  touch("d/b", "BB");
  touch("d/c", "");
  list("d");

  // Cookies: remember a position, read on, come back.
  for (int i = 0; i < 3; i++) touch((char[]){'d', '/', 'f', (char)('0' + i), 0}, "");
  DIR* dir = opendir("d");
  readdir(dir);
  readdir(dir);
  long pos = telldir(dir);
  char after_first[256] = {0}, after_again[256] = {0};
  int count = 0;
  struct dirent* e;
  while ((e = readdir(dir))) {
    if (!count++) strcpy(after_first, e->d_name);
  }
  seekdir(dir, pos);
  e = readdir(dir);
  strcpy(after_again, e ? e->d_name : "(none)");
  rewinddir(dir);
  int total = 0;
  while (readdir(dir)) total++;
  closedir(dir);
  printf("seekdir returns to the same entry: %s\n", YES(strcmp(after_first, after_again) == 0));
  printf("entries after the cookie: %d, after rewind: %d\n", count, total);

  report("rename d/a -> d/sub/a2", rename("d/a", "d/sub/a2"));
  struct stat st;
  report("stat d/a", stat("d/a", &st));
  report("stat d/sub/a2", stat("d/sub/a2", &st));
  printf("a2 size: %lld\n", (long long)st.st_size);
  report("rename missing", rename("d/zzz", "d/yyy"));
  report("rename over a non-empty directory", rename("d/sub", "d"));

  report("link d/b -> d/b_hard", link("d/b", "d/b_hard"));
  stat("d/b", &st);
  printf("b nlink: %d\n", (int)st.st_nlink);
  report("link onto existing", link("d/b", "d/c"));

  report("symlink d/b_sym -> b", symlink("b", "d/b_sym"));
  char target[64] = {0};
  printf("readlink d/b_sym: %zd [%s]\n", readlink("d/b_sym", target, sizeof target), target);
  lstat("d/b_sym", &st);
  printf("lstat is a link: %s\n", YES(S_ISLNK(st.st_mode)));
  stat("d/b_sym", &st);
  printf("stat follows: %s, size %lld\n", YES(S_ISREG(st.st_mode)), (long long)st.st_size);
  report("readlink on a file", readlink("d/b", target, sizeof target));
  report("symlink d/sub_sym -> sub", symlink("sub", "d/sub_sym"));
  report("open through a directory symlink", open("d/sub_sym/a2", O_RDONLY));
  report("symlink onto existing", symlink("x", "d/b"));
  report("dangling symlink", symlink("nothing_here", "d/dangling"));
  report("open dangling", open("d/dangling", O_RDONLY));
  report("create through dangling", open("d/dangling", O_CREAT | O_WRONLY, 0644));
  report("stat the created target", stat("d/nothing_here", &st));
  report("open a symlink with O_NOFOLLOW", open("d/b_sym", O_RDONLY | O_NOFOLLOW));
  list("d");

  report("unlink d/b_sym", unlink("d/b_sym"));
  report("unlink d/b", unlink("d/b"));
  stat("d/b_hard", &st);
  printf("b_hard nlink: %d\n", (int)st.st_nlink);
  report("unlink a directory", unlink("d/sub"));
  report("unlink missing", unlink("d/b"));
  report("rmdir a file", rmdir("d/c"));
  report("rmdir non-empty", rmdir("d"));
  report("opendir a file", opendir("d/c") ? 0 : -1);
  report("unlink d/sub/a2", unlink("d/sub/a2"));
  report("rmdir d/sub", rmdir("d/sub"));
  report("rmdir d/sub again", rmdir("d/sub"));
  list("d");
  report("chdir d", chdir("d"));
  report("relative to new cwd", stat("b_hard", &st));
  char cwd[256];
  printf("getcwd: %s\n", getcwd(cwd, sizeof cwd) ? cwd : "(failed)");
  return 0;
}
