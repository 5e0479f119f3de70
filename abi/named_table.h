// Look-up by name in the constexpr tables of abi/ (CPU feature vocabularies),
// usable at compile time so each table can assert its names are unique.
#pragma once
#include <cstddef>
#include <string_view>

namespace kiln::abi {

/// The entry of `table` whose `name` is `name`, or null.
template <typename Entry, size_t N>
constexpr const Entry* find_named(const Entry (&table)[N], std::string_view name) {
  for (const Entry& e : table)
    if (name == e.name) return &e;
  return nullptr;
}

/// True if no two entries of `table` share a name.
template <typename Entry, size_t N>
constexpr bool names_unique(const Entry (&table)[N]) {
  for (const Entry& e : table)
    if (find_named(table, e.name) != &e) return false;
  return true;
}

}  // namespace kiln::abi
