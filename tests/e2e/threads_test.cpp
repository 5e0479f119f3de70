// Shared memories across threads (threads proposal) on real artifacts
// (tests/e2e/api/threads.wat): every thread has its own Store and its own
// instance, importing one shared memory handed over with Memory::share().
// Threads synchronize only through the memory (atomics, wait/notify) and
// joins; the waits' timeouts in the module are failure guards.
#include <atomic>
#include <cstdlib>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <doctest/doctest.h>
#include <kiln/kiln.h>

namespace {

std::string artifact(const char* name) {
  const char* dir = std::getenv("KILN_E2E_ARTIFACTS");
  REQUIRE_MESSAGE(dir != nullptr, "KILN_E2E_ARTIFACTS is not set");
  return std::string(dir) + "/" + name + ".so";
}

const kiln::MemoryType kSharedType{kiln::Limits{1, 8}, /*shared=*/true};

// One thread's world: its store and its instance over `memory`.
struct Worker {
  kiln::Store store;
  kiln::Instance instance;

  Worker(const kiln::Module& module, const kiln::Memory& memory) {
    kiln::Imports imports;
    imports.define("env", "memory", memory.share(store));
    instance = kiln::Instance::create(store, module, imports);
  }
};

// Runs body(i) on n threads at once; rethrows nothing (doctest checks
// inside threads are thread-safe), returns after all joined.
template <class Body>
void on_threads(int n, Body body) {
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i) threads.emplace_back(body, i);
  for (std::thread& t : threads) t.join();
}

}  // namespace

TEST_CASE("N threads, each with its own instance, increment one shared counter atomically") {
  const kiln::Module module = kiln::Module::load(artifact("threads"));
  kiln::Store home;
  kiln::Memory memory = kiln::Memory::create(home, kSharedType);
  CHECK(memory.is_shared());
  CHECK(memory.type().to_string() == "memory 1 8 shared");
  constexpr int kThreads = 4;
  constexpr int kIterations = 200000;
  std::atomic<int> failures{0};
  on_threads(kThreads, [&](int) {
    try {
      Worker w(module, memory);
      w.instance.typed_func<void(int32_t)>("add_many")(kIterations);
    } catch (const std::exception& e) {
      ++failures;
      MESSAGE("worker failed: " << e.what());
    }
  });
  CHECK(failures == 0);
  CHECK(memory.read<uint32_t>(0) == uint32_t(kThreads * kIterations));
}

TEST_CASE("a producer and a consumer on two threads hand over values with wait and notify") {
  const kiln::Module module = kiln::Module::load(artifact("threads"));
  kiln::Store home;
  kiln::Memory memory = kiln::Memory::create(home, kSharedType);
  constexpr int32_t kCount = 20000;
  int64_t sum = -1;
  std::atomic<int> failures{0};
  on_threads(2, [&](int role) {
    try {
      Worker w(module, memory);
      if (role == 0) {
        w.instance.typed_func<void(int32_t)>("produce")(kCount);
      } else {
        sum = w.instance.typed_func<int64_t(int32_t)>("consume")(kCount);
      }
    } catch (const std::exception& e) {
      ++failures;
      MESSAGE("worker failed: " << e.what());
    }
  });
  CHECK(failures == 0);
  CHECK(sum == int64_t(kCount) * (kCount + 1) / 2);
}

TEST_CASE("wait and notify on memory 1, a shared 64-bit memory beside a private memory 0") {
  const kiln::Module module = kiln::Module::load(artifact("threads_memory1"));
  kiln::Store home;
  const kiln::MemoryType shared64{.limits = kiln::Limits{1, 8}, .shared = true, .address64 = true};
  kiln::Memory memory = kiln::Memory::create(home, shared64);
  constexpr int32_t kCount = 5000;
  int64_t sum = -1;
  std::atomic<int> failures{0};
  on_threads(2, [&](int role) {
    try {
      kiln::Store store;
      kiln::Imports imports;
      imports.define("env", "private", kiln::Memory::create(store, kiln::MemoryType{kiln::Limits{1, 1}}));
      imports.define("env", "shared", memory.share(store));
      kiln::Instance instance = kiln::Instance::create(store, module, imports);
      if (role == 0) {
        instance.typed_func<void(int32_t)>("produce")(kCount);
      } else {
        sum = instance.typed_func<int64_t(int32_t)>("consume")(kCount);
        CHECK(instance.typed_func<int32_t()>("wait_mismatch")() == 1);
        CHECK(instance.typed_func<int32_t()>("notify_private")() == 0);
        CHECK_THROWS_AS(instance.typed_func<int32_t()>("wait_private")(), kiln::Trap);
      }
    } catch (const std::exception& e) {
      ++failures;
      MESSAGE("worker failed: " << e.what());
    }
  });
  CHECK(failures == 0);
  CHECK(sum == int64_t(kCount) * (kCount + 1) / 2);
}

TEST_CASE("concurrent memory.grow on a shared memory: every grower gets its own old size") {
  const kiln::Module module = kiln::Module::load(artifact("threads"));
  kiln::Store home;
  kiln::Memory memory = kiln::Memory::create(home, kSharedType);
  constexpr int kThreads = 7;  // from 1 page to the maximum, 8
  std::vector<int32_t> old_sizes(kThreads + 1, -2);
  on_threads(kThreads + 1, [&](int i) {
    Worker w(module, memory);
    old_sizes[i] = w.instance.typed_func<int32_t()>("grow")();
  });
  std::set<int32_t> distinct(old_sizes.begin(), old_sizes.end());
  // Seven grew (old sizes 1..7, each once); the eighth found it full.
  CHECK(distinct == std::set<int32_t>{-1, 1, 2, 3, 4, 5, 6, 7});
  CHECK(memory.size_pages() == 8);
  // Another thread's instance sees the new size and can use the new pages.
  Worker w(module, memory);
  CHECK(w.instance.typed_func<int32_t()>("size")() == 8);
  memory.write<uint32_t>(7 * 65536, 0xabcd);
  CHECK(memory.read<uint32_t>(7 * 65536) == 0xabcd);
}

TEST_CASE("wait results: not-equal and timed-out; a misaligned atomic traps") {
  const kiln::Module module = kiln::Module::load(artifact("threads"));
  kiln::Store home;
  kiln::Memory memory = kiln::Memory::create(home, kSharedType);
  Worker w(module, memory);
  CHECK(w.instance.typed_func<int32_t()>("wait_mismatch")() == 1);
  CHECK(w.instance.typed_func<int32_t()>("wait_timeout")() == 2);
  CHECK(w.instance.typed_func<int32_t(int32_t)>("load_misaligned")(4) == 0);
  try {
    w.instance.typed_func<int32_t(int32_t)>("load_misaligned")(2);
    FAIL("no trap");
  } catch (const kiln::Trap& t) {
    CHECK(t.kind() == kiln::TrapKind::UnalignedAtomic);
    CHECK(std::string(t.what()).find("unaligned atomic") != std::string::npos);
  }
  try {
    w.instance.typed_func<int32_t(int32_t)>("load_misaligned")(65536);  // aligned, one page
    FAIL("no trap");
  } catch (const kiln::Trap& t) {
    CHECK(t.kind() == kiln::TrapKind::OutOfBoundsMemoryAccess);
  }
}

TEST_CASE("memory.atomic.wait on a memory that is not shared traps; notify returns 0") {
  kiln::Store store;
  kiln::Instance instance = kiln::Instance::create(store, kiln::Module::load(artifact("unshared_wait")), {});
  CHECK(instance.typed_func<int32_t()>("notify")() == 0);
  try {
    instance.typed_func<int32_t()>("wait")();
    FAIL("no trap");
  } catch (const kiln::Trap& t) {
    CHECK(t.kind() == kiln::TrapKind::WaitOnUnsharedMemory);
    CHECK(std::string(t.what()).find("expected shared memory") != std::string::npos);
  }
}

TEST_CASE("Store::interrupt() wakes a thread of that store blocked in memory.atomic.wait") {
  const kiln::Module module = kiln::Module::load(artifact("threads"));
  kiln::Store home;
  kiln::Memory memory = kiln::Memory::create(home, kSharedType);
  Worker w(module, memory);
  kiln::TrapKind kind = kiln::TrapKind::Unreachable;
  int32_t result = -1;
  std::thread parked([&] {
    try {
      result = w.instance.typed_func<int32_t()>("park")();
    } catch (const kiln::Trap& t) {
      kind = t.kind();
    }
  });
  // The flag is set in wasm, after the call entered: an interrupt from now on
  // is pending for the wait (it clears only at the next entry from the host).
  while (memory.read<uint32_t>(32) == 0) std::this_thread::yield();
  w.store.interrupt();
  parked.join();
  CHECK(result == -1);
  CHECK(kind == kiln::TrapKind::Interrupted);
}

TEST_CASE("a shared memory outlives the store that created it; share() refuses unshared memories") {
  const kiln::Module module = kiln::Module::load(artifact("threads"));
  kiln::Store other;
  kiln::Memory handle;
  {
    kiln::Store creator;
    kiln::Memory memory = kiln::Memory::create(creator, kSharedType);
    memory.write<uint32_t>(0, 41);
    handle = memory.share(other);
    CHECK(handle == memory);
    kiln::Memory plain = kiln::Memory::create(creator, kiln::MemoryType{kiln::Limits{1, 1}});
    CHECK_THROWS_AS(plain.share(other), kiln::Error);
  }
  kiln::Imports imports;
  imports.define("env", "memory", handle);
  kiln::Instance instance = kiln::Instance::create(other, module, imports);
  instance.typed_func<void(int32_t)>("add_many")(1);
  CHECK(instance.typed_func<int32_t()>("counter")() == 42);
  // A shared import needs a shared memory, and the reverse.
  kiln::Imports unshared;
  unshared.define("env", "memory", kiln::Memory::create(other, kiln::MemoryType{kiln::Limits{1, 8}}));
  CHECK_THROWS_WITH_AS(kiln::Instance::create(other, module, unshared),
                       doctest::Contains("incompatible import type"), kiln::Error);
  CHECK_THROWS_AS(kiln::Memory::create(other, kiln::MemoryType{kiln::Limits{1, {}}, true}), kiln::Error);
}
