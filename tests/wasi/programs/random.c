// Random bytes: getentropy, arc4random and the raw random_get.
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wasi/api.h>

#include "test_util.h"

static unsigned char big[1 << 16];

int main(void) {
  unsigned char a[32], b[32], zero[32] = {0};
  printf("getentropy: %d %d\n", getentropy(a, sizeof a), getentropy(b, sizeof b));
  printf("random bytes differ: %s\n", YES(memcmp(a, b, sizeof a) != 0));
  printf("random bytes not all zero: %s\n", YES(memcmp(a, zero, sizeof a) != 0));
  arc4random_buf(a, sizeof a);
  printf("arc4random_buf filled: %s\n", YES(memcmp(a, zero, sizeof a) != 0));
  uint32_t r1 = arc4random(), r2 = arc4random(), r3 = arc4random();
  printf("arc4random values vary: %s\n", YES(r1 != r2 || r2 != r3));

  printf("random_get 64 KiB: %d\n", __wasi_random_get(big, sizeof big));
  int seen[256] = {0}, distinct = 0;
  for (size_t i = 0; i < sizeof big; i++) seen[big[i]] = 1;
  for (int i = 0; i < 256; i++) distinct += seen[i];
  printf("all 256 byte values seen: %s\n", YES(distinct == 256));
  printf("random_get 0 bytes: %d\n", __wasi_random_get(big, 0));
  return 0;
}
