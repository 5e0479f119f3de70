// Dense f64 matrix multiply (i-k-j order, vectorizable inner loop).
#include "bench_common.h"

enum { N = 192 };

static double a[N][N], b[N][N], c[N][N];

static void multiply(void) {
  for (int i = 0; i < N; ++i) {
    for (int j = 0; j < N; ++j) c[i][j] = 0.0;
    for (int k = 0; k < N; ++k) {
      double aik = a[i][k];
      for (int j = 0; j < N; ++j) c[i][j] += aik * b[k][j];
    }
  }
}

int main(int argc, char** argv) {
  uint64_t start = bench_now_ns();
  uint32_t reps = bench_reps(300, bench_percent(argc, argv));
  BenchRng rng = {42};
  for (int i = 0; i < N; ++i)
    for (int j = 0; j < N; ++j) {
      a[i][j] = (double)(bench_rng_below(&rng, 2001)) / 1000.0 - 1.0;
      b[i][j] = (double)(bench_rng_below(&rng, 2001)) / 1000.0 - 1.0;
    }
  uint64_t sum = 0;
  for (uint32_t r = 0; r < reps; ++r) {
    multiply();
    // Feed a little of the result back so no repetition can be skipped.
    uint32_t i = r % N, j = (r * 7) % N;
    b[i][j] = c[j][i] * 0.001;
    sum = bench_mix(sum, bench_f64_bits(c[i][j]));
  }
  for (int i = 0; i < N; ++i) sum = bench_mix(sum, bench_f64_bits(c[i][(i * 5) % N]));
  bench_report(sum, start);
  return 0;
}
