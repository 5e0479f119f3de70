// Exception tags (the exception-handling proposal): what a wasm exception
// is an instance of.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "kiln/value.h"

namespace kiln {

class Store;
namespace loader {
struct HandleAccess;
class StoreState;
struct TagState;
}  // namespace loader

/// A tag's type: the types of the values an exception of it carries.
struct TagType {
  std::vector<ValType> params;
  bool operator==(const TagType&) const = default;
  /// e.g. "tag (param i32 f64)".
  std::string to_string() const;
};

/// Handle to an exception tag in a store. Tags are compared by identity: a
/// module that imports a tag throws and catches the very tag it was given,
/// and two tags of the same type are still different tags. Keeps the store
/// alive. The default-constructed handle is null.
class Tag {
 public:
  Tag() = default;
  /// A new tag owned by `store`, for host functions to throw (kiln::Exception)
  /// and for modules to import.
  static Tag create(Store& store, const TagType& type);

  /// False for the null handle.
  explicit operator bool() const { return state_ != nullptr; }
  /// The tag's type. Throws kiln::Error for the null handle.
  const TagType& type() const;

  /// Same tag (identity, not type).
  bool operator==(const Tag& other) const { return state_ == other.state_; }

 private:
  friend struct loader::HandleAccess;
  Tag(std::shared_ptr<loader::StoreState> store, loader::TagState* state)
      : store_(std::move(store)), state_(state) {}
  loader::TagState* state() const { return state_; }
  const std::shared_ptr<loader::StoreState>& store_state() const { return store_; }
  std::shared_ptr<loader::StoreState> store_;
  loader::TagState* state_ = nullptr;
};

}  // namespace kiln
