// Shared by every kernel: the work scale from argv, a deterministic PRNG, a
// checksum mixer and the report lines the runner parses.
//
// Usage of every kernel: KERNEL [PERCENT]   (default 100; 1 is the smoke size)
// Output: "checksum HEX" and "kernel_ns N" on stdout.
// Only fixed-width integer types are used for anything that reaches the
// checksum, since long and size_t differ between x86-64 and wasm32.
#pragma once
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static inline uint32_t bench_percent(int argc, char** argv) {
  if (argc < 2) return 100;
  long p = strtol(argv[1], NULL, 10);
  if (p < 1 || p > 100000) {
    fprintf(stderr, "error: work percent must be 1..100000, got '%s'\n", argv[1]);
    exit(2);
  }
  return (uint32_t)p;
}

// base_reps scaled by percent, at least 1.
static inline uint32_t bench_reps(uint32_t base_reps, uint32_t percent) {
  uint64_t r = (uint64_t)base_reps * percent / 100;
  return r < 1 ? 1 : (uint32_t)r;
}

static inline uint64_t bench_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

typedef struct {
  uint64_t state;
} BenchRng;

// splitmix64: one multiply-xorshift step per output.
static inline uint64_t bench_rng_next(BenchRng* r) {
  uint64_t z = (r->state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static inline uint32_t bench_rng_below(BenchRng* r, uint32_t n) {
  return (uint32_t)(((bench_rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

// Order-dependent 64-bit mix of a value into a running checksum.
static inline uint64_t bench_mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
  return h * 0xFF51AFD7ED558CCDull;
}

static inline uint64_t bench_f64_bits(double d) {
  uint64_t u;
  memcpy(&u, &d, sizeof u);
  return u;
}

static inline void bench_report(uint64_t checksum, uint64_t start_ns) {
  uint64_t elapsed = bench_now_ns() - start_ns;
  printf("checksum %016llx\n", (unsigned long long)checksum);
  printf("kernel_ns %llu\n", (unsigned long long)elapsed);
}
