// MemoryReservation: the reserved range, what is committed, and growth.
#include <doctest/doctest.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "abi/vm_context.h"
#include "loader/platform/linear_memory.h"

using kiln::loader::MemoryReservation;
namespace abi = kiln::abi;

namespace {

// Permissions ("rw-p", "---p", ...) of the mapping holding addr, from /proc.
std::string protection_at(const void* addr) {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  const uintptr_t a = reinterpret_cast<uintptr_t>(addr);
  while (std::getline(maps, line)) {
    unsigned long lo = 0, hi = 0;
    char perms[5] = {};
    if (std::sscanf(line.c_str(), "%lx-%lx %4s", &lo, &hi, perms) != 3) continue;
    if (a >= lo && a < hi) return perms;
  }
  return "unmapped";
}

}  // namespace

TEST_CASE("linear memory: reservation, commit and growth") {
  auto created = MemoryReservation::create(abi::kWasmPageSize);
  REQUIRE_MESSAGE(created, created.error());
  auto memory = std::move(*created);
  uint8_t* base = memory->base();
  REQUIRE(base != nullptr);
  CHECK(memory->committed() == abi::kWasmPageSize);

  // Committed pages are zero and writable; the rest is reserved but inaccessible.
  CHECK(base[0] == 0);
  CHECK(base[abi::kWasmPageSize - 1] == 0);
  base[0] = 42;
  base[abi::kWasmPageSize - 1] = 7;
  CHECK(base[0] == 42);
  CHECK(protection_at(base) == "rw-p");
  CHECK(protection_at(base + abi::kWasmPageSize) == "---p");
  CHECK(protection_at(base + abi::kMemoryReservation - 1) == "---p");

  CHECK(memory->contains(reinterpret_cast<uintptr_t>(base)));
  CHECK(memory->contains(reinterpret_cast<uintptr_t>(base + (4ull << 30))));
  CHECK(memory->contains(reinterpret_cast<uintptr_t>(base + abi::kMemoryReservation - 1)));
  CHECK_FALSE(memory->contains(reinterpret_cast<uintptr_t>(base) - 1));
  CHECK_FALSE(memory->contains(reinterpret_cast<uintptr_t>(base + abi::kMemoryReservation)));

  CHECK(memory->grow_to(3 * abi::kWasmPageSize));
  CHECK(memory->committed() == 3 * abi::kWasmPageSize);
  CHECK(base[0] == 42);  // growth keeps contents and the base
  CHECK(memory->base() == base);
  CHECK(base[2 * abi::kWasmPageSize + 5] == 0);
  base[3 * abi::kWasmPageSize - 1] = 9;
  CHECK(protection_at(base + 3 * abi::kWasmPageSize - 1) == "rw-p");
  CHECK(protection_at(base + 3 * abi::kWasmPageSize) == "---p");

  CHECK(memory->grow_to(abi::kWasmPageSize));  // no shrinking, nothing to do
  CHECK(memory->committed() == 3 * abi::kWasmPageSize);
  CHECK_FALSE(memory->grow_to(abi::kMemoryReservation + 1));
  CHECK(memory->committed() == 3 * abi::kWasmPageSize);

  memory.reset();
  // Unmapped, or kept for reuse: then nothing past what it had is accessible.
  CHECK((protection_at(base) == "unmapped" || protection_at(base + 3 * abi::kWasmPageSize) == "---p"));
}

TEST_CASE("linear memory: a released reservation comes back zeroed, with only the new size accessible") {
  std::vector<std::unique_ptr<MemoryReservation>> memories;
  for (int i = 0; i < 4; ++i) {
    memories.push_back(MemoryReservation::create(4 * abi::kWasmPageSize).or_throw());
    uint8_t* base = memories.back()->base();
    std::memset(base, 0xA5, 4 * abi::kWasmPageSize);
    REQUIRE(memories.back()->grow_to(6 * abi::kWasmPageSize));
    base[6 * abi::kWasmPageSize - 1] = 0x5A;
  }
  std::set<uint8_t*> released;
  for (auto& m : memories) released.insert(m->base());
  memories.clear();

  // Smaller, equal and larger sizes than the released ones had.
  for (uint64_t pages : {uint64_t(1), uint64_t(6), uint64_t(9), uint64_t(0)}) {
    INFO("pages " << pages);
    auto memory = MemoryReservation::create(pages * abi::kWasmPageSize).or_throw();
    uint8_t* base = memory->base();
    CHECK(memory->committed() == pages * abi::kWasmPageSize);
    for (uint64_t at = 0; at < pages * abi::kWasmPageSize; at += 512) REQUIRE(base[at] == 0);
    if (pages) CHECK(base[pages * abi::kWasmPageSize - 1] == 0);
    if (pages) CHECK(protection_at(base + pages * abi::kWasmPageSize - 1) == "rw-p");
    CHECK(protection_at(base + pages * abi::kWasmPageSize) == "---p");
    CHECK(protection_at(base + abi::kMemoryReservation - 1) == "---p");
    // Growth from a reused reservation works as from a new one.
    REQUIRE(memory->grow_to((pages + 2) * abi::kWasmPageSize));
    CHECK(base[(pages + 2) * abi::kWasmPageSize - 1] == 0);
    CHECK(protection_at(base + (pages + 2) * abi::kWasmPageSize) == "---p");
    std::memset(base, 0x77, (pages + 2) * abi::kWasmPageSize);
    released.erase(base);
  }
  CHECK(released.size() < 4);  // at least one was reused
}

TEST_CASE("linear memory: the full 4 GiB of a 32-bit memory can be committed") {
  auto memory = MemoryReservation::create(0).or_throw();
  CHECK(memory->committed() == 0);
  CHECK(protection_at(memory->base()) == "---p");
  // NORESERVE anonymous memory costs nothing until touched, except under
  // strict overcommit accounting (mode 2), where this may rightly fail.
  std::ifstream mode_file("/proc/sys/vm/overcommit_memory");
  int mode = 0;
  mode_file >> mode;
  if (mode == 2) return;
  CHECK(memory->grow_to(abi::kMaxMemoryPages * abi::kWasmPageSize));
  uint8_t* last = memory->base() + abi::kMaxMemoryPages * abi::kWasmPageSize - 1;
  *last = 1;
  CHECK(*last == 1);
}

TEST_CASE("linear memory: an impossible initial size is an error, not a crash") {
  auto memory = MemoryReservation::create(abi::kMemoryReservation * 2);
  CHECK_FALSE(memory);
  CHECK(memory.error().find("exceeds the reservation") != std::string::npos);
}

TEST_CASE("linear memory: a 64-bit memory's reservation is its own size and bounds its growth") {
  // What the loader reserves for a memory64 memory declared with a maximum of 3 pages.
  auto memory = MemoryReservation::create(abi::kWasmPageSize, 3 * abi::kWasmPageSize).or_throw();
  CHECK(memory->reserved() == 3 * abi::kWasmPageSize);
  CHECK(memory->grow_to(3 * abi::kWasmPageSize));
  memory->base()[3 * abi::kWasmPageSize - 1] = 1;
  CHECK_FALSE(memory->grow_to(4 * abi::kWasmPageSize));
  CHECK(memory->committed() == 3 * abi::kWasmPageSize);
  // Nothing reserved still reserves a page (mmap cannot reserve nothing).
  auto empty = MemoryReservation::create(0, 0).or_throw();
  CHECK(empty->reserved() > 0);
  CHECK_FALSE(empty->grow_to(empty->reserved() + 1));
}
