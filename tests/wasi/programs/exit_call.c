// EXIT: 42
// exit() deep in the call stack: atexit handlers run, buffered output is
// flushed, nothing after the call runs.
#include <stdio.h>
#include <stdlib.h>

static void goodbye(void) { printf("atexit handler ran\n"); }

static void leave(int depth) {
  if (depth == 0) exit(42);
  leave(depth - 1);
  printf("unreachable after exit\n");
}

int main(void) {
  atexit(goodbye);
  printf("buffered before exit\n");
  leave(10);
  printf("unreachable in main\n");
  return 0;
}
