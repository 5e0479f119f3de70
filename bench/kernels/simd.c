// 128-bit SIMD: an 8-bit image pipeline (rounding averages, saturating adds,
// min/max), 16-bit dot products into 32-bit lanes, and an f32 axpy. Built
// with wasm_simd128.h for wasm (-msimd128) and with SSE4.1 intrinsics
// natively; every operation used has the same semantics on both, so the
// checksum is the same.
#include "bench_common.h"

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
typedef v128_t vi;
typedef v128_t vf;
#define VI_LOAD(p) wasm_v128_load(p)
#define VI_STORE(p, v) wasm_v128_store(p, v)
#define VF_LOAD(p) wasm_v128_load(p)
#define VF_STORE(p, v) wasm_v128_store(p, v)
#define U8_AVG(a, b) wasm_u8x16_avgr(a, b)
#define U8_ADD_SAT(a, b) wasm_u8x16_add_sat(a, b)
#define U8_MIN(a, b) wasm_u8x16_min(a, b)
#define U8_MAX(a, b) wasm_u8x16_max(a, b)
#define U8_SPLAT(x) wasm_u8x16_splat(x)
#define U16_WIDEN_LO(a) wasm_u16x8_extend_low_u8x16(a)
#define U16_WIDEN_HI(a) wasm_u16x8_extend_high_u8x16(a)
#define I16_DOT(a, b) wasm_i32x4_dot_i16x8(a, b)
#define I16_SPLAT(x) wasm_i16x8_splat(x)
#define I32_ADD(a, b) wasm_i32x4_add(a, b)
#define I32_ZERO() wasm_i32x4_splat(0)
#define I32_LANE(v, i) wasm_i32x4_extract_lane(v, i)
#define F32_SPLAT(x) wasm_f32x4_splat(x)
#define F32_ADD(a, b) wasm_f32x4_add(a, b)
#define F32_MUL(a, b) wasm_f32x4_mul(a, b)
#elif defined(__SSE4_1__)
#include <smmintrin.h>
typedef __m128i vi;
typedef __m128 vf;
#define VI_LOAD(p) _mm_loadu_si128((const __m128i*)(p))
#define VI_STORE(p, v) _mm_storeu_si128((__m128i*)(p), v)
#define VF_LOAD(p) _mm_loadu_ps(p)
#define VF_STORE(p, v) _mm_storeu_ps(p, v)
#define U8_AVG(a, b) _mm_avg_epu8(a, b)
#define U8_ADD_SAT(a, b) _mm_adds_epu8(a, b)
#define U8_MIN(a, b) _mm_min_epu8(a, b)
#define U8_MAX(a, b) _mm_max_epu8(a, b)
#define U8_SPLAT(x) _mm_set1_epi8((char)(x))
#define U16_WIDEN_LO(a) _mm_cvtepu8_epi16(a)
#define U16_WIDEN_HI(a) _mm_unpackhi_epi8(a, _mm_setzero_si128())
#define I16_DOT(a, b) _mm_madd_epi16(a, b)
#define I16_SPLAT(x) _mm_set1_epi16(x)
#define I32_ADD(a, b) _mm_add_epi32(a, b)
#define I32_ZERO() _mm_setzero_si128()
#define I32_LANE(v, i) _mm_extract_epi32(v, i)
#define F32_SPLAT(x) _mm_set1_ps(x)
#define F32_ADD(a, b) _mm_add_ps(a, b)
#define F32_MUL(a, b) _mm_mul_ps(a, b)
#else
#error "simd.c needs -msimd128 (wasm) or -msse4.1 (x86-64)"
#endif

enum { W = 1024, H = 256, FLOATS = 1 << 16 };

static uint8_t image[H][W + 32], work[H][W + 32];
static float xs[FLOATS], ys[FLOATS];

// Horizontal 3-tap smoothing, then brighten and clamp, row by row.
static void filter(uint8_t lo, uint8_t hi, uint8_t bias) {
  vi vlo = U8_SPLAT(lo), vhi = U8_SPLAT(hi), vbias = U8_SPLAT(bias);
  for (int y = 0; y < H; ++y) {
    const uint8_t* in = image[y];
    uint8_t* out = work[y];
    for (int x = 0; x < W; x += 16) {
      vi left = VI_LOAD(in + x), mid = VI_LOAD(in + x + 1), right = VI_LOAD(in + x + 2);
      vi v = U8_AVG(U8_AVG(left, right), mid);
      v = U8_ADD_SAT(v, vbias);
      v = U8_MIN(U8_MAX(v, vlo), vhi);
      VI_STORE(out + x + 1, v);
    }
  }
}

// Vertical mix back into the image: average of the row and the one below.
static void mix_rows(void) {
  for (int y = 0; y + 1 < H; ++y)
    for (int x = 0; x < W; x += 16)
      VI_STORE(image[y] + x + 1, U8_AVG(VI_LOAD(work[y] + x + 1), VI_LOAD(work[y + 1] + x + 1)));
}

// Weighted sum of all pixels through 16-bit dot products.
static uint32_t weighted_sum(void) {
  vi acc = I32_ZERO();
  vi w1 = I16_SPLAT(3), w2 = I16_SPLAT(-2);
  for (int y = 0; y < H; ++y)
    for (int x = 0; x < W; x += 16) {
      vi px = VI_LOAD(image[y] + x);
      acc = I32_ADD(acc, I16_DOT(U16_WIDEN_LO(px), w1));
      acc = I32_ADD(acc, I16_DOT(U16_WIDEN_HI(px), w2));
    }
  return (uint32_t)I32_LANE(acc, 0) ^ (uint32_t)I32_LANE(acc, 1) * 3u ^
         (uint32_t)I32_LANE(acc, 2) * 5u ^ (uint32_t)I32_LANE(acc, 3) * 7u;
}

static void axpy(float a) {
  vf va = F32_SPLAT(a);
  for (int i = 0; i < FLOATS; i += 4) VF_STORE(ys + i, F32_ADD(F32_MUL(va, VF_LOAD(xs + i)), VF_LOAD(ys + i)));
}

int main(int argc, char** argv) {
  uint64_t start = bench_now_ns();
  uint32_t reps = bench_reps(10000, bench_percent(argc, argv));
  BenchRng rng = {128};
  for (int y = 0; y < H; ++y)
    for (int x = 0; x < W + 32; ++x) image[y][x] = (uint8_t)bench_rng_next(&rng);
  for (int i = 0; i < FLOATS; ++i) {
    xs[i] = (float)bench_rng_below(&rng, 1000) / 1024.0f;
    ys[i] = 0.0f;
  }
  uint64_t sum = 0;
  for (uint32_t r = 0; r < reps; ++r) {
    filter((uint8_t)(r & 15), (uint8_t)(240 + (r & 15)), (uint8_t)(r % 5));
    mix_rows();
    sum = bench_mix(sum, weighted_sum());
    axpy(r & 1 ? 0.5f : -0.25f);
  }
  uint32_t fbits;
  memcpy(&fbits, &ys[FLOATS / 3], 4);
  sum = bench_mix(sum, fbits);
  bench_report(sum, start);
  return 0;
}
