// Tables of references.
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "kiln/limits.h"
#include "kiln/value.h"

namespace kiln {

class Store;
namespace loader {
struct HandleAccess;
class StoreState;
struct TableState;
}  // namespace loader

/// A table's type: element type and limits in elements.
struct TableType {
  ValType elem_type = ValType::FuncRef;
  Limits limits;
  bool operator==(const TableType&) const = default;
  /// e.g. "table 1 10 funcref".
  std::string to_string() const;
};

/// Handle to a table in a store. Keeps the store alive. The
/// default-constructed handle is null.
class Table {
 public:
  Table() = default;
  /// A new table owned by `store` with `type.limits.min` elements set to `init`
  /// (which must have the element type; funcrefs must belong to `store`).
  static Table create(Store& store, const TableType& type, const Value& init);

  /// False for the null handle.
  explicit operator bool() const { return state_ != nullptr; }
  /// The declared type, with the current size as minimum.
  TableType type() const;
  /// Current number of elements.
  uint32_t size() const;
  /// Element `index`; throws kiln::Error when out of bounds.
  Value get(uint32_t index) const;
  /// Sets element `index`; throws kiln::Error when out of bounds or when the
  /// value has the wrong type or comes from another store.
  void set(uint32_t index, const Value& value);
  /// Grows by `delta` elements set to `init`: the old size, or -1 if the
  /// table's maximum or the store's element limit would be exceeded.
  int64_t grow(uint32_t delta, const Value& init);

  /// Same table (not merely equal contents).
  bool operator==(const Table& other) const { return state_ == other.state_; }

 private:
  friend struct loader::HandleAccess;
  /// Internal, for libkiln itself: a handle to `state`, owned by `store`.
  Table(std::shared_ptr<loader::StoreState> store, loader::TableState* state)
      : store_(std::move(store)), state_(state) {}
  loader::TableState* state() const { return state_; }
  const std::shared_ptr<loader::StoreState>& store_state() const { return store_; }
  std::shared_ptr<loader::StoreState> store_;
  loader::TableState* state_ = nullptr;
};

}  // namespace kiln
