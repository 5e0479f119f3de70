// Global variables.
#pragma once
#include <memory>
#include <string>

#include "kiln/value.h"

namespace kiln {

class Store;
namespace loader {
struct HandleAccess;
class StoreState;
struct GlobalState;
}  // namespace loader

/// A global's type: value type and mutability.
struct GlobalType {
  ValType type = ValType::I32;
  bool is_mutable = false;
  bool operator==(const GlobalType&) const = default;
  /// e.g. "global i32" or "global (mut f64)".
  std::string to_string() const;
};

/// Handle to a global in a store. Keeps the store alive. The
/// default-constructed handle is null.
class Global {
 public:
  Global() = default;
  /// A new global owned by `store`, initialized to `value` (which must have
  /// the global's type).
  static Global create(Store& store, const GlobalType& type, const Value& value);

  /// False for the null handle.
  explicit operator bool() const { return state_ != nullptr; }
  /// The global's type.
  GlobalType type() const;
  /// The current value.
  Value get() const;
  /// Throws kiln::Error if the global is immutable or the value's type differs.
  void set(const Value& value);

  /// Same global (not merely equal contents).
  bool operator==(const Global& other) const { return state_ == other.state_; }

 private:
  friend struct loader::HandleAccess;
  /// Internal, for libkiln itself: a handle to `state`, owned by `store`.
  Global(std::shared_ptr<loader::StoreState> store, loader::GlobalState* state)
      : store_(std::move(store)), state_(state) {}
  loader::GlobalState* state() const { return state_; }
  const std::shared_ptr<loader::StoreState>& store_state() const { return store_; }
  std::shared_ptr<loader::StoreState> store_;
  loader::GlobalState* state_ = nullptr;
};

}  // namespace kiln
