// CRC-32 (IEEE, reflected) with slicing-by-8 tables built at startup, over a
// 1 MiB buffer: table lookups, shifts and xors.
#include "bench_common.h"

enum { BUF_BYTES = 1 << 20 };

static uint32_t tables[8][256];
static uint8_t buf[BUF_BYTES];

static void build_tables(void) {
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
    tables[0][i] = c;
  }
  for (uint32_t i = 0; i < 256; ++i)
    for (int t = 1; t < 8; ++t) tables[t][i] = (tables[t - 1][i] >> 8) ^ tables[0][tables[t - 1][i] & 0xFF];
}

static uint32_t crc32(uint32_t crc, const uint8_t* p, uint32_t n) {
  crc = ~crc;
  while (n >= 8) {
    uint32_t lo = crc ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
    uint32_t hi = (uint32_t)p[4] | (uint32_t)p[5] << 8 | (uint32_t)p[6] << 16 | (uint32_t)p[7] << 24;
    crc = tables[7][lo & 0xFF] ^ tables[6][(lo >> 8) & 0xFF] ^ tables[5][(lo >> 16) & 0xFF] ^
          tables[4][lo >> 24] ^ tables[3][hi & 0xFF] ^ tables[2][(hi >> 8) & 0xFF] ^
          tables[1][(hi >> 16) & 0xFF] ^ tables[0][hi >> 24];
    p += 8;
    n -= 8;
  }
  while (n--) crc = (crc >> 8) ^ tables[0][(crc ^ *p++) & 0xFF];
  return ~crc;
}

int main(int argc, char** argv) {
  uint64_t start = bench_now_ns();
  uint32_t reps = bench_reps(250, bench_percent(argc, argv));
  build_tables();
  BenchRng rng = {99};
  for (uint32_t i = 0; i < BUF_BYTES; ++i) buf[i] = (uint8_t)(bench_rng_next(&rng) >> 40);
  uint64_t sum = 0;
  uint32_t crc = 0;
  for (uint32_t r = 0; r < reps; ++r) {
    crc = crc32(crc, buf + (r & 7), BUF_BYTES - 8 - (r % 5));
    sum = bench_mix(sum, crc);
  }
  // Known answer: CRC-32 of "123456789" is cbf43926.
  sum = bench_mix(sum, crc32(0, (const uint8_t*)"123456789", 9));
  bench_report(sum, start);
  return 0;
}
