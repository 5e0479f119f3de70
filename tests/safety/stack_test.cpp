// Guest stack exhaustion ends in the trap "call stack exhausted": unbounded
// recursion (direct, mutual, through call_indirect) on the main thread and on
// a thread with a 256 KiB stack, where wasm never writes near the host's
// guard page (the lowest 64 KiB of the stack and 64 KiB below it hold a
// pattern that must survive); and a single frame larger than the stack,
// which meets the guard page instead of skipping it. The stack budget is a
// per-store setting.
#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>

#include <functional>

#include "tests/safety/safety_support.h"

using kiln::TrapKind;
using kiln::safety::artifact;
using kiln::safety::expect_trap;

namespace {

constexpr size_t kCanaryBytes = 64 * 1024;
constexpr uint8_t kPattern = 0xA5;

// Bytes of [begin, end) that no longer hold the pattern.
size_t damaged(const uint8_t* begin, const uint8_t* end) {
  size_t n = 0;
  for (const uint8_t* p = begin; p < end; ++p) n += *p != kPattern;
  return n;
}

// Recursion through `function` until the budget stops it; returns the depth
// the guest reached (entries counted by the module).
int32_t exhaust(kiln::Instance& inst, const char* function) {
  inst.typed_func<void()>("reset")();
  kiln::Trap trap = expect_trap([&] { inst.typed_func<int32_t(int32_t)>(function)(0); });
  CHECK(trap.kind() == TrapKind::CallStackExhausted);
  CHECK(trap.message() == "call stack exhausted");
  CHECK(!trap.trace().empty());
  CHECK(trap.trace().size() <= 32);
  return inst.typed_func<int32_t()>("depth")();
}

// Unbounded recursion three ways in one store; the store works afterwards.
void exhaust_recursion(const std::string& stack_module) {
  kiln::Store store;
  kiln::Instance inst = kiln::Instance::create(store, kiln::Module::load(artifact(stack_module)), {});
  for (const char* function : {"direct", "mutual", "indirect"}) {
    INFO("recursion: " << function);
    CHECK(exhaust(inst, function) > 100);
    CHECK(inst.typed_func<int32_t()>("ok")() == 7);
  }
}

// Calls big_frame_O0's `big`, whose 640 KiB frame exceeds the budget.
void exhaust_with_one_frame() {
  kiln::Store store;
  kiln::Instance big = kiln::Instance::create(store, kiln::Module::load(artifact("big_frame_O0")), {});
  kiln::Trap trap = expect_trap([&] { big.typed_func<int32_t()>("big")(); });
  CHECK(trap.kind() == TrapKind::CallStackExhausted);
  CHECK(big.typed_func<int32_t()>("ok")() == 7);
}

// What lies below the 256 KiB thread stack.
enum class Below {
  // 64 KiB of patterned, writable memory, then a guard page: any write
  // below the stack shows in the pattern.
  PatternedZone,
  // An inaccessible guard region, as glibc and the kernel lay stacks out.
  Guard,
};

// Runs `body` on a thread with a 256 KiB stack above `below`; returns the
// number of damaged pattern bytes (zone and lowest 64 KiB of the stack).
size_t run_on_small_stack(Below below, const std::function<void()>& body) {
  const size_t page = size_t(sysconf(_SC_PAGESIZE));
  const size_t stack_size = 256 * 1024;
  const size_t total = page + kCanaryBytes + stack_size;
  void* mem = mmap(nullptr, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  REQUIRE(mem != MAP_FAILED);
  uint8_t* base = static_cast<uint8_t*>(mem);
  uint8_t* zone = base + page;
  uint8_t* stack = zone + kCanaryBytes;
  const size_t guard = below == Below::Guard ? page + kCanaryBytes : page;
  REQUIRE(mprotect(base, guard, PROT_NONE) == 0);
  if (below == Below::PatternedZone) std::memset(zone, kPattern, 2 * kCanaryBytes);

  pthread_attr_t attr;
  pthread_attr_init(&attr);
  REQUIRE(pthread_attr_setstack(&attr, stack, stack_size) == 0);
  pthread_t thread;
  auto entry = [](void* arg) -> void* {
    (*static_cast<const std::function<void()>*>(arg))();
    return nullptr;
  };
  REQUIRE(pthread_create(&thread, &attr, entry, const_cast<std::function<void()>*>(&body)) == 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
  size_t bad = below == Below::PatternedZone ? damaged(zone, zone + 2 * kCanaryBytes) : 0;
  munmap(mem, total);
  return bad;
}

// [low, low + 64 KiB) of the calling thread's stack.
uint8_t* lowest_stack_bytes() {
  pthread_attr_t attr;
  REQUIRE(pthread_getattr_np(pthread_self(), &attr) == 0);
  void* addr = nullptr;
  size_t size = 0;
  pthread_attr_getstack(&attr, &addr, &size);
  pthread_attr_destroy(&attr);
  return static_cast<uint8_t*>(addr);
}

}  // namespace

TEST_CASE("recursion exhausts the stack cleanly on the main thread, far from its end") {
  for (const char* level : {"O0", "O2"}) {
    INFO("level " << level);
    uint8_t* low = lowest_stack_bytes();
    std::memset(low, kPattern, kCanaryBytes);
    exhaust_recursion(std::string("stack_") + level);
    // A budget larger than the whole stack is capped by the stack itself.
    kiln::StoreConfig config;
    config.stack_budget = size_t(1) << 30;
    kiln::Store store(config);
    kiln::Instance inst =
        kiln::Instance::create(store, kiln::Module::load(artifact(std::string("stack_") + level)), {});
    CHECK(exhaust(inst, "direct") > 1000);
    CHECK(damaged(low, low + kCanaryBytes) == 0);
  }
}

TEST_CASE("recursion exhausts a 256 KiB thread stack without writing near its guard page") {
  for (const char* level : {"O0", "O2"}) {
    INFO("level " << level);
    bool finished = false;
    size_t bad = run_on_small_stack(Below::PatternedZone, [&] {
      exhaust_recursion(std::string("stack_") + level);
      // Even with the largest budget, the thread's own stack is the limit.
      kiln::StoreConfig config;
      config.stack_budget = size_t(1) << 30;
      kiln::Store store(config);
      kiln::Instance inst =
          kiln::Instance::create(store, kiln::Module::load(artifact(std::string("stack_") + level)), {});
      CHECK(exhaust(inst, "mutual") > 100);
      finished = true;
    });
    CHECK(finished);
    CHECK(bad == 0);
  }
}

TEST_CASE("a frame larger than the whole stack is call stack exhaustion, not a stray write") {
  // Main thread: the check at entry stops it (the 640 KiB frame exceeds the
  // default 512 KiB budget) well above the end of the stack.
  uint8_t* low = lowest_stack_bytes();
  std::memset(low, kPattern, kCanaryBytes);
  exhaust_with_one_frame();
  CHECK(damaged(low, low + kCanaryBytes) == 0);
  // 256 KiB thread: the frame is bigger than the stack; allocating it probes
  // page by page and meets the guard page, never what lies beyond it.
  bool finished = false;
  run_on_small_stack(Below::Guard, [&] {
    exhaust_with_one_frame();
    finished = true;
  });
  CHECK(finished);
}

TEST_CASE("the stack budget is a per-store setting") {
  kiln::Module module = kiln::Module::load(artifact("stack_O2"));
  kiln::StoreConfig small_config, large_config;
  small_config.stack_budget = 64 * 1024;
  large_config.stack_budget = 2 * 1024 * 1024;
  kiln::Store small(small_config), large(large_config);
  kiln::Instance in_small = kiln::Instance::create(small, module, {});
  kiln::Instance in_large = kiln::Instance::create(large, module, {});
  for (const char* function : {"direct", "mutual", "indirect"}) {
    INFO("recursion: " << function);
    int32_t shallow = exhaust(in_small, function);
    int32_t deep = exhaust(in_large, function);
    CHECK(shallow > 10);
    // 32 times the budget: many times the depth (frames are all alike).
    CHECK(deep > 8 * shallow);
  }
  // A smaller budget set later applies to later calls.
  int32_t before = exhaust(in_large, "direct");
  large.set_config(small_config);
  int32_t after = exhaust(in_large, "direct");
  CHECK(after < before / 8);
  int32_t small_again = exhaust(in_small, "direct");
  CHECK(after <= small_again + small_again / 100);
  CHECK(after >= small_again - small_again / 100);
  CHECK_THROWS_AS(kiln::Store(kiln::StoreConfig{1024}), kiln::Error);  // below 16 KiB
}

TEST_CASE("a huge frame (640 KiB) fits when the budget allows it") {
  kiln::StoreConfig config;
  config.stack_budget = 4 * 1024 * 1024;
  kiln::Store store(config);
  kiln::Instance big = kiln::Instance::create(store, kiln::Module::load(artifact("big_frame_O0")), {});
  CHECK(big.typed_func<int32_t()>("big")() == 0);
}
