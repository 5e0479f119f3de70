// What a host function knows about its caller.
#pragma once
#include <optional>
#include <string_view>

#include "kiln/instance.h"
#include "kiln/store.h"

namespace kiln {

namespace loader {
struct HandleAccess;
class StoreState;
class InstanceState;
}  // namespace loader

/// Passed to host functions: the instance whose wasm code made the call
/// (none when the host called the function directly through Func::call).
class Caller {
 public:
  /// A caller with these handles.
  Caller(Store store, Instance instance) : store_(std::move(store)), instance_(std::move(instance)) {}
  /// The store the host function runs in.
  Store& store();
  /// The calling instance; a null Instance when called from the host.
  const Instance& instance() const;
  /// An export of the calling instance (nothing without a calling instance).
  std::optional<Extern> get_export(std::string_view name) const;
  /// The calling instance's exported memory `name`; throws kiln::Error if
  /// there is no caller or no such memory.
  Memory memory(std::string_view name = "memory") const;

 private:
  friend struct loader::HandleAccess;
  /// Internal, for libkiln itself: a call from wasm code of `instance` (null
  /// for none) in `store`. The Store and Instance handles are made on first
  /// use, so a host function that never asks costs no reference counting.
  Caller(loader::StoreState* store, loader::InstanceState* instance) noexcept
      : store_state_(store), instance_state_(instance) {}
  loader::StoreState* store_state_ = nullptr;        // set until store_ is made
  loader::InstanceState* instance_state_ = nullptr;  // set until instance_ is made
  std::optional<Store> store_;
  mutable std::optional<Instance> instance_;
};

}  // namespace kiln
