// Values as the spec scripts write them (arguments and expected results), and
// the matching rules of assert_return: exact bits, except NaN patterns and
// reference kinds.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiln::spec {

enum class SpecType : uint8_t { I32, I64, F32, F64, V128, FuncRef, ExternRef };
/// How a v128 is split into lanes in the script (and in messages).
enum class LaneType : uint8_t { I8, I16, I32, I64, F32, F64 };
/// A float (or float lane) either has exact bits or must be a NaN of a kind.
enum class NanPattern : uint8_t { Exact, Canonical, Arithmetic };
/// A reference: null, `ref.extern N`, or any non-null funcref (`ref.func`).
enum class RefKind : uint8_t { Null, Extern, Func };

/// One value or expected value. Numbers keep their bits little-endian in
/// `bytes` (4, 8 or 16 of them used).
struct SpecValue {
  SpecType type = SpecType::I32;
  /// Only the type is given (assert_trap's result list): anything matches.
  bool type_only = false;
  LaneType lane_type = LaneType::I32;
  std::array<uint8_t, 16> bytes{};
  /// f32/f64: [0]; v128 with float lanes: one per lane (at most 4).
  std::array<NanPattern, 4> nan{};
  RefKind ref = RefKind::Null;
  uint64_t extern_id = 0;  // RefKind::Extern

  static SpecValue i32(uint32_t bits);
  static SpecValue i64(uint64_t bits);
  static SpecValue f32(uint32_t bits);
  static SpecValue f64(uint64_t bits);
  static SpecValue v128(const std::array<uint8_t, 16>& bytes, LaneType lanes = LaneType::I32);
  static SpecValue null_ref(SpecType ref_type);
  static SpecValue extern_ref(uint64_t id);
  static SpecValue func_ref();

  uint32_t bits32() const;
  uint64_t bits64() const;
  /// True when some part must be matched by a NaN pattern.
  bool has_nan_pattern() const;
};

/// The script's type names: "i32", ..., "funcref", "externref".
std::optional<SpecType> parse_spec_type(std::string_view name);
std::optional<LaneType> parse_lane_type(std::string_view name);
const char* spec_type_name(SpecType type);
const char* lane_type_name(LaneType type);
unsigned lane_count(LaneType type);
unsigned lane_bytes(LaneType type);

/// Builds a value from the script's strings: `value` is null for a type-only
/// entry, one string for scalars ("nan:canonical", "nan:arithmetic",
/// "null", or unsigned/negative decimal bits), one string per lane for v128.
/// On failure returns nothing and sets `error`.
std::optional<SpecValue> make_spec_value(std::string_view type,
                                         std::optional<std::string_view> lane_type,
                                         const std::vector<std::string>* values,
                                         std::string& error);

/// Whether an actual result (exact bits, or a concrete reference) satisfies
/// `expected`.
bool matches(const SpecValue& expected, const SpecValue& actual);

/// Readable form for messages, e.g. "i32:-1", "f32:1.5 (0x3fc00000)",
/// "f64:nan:canonical", "v128 i16x8:[1 2 ...]", "ref.null func",
/// "ref.extern 3", "ref.func".
std::string to_string(const SpecValue& value);
/// Comma-separated list of values.
std::string to_string(const std::vector<SpecValue>& values);

}  // namespace kiln::spec
