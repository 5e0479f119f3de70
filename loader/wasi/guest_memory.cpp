// GuestMemory: bounds checks against the memory's current size.
#include "loader/wasi/guest_memory.h"

#include "kiln/caller.h"
#include "kiln/memory.h"

namespace kiln::wasi {

void GuestMemory::load_memory() {
  if (loaded_) return;
  // Throws kiln::Error when the module exports no memory: a WASI module
  // that passes pointers must export one.
  Memory memory = caller_->memory("memory");
  base_ = memory.data();
  size_ = memory.size_bytes();
  loaded_ = true;
}

uint8_t* GuestMemory::bytes(uint64_t ptr, uint64_t len) {
  load_memory();
  if (ptr > size_ || len > size_ - ptr) return nullptr;
  static uint8_t empty;  // a zero-length access to an empty memory
  return base_ ? base_ + ptr : &empty;
}

std::optional<std::string> GuestMemory::string(uint64_t ptr, uint64_t len) {
  uint8_t* p = bytes(ptr, len);
  if (!p) return std::nullopt;
  return std::string(reinterpret_cast<const char*>(p), len);
}

}  // namespace kiln::wasi
