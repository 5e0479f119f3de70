// Calls through a table of function pointers chosen by data (call_indirect
// in wasm), with several signatures.
#include "bench_common.h"

typedef uint32_t (*UnaryOp)(uint32_t);
typedef uint64_t (*BinaryOp)(uint64_t, uint32_t);

static uint32_t op_inc(uint32_t x) { return x + 1; }
static uint32_t op_dbl(uint32_t x) { return x * 2 + 1; }
static uint32_t op_rot(uint32_t x) { return (x << 5) | (x >> 27); }
static uint32_t op_xor(uint32_t x) { return x ^ 0x5BD1E995u; }
static uint32_t op_mul(uint32_t x) { return x * 0x01000193u; }
static uint32_t op_neg(uint32_t x) { return ~x + 7; }
static uint32_t op_shr(uint32_t x) { return x ^ (x >> 13); }
static uint32_t op_add(uint32_t x) { return x + 0x9E3779B9u; }

static uint64_t bop_add(uint64_t a, uint32_t b) { return a + b; }
static uint64_t bop_mul(uint64_t a, uint32_t b) { return a * (b | 1); }
static uint64_t bop_xor(uint64_t a, uint32_t b) { return a ^ ((uint64_t)b << 17); }
static uint64_t bop_rot(uint64_t a, uint32_t b) { return (a << (b & 31)) | (a >> (64 - (b & 31) - 1) >> 1); }

// Non-const so the compiler cannot prove which function is called.
static UnaryOp unary_ops[8] = {op_inc, op_dbl, op_rot, op_xor, op_mul, op_neg, op_shr, op_add};
static BinaryOp binary_ops[4] = {bop_add, bop_mul, bop_xor, bop_rot};

enum { PROGRAM = 4096 };
static uint8_t program[PROGRAM];

int main(int argc, char** argv) {
  uint64_t start = bench_now_ns();
  uint32_t reps = bench_reps(3000, bench_percent(argc, argv));
  BenchRng rng = {11};
  for (int i = 0; i < PROGRAM; ++i) program[i] = (uint8_t)bench_rng_next(&rng);
  if (argc > 5) unary_ops[0] = op_neg;  // never true; keeps the table writable
  uint32_t x = 1;
  uint64_t acc = 0;
  for (uint32_t r = 0; r < reps; ++r) {
    for (int i = 0; i < PROGRAM; ++i) {
      uint8_t p = program[i];
      x = unary_ops[p & 7](x);
      if (p & 0x80) acc = binary_ops[(p >> 3) & 3](acc, x);
    }
  }
  uint64_t sum = bench_mix(bench_mix(0, x), acc);
  bench_report(sum, start);
  return 0;
}
