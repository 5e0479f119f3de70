// The Store: the world in which instances, host functions, memories, tables
// and globals live.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>

namespace kiln {

namespace loader {
struct HandleAccess;
class StoreState;
}

/// Resource limits of a store.
struct StoreConfig {
  /// Bytes of native stack wasm code may use per outermost call; capped by
  /// what the calling thread's stack has left. Exceeding it traps with
  /// "call stack exhausted".
  size_t stack_budget = 512 * 1024;
  /// No memory of this store grows past this many 64 KiB pages (memory.grow
  /// returns -1); at most 262144 (16 GiB, the most a 64-bit memory can
  /// reach); a 32-bit memory stops at 65536 (4 GiB) anyway.
  uint64_t max_memory_pages = 65536;
  /// No table of this store grows past this many elements (table.grow returns -1).
  /// Each element takes 40 bytes (the reference and what a call through it
  /// needs), so the default caps a table at 400 MB.
  uint32_t max_table_elements = 10'000'000;
};

/// A store owns everything instantiated or created in it, until the store and
/// every handle into it (Instance, Func, Memory, Table, Global, funcref
/// Values) are gone: handles keep the store's state alive, so they may outlive
/// this Store object. Copies of a Store refer to the same store.
///
/// A store is used by one thread at a time; different stores may run on
/// different threads concurrently. interrupt() is the one call that may come
/// from another thread.
class Store {
 public:
  /// A new, empty store with these limits.
  explicit Store(const StoreConfig& config = {});

  /// The current limits.
  const StoreConfig& config() const;
  /// Changes the limits; they apply to later calls and later growth.
  void set_config(const StoreConfig& config);

  /// Asks running wasm code to stop: code compiled as interruptible traps
  /// with "interrupted" at its next check (a function entry, or a loop
  /// header, whose poll then faults). Thread-safe; makes one mprotect call.
  /// The request is cleared when the host next enters wasm from outside any
  /// wasm call.
  void interrupt();

  /// Same store.
  bool operator==(const Store& other) const { return state_ == other.state_; }

 private:
  friend struct loader::HandleAccess;
  /// Internal state, for libkiln itself.
  const std::shared_ptr<loader::StoreState>& state() const { return state_; }
  explicit Store(std::shared_ptr<loader::StoreState> state) : state_(std::move(state)) {}
  std::shared_ptr<loader::StoreState> state_;
};

}  // namespace kiln
