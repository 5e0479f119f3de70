// EXIT: 134
// STDERR: wasm trap: unreachable
// abort() is a wasm trap: kiln run reports it and exits with 134.
#include <stdio.h>
#include <stdlib.h>

int main(void) {
  printf("about to abort\n");
  fflush(stdout);
  abort();
}
