// Conversions between the script's values and libkiln's.
#pragma once
#include <optional>
#include <string>

#include <kiln/value.h>

#include "tests/spec/spec_value.h"

namespace kiln::spec {

/// The kiln::Value passed for an argument. `ref.extern N` becomes an opaque
/// host pointer that from_kiln_value maps back to N. A non-null funcref
/// cannot be made from a script value: returns nothing and sets `error`.
std::optional<kiln::Value> to_kiln_value(const SpecValue& value, std::string& error);

/// A result as a SpecValue with exact bits; `lanes` only says how a v128 is
/// shown in messages.
SpecValue from_kiln_value(const kiln::Value& value, LaneType lanes = LaneType::I32);

}  // namespace kiln::spec
