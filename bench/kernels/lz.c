// LZ77-style compression (4-byte hash table, greedy matches, 64 KiB window)
// and decompression of generated text, checked round trip.
#include "bench_common.h"

enum { INPUT = 1 << 20, HASH_BITS = 15, MAX_MATCH = 255 + 4, OUT_MAX = INPUT + INPUT / 64 + 64 };

static uint8_t input[INPUT], packed[OUT_MAX], unpacked[INPUT];
static int32_t last_seen[1 << HASH_BITS];

static inline uint32_t load32(const uint8_t* p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}
static inline uint32_t hash4(const uint8_t* p) { return (load32(p) * 2654435761u) >> (32 - HASH_BITS); }

static uint32_t put_varint(uint8_t* out, uint32_t v) {
  uint32_t n = 0;
  while (v >= 128) {
    out[n++] = (uint8_t)(v | 128);
    v >>= 7;
  }
  out[n++] = (uint8_t)v;
  return n;
}

// Sequence: varint literal count, literals, u16 offset (0 ends), u8 length-4.
static uint32_t compress(const uint8_t* in, uint32_t n, uint8_t* out) {
  for (uint32_t i = 0; i < (1u << HASH_BITS); ++i) last_seen[i] = -1;
  uint32_t o = 0, anchor = 0, i = 0;
  while (i + 4 <= n) {
    uint32_t h = hash4(in + i);
    int32_t cand = last_seen[h];
    last_seen[h] = (int32_t)i;
    if (cand < 0 || i - (uint32_t)cand >= 65536 || load32(in + cand) != load32(in + i)) {
      ++i;
      continue;
    }
    uint32_t len = 4;
    while (i + len < n && len < MAX_MATCH && in[(uint32_t)cand + len] == in[i + len]) ++len;
    o += put_varint(out + o, i - anchor);
    memcpy(out + o, in + anchor, i - anchor);
    o += i - anchor;
    uint32_t off = i - (uint32_t)cand;
    out[o++] = (uint8_t)off;
    out[o++] = (uint8_t)(off >> 8);
    out[o++] = (uint8_t)(len - 4);
    i += len;
    anchor = i;
  }
  o += put_varint(out + o, n - anchor);
  memcpy(out + o, in + anchor, n - anchor);
  o += n - anchor;
  out[o++] = 0;
  out[o++] = 0;
  return o;
}

static uint32_t decompress(const uint8_t* in, uint32_t n, uint8_t* out) {
  uint32_t i = 0, o = 0;
  while (i < n) {
    uint32_t lits = 0, shift = 0;
    for (;;) {
      uint8_t b = in[i++];
      lits |= (uint32_t)(b & 127) << shift;
      if (b < 128) break;
      shift += 7;
    }
    memcpy(out + o, in + i, lits);
    i += lits;
    o += lits;
    uint32_t off = in[i] | (uint32_t)in[i + 1] << 8;
    i += 2;
    if (off == 0) break;
    uint32_t len = in[i++] + 4u;
    // Byte by byte: source and destination may overlap.
    for (uint32_t k = 0; k < len; ++k, ++o) out[o] = out[o - off];
  }
  return o;
}

static void make_text(BenchRng* rng) {
  static const char* const words[] = {
      "the ", "quick ", "brown ", "fox ", "jumps ", "over ", "lazy ", "dog ", "kiln ",
      "compiles ", "modules ", "ahead ", "of ", "time ", "into ", "native ", "code ", "\n",
      "memory ", "table ", "function ", "export ", "import ", "trap "};
  uint32_t o = 0;
  while (o < INPUT) {
    const char* w = words[bench_rng_below(rng, sizeof words / sizeof words[0])];
    while (*w && o < INPUT) input[o++] = (uint8_t)*w++;
    // Some noise so not everything matches.
    if (bench_rng_below(rng, 8) == 0 && o < INPUT) input[o++] = (uint8_t)('A' + bench_rng_below(rng, 26));
  }
}

int main(int argc, char** argv) {
  uint64_t start = bench_now_ns();
  uint32_t reps = bench_reps(60, bench_percent(argc, argv));
  BenchRng rng = {2024};
  make_text(&rng);
  uint64_t sum = 0;
  for (uint32_t r = 0; r < reps; ++r) {
    uint32_t n = INPUT - r * 3;
    uint32_t size = compress(input, n, packed);
    uint32_t back = decompress(packed, size, unpacked);
    if (back != n || memcmp(input, unpacked, n) != 0) sum = bench_mix(sum, 0xBAD);
    sum = bench_mix(sum, size);
    input[(r * 104729) % INPUT] = (uint8_t)('a' + r % 26);
  }
  bench_report(sum, start);
  return 0;
}
