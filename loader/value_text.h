// Reading and writing values as text: command-line arguments and results of
// `kiln run --invoke`, and spec-test values.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "kiln/value.h"
#include "loader/result.h"

namespace kiln::loader {

/// Parses `text` as a value of `type`; fails with "invalid TYPE value 'TEXT':
/// REASON".
///  - i32/i64: decimal or 0x hex, optional sign, '_' between digits; from the
///    most negative signed value up to the largest unsigned one.
///  - f32/f64: decimal or hex float ("0x1.8p3"), "inf", "-inf", "nan",
///    "-nan", "nan:0xPAYLOAD"; rounded to nearest; out of range is an error.
///  - v128: "SHAPE LANES..." with SHAPE i8x16, i16x8, i32x4, i64x2, f32x4 or f64x2.
///  - funcref: "null". externref: "null" or an integer (the host pointer value).
Result<Value> parse_value(ValType type, std::string_view text);

/// The bits of an integer of `bits` (32 or 64) bits; fails with the REASON
/// if the text is not one.
Result<uint64_t> parse_int_bits(std::string_view text, unsigned bits);
/// The bits of an f32 / f64 written as above.
Result<uint32_t> parse_f32_bits(std::string_view text);
Result<uint64_t> parse_f64_bits(std::string_view text);

/// A value for display: integers in signed decimal; floats with the fewest
/// digits that read back to the same value; every NaN as "nan"; infinities as
/// "inf" / "-inf"; v128 as "i32x4 0x........ x4"; references as "null",
/// "funcref", or an externref's pointer value in decimal.
std::string format_value(const Value& value);
/// Like format_value, but a NaN shows its sign and, unless canonical, its
/// payload ("-nan", "nan:0x200001"), so that parse_value gives the same bits.
std::string format_value_exact(const Value& value);

}  // namespace kiln::loader
