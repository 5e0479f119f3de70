// Sieve of Eratosthenes over a byte array (memory-bound strided stores).
#include "bench_common.h"

enum { LIMIT = 16 * 1024 * 1024 };

static uint8_t composite[LIMIT];

static uint32_t sieve(uint32_t limit) {
  memset(composite, 0, limit);
  uint32_t count = 0;
  for (uint32_t i = 2; i < limit; ++i) {
    if (composite[i]) continue;
    ++count;
    if ((uint64_t)i * i >= limit) continue;
    for (uint32_t j = i * i; j < limit; j += i) composite[j] = 1;
  }
  return count;
}

int main(int argc, char** argv) {
  uint64_t start = bench_now_ns();
  uint32_t reps = bench_reps(8, bench_percent(argc, argv));
  uint64_t sum = 0;
  for (uint32_t r = 0; r < reps; ++r) {
    uint32_t limit = LIMIT - r * 1000;
    uint32_t primes = sieve(limit);
    sum = bench_mix(sum, primes);
    // Sample which numbers near the top are prime.
    uint64_t bits = 0;
    for (uint32_t k = 0; k < 64; ++k) bits = (bits << 1) | composite[limit - 1 - k];
    sum = bench_mix(sum, bits);
  }
  bench_report(sum, start);
  return 0;
}
