// Instances: a module instantiated in a store with its imports.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kiln/extern.h"
#include "kiln/function.h"
#include "kiln/module.h"

namespace kiln {

class Imports;
class Store;
namespace loader {
struct HandleAccess;
class StoreState;
class InstanceState;
}  // namespace loader

/// One export of an instance.
struct InstanceExport {
  std::string name;
  Extern value;
};

/// Handle to an instance; it lives in its store (and keeps the store alive).
class Instance {
 public:
  /// The null handle.
  Instance() = default;

  /// Instantiates `module` in `store`: resolves and type-checks the imports,
  /// allocates memories, tables and globals, applies element and data
  /// segments and runs the start function. Throws kiln::Error for link
  /// errors ("unknown import: M.N", "incompatible import type for M.N: ...")
  /// and kiln::Trap when a segment is out of bounds or the start function
  /// traps (segments applied before the trap stay applied, as the spec says).
  /// Each live instance holds one 8 KiB slot (its interrupt poll page and its
  /// VM context) of a process-wide pool of 131072; kiln::Error when all are taken.
  static Instance create(Store& store, const Module& module, const Imports& imports);

  /// False for the null handle.
  explicit operator bool() const { return state_ != nullptr; }
  /// The module this is an instance of.
  Module module() const;

  /// The export `name`, if there is one.
  std::optional<Extern> get_export(std::string_view name) const;
  /// All exports in declaration order.
  std::vector<InstanceExport> exports() const;

  // Each throws kiln::Error if there is no export of that name and kind.
  Func func(std::string_view name) const;
  Memory memory(std::string_view name) const;
  Global global(std::string_view name) const;
  Table table(std::string_view name) const;
  Tag tag(std::string_view name) const;
  /// func(name) checked against Signature once; see TypedFunc.
  template <class Signature>
  TypedFunc<Signature> typed_func(std::string_view name) const {
    return TypedFunc<Signature>(func(name));
  }

  /// Same instance.
  bool operator==(const Instance& other) const { return state_ == other.state_; }

 private:
  friend struct loader::HandleAccess;
  /// Internal, for libkiln itself: a handle to `state`, owned by `store`.
  Instance(std::shared_ptr<loader::StoreState> store, loader::InstanceState* state)
      : store_(std::move(store)), state_(state) {}
  loader::InstanceState* state() const { return state_; }
  std::shared_ptr<loader::StoreState> store_;
  loader::InstanceState* state_ = nullptr;
};

}  // namespace kiln
