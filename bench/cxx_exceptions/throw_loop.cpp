// C++ exceptions thrown and caught in a loop: one throw per 8 calls, caught
// two frames up by type, with a payload the handler reads. Built natively
// and with -fwasm-exceptions (wasm_eh_runtime.c supplies the C++ runtime
// parts Debian's wasi-libc lacks). Prints "checksum HEX" and "kernel_ns N".
#include "../kernels/bench_common.h"

namespace {

struct ParseError {
  uint32_t position;
  uint32_t code;
};

struct Other {
  uint64_t value;
};

__attribute__((noinline)) uint32_t parse_digit(uint32_t i, uint32_t salt) {
  if (((i ^ salt) & 7) == 3) throw ParseError{i, i % 13};
  if (((i ^ salt) & 63) == 17) throw Other{i * 3ull};
  return (i * 2654435761u) >> 28;
}

__attribute__((noinline)) uint32_t parse_pair(uint32_t i, uint32_t salt) {
  return parse_digit(i, salt) * 16 + parse_digit(i + 1, salt);
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t start = bench_now_ns();
  uint32_t percent = bench_percent(argc, argv);
  uint32_t calls = bench_reps(2000000, percent);
  uint32_t salt = (uint32_t)argc & 1;  // keeps the pattern opaque to the optimizer
  uint64_t sum = 0;
  uint32_t errors = 0;
  for (uint32_t i = 0; i < calls; ++i) {
    try {
      sum = bench_mix(sum, parse_pair(i, salt));
    } catch (const ParseError& e) {
      ++errors;
      sum = bench_mix(sum, e.position * 31u + e.code);
    } catch (const Other& o) {
      sum = bench_mix(sum, o.value);
    }
  }
  sum = bench_mix(sum, errors);
  bench_report(sum, start);
  return 0;
}
