// Size limits of memories and tables.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace kiln {

/// Minimum and optional maximum size (pages for memories, elements for tables).
struct Limits {
  uint64_t min = 0;
  std::optional<uint64_t> max;
  bool operator==(const Limits&) const = default;
  /// "MIN" or "MIN MAX", as in the text format.
  std::string to_string() const;
};

}  // namespace kiln
