// Base64 encode and decode of a 1 MiB buffer, checked round trip: byte
// shuffling through lookup tables.
#include "bench_common.h"

enum { RAW = 1 << 20, ENCODED = (RAW + 2) / 3 * 4 };

static uint8_t raw[RAW], decoded[RAW];
static char text[ENCODED + 1];
static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static int8_t reverse[256];

static uint32_t encode(const uint8_t* in, uint32_t n, char* out) {
  uint32_t o = 0, i = 0;
  for (; i + 3 <= n; i += 3) {
    uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
    out[o++] = kAlphabet[v >> 18];
    out[o++] = kAlphabet[(v >> 12) & 63];
    out[o++] = kAlphabet[(v >> 6) & 63];
    out[o++] = kAlphabet[v & 63];
  }
  if (i < n) {
    uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < n ? (uint32_t)in[i + 1] << 8 : 0);
    out[o++] = kAlphabet[v >> 18];
    out[o++] = kAlphabet[(v >> 12) & 63];
    out[o++] = i + 1 < n ? kAlphabet[(v >> 6) & 63] : '=';
    out[o++] = '=';
  }
  out[o] = 0;
  return o;
}

// Returns the decoded length, or UINT32_MAX on a bad character.
static uint32_t decode(const char* in, uint32_t n, uint8_t* out) {
  uint32_t o = 0;
  for (uint32_t i = 0; i + 4 <= n; i += 4) {
    int32_t a = reverse[(uint8_t)in[i]], b = reverse[(uint8_t)in[i + 1]];
    int32_t c = in[i + 2] == '=' ? 0 : reverse[(uint8_t)in[i + 2]];
    int32_t d = in[i + 3] == '=' ? 0 : reverse[(uint8_t)in[i + 3]];
    if ((a | b | c | d) < 0) return UINT32_MAX;
    uint32_t v = (uint32_t)a << 18 | (uint32_t)b << 12 | (uint32_t)c << 6 | (uint32_t)d;
    out[o++] = (uint8_t)(v >> 16);
    if (in[i + 2] != '=') out[o++] = (uint8_t)(v >> 8);
    if (in[i + 3] != '=') out[o++] = (uint8_t)v;
  }
  return o;
}

int main(int argc, char** argv) {
  uint64_t start = bench_now_ns();
  uint32_t reps = bench_reps(60, bench_percent(argc, argv));
  memset(reverse, -1, sizeof reverse);
  for (int i = 0; i < 64; ++i) reverse[(uint8_t)kAlphabet[i]] = (int8_t)i;
  BenchRng rng = {64};
  for (uint32_t i = 0; i < RAW; ++i) raw[i] = (uint8_t)bench_rng_next(&rng);
  uint64_t sum = 0;
  for (uint32_t r = 0; r < reps; ++r) {
    uint32_t n = RAW - (r % 3);
    uint32_t len = encode(raw, n, text);
    uint32_t back = decode(text, len, decoded);
    if (back != n || memcmp(raw, decoded, n) != 0) sum = bench_mix(sum, 0xBAD);
    sum = bench_mix(sum, len);
    sum = bench_mix(sum, (uint8_t)text[(r * 7919) % len]);
    raw[r % RAW] ^= (uint8_t)text[r % len];
  }
  bench_report(sum, start);
  return 0;
}
