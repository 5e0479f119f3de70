// WebAssembly value types, function types and values as the host sees them.
#pragma once
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace kiln {

class Func;
namespace loader {
class StoreState;
struct FuncRecord;
struct ValueAccess;
}  // namespace loader

/// A WebAssembly value type. The numbers are the binary format's type codes
/// (the same as abi::ValType).
enum class ValType : uint8_t {
  I32 = 0x7F,
  I64 = 0x7E,
  F32 = 0x7D,
  F64 = 0x7C,
  V128 = 0x7B,
  FuncRef = 0x70,
  ExternRef = 0x6F,
};

/// "i32", "i64", "f32", "f64", "v128", "funcref" or "externref".
const char* to_string(ValType type);
/// True for funcref and externref.
bool is_ref(ValType type);

/// A function signature.
struct FuncType {
  std::vector<ValType> params;
  std::vector<ValType> results;
  bool operator==(const FuncType&) const = default;
  /// Text form, e.g. "func (param i32 i32) (result i64)".
  std::string to_string() const;
};

/// The 16 bytes of a v128, lane 0 first (little-endian).
struct V128 {
  uint8_t bytes[16] = {};
  bool operator==(const V128&) const = default;
};

/// One WebAssembly value. Numbers keep their exact bits (including NaN
/// payloads); a funcref holds a Func of some store or null; an externref
/// is an opaque host pointer, where nullptr is the null reference.
class Value {
 public:
  /// The i32 value 0.
  Value() = default;

  /// Numbers of each type (floats keep their bits, NaN payloads included).
  /// Inline, like the accessors below: hot in calls with Values.
  static Value i32(int32_t v) { return number(ValType::I32, v); }
  static Value i64(int64_t v) { return number(ValType::I64, v); }
  static Value f32(float v) { return number(ValType::F32, v); }
  static Value f64(double v) { return number(ValType::F64, v); }
  /// An f32 with exactly these bits (any NaN payload is kept).
  static Value f32_bits(uint32_t bits) { return number(ValType::F32, bits); }
  /// An f64 with exactly these bits.
  static Value f64_bits(uint64_t bits) { return number(ValType::F64, bits); }
  /// A v128 with these 16 bytes.
  static Value v128(const V128& v);
  /// A funcref to `f`; a null Func gives the null funcref.
  static Value funcref(const Func& f);
  /// An externref; nullptr is the null externref.
  static Value externref(void* host_pointer);
  /// The null reference of a reference type.
  static Value null(ValType ref_type);
  /// The default value of a type: zero, or the null reference.
  static Value zero(ValType type);

  /// The value's type.
  ValType type() const { return type_; }

  /// The contents; each throws kiln::Error when the value has another type.
  /// f32_bits / f64_bits give a float's exact bits.
  int32_t as_i32() const { return number_as<int32_t>(ValType::I32); }
  int64_t as_i64() const { return number_as<int64_t>(ValType::I64); }
  float as_f32() const { return number_as<float>(ValType::F32); }
  double as_f64() const { return number_as<double>(ValType::F64); }
  uint32_t f32_bits() const { return number_as<uint32_t>(ValType::F32); }
  uint64_t f64_bits() const { return number_as<uint64_t>(ValType::F64); }
  V128 as_v128() const;
  /// The referenced function, or a null Func for the null funcref.
  Func as_funcref() const;
  /// The host pointer of an externref (nullptr for the null reference).
  void* as_externref() const;
  /// True for a null funcref or externref.
  bool is_null_ref() const;

  /// Same type and same bits (for references: the same referent).
  bool operator==(const Value& other) const;

 private:
  friend struct loader::ValueAccess;
  // A number: its bytes first, the rest of bits_ zero.
  template <class T>
  static Value number(ValType type, T v) {
    Value value;
    value.type_ = type;
    std::memcpy(value.bits_, &v, sizeof v);
    return value;
  }
  template <class T>
  T number_as(ValType type) const {
    if (type_ != type) [[unlikely]] wrong_type(type);
    T v;
    std::memcpy(&v, bits_, sizeof v);
    return v;
  }
  /// Throws kiln::Error: this value is not of type `wanted`.
  [[noreturn]] void wrong_type(ValType wanted) const;

  ValType type_ = ValType::I32;
  uint8_t bits_[16] = {};  // numbers, v128, or the externref pointer
  // funcref: the function's record and the store that keeps it alive.
  loader::FuncRecord* func_ = nullptr;
  std::shared_ptr<loader::StoreState> store_;
};

}  // namespace kiln
