// memcpy / memmove / memset of mixed sizes over a 4 MiB arena: what libc's
// memory routines (and memory.copy/fill when built with bulk memory) cost.
#include "bench_common.h"

enum { ARENA = 4 * 1024 * 1024 };

static uint8_t arena[ARENA];

static const uint32_t kSizes[] = {7, 16, 33, 64, 100, 256, 1000, 4096, 16384, 65536, 262144};
enum { SIZE_COUNT = sizeof kSizes / sizeof kSizes[0] };

int main(int argc, char** argv) {
  uint64_t start = bench_now_ns();
  uint32_t reps = bench_reps(200, bench_percent(argc, argv));
  BenchRng rng = {3};
  for (uint32_t i = 0; i < ARENA; i += 8) {
    uint64_t v = bench_rng_next(&rng);
    memcpy(arena + i, &v, 8);
  }
  uint64_t sum = 0;
  for (uint32_t r = 0; r < reps; ++r) {
    for (uint32_t s = 0; s < SIZE_COUNT; ++s) {
      uint32_t size = kSizes[s];
      // Enough operations per size that each moves about 1 MiB.
      uint32_t ops = (1u << 20) / size + 1;
      for (uint32_t k = 0; k < ops; ++k) {
        uint32_t src = bench_rng_below(&rng, ARENA - size);
        uint32_t dst = bench_rng_below(&rng, ARENA - size);
        switch (k & 3) {
          case 0:
          case 1:
            if (src + size <= dst || dst + size <= src) {
              memcpy(arena + dst, arena + src, size);
              break;
            }
            memmove(arena + dst, arena + src, size);
            break;
          case 2: memmove(arena + dst, arena + src, size); break;
          default: memset(arena + dst, (int)(k + r), size); break;
        }
      }
      sum = bench_mix(sum, arena[bench_rng_below(&rng, ARENA)]);
    }
  }
  for (uint32_t i = 0; i < ARENA; i += 4099) sum = bench_mix(sum, arena[i]);
  bench_report(sum, start);
  return 0;
}
