// Linear-memory reservations: PROT_NONE address space, committed on growth.
#include "loader/platform/linear_memory.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "abi/vm_context.h"

namespace kiln::loader {

namespace {

uint64_t page_size() { return uint64_t(sysconf(_SC_PAGESIZE)); }

uint64_t round_up(uint64_t value, uint64_t page) { return (value + page - 1) / page * page; }

}  // namespace

std::unique_ptr<MemoryReservation> MemoryReservation::create(uint64_t initial_bytes,
                                                             std::string& error) {
  const uint64_t reserved = round_up(abi::kMemoryReservation, page_size());
  if (initial_bytes > reserved) {
    error = "initial memory size " + std::to_string(initial_bytes) +
            " bytes exceeds the reservation of " + std::to_string(reserved) + " bytes";
    return nullptr;
  }
  // MAP_NORESERVE: PROT_NONE address space costs no commit charge.
  void* mem = mmap(nullptr, reserved, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (mem == MAP_FAILED) {
    error = "cannot reserve " + std::to_string(reserved) +
            " bytes of address space for a linear memory: " + std::strerror(errno);
    return nullptr;
  }
  std::unique_ptr<MemoryReservation> memory(new MemoryReservation(static_cast<uint8_t*>(mem), reserved));
  if (!memory->grow_to(initial_bytes)) {
    error = "cannot commit " + std::to_string(initial_bytes) +
            " bytes of linear memory: " + std::strerror(errno);
    return nullptr;
  }
  return memory;
}

MemoryReservation::~MemoryReservation() {
  if (base_) munmap(base_, reserved_);
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
