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

/// A memory's type: its limits in 64 KiB pages, and whether it is shared
/// (threads proposal: several threads may use it; it must have a maximum).
struct MemoryType {
  Limits limits;
  bool shared = false;
  /// memory64: addressed by i64. Such a memory may grow past 4 GiB, up to
  /// StoreConfig::max_memory_pages and the loader's reservation of 16 GiB.
  bool address64 = false;
  bool operator==(const MemoryType&) const = default;
  /// e.g. "memory 1 2", "memory i64 1 2", "memory 1 2 shared".
  std::string to_string() const;
};

/// Handle to a linear memory in a store (created by the host or by an
/// instance). Keeps the store alive. The default-constructed handle is null.
///
/// Shared memories (threads proposal). A store is used by one thread at a
/// time, so each thread runs its own instances in its own Store; a shared
/// memory reaches another thread's store through share(), which returns a
/// handle owned by that store, to define as the other instance's import.
/// The memory's mapping is reference counted by every store it was shared
/// with: it outlives the store that created it and is unmapped with the
/// last of them. It is reserved once and never moves; grow() on it is
/// atomic (concurrent growers from any thread each get a consistent old
/// size, and none exceeds the maximum), and every thread sees the new size
/// after the grow returns. data(), read() and write() on a shared memory
/// race with wasm code on other threads like any unsynchronized access.
class Memory {
 public:
  Memory() = default;
  /// A new memory owned by `store`, `type.limits.min` pages, zero-filled.
  /// A shared type needs a maximum (else kiln::Error); the store's page
  /// limit caps the maximum of a shared memory when it is created.
  static Memory create(Store& store, const MemoryType& type);

  /// This shared memory as a handle owned by `other` (another thread's
  /// store), which keeps the memory alive from then on. Call it before
  /// `other` runs on its thread, or on that thread. Throws kiln::Error for
  /// a memory that is not shared or a null handle.
  Memory share(Store& other) const;
  /// True for a shared memory.
  bool is_shared() const;

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
