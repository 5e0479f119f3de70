// A WebAssembly exception as C++ sees it.
#pragma once
#include <vector>

#include "kiln/error.h"
#include "kiln/tag.h"
#include "kiln/value.h"

namespace kiln {

/// A wasm exception: a tag and the values it carries (its payload).
///
/// Wasm code's uncaught exception reaches the host code that called into
/// wasm as a kiln::Exception (Func::call and typed calls throw it), distinct
/// from a kiln::Trap, which wasm code can never catch. A host function called
/// from wasm may throw one: it then travels through the wasm frames like an
/// exception thrown by wasm code, and `catch` of its tag (or `catch_all`)
/// catches it; uncaught, it reaches the host as a kiln::Exception again. A
/// kiln::Exception a host function lets pass (thrown by wasm code it called)
/// goes on through the wasm frames the same way. Any other C++ exception of
/// a host function is not a wasm exception: no wasm handler sees it, and it
/// reaches the host code that called into wasm unchanged.
class Exception : public Error {
 public:
  /// An exception of `tag` carrying `values` (which must match the tag's
  /// type when wasm code catches it; a mismatch becomes a kiln::Error when a
  /// host function throws it).
  Exception(Tag tag, std::vector<Value> values);
  /// The exception's tag.
  const Tag& tag() const { return tag_; }
  /// The values it carries, in the order of the tag's parameters.
  const std::vector<Value>& values() const { return values_; }

 private:
  Tag tag_;
  std::vector<Value> values_;
};

}  // namespace kiln
