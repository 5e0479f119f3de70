// Assertions of older proposal scripts that a later standard overturned: the
// threads scripts branch from WebAssembly 1.0 and still expect "multiple
// tables" to be invalid. Such an assertion counts as skipped, with the
// reason, when the module compiles; it still passes when it is refused.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace kiln::spec {

/// Why an assert_invalid expecting `message` no longer holds, if it does not.
inline std::optional<std::string> superseded_refusal(std::string_view message) {
  if (message == "multiple tables")
    return "superseded: WebAssembly 2.0 (reference types) allows several tables";
  if (message == "multiple memories")
    return "superseded: the multi-memory proposal allows several memories";
  return std::nullopt;
}

}  // namespace kiln::spec
