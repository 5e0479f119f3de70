// Deep and wide recursion: naive Fibonacci, Ackermann (thousands of frames
// deep), and a Takeuchi function; no memory traffic besides the stack.
#include "bench_common.h"

static uint32_t fib(uint32_t n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static uint32_t ack(uint32_t m, uint32_t n) {
  if (m == 0) return n + 1;
  if (n == 0) return ack(m - 1, 1);
  return ack(m - 1, ack(m, n - 1));
}

static int32_t tak(int32_t x, int32_t y, int32_t z) {
  if (y >= x) return z;
  return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y));
}

int main(int argc, char** argv) {
  uint64_t start = bench_now_ns();
  uint32_t percent = bench_percent(argc, argv);
  uint32_t reps = bench_reps(150, percent);
  uint64_t sum = 0;
  for (uint32_t r = 0; r < reps; ++r) {
    // argc keeps the arguments opaque to the optimizer.
    uint32_t salt = (uint32_t)argc & 1;
    sum = bench_mix(sum, fib(27 + salt + r % 2));
    sum = bench_mix(sum, ack(3, 7 + salt));  // recursion about 1000 frames deep
    sum = bench_mix(sum, (uint32_t)tak(18 + (int32_t)salt, 12, 6));
  }
  bench_report(sum, start);
  return 0;
}
