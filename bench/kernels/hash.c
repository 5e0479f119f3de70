// Integer hashing with multiplies and rotates: a 64-bit block hash over a
// buffer (four lanes) and a 32-bit finalizer over a counter sequence.
#include "bench_common.h"

enum { BUF_BYTES = 64 * 1024 };

static uint8_t buf[BUF_BYTES];

static inline uint64_t rotl64(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }
static inline uint32_t rotl32(uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }

static const uint64_t K1 = 0xA0761D6478BD642Full, K2 = 0xE7037ED1A0B428DBull,
                      K3 = 0x8EBC6AF09C88C6E3ull, K4 = 0x589965CC75374CC3ull;

static inline uint64_t load64(const uint8_t* p) {
  uint64_t v;
  memcpy(&v, p, 8);
  return v;
}

static inline uint64_t lane(uint64_t acc, uint64_t in) {
  acc += in * K2;
  acc = rotl64(acc, 31);
  return acc * K1;
}

static uint64_t block_hash(const uint8_t* p, uint32_t n, uint64_t seed) {
  uint64_t v1 = seed + K1 + K2, v2 = seed + K2, v3 = seed, v4 = seed - K1;
  uint32_t i = 0;
  for (; i + 32 <= n; i += 32) {
    v1 = lane(v1, load64(p + i));
    v2 = lane(v2, load64(p + i + 8));
    v3 = lane(v3, load64(p + i + 16));
    v4 = lane(v4, load64(p + i + 24));
  }
  uint64_t h = rotl64(v1, 1) + rotl64(v2, 7) + rotl64(v3, 12) + rotl64(v4, 18);
  for (; i < n; ++i) h = rotl64(h ^ (p[i] * K4), 11) * K3;
  h ^= h >> 33;
  h *= K2;
  h ^= h >> 29;
  h *= K3;
  return h ^ (h >> 32);
}

static inline uint32_t fmix32(uint32_t h) {
  h ^= h >> 16;
  h *= 0x85EBCA6Bu;
  h ^= h >> 13;
  h *= 0xC2B2AE35u;
  return h ^ (h >> 16);
}

static uint32_t counter_hash(uint32_t n, uint32_t seed) {
  uint32_t h = seed;
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t k = fmix32(i * 0xCC9E2D51u);
    k = rotl32(k, 15) * 0x1B873593u;
    h = rotl32(h ^ k, 13) * 5 + 0xE6546B64u;
  }
  return fmix32(h);
}

int main(int argc, char** argv) {
  uint64_t start = bench_now_ns();
  uint32_t reps = bench_reps(4000, bench_percent(argc, argv));
  BenchRng rng = {7};
  for (uint32_t i = 0; i < BUF_BYTES; i += 8) {
    uint64_t v = bench_rng_next(&rng);
    memcpy(buf + i, &v, 8);
  }
  uint64_t sum = 0;
  for (uint32_t r = 0; r < reps; ++r) {
    // Vary length and offset so the tail loop runs too.
    uint32_t off = r % 13, len = BUF_BYTES - 64 + (r % 29);
    uint64_t h = block_hash(buf + off, len, sum);
    buf[r % BUF_BYTES] ^= (uint8_t)h;
    sum = bench_mix(sum, h);
  }
  sum = bench_mix(sum, counter_hash(bench_reps(40000000, bench_percent(argc, argv)), (uint32_t)sum));
  bench_report(sum, start);
  return 0;
}
