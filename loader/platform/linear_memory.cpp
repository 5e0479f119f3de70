// Linear-memory reservations: PROT_NONE address space, committed on growth,
// and recycled through a small process-wide pool.
#include "loader/platform/linear_memory.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <cstring>
#include <mutex>

#include "abi/vm_context.h"

namespace kiln::loader {

namespace {

uint64_t page_size() {
  static const uint64_t size = uint64_t(sysconf(_SC_PAGESIZE));
  return size;
}

uint64_t round_up(uint64_t value, uint64_t page) { return (value + page - 1) / page * page; }

uint64_t guard_reservation_size() { return round_up(abi::kMemoryReservation, page_size()); }

// Reservations of dropped 32-bit memories (64-bit ones vary in size and are
// unmapped). Reserving and releasing 8 GiB of address
// space (mmap, mprotect, munmap) costs several times an instantiation; a
// pooled one is reused as it was left: its first `accessible` bytes
// read/write and all zero (MADV_DONTNEED), the rest PROT_NONE. Constant-
// initialized and trivially destructible, so memories released by static
// destructors still find it; pooled address space is returned at exit.
struct Pooled {
  uint8_t* base;
  uint64_t accessible;
};
constexpr size_t kPoolCapacity = 16;
// Larger memories are unmapped rather than pooled: under strict overcommit
// accounting their read/write range would stay charged while pooled.
constexpr uint64_t kPoolMaxAccessible = 64ull << 20;
constinit std::mutex g_pool_mutex;
constinit Pooled g_pool[kPoolCapacity] = {};
constinit size_t g_pooled = 0;

bool take_pooled(Pooled& out) {
  std::lock_guard<std::mutex> lock(g_pool_mutex);
  if (g_pooled == 0) return false;
  out = g_pool[--g_pooled];  // the most recently released: its page tables are warm
  return true;
}

bool give_to_pool(const Pooled& entry) {
  std::lock_guard<std::mutex> lock(g_pool_mutex);
  if (g_pooled == kPoolCapacity) return false;
  g_pool[g_pooled++] = entry;
  return true;
}

// After grow_to() failed, with its errno.
Failure cannot_commit(uint64_t bytes) {
  return fail("cannot commit " + std::to_string(bytes) + " bytes of linear memory: " + std::strerror(errno));
}

}  // namespace

Result<std::unique_ptr<MemoryReservation>> MemoryReservation::create(uint64_t initial_bytes,
                                                                     uint64_t reserve) {
  // At least a page: mmap cannot reserve nothing.
  const uint64_t reserved = std::max(round_up(reserve, page_size()), page_size());
  const bool poolable = reserved == guard_reservation_size();
  if (initial_bytes > reserved)
    return fail("initial memory size " + std::to_string(initial_bytes) + " bytes exceeds the reservation of " +
                std::to_string(reserved) + " bytes");
  Pooled pooled;
  if (poolable && take_pooled(pooled)) {
    std::unique_ptr<MemoryReservation> memory(new MemoryReservation(pooled.base, reserved));
    // Exactly [0, initial_bytes) rounded to pages accessible, as if new.
    const uint64_t want = round_up(initial_bytes, page_size());
    if (pooled.accessible > want &&
        mprotect(pooled.base + want, pooled.accessible - want, PROT_NONE) != 0) {
      Failure failure(std::string("cannot protect the unused part of a linear memory: ") + std::strerror(errno));
      memory->committed_ = pooled.accessible;  // what the destructor must zero
      return failure;
    }
    if (pooled.accessible >= want) {
      memory->committed_ = initial_bytes;
      return memory;
    }
    memory->committed_ = pooled.accessible;
    if (!memory->grow_to(initial_bytes)) return cannot_commit(initial_bytes);
    return memory;
  }
  // MAP_NORESERVE: PROT_NONE address space costs no commit charge.
  void* mem = mmap(nullptr, reserved, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (mem == MAP_FAILED)
    return fail("cannot reserve " + std::to_string(reserved) + " bytes of address space for a linear memory: " +
                std::strerror(errno));
  std::unique_ptr<MemoryReservation> memory(new MemoryReservation(static_cast<uint8_t*>(mem), reserved));
  if (!memory->grow_to(initial_bytes)) return cannot_commit(initial_bytes);
  return memory;
}

MemoryReservation::~MemoryReservation() {
  if (!base_) return;
  // Zero what the memory used (private anonymous pages read as zero after
  // MADV_DONTNEED) and keep the reservation for the next memory.
  const uint64_t accessible = round_up(committed_, page_size());
  if (reserved_ == guard_reservation_size() && accessible <= kPoolMaxAccessible &&
      (accessible == 0 || madvise(base_, accessible, MADV_DONTNEED) == 0) &&
      give_to_pool({base_, accessible}))
    return;
  munmap(base_, reserved_);
}

bool MemoryReservation::grow_to(uint64_t new_bytes) {
  if (new_bytes <= committed_) return true;
  if (new_bytes > reserved_) return false;
  // Pages below committed_ are already read/write; fresh anonymous pages read as zero.
  const uint64_t page = page_size();
  const uint64_t from = committed_ / page * page;
  const uint64_t to = round_up(new_bytes, page);
  if (mprotect(base_ + from, to - from, PROT_READ | PROT_WRITE) != 0) return false;
  committed_ = new_bytes;
  return true;
}

bool MemoryReservation::contains(uintptr_t addr) const {
  const uintptr_t base = reinterpret_cast<uintptr_t>(base_);
  return addr >= base && addr - base < reserved_;
}

}  // namespace kiln::loader
