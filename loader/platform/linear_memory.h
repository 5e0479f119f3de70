// Address-space reservations backing 32-bit linear memories.
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "abi/vm_context.h"
#include "loader/result.h"

namespace kiln::loader {

/// Reserves `reserve` bytes (abi::kMemoryReservation: a 32-bit memory's
/// guard region) of PROT_NONE address space, rounded up to pages, and
/// commits the first `initial_bytes` read/write. Pages beyond the committed
/// size fault, which the signal handler reports as an out-of-bounds memory
/// access.
class MemoryReservation {
 public:
  /// Fails when the address space cannot be reserved or committed.
  static Result<std::unique_ptr<MemoryReservation>> create(
      uint64_t initial_bytes, uint64_t reserve = abi::kMemoryReservation);
  ~MemoryReservation();  // munmap
  uint8_t* base() const { return base_; }
  uint64_t committed() const { return committed_; }
  uint64_t reserved() const { return reserved_; }
  /// Makes [committed, new_bytes) readable and writable (zero-filled). False on failure.
  bool grow_to(uint64_t new_bytes);
  /// True if addr lies within this reservation (for fault classification).
  bool contains(uintptr_t addr) const;

 private:
  MemoryReservation(uint8_t* base, uint64_t reserved) : base_(base), reserved_(reserved) {}
  uint8_t* base_;
  uint64_t reserved_;
  uint64_t committed_ = 0;
};

}  // namespace kiln::loader
