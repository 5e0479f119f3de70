// Loops over guard-region memory that aotc versions (one range check, then
// a plain copy LLVM may vectorize; tests/e2e/api/vector_loops.wat): the copy
// computes what the exact loop computes, and a loop that leaves the memory
// part way takes the exact loop, so it traps at the first out-of-bounds
// element with every store before it done.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <kiln/kiln.h>

namespace {

std::string artifact(const char* name) {
  const char* dir = std::getenv("KILN_E2E_ARTIFACTS");
  REQUIRE_MESSAGE(dir != nullptr, "KILN_E2E_ARTIFACTS is not set");
  return std::string(dir) + "/" + name + ".so";
}

constexpr uint32_t kPage = 65536;

struct Fixture {
  kiln::Store store;
  kiln::Instance instance =
      kiln::Instance::create(store, kiln::Module::load(artifact("vector_loops")), {});
  kiln::Memory memory = instance.memory("mem");

  void fill(uint32_t at, uint32_t count, uint32_t first) {
    for (uint32_t i = 0; i < count; ++i) memory.write<uint32_t>(at + 4 * i, first + 3 * i);
  }
  void add_arrays(uint32_t dst, uint32_t a, uint32_t b, uint32_t n) {
    instance.typed_func<void(uint32_t, uint32_t, uint32_t, uint32_t)>("add_arrays")(dst, a, b, n);
  }
};

}  // namespace

TEST_CASE("a versioned loop computes what the exact loop does, for every length and alignment") {
  Fixture f;
  f.fill(0, 600, 1);
  f.fill(4096, 600, 1000);
  for (uint32_t n : {0u, 1u, 3u, 4u, 7u, 8u, 31u, 64u, 513u}) {
    for (uint32_t misalign : {0u, 1u, 2u}) {
      const uint32_t dst = 16384 + misalign;
      f.add_arrays(dst, 0 + misalign, 4096, n);
      for (uint32_t i = 0; i < n; ++i) {
        const uint32_t a = f.memory.read<uint32_t>(misalign + 4 * i);
        const uint32_t b = f.memory.read<uint32_t>(4096 + 4 * i);
        REQUIRE(f.memory.read<uint32_t>(dst + 4 * i) == a + b);
      }
    }
  }
  // Overlapping source and destination: element by element, as wasm says.
  f.fill(32768, 100, 5);
  f.add_arrays(32768 + 4, 32768, 32768, 99);
  uint32_t previous = 5;
  for (uint32_t i = 1; i < 100; ++i) {
    // a[i-1] was rewritten by the previous step: each element doubles its predecessor.
    const uint32_t value = f.memory.read<uint32_t>(32768 + 4 * i);
    CHECK(value == previous * 2);
    previous = value;
  }
  auto sum = f.instance.typed_func<uint32_t(uint32_t, uint32_t)>("sum");
  uint32_t total = 0;
  for (uint32_t i = 0; i < 600; ++i) total += 1 + 3 * i;
  CHECK(sum(0, 600) == total);
}

TEST_CASE("a loop that leaves the memory part way traps with every earlier store done") {
  Fixture f;
  f.fill(0, 64, 7);
  f.fill(1024, 64, 100);
  // 10 elements fit before the end of the one page; the 11th faults.
  const uint32_t dst = kPage - 40;
  try {
    f.add_arrays(dst, 0, 1024, 64);
    FAIL("no trap");
  } catch (const kiln::Trap& t) {
    CHECK(t.kind() == kiln::TrapKind::OutOfBoundsMemoryAccess);
  }
  for (uint32_t i = 0; i < 10; ++i)
    CHECK(f.memory.read<uint32_t>(dst + 4 * i) == (7 + 3 * i) + (100 + 3 * i));
  // A load past the end traps too, whether or not its value would be used.
  auto sum = f.instance.typed_func<uint32_t(uint32_t, uint32_t)>("sum");
  CHECK_THROWS_AS(sum(kPage - 8, 3), kiln::Trap);
  // After growing, the same loop fits and runs to the end.
  CHECK(f.instance.typed_func<int32_t(int32_t)>("grow")(1) == 1);
  f.add_arrays(dst, 0, 1024, 64);
  for (uint32_t i = 0; i < 64; ++i)
    CHECK(f.memory.read<uint32_t>(dst + 4 * i) == (7 + 3 * i) + (100 + 3 * i));
}

namespace {

// What axpy3 leaves in memory, computed element by element in wasm's order
// on a copy of the memory. `a` must be a power of two: then a * x is exact,
// so a C++ compiler that fuses a * x + y (GCC does on aarch64) gets wasm's
// result too, however large the overlapping cases make the values.
void axpy3_reference(std::vector<double>& memory, uint32_t dst, uint32_t src, uint32_t n, double a) {
  for (uint32_t t = 0; t < n; ++t)
    for (uint32_t k = 0; k < 3; ++k) {
      const uint32_t d = dst / 8 + 3 * t + k, s = src / 8 + 3 * t + k;
      memory[d] = a * memory[s] + memory[d];
    }
}

}  // namespace

TEST_CASE("an unrolled loop over two arrays of one memory: apart, overlapping, or partly out of bounds") {
  constexpr uint32_t kDoubles = 2048;  // the first 16 KiB
  struct Case {
    uint32_t dst, src, n;
  };
  // Apart; dst one element above src; src one above dst; the same array.
  for (Case c : {Case{8192, 0, 200}, Case{8, 0, 300}, Case{0, 8, 300}, Case{800, 800, 100}}) {
    Fixture f;
    std::vector<double> expected(kDoubles);
    for (uint32_t i = 0; i < kDoubles; ++i) {
      expected[i] = double(i % 17) - 8.0;
      f.memory.write<double>(8 * i, expected[i]);
    }
    axpy3_reference(expected, c.dst, c.src, c.n, 2.0);
    f.instance.typed_func<void(uint32_t, uint32_t, uint32_t, double)>("axpy3")(c.dst, c.src, c.n, 2.0);
    for (uint32_t i = 0; i < kDoubles; ++i)
      REQUIRE_MESSAGE(f.memory.read<double>(8 * i) == expected[i],
                      "dst " << c.dst << " src " << c.src << " element " << i);
  }
  // Leaving the memory: every element before the faulting one is written.
  Fixture f;
  for (uint32_t i = 0; i < kDoubles; ++i) f.memory.write<double>(8 * i, 1.0);
  const uint32_t dst = kPage - 8 * 7;  // 7 elements fit: two triples and one more
  for (uint32_t i = 0; i < 7; ++i) f.memory.write<double>(dst + 8 * i, 10.0);
  CHECK_THROWS_AS((f.instance.typed_func<void(uint32_t, uint32_t, uint32_t, double)>("axpy3")(
                      dst, 0, 5, 2.0)),
                  kiln::Trap);
  for (uint32_t i = 0; i < 7; ++i) CHECK(f.memory.read<double>(dst + 8 * i) == 12.0);
}

TEST_CASE("a constant-trip unrolled loop (rerolled, vectorized): apart, overlapping, or out of bounds") {
  constexpr uint32_t kDoubles = 2048;
  constexpr uint32_t kTriples = 64;  // axpy3c's 1536 bytes
  struct Case {
    uint32_t dst, src;
  };
  for (Case c : {Case{8192, 0}, Case{8, 0}, Case{0, 8}, Case{800, 800}, Case{0, 16}, Case{24, 0}}) {
    Fixture f;
    std::vector<double> expected(kDoubles);
    for (uint32_t i = 0; i < kDoubles; ++i) {
      expected[i] = double(i % 13) - 6.0;
      f.memory.write<double>(8 * i, expected[i]);
    }
    axpy3_reference(expected, c.dst, c.src, kTriples, 2.0);
    f.instance.typed_func<void(uint32_t, uint32_t, double)>("axpy3c")(c.dst, c.src, 2.0);
    for (uint32_t i = 0; i < kDoubles; ++i)
      REQUIRE_MESSAGE(f.memory.read<double>(8 * i) == expected[i],
                      "dst " << c.dst << " src " << c.src << " element " << i);
  }
  Fixture f;
  for (uint32_t i = 0; i < kDoubles; ++i) f.memory.write<double>(8 * i, 1.0);
  const uint32_t dst = kPage - 8 * 100;  // 100 of the 192 elements fit
  for (uint32_t i = 0; i < 100; ++i) f.memory.write<double>(dst + 8 * i, 10.0);
  CHECK_THROWS_AS((f.instance.typed_func<void(uint32_t, uint32_t, double)>("axpy3c")(dst, 0, 2.0)),
                  kiln::Trap);
  // Triples are whole wasm iterations: elements 0..98 (33 triples) are done
  // before the 34th triple's first store, at element 99, which fits; its
  // second store faults.
  for (uint32_t i = 0; i < 100; ++i) CHECK(f.memory.read<double>(dst + 8 * i) == 12.0);
}

TEST_CASE("rerolling keeps the order of a recurrence within one array") {
  for (bool loads_first : {false, true}) {
    Fixture f;
    std::vector<double> x(2048);
    for (uint32_t i = 0; i < x.size(); ++i) {
      x[i] = double(i % 5) + 1.0;
      f.memory.write<double>(8 * i, x[i]);
    }
    const uint32_t p = 64;  // element 8
    for (uint32_t t = 0; t < 64; ++t) {
      const uint32_t e = p / 8 + 3 * t;
      if (loads_first) {
        const double v0 = x[e], v1 = x[e + 1], v2 = x[e + 2];
        x[e + 1] = 2.0 * v0;
        x[e + 2] = 2.0 * v1;
        x[e + 3] = 2.0 * v2;
      } else {
        for (uint32_t k = 0; k < 3; ++k) x[e + k + 1] = 2.0 * x[e + k];
      }
    }
    f.instance.typed_func<void(uint32_t, double)>(loads_first ? "recur3_loads_first" : "recur3")(p, 2.0);
    for (uint32_t i = 0; i < x.size(); ++i)
      REQUIRE_MESSAGE(f.memory.read<double>(8 * i) == x[i], (loads_first ? "loads first" : "in order")
                                                                << ", element " << i);
  }
}
