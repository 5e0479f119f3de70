// The spec runner's value parsing and assert_return matching rules.
#include <doctest/doctest.h>

#include "tests/spec/message_match.h"
#include "tests/spec/spec_value.h"

using namespace kiln::spec;

namespace {

SpecValue parse(const char* type, std::vector<std::string> parts, const char* lanes = nullptr) {
  std::string error;
  auto v = make_spec_value(type, lanes ? std::optional<std::string_view>(lanes) : std::nullopt,
                           &parts, error);
  REQUIRE_MESSAGE(v.has_value(), error);
  return *v;
}

std::optional<SpecValue> try_parse(const char* type, std::vector<std::string> parts,
                                   const char* lanes = nullptr) {
  std::string error;
  return make_spec_value(type, lanes ? std::optional<std::string_view>(lanes) : std::nullopt,
                         &parts, error);
}

std::array<uint8_t, 16> bytes_of(std::initializer_list<uint32_t> words) {
  std::array<uint8_t, 16> bytes{};
  size_t i = 0;
  for (uint32_t w : words)
    for (int b = 0; b < 4; ++b) bytes[i++] = uint8_t(w >> (8 * b));
  return bytes;
}

}  // namespace

TEST_CASE("integers parse as exact bits, unsigned or negative") {
  CHECK(parse("i32", {"4294967295"}).bits32() == 0xffffffffu);
  CHECK(parse("i32", {"-1"}).bits32() == 0xffffffffu);
  CHECK(parse("i32", {"-2147483648"}).bits32() == 0x80000000u);
  CHECK(parse("i64", {"18446744073709551615"}).bits64() == ~uint64_t(0));
  CHECK(parse("i64", {"-9223372036854775808"}).bits64() == uint64_t(1) << 63);
  CHECK_FALSE(try_parse("i32", {"4294967296"}));
  CHECK_FALSE(try_parse("i32", {"-2147483649"}));
  CHECK_FALSE(try_parse("i64", {"18446744073709551616"}));
  CHECK_FALSE(try_parse("i32", {"12x"}));
  CHECK_FALSE(try_parse("i32", {""}));
  CHECK_FALSE(try_parse("i128", {"1"}));
}

TEST_CASE("integers and floats match bit-exactly") {
  CHECK(matches(parse("i32", {"97"}), SpecValue::i32(97)));
  CHECK_FALSE(matches(parse("i32", {"97"}), SpecValue::i32(98)));
  CHECK_FALSE(matches(parse("i32", {"97"}), SpecValue::i64(97)));
  // +0 and -0 differ; a NaN payload must be the same.
  CHECK(matches(parse("f32", {"2147483648"}), SpecValue::f32(0x80000000u)));
  CHECK_FALSE(matches(parse("f32", {"0"}), SpecValue::f32(0x80000000u)));
  CHECK(matches(parse("f64", {"9221120237041090561"}), SpecValue::f64(0x7ff8000000000001ull)));
  CHECK_FALSE(matches(parse("f64", {"9221120237041090561"}), SpecValue::f64(0x7ff8000000000000ull)));
}

TEST_CASE("nan:canonical accepts the canonical NaN of either sign only") {
  SpecValue canonical32 = parse("f32", {"nan:canonical"});
  CHECK(matches(canonical32, SpecValue::f32(0x7fc00000u)));
  CHECK(matches(canonical32, SpecValue::f32(0xffc00000u)));
  CHECK_FALSE(matches(canonical32, SpecValue::f32(0x7fc00001u)));
  CHECK_FALSE(matches(canonical32, SpecValue::f32(0x7f800001u)));  // signalling
  CHECK_FALSE(matches(canonical32, SpecValue::f32(0x7f800000u)));  // infinity
  SpecValue canonical64 = parse("f64", {"nan:canonical"});
  CHECK(matches(canonical64, SpecValue::f64(0xfff8000000000000ull)));
  CHECK_FALSE(matches(canonical64, SpecValue::f64(0x7ff8000000000001ull)));
}

TEST_CASE("nan:arithmetic accepts any quiet NaN") {
  SpecValue arithmetic32 = parse("f32", {"nan:arithmetic"});
  CHECK(matches(arithmetic32, SpecValue::f32(0x7fc00000u)));
  CHECK(matches(arithmetic32, SpecValue::f32(0xffc12345u)));
  CHECK_FALSE(matches(arithmetic32, SpecValue::f32(0x7f812345u)));  // quiet bit clear
  CHECK_FALSE(matches(arithmetic32, SpecValue::f32(0x3f800000u)));
  SpecValue arithmetic64 = parse("f64", {"nan:arithmetic"});
  CHECK(matches(arithmetic64, SpecValue::f64(0x7ffc000000000000ull)));
  CHECK_FALSE(matches(arithmetic64, SpecValue::f64(0x7ff4000000000000ull)));
}

TEST_CASE("v128 lanes parse little-endian by lane type") {
  SpecValue i16 = parse("v128", {"256", "770", "1284", "1798", "2312", "4368", "4882", "5396"}, "i16");
  CHECK(i16.bytes[0] == 0x00);
  CHECK(i16.bytes[1] == 0x01);
  CHECK(i16.bytes[2] == 0x02);
  CHECK(i16.bytes[3] == 0x03);
  SpecValue i8 = parse("v128", {"255", "-1", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10",
                                "11", "12", "13"}, "i8");
  CHECK(i8.bytes[0] == 0xff);
  CHECK(i8.bytes[1] == 0xff);
  CHECK(i8.bytes[15] == 13);
  SpecValue i64 = parse("v128", {"0", "18446744069414584320"}, "i64");
  CHECK(i64.bytes[12] == 0xff);
  CHECK(i64.bytes[11] == 0x00);
  CHECK_FALSE(try_parse("v128", {"1", "2", "3"}, "i32"));       // lane count
  CHECK_FALSE(try_parse("v128", {"256", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0",
                                 "0", "0", "0", "0"}, "i8"));   // lane range
}

TEST_CASE("v128 compares lane by lane with NaN patterns in float lanes") {
  SpecValue expected = parse("v128", {"nan:canonical", "1065353216", "nan:arithmetic", "0"}, "f32");
  CHECK(matches(expected, SpecValue::v128(bytes_of({0xffc00000u, 0x3f800000u, 0x7fc00001u, 0}))));
  CHECK_FALSE(matches(expected, SpecValue::v128(bytes_of({0x7fc00001u, 0x3f800000u, 0x7fc00000u, 0}))));
  CHECK_FALSE(matches(expected, SpecValue::v128(bytes_of({0x7fc00000u, 0x3f800000u, 0x7f800001u, 0}))));
  CHECK_FALSE(matches(expected, SpecValue::v128(bytes_of({0x7fc00000u, 0x3f800000u, 0x7fc00000u, 0x80000000u}))));
  SpecValue f64 = parse("v128", {"nan:canonical", "4607182418800017408"}, "f64");
  auto f64_bytes = bytes_of({0, 0xfff80000u, 0, 0x3ff00000u});
  CHECK(matches(f64, SpecValue::v128(f64_bytes)));
  f64_bytes[0] = 1;
  CHECK_FALSE(matches(f64, SpecValue::v128(f64_bytes)));
  SpecValue ints = parse("v128", {"1", "2", "3", "4"}, "i32");
  CHECK(matches(ints, SpecValue::v128(bytes_of({1, 2, 3, 4}))));
  CHECK_FALSE(matches(ints, SpecValue::v128(bytes_of({1, 2, 3, 5}))));
}

TEST_CASE("references: null, ref.extern N, and ref.func") {
  SpecValue null_extern = parse("externref", {"null"});
  CHECK(matches(null_extern, SpecValue::null_ref(SpecType::ExternRef)));
  CHECK_FALSE(matches(null_extern, SpecValue::null_ref(SpecType::FuncRef)));
  CHECK_FALSE(matches(null_extern, SpecValue::extern_ref(0)));
  SpecValue extern1 = parse("externref", {"1"});
  CHECK(matches(extern1, SpecValue::extern_ref(1)));
  CHECK_FALSE(matches(extern1, SpecValue::extern_ref(2)));
  CHECK_FALSE(matches(extern1, SpecValue::null_ref(SpecType::ExternRef)));
  SpecValue func = parse("funcref", {"0"});
  CHECK(matches(func, SpecValue::func_ref()));
  CHECK_FALSE(matches(func, SpecValue::null_ref(SpecType::FuncRef)));
  CHECK(matches(parse("funcref", {"null"}), SpecValue::null_ref(SpecType::FuncRef)));
}

TEST_CASE("a type-only value matches anything of its type") {
  std::string error;
  auto any_i32 = make_spec_value("i32", std::nullopt, nullptr, error);
  REQUIRE(any_i32);
  CHECK(any_i32->type_only);
  CHECK(matches(*any_i32, SpecValue::i32(5)));
  CHECK_FALSE(matches(*any_i32, SpecValue::f32(5)));
}

TEST_CASE("values read well in messages") {
  CHECK(to_string(SpecValue::i32(0xffffffffu)) == "i32:-1");
  CHECK(to_string(SpecValue::i64(42)) == "i64:42");
  CHECK(to_string(SpecValue::f32(0x3fc00000u)) == "f32:1.5 (0x3fc00000)");
  CHECK(to_string(parse("f64", {"nan:canonical"})) == "f64:nan:canonical");
  CHECK(to_string(parse("v128", {"1", "-1", "3", "4"}, "i32")) == "v128 i32x4:[1 -1 3 4]");
  CHECK(to_string(SpecValue::extern_ref(3)) == "ref.extern 3");
  CHECK(to_string(SpecValue::null_ref(SpecType::FuncRef)) == "ref.null func");
  CHECK(to_string(std::vector<SpecValue>{SpecValue::i32(1), SpecValue::i32(2)}) == "i32:1, i32:2");
}

TEST_CASE("trap messages match by containment, or with extra detail in the expectation") {
  CHECK(trap_message_matches("out of bounds memory access", "out of bounds memory access"));
  CHECK(trap_message_matches("uninitialized element", "uninitialized element 2"));
  CHECK_FALSE(trap_message_matches("uninitialized element", "uninitialized elements"));
  CHECK_FALSE(trap_message_matches("undefined element", "uninitialized element"));
  CHECK_FALSE(trap_message_matches("", "unreachable"));
}
