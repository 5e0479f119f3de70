// EXIT: 3
// Returning from main ends the program with that status.
#include <stdio.h>

int main(void) {
  printf("before return\n");
  return 3;
}
