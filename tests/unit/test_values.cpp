// kiln::Value and the value text helpers (loader/value_text.h).
#include <doctest/doctest.h>

#include <cstring>
#include <random>

#include "kiln/kiln.h"
#include "loader/value_text.h"

using kiln::Value;
using kiln::ValType;
using kiln::loader::format_value;
using kiln::loader::format_value_exact;
using kiln::loader::parse_value;

namespace {
// A value the test expects to parse.
Value value_of(ValType type, std::string_view text) { return parse_value(type, text).or_throw(); }
uint32_t f32_bits_of(std::string_view text) { return value_of(ValType::F32, text).f32_bits(); }
uint64_t f64_bits_of(std::string_view text) { return value_of(ValType::F64, text).f64_bits(); }
}  // namespace

TEST_CASE("Value keeps exact bits and checks types") {
  Value nan = Value::f32_bits(0x7fa00001u);
  CHECK(nan.type() == ValType::F32);
  CHECK(nan.f32_bits() == 0x7fa00001u);
  CHECK(Value::f64_bits(0xfff0000000000123ull).f64_bits() == 0xfff0000000000123ull);
  CHECK(Value::i32(-5).as_i32() == -5);
  CHECK(Value::i64(INT64_MIN).as_i64() == INT64_MIN);
  CHECK_THROWS_AS(Value::i32(1).as_i64(), kiln::Error);
  CHECK_THROWS_AS(Value::f64(1).as_f32(), kiln::Error);
  CHECK(Value::i32(1) == Value::i32(1));
  CHECK_FALSE(Value::i32(1) == Value::i64(1));
  CHECK_FALSE(Value::f32_bits(0x7fc00000u) == Value::f32_bits(0xffc00000u));
  CHECK(Value::null(ValType::FuncRef).is_null_ref());
  CHECK_FALSE(Value::null(ValType::FuncRef).as_funcref());
  int x = 0;
  CHECK(Value::externref(&x).as_externref() == &x);
  CHECK(Value::externref(nullptr).is_null_ref());
  CHECK_THROWS_AS(Value::null(ValType::I32), kiln::Error);
  CHECK(Value::zero(ValType::F64).as_f64() == 0.0);
  kiln::V128 v;
  v.bytes[15] = 0xAB;
  CHECK(Value::v128(v).as_v128() == v);
}

TEST_CASE("FuncType text") {
  kiln::FuncType t{{ValType::I32, ValType::F64}, {ValType::I64}};
  CHECK(t.to_string() == "func (param i32 f64) (result i64)");
  CHECK(kiln::FuncType{}.to_string() == "func");
}

TEST_CASE("integers parse in decimal and hex within range") {
  CHECK(value_of(ValType::I32, "0").as_i32() == 0);
  CHECK(value_of(ValType::I32, "-1").as_i32() == -1);
  CHECK(value_of(ValType::I32, "+7").as_i32() == 7);
  CHECK(value_of(ValType::I32, "4294967295").as_i32() == -1);
  CHECK(value_of(ValType::I32, "0xffffffff").as_i32() == -1);
  CHECK(value_of(ValType::I32, "0X7FFFFFFF").as_i32() == INT32_MAX);
  CHECK(value_of(ValType::I32, "-2147483648").as_i32() == INT32_MIN);
  CHECK(value_of(ValType::I32, "-0x80000000").as_i32() == INT32_MIN);
  CHECK(value_of(ValType::I32, "1_000_000").as_i32() == 1000000);
  CHECK_FALSE(parse_value(ValType::I32, "4294967296").ok());
  CHECK_FALSE(parse_value(ValType::I32, "-2147483649").ok());
  CHECK_FALSE(parse_value(ValType::I32, "").ok());
  CHECK_FALSE(parse_value(ValType::I32, "-").ok());
  CHECK_FALSE(parse_value(ValType::I32, "0x").ok());
  CHECK_FALSE(parse_value(ValType::I32, "12a").ok());
  CHECK_FALSE(parse_value(ValType::I32, "1__0").ok());
  CHECK_FALSE(parse_value(ValType::I32, "_1").ok());
  CHECK_FALSE(parse_value(ValType::I32, " 1").ok());

  CHECK(value_of(ValType::I64, "18446744073709551615").as_i64() == -1);
  CHECK(value_of(ValType::I64, "-9223372036854775808").as_i64() == INT64_MIN);
  CHECK(value_of(ValType::I64, "0x8000000000000000").as_i64() == INT64_MIN);
  CHECK_FALSE(parse_value(ValType::I64, "18446744073709551616").ok());
  CHECK_FALSE(parse_value(ValType::I64, "-9223372036854775809").ok());
  CHECK_FALSE(parse_value(ValType::I64, "0x10000000000000000").ok());
}

TEST_CASE("parse errors name the type and the text") {
  CHECK(parse_value(ValType::I32, "zz").error() == "invalid i32 value 'zz': unexpected character 'z'");
  CHECK(parse_value(ValType::V128, "i32x4 1 2 x 4").error() ==
        "invalid v128 value 'i32x4 1 2 x 4': lane 2: unexpected character 'x'");
  CHECK(parse_value(ValType::F32, "nan:0x1_").error() == "invalid f32 value 'nan:0x1_': malformed NaN payload");
  // Where the text reaches the public API (kiln run --invoke), a kiln::Error.
  CHECK_THROWS_WITH_AS(parse_value(ValType::I64, "").or_throw(), "invalid i64 value '': no digits", kiln::Error);
}

TEST_CASE("floats parse exactly") {
  CHECK(f32_bits_of("1.5") == 0x3fc00000u);
  CHECK(f32_bits_of("0.1") == 0x3dcccccdu);
  CHECK(f32_bits_of("-0") == 0x80000000u);
  CHECK(f32_bits_of("0x1.8p1") == 0x40400000u);
  CHECK(f32_bits_of("-0x1p-149") == 0x80000001u);
  CHECK(f32_bits_of("3.4028235e38") == 0x7f7fffffu);
  CHECK(f32_bits_of("inf") == 0x7f800000u);
  CHECK(f32_bits_of("-inf") == 0xff800000u);
  CHECK(f32_bits_of("nan") == 0x7fc00000u);
  CHECK(f32_bits_of("-nan") == 0xffc00000u);
  CHECK(f32_bits_of("nan:0x1") == 0x7f800001u);
  CHECK(f32_bits_of("-nan:0x200000") == 0xffa00000u);
  CHECK(f32_bits_of("1_0.5") == 0x41280000u);
  CHECK_THROWS_AS(f32_bits_of("1e39"), kiln::Error);
  CHECK_THROWS_AS(f32_bits_of("nan:0x800000"), kiln::Error);
  CHECK_THROWS_AS(f32_bits_of("nan:0x0"), kiln::Error);
  CHECK_THROWS_AS(f32_bits_of("1.5x"), kiln::Error);
  CHECK_THROWS_AS(f32_bits_of("infinite"), kiln::Error);
  CHECK_THROWS_AS(f32_bits_of(""), kiln::Error);

  CHECK(f64_bits_of("0.1") == 0x3fb999999999999aull);
  CHECK(f64_bits_of("0x1p-1074") == 1ull);
  CHECK(f64_bits_of("-1.7976931348623157e308") == 0xffefffffffffffffull);
  CHECK(f64_bits_of("nan:0xfffffffffffff") == 0x7fffffffffffffffull);
  CHECK(f64_bits_of("1e-400") == 0ull);  // underflows to zero: rounding, not an error
  CHECK_THROWS_AS(f64_bits_of("1e309"), kiln::Error);
}

TEST_CASE("values format for people and read back") {
  CHECK(format_value(Value::i32(-1)) == "-1");
  CHECK(format_value(Value::i32(INT32_MIN)) == "-2147483648");
  CHECK(format_value(Value::i64(INT64_MIN)) == "-9223372036854775808");
  CHECK(format_value(Value::f32(0.1f)) == "0.1");
  CHECK(format_value(Value::f64(0.1)) == "0.1");
  CHECK(format_value(Value::f64(1.0)) == "1");
  CHECK(format_value(Value::f32_bits(0x80000000u)) == "-0");
  CHECK(format_value(Value::f32_bits(0xffc00000u)) == "nan");
  CHECK(format_value(Value::f64_bits(0x7ff0000000000001ull)) == "nan");
  CHECK(format_value(Value::f32_bits(0x7f800000u)) == "inf");
  CHECK(format_value(Value::f64_bits(0xfff0000000000000ull)) == "-inf");
  CHECK(format_value_exact(Value::f32_bits(0xffc00000u)) == "-nan");
  CHECK(format_value_exact(Value::f32_bits(0x7fc00000u)) == "nan");
  CHECK(format_value_exact(Value::f32_bits(0x7f800001u)) == "nan:0x1");
  CHECK(format_value(Value::null(ValType::ExternRef)) == "null");
  CHECK(format_value(Value::externref(reinterpret_cast<void*>(42))) == "42");

  // Every finite or NaN bit pattern survives format_value_exact + parse_value.
  std::mt19937_64 rng(12345);
  for (int i = 0; i < 20000; ++i) {
    uint64_t b = rng();
    uint32_t b32 = uint32_t(b);
    CHECK(value_of(ValType::F32, format_value_exact(Value::f32_bits(b32))).f32_bits() == b32);
    CHECK(value_of(ValType::F64, format_value_exact(Value::f64_bits(b))).f64_bits() == b);
    uint64_t ib = rng();
    CHECK(value_of(ValType::I64, format_value(Value::i64(int64_t(ib)))).as_i64() == int64_t(ib));
  }
}

TEST_CASE("v128 and references as text") {
  Value v = value_of(ValType::V128, "i32x4 1 -1 0x10 4294967295");
  kiln::V128 bits = v.as_v128();
  uint32_t lanes[4];
  std::memcpy(lanes, bits.bytes, 16);
  CHECK(lanes[0] == 1);
  CHECK(lanes[1] == 0xffffffffu);
  CHECK(lanes[2] == 16);
  CHECK(lanes[3] == 0xffffffffu);
  CHECK(format_value(v) == "i32x4 0x00000001 0xffffffff 0x00000010 0xffffffff");
  CHECK(value_of(ValType::V128, format_value(v)) == v);

  Value bytes = value_of(ValType::V128, "i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 -1");
  CHECK(bytes.as_v128().bytes[15] == 0xff);
  CHECK(bytes.as_v128().bytes[9] == 9);
  Value floats = value_of(ValType::V128, "f32x4 1 -0 inf nan");
  std::memcpy(lanes, floats.as_v128().bytes, 16);
  CHECK(lanes[0] == 0x3f800000u);
  CHECK(lanes[1] == 0x80000000u);
  CHECK(lanes[2] == 0x7f800000u);
  CHECK(lanes[3] == 0x7fc00000u);
  CHECK_FALSE(parse_value(ValType::V128, "i8x16 256 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0").ok());
  CHECK_FALSE(parse_value(ValType::V128, "i16x8 1 2 3").ok());
  CHECK_FALSE(parse_value(ValType::V128, "i33x4 1 2 3 4").ok());

  CHECK(value_of(ValType::FuncRef, "null").is_null_ref());
  CHECK_FALSE(parse_value(ValType::FuncRef, "1").ok());
  CHECK(value_of(ValType::ExternRef, "7").as_externref() == reinterpret_cast<void*>(7));
  CHECK(value_of(ValType::ExternRef, "null").is_null_ref());
}
