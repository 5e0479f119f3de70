// Bounds-checked access to the calling instance's linear memory. Every
// pointer a guest passes goes through here, so a bad pointer becomes the
// errno `fault` instead of a host crash.
#pragma once
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <type_traits>

#include "loader/wasi/wasi_abi.h"

namespace kiln {
class Caller;
}

namespace kiln::wasi {

/// Field access inside a struct already bounds-checked as a whole.
template <class T>
inline void put(uint8_t* p, T value) {
  std::memcpy(p, &value, sizeof(T));
}
template <class T>
inline T get(const uint8_t* p) {
  T value;
  std::memcpy(&value, p, sizeof(T));
  return value;
}

class GuestMemory {
 public:
  /// The caller's exported "memory", looked up on first use (functions that
  /// touch no memory work for modules without one).
  explicit GuestMemory(Caller& caller) : caller_(&caller) {}
  /// A plain byte range (unit tests).
  GuestMemory(uint8_t* base, uint64_t size) : base_(base), size_(size), loaded_(true) {}

  /// [ptr, ptr + len) in host memory, or null when any byte is out of bounds.
  uint8_t* bytes(uint64_t ptr, uint64_t len);

  /// Reads / writes a little-endian integer at ptr; false when out of bounds.
  template <class T>
  bool load(uint64_t ptr, T& out) {
    static_assert(std::is_trivially_copyable_v<T>);
    uint8_t* p = bytes(ptr, sizeof(T));
    if (!p) return false;
    std::memcpy(&out, p, sizeof(T));
    return true;
  }
  template <class T>
  bool store(uint64_t ptr, T value) {
    static_assert(std::is_trivially_copyable_v<T>);
    uint8_t* p = bytes(ptr, sizeof(T));
    if (!p) return false;
    std::memcpy(p, &value, sizeof(T));
    return true;
  }

  /// Copies a guest string; nothing when out of bounds.
  std::optional<std::string> string(uint64_t ptr, uint64_t len);

 private:
  void load_memory();

  Caller* caller_ = nullptr;
  uint8_t* base_ = nullptr;
  uint64_t size_ = 0;
  bool loaded_ = false;
};

}  // namespace kiln::wasi
