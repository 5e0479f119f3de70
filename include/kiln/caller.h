// What a host function knows about its caller.
#pragma once
#include <optional>
#include <string_view>

#include "kiln/instance.h"
#include "kiln/store.h"

namespace kiln {

/// Passed to host functions: the instance whose wasm code made the call
/// (none when the host called the function directly through Function::call).
class Caller {
 public:
  /// Made by libkiln for each host call.
  Caller(Store store, Instance instance) : store_(std::move(store)), instance_(std::move(instance)) {}

  /// The store the host function runs in.
  Store& store() { return store_; }
  /// The calling instance; a null Instance when called from the host.
  const Instance& instance() const { return instance_; }
  /// An export of the calling instance (nothing without a calling instance).
  std::optional<Extern> get_export(std::string_view name) const;
  /// The calling instance's exported memory `name`; throws kiln::Error if
  /// there is no caller or no such memory.
  Memory memory(std::string_view name = "memory") const;

 private:
  Store store_;
  Instance instance_;
};

}  // namespace kiln
