// Linear memories.
#pragma once
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <type_traits>

#include "kiln/limits.h"

namespace kiln {

class Store;
namespace loader {
struct HandleAccess;
class StoreState;
struct MemoryState;
}  // namespace loader

/// A memory's type: its limits in 64 KiB pages.
struct MemoryType {
  Limits limits;
  /// memory64: addressed by i64. Such a memory may grow past 4 GiB, up to
  /// StoreConfig::max_memory_pages and the loader's reservation of 16 GiB.
  bool address64 = false;
  bool operator==(const MemoryType&) const = default;
  /// e.g. "memory 1 2", or "memory i64 1 2".
  std::string to_string() const;
};

/// Handle to a linear memory in a store (created by the host or by an
/// instance). Keeps the store alive. The default-constructed handle is null.
class Memory {
 public:
  Memory() = default;
  /// A new memory owned by `store`, `type.limits.min` pages, zero-filled.
  static Memory create(Store& store, const MemoryType& type);

  /// False for the null handle.
  explicit operator bool() const { return state_ != nullptr; }
  /// The declared type, with the current size as minimum.
  MemoryType type() const;
  /// Start of the memory. Stable for the memory's lifetime (growth never moves it).
  uint8_t* data() const;
  /// Current size in 64 KiB pages and in bytes.
  uint64_t size_pages() const;
  uint64_t size_bytes() const;
  /// Grows by `delta` pages: the old size in pages, or -1 if the memory's
  /// maximum or the store's page limit would be exceeded.
  int64_t grow(uint64_t delta);

  /// Copy bytes out of / into the memory; throw kiln::Error when
  /// [offset, offset + size) is out of bounds.
  void read(uint64_t offset, std::span<uint8_t> out) const;
  void write(uint64_t offset, std::span<const uint8_t> bytes);
  /// Reads / writes one trivially copyable value (little-endian, unaligned ok).
  template <class T>
  T read(uint64_t offset) const {
    static_assert(std::is_trivially_copyable_v<T>);
    T value;
    read(offset, std::span<uint8_t>(reinterpret_cast<uint8_t*>(&value), sizeof(T)));
    return value;
  }
  template <class T>
  void write(uint64_t offset, const T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    write(offset, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(&value), sizeof(T)));
  }
  /// Reads a string of `size` bytes (throws when out of bounds).
  std::string read_string(uint64_t offset, uint64_t size) const;

  /// Same memory (not merely equal contents).
  bool operator==(const Memory& other) const { return state_ == other.state_; }

 private:
  friend struct loader::HandleAccess;
  /// Internal, for libkiln itself: a handle to `state`, owned by `store`.
  Memory(std::shared_ptr<loader::StoreState> store, loader::MemoryState* state)
      : store_(std::move(store)), state_(state) {}
  loader::MemoryState* state() const { return state_; }
  const std::shared_ptr<loader::StoreState>& store_state() const { return store_; }
  std::shared_ptr<loader::StoreState> store_;
  loader::MemoryState* state_ = nullptr;
};

}  // namespace kiln
