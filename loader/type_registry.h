// Process-wide interning of function types into canonical ids, so that
// call_indirect can compare signatures of different modules by one integer.
#pragma once
#include <cstdint>

#include "kiln/value.h"

namespace kiln::loader {

/// The canonical id of `type`: equal types get equal ids, in every module and
/// store, for the life of the process. Never 0. Thread-safe.
uint32_t canonical_type_id(const FuncType& type);

}  // namespace kiln::loader
