// The code registry: ranges, function and trap-site lookup, ownership of the
// library, and lookups racing with registration and deregistration.
#include <doctest/doctest.h>

#include <dlfcn.h>

#include <atomic>
#include <cstring>
#include <memory>
#include <new>
#include <thread>
#include <vector>

#include "abi/descriptor.h"
#include "abi/version.h"
#include "fixtures/fixture_path.h"
#include "loader/platform/code_registry.h"
#include "loader/platform/shared_library.h"

using kiln::loader::lookup_pc;
using kiln::loader::PcInfo;
using kiln::loader::RegisteredCode;
using kiln::loader::registered_code_count;
using kiln::loader::SharedLibrary;
namespace abi = kiln::abi;

namespace {

// Some always-present library for registrations whose "code" is plain bytes.
std::unique_ptr<SharedLibrary> any_library() {
  auto lib = SharedLibrary::open("libm.so.6");
  REQUIRE_MESSAGE(lib, lib.error());
  return std::move(*lib);
}

uintptr_t addr(const void* p) { return reinterpret_cast<uintptr_t>(p); }

// The ImageOffset of `target` from descriptor `d` (0 for null), as aotc would
// have written it had both been in one image.
abi::ImageOffset offset(const abi::Descriptor& d, const void* target) {
  return target ? abi::ImageOffset(addr(target) - addr(&d)) : 0;
}

alignas(64) uint8_t g_code_a[256];
alignas(64) uint8_t g_code_b[256];

}  // namespace

TEST_CASE("registry: functions, trap sites and ranges") {
  abi::Descriptor desc{};
  // Declared out of address order on purpose; f2 leaves a gap after f0.
  abi::Function funcs[3] = {
      {0, 16, offset(desc, g_code_a + 0), offset(desc, "a0")},
      {0, 32, offset(desc, g_code_a + 64), offset(desc, "a1")},
      {0, 16, offset(desc, g_code_a + 32), 0},
  };
  abi::TrapSite traps[3] = {
      {0, 2, uint8_t(abi::TrapCode::Unreachable), {}},
      {1, 4, uint8_t(abi::TrapCode::OutOfBoundsMemoryAccess), {}},
      {2, 99, uint8_t(abi::TrapCode::IntegerOverflow), {}},  // past the function: ignored
  };
  desc.function_count = 3;
  desc.functions = offset(desc, funcs);
  desc.trap_count = 3;
  desc.traps = offset(desc, traps);
  int owner = 0;

  const size_t before = registered_code_count();
  auto code = std::make_unique<RegisteredCode>(any_library(), &desc, &owner);
  CHECK(registered_code_count() == before + 1);
  CHECK(code->code_start() == addr(g_code_a));
  CHECK(code->code_end() == addr(g_code_a + 96));

  PcInfo info;
  REQUIRE(lookup_pc(addr(g_code_a), info));
  CHECK(info.owner == &owner);
  CHECK(info.func_index == 0);
  CHECK(info.offset == 0);
  CHECK(info.trap == abi::TrapCode::None);
  CHECK(std::strcmp(info.func_name, "a0") == 0);

  REQUIRE(lookup_pc(addr(g_code_a + 2), info));
  CHECK(info.trap == abi::TrapCode::Unreachable);
  REQUIRE(lookup_pc(addr(g_code_a + 3), info));
  CHECK(info.trap == abi::TrapCode::None);  // only the exact site

  REQUIRE(lookup_pc(addr(g_code_a + 68), info));
  CHECK(info.func_index == 1);
  CHECK(info.offset == 4);
  CHECK(info.trap == abi::TrapCode::OutOfBoundsMemoryAccess);
  CHECK(std::strcmp(info.func_name, "a1") == 0);

  REQUIRE(lookup_pc(addr(g_code_a + 47), info));
  CHECK(info.func_index == 2);
  CHECK(info.offset == 15);
  CHECK(info.func_name == nullptr);

  CHECK_FALSE(lookup_pc(addr(g_code_a + 16), info));  // between f0 and f2
  CHECK_FALSE(lookup_pc(addr(g_code_a + 96), info));  // end is exclusive
  CHECK_FALSE(lookup_pc(addr(g_code_a) - 1, info));
  CHECK_FALSE(lookup_pc(addr(g_code_b), info));

  // A second artifact alongside the first.
  abi::Descriptor desc_b{};
  abi::Function funcs_b[1] = {{0, 128, offset(desc_b, g_code_b), offset(desc_b, "b0")}};
  desc_b.function_count = 1;
  desc_b.functions = offset(desc_b, funcs_b);
  int owner_b = 0;
  auto code_b = std::make_unique<RegisteredCode>(any_library(), &desc_b, &owner_b);
  CHECK(registered_code_count() == before + 2);
  REQUIRE(lookup_pc(addr(g_code_b + 100), info));
  CHECK(info.owner == &owner_b);
  CHECK(info.offset == 100);
  REQUIRE(lookup_pc(addr(g_code_a + 1), info));
  CHECK(info.owner == &owner);

  code.reset();
  CHECK(registered_code_count() == before + 1);
  CHECK_FALSE(lookup_pc(addr(g_code_a), info));
  CHECK(lookup_pc(addr(g_code_b), info));
  code_b.reset();
  CHECK(registered_code_count() == before);
  CHECK_FALSE(lookup_pc(addr(g_code_b), info));
}

TEST_CASE("registry: an artifact without functions registers nothing but owns its library") {
  abi::Descriptor empty{};
  int owner = 0;
  const size_t before = registered_code_count();
  RegisteredCode code(any_library(), &empty, &owner);
  CHECK(registered_code_count() == before);
  CHECK(code.code_start() == 0);
  CHECK(code.code_end() == 0);
  REQUIRE(code.library() != nullptr);
  CHECK(code.library()->symbol("cos") != nullptr);
}

TEST_CASE("registry: destroying the registration closes the library") {
  const std::string path = kiln::test::fake_artifact_path();
  auto opened = SharedLibrary::open(path);
  REQUIRE_MESSAGE(opened, opened.error());
  std::unique_ptr<SharedLibrary> lib = std::move(*opened);
  auto* desc = static_cast<const abi::Descriptor*>(lib->symbol(abi::kDescriptorSymbol));
  REQUIRE(desc != nullptr);
  const uintptr_t entry = addr(desc->code_at(desc->at<abi::Function>(desc->functions)[0].code));
  int owner = 0;
  auto code = std::make_unique<RegisteredCode>(std::move(lib), desc, &owner);
  PcInfo info;
  CHECK(lookup_pc(entry, info));
  void* probe = dlopen(path.c_str(), RTLD_NOW | RTLD_NOLOAD);
  CHECK(probe != nullptr);  // loaded, and the probe took a reference
  if (probe) dlclose(probe);

  code.reset();
  CHECK_FALSE(lookup_pc(entry, info));
  probe = dlopen(path.c_str(), RTLD_NOW | RTLD_NOLOAD);
  CHECK(probe == nullptr);  // unloaded
  if (probe) dlclose(probe);
}

TEST_CASE("registry: lookups racing with registration never see a deregistered owner") {
  constexpr int kIterations = 4000;
  constexpr int kSlots = 4;
  constexpr int kReaders = 2;  // with the writer, one thread per core of a 2-core CI machine
  alignas(64) static uint8_t code_area[kSlots][256];
  static const char* const kNames[2] = {"first", "second"};

  struct Token {
    int id;
  };
  std::vector<Token> tokens(kIterations);
  for (int i = 0; i < kIterations; ++i) tokens[i].id = i;

  // A registration that stays for the whole test: must always be found.
  abi::Descriptor stable_desc{};
  abi::Function stable_funcs[1] = {{0, 64, offset(stable_desc, g_code_b), offset(stable_desc, "stable")}};
  stable_desc.function_count = 1;
  stable_desc.functions = offset(stable_desc, stable_funcs);
  int stable_owner = 0;
  RegisteredCode stable(any_library(), &stable_desc, &stable_owner);

  std::atomic<int> dead_below{0};  // registrations with id < this are fully gone
  std::atomic<bool> stop{false};
  std::atomic<long> found{0}, stale{0}, inconsistent{0}, stable_missing{0};
  std::atomic<int> started{0};

  auto reader = [&](unsigned seed) {
    uint32_t x = seed;
    started.fetch_add(1);
    while (!stop.load(std::memory_order_relaxed)) {
      x = x * 1664525u + 1013904223u;
      const int slot = int(x >> 28) % kSlots;
      const uintptr_t pc = addr(&code_area[slot][(x >> 8) % 64]);
      const int dead = dead_below.load();
      PcInfo info;
      if (lookup_pc(pc, info)) {
        found.fetch_add(1, std::memory_order_relaxed);
        const int id = static_cast<const Token*>(info.owner)->id;
        if (id < dead) stale.fetch_add(1);
        if (info.func_index != 0 || info.func_name != kNames[id % 2]) inconsistent.fetch_add(1);
      }
      PcInfo s;
      if (!lookup_pc(addr(g_code_b + 10), s) || s.owner != &stable_owner) stable_missing.fetch_add(1);
    }
  };
  std::vector<std::thread> readers;
  for (int r = 0; r < kReaders; ++r) readers.emplace_back(reader, 17u + unsigned(r));

  // Each registration lives in a ring slot that is not reused for hundreds of
  // iterations after deregistration: a lookup that wrongly reached a
  // deregistered entry would find it intact and report its dead owner.
  constexpr int kRing = 512;
  struct Slot {
    abi::Function func;
    abi::Descriptor desc;
    alignas(RegisteredCode) unsigned char storage[sizeof(RegisteredCode)];
    RegisteredCode* code = nullptr;
  };
  std::vector<Slot> ring(kRing);
  auto make = [&](int id) {
    Slot& slot = ring[id % kRing];
    slot.desc = abi::Descriptor{};
    slot.func = abi::Function{0, 64, offset(slot.desc, code_area[id % kSlots]), offset(slot.desc, kNames[id % 2])};
    slot.desc.function_count = 1;
    slot.desc.functions = offset(slot.desc, &slot.func);
    slot.code = new (slot.storage) RegisteredCode(any_library(), &slot.desc, &tokens[id]);
  };
  auto destroy = [&](int id) {
    Slot& slot = ring[id % kRing];
    slot.code->~RegisteredCode();
    slot.code = nullptr;
  };

  while (started.load() < kReaders) std::this_thread::yield();
  for (int id = 0; id < kIterations; ++id) {
    make(id);
    if (id > 0) destroy(id - 1);
    dead_below.store(id);
  }
  // On a loaded machine the readers may not have run during the loop: keep
  // the last registration until one of them has found it, however long that
  // takes (the test's timeout bounds it, not a clock here).
  while (found.load() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  destroy(kIterations - 1);
  dead_below.store(kIterations);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  stop.store(true);
  for (auto& t : readers) t.join();

  CHECK(stale.load() == 0);
  CHECK(inconsistent.load() == 0);
  CHECK(stable_missing.load() == 0);
  CHECK(found.load() > 0);
  PcInfo info;
  for (int slot = 0; slot < kSlots; ++slot) CHECK_FALSE(lookup_pc(addr(code_area[slot]), info));
}
