// Values as text.
#include "loader/value_text.h"

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <vector>


namespace kiln::loader {

namespace {

/// `text` without its '_' digit separators, which must sit between two digits.
Result<std::string> strip_separators(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '_') {
      out += text[i];
      continue;
    }
    if (i == 0 || i + 1 == text.size() || !std::isxdigit(uint8_t(text[i - 1])) || !std::isxdigit(uint8_t(text[i + 1])))
      return fail("misplaced '_'");
  }
  return out;
}

int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 99;
}

bool has_hex_prefix(std::string_view s) { return s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'); }

/// Unsigned magnitude of decimal or 0x-hex digits; fails if malformed or above 2^64-1.
Result<uint64_t> parse_magnitude(std::string_view s) {
  unsigned base = 10;
  if (has_hex_prefix(s)) {
    base = 16;
    s.remove_prefix(2);
  }
  if (s.empty()) return fail("no digits");
  uint64_t v = 0;
  for (char c : s) {
    int d = digit_value(c);
    if (d >= int(base)) return fail(std::string("unexpected character '") + c + "'");
    if (v > (UINT64_MAX - uint64_t(d)) / base) return fail("out of range");
    v = v * base + uint64_t(d);
  }
  return v;
}

/// Splits an optional leading sign off `s`; true if negative.
bool take_sign(std::string_view& s) {
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    bool negative = s[0] == '-';
    s.remove_prefix(1);
    return negative;
  }
  return false;
}

template <class Bits>
constexpr unsigned kMantissaBits = sizeof(Bits) == 4 ? 23 : 52;

/// Shared f32/f64 parser; F is float or double, Bits its integer twin.
template <class F, class Bits>
Result<Bits> parse_float_bits(std::string_view text) {
  constexpr unsigned mantissa_bits = kMantissaBits<Bits>;
  constexpr Bits sign_bit = Bits(1) << (sizeof(Bits) * 8 - 1);
  constexpr Bits exponent_mask = Bits(~Bits(0)) & ~sign_bit & ~((Bits(1) << mantissa_bits) - 1);
  constexpr Bits quiet_bit = Bits(1) << (mantissa_bits - 1);

  std::string_view s = text;
  bool negative = take_sign(s);
  Bits sign = negative ? sign_bit : 0;
  if (s == "inf" || s == "infinity") return Bits(sign | exponent_mask);
  if (s == "nan") return Bits(sign | exponent_mask | quiet_bit);
  if (s.starts_with("nan:")) {
    s.remove_prefix(4);
    if (!has_hex_prefix(s)) return fail("malformed NaN payload");
    Result<std::string> digits = strip_separators(s);
    if (!digits) return fail("malformed NaN payload");
    Result<uint64_t> payload = parse_magnitude(*digits);
    if (!payload) return std::move(payload).failure();
    if (*payload == 0 || *payload >= (uint64_t(1) << mantissa_bits)) return fail("NaN payload out of range");
    return Bits(sign | exponent_mask | Bits(*payload));
  }
  if (s.empty() || !(std::isdigit(uint8_t(s[0])) || s[0] == '.')) return fail("not a number");
  Result<std::string> stripped = strip_separators(s);
  if (!stripped) return std::move(stripped).failure();
  const std::string& clean = *stripped;
  // strtod/strtof round correctly (decimal and hex); reject what they leave over.
  errno = 0;
  char* end = nullptr;
  F value;
  if constexpr (sizeof(F) == 4)
    value = std::strtof(clean.c_str(), &end);
  else
    value = std::strtod(clean.c_str(), &end);
  if (end != clean.c_str() + clean.size()) return fail("not a number");
  if (std::isinf(value)) return fail("out of range");
  Bits bits;
  std::memcpy(&bits, &value, sizeof bits);
  return Bits(bits | sign);
}

std::string format_float(double v, bool is_f32, bool exact, uint64_t bits) {
  if (std::isnan(v)) {
    if (!exact) return "nan";
    unsigned mantissa_bits = is_f32 ? 23 : 52;
    uint64_t payload = bits & ((uint64_t(1) << mantissa_bits) - 1);
    bool negative = bits >> (is_f32 ? 31 : 63);
    std::string s = negative ? "-nan" : "nan";
    if (payload != (uint64_t(1) << (mantissa_bits - 1))) {
      char buf[32];
      std::snprintf(buf, sizeof buf, ":0x%llx", static_cast<unsigned long long>(payload));
      s += buf;
    }
    return s;
  }
  if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
  char buf[64];
  std::to_chars_result r = is_f32 ? std::to_chars(buf, buf + sizeof buf, float(v))
                                  : std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

/// One lane of a v128 of `lane_bits`-bit lanes, as its bits.
Result<uint64_t> parse_lane(std::string_view w, unsigned lane_bits, bool is_float) {
  if (is_float && lane_bits == 32) {
    Result<uint32_t> bits = parse_f32_bits(w);
    if (!bits) return std::move(bits).failure();
    return *bits;
  }
  if (is_float) return parse_f64_bits(w);
  if (lane_bits >= 32) return parse_int_bits(w, lane_bits);
  // Narrow lanes: parse as i32, then check the lane's range.
  Result<uint64_t> bits = parse_int_bits(w, 32);
  if (!bits) return bits;
  int64_t as_signed = int32_t(uint32_t(*bits));
  bool negative_text = !w.empty() && w[0] == '-';
  int64_t value = negative_text ? as_signed : int64_t(uint32_t(*bits));
  int64_t lo = -(int64_t(1) << (lane_bits - 1)), hi = (int64_t(1) << lane_bits) - 1;
  if (value < lo || value > hi) return fail("lane out of range");
  return uint64_t(value);
}

Result<Value> parse_v128(std::string_view text) {
  // SHAPE then lanes, separated by spaces.
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    size_t start = i;
    while (i < text.size() && text[i] != ' ') ++i;
    if (i > start) words.push_back(text.substr(start, i - start));
  }
  auto invalid = [&](const std::string& why) {
    return fail("invalid v128 value '" + std::string(text) + "': " + why);
  };
  if (words.empty()) return invalid("empty");
  struct Shape {
    const char* name;
    unsigned lanes, lane_bits;
    bool is_float;
  };
  static const Shape shapes[] = {{"i8x16", 16, 8, false}, {"i16x8", 8, 16, false}, {"i32x4", 4, 32, false},
                                 {"i64x2", 2, 64, false}, {"f32x4", 4, 32, true},  {"f64x2", 2, 64, true}};
  const Shape* shape = nullptr;
  for (const Shape& sh : shapes)
    if (words[0] == sh.name) shape = &sh;
  if (!shape) return invalid("unknown shape '" + std::string(words[0]) + "'");
  if (words.size() != shape->lanes + 1) return invalid("expected " + std::to_string(shape->lanes) + " lanes");
  V128 v;
  for (unsigned lane = 0; lane < shape->lanes; ++lane) {
    Result<uint64_t> bits = parse_lane(words[lane + 1], shape->lane_bits, shape->is_float);
    if (!bits) return invalid("lane " + std::to_string(lane) + ": " + bits.error());
    std::memcpy(v.bytes + lane * (shape->lane_bits / 8), &*bits, shape->lane_bits / 8);
  }
  return Value::v128(v);
}

std::string format_v128(const V128& v) {
  std::string s = "i32x4";
  for (int lane = 0; lane < 4; ++lane) {
    uint32_t x;
    std::memcpy(&x, v.bytes + 4 * lane, 4);
    char buf[16];
    std::snprintf(buf, sizeof buf, " 0x%08x", x);
    s += buf;
  }
  return s;
}

std::string format(const Value& value, bool exact) {
  switch (value.type()) {
    case ValType::I32: return std::to_string(value.as_i32());
    case ValType::I64: return std::to_string(value.as_i64());
    case ValType::F32: return format_float(value.as_f32(), true, exact, value.f32_bits());
    case ValType::F64: return format_float(value.as_f64(), false, exact, value.f64_bits());
    case ValType::V128: return format_v128(value.as_v128());
    case ValType::FuncRef: return value.is_null_ref() ? "null" : "funcref";
    case ValType::ExternRef:
      return value.is_null_ref() ? "null" : std::to_string(reinterpret_cast<uintptr_t>(value.as_externref()));
  }
  return "?";
}

}  // namespace

Result<uint64_t> parse_int_bits(std::string_view text, unsigned bits) {
  std::string_view s = text;
  bool negative = take_sign(s);
  Result<std::string> clean = strip_separators(s);
  if (!clean) return std::move(clean).failure();
  Result<uint64_t> magnitude = parse_magnitude(*clean);
  if (!magnitude) return magnitude;
  uint64_t unsigned_max = bits == 64 ? UINT64_MAX : (uint64_t(1) << bits) - 1;
  uint64_t negative_max = uint64_t(1) << (bits - 1);
  if (negative ? *magnitude > negative_max : *magnitude > unsigned_max)
    return fail("out of range for i" + std::to_string(bits));
  return (negative ? uint64_t(0) - *magnitude : *magnitude) & unsigned_max;
}

Result<uint32_t> parse_f32_bits(std::string_view text) { return parse_float_bits<float, uint32_t>(text); }

Result<uint64_t> parse_f64_bits(std::string_view text) { return parse_float_bits<double, uint64_t>(text); }

Result<Value> parse_value(ValType type, std::string_view text) {
  // The reason after "invalid TYPE value 'TEXT': ".
  auto invalid = [&](const std::string& why) {
    return fail(std::string("invalid ") + to_string(type) + " value '" + std::string(text) + "': " + why);
  };
  switch (type) {
    case ValType::I32: {
      Result<uint64_t> bits = parse_int_bits(text, 32);
      if (!bits) return invalid(bits.error());
      return Value::i32(int32_t(uint32_t(*bits)));
    }
    case ValType::I64: {
      Result<uint64_t> bits = parse_int_bits(text, 64);
      if (!bits) return invalid(bits.error());
      return Value::i64(int64_t(*bits));
    }
    case ValType::F32: {
      Result<uint32_t> bits = parse_f32_bits(text);
      if (!bits) return invalid(bits.error());
      return Value::f32_bits(*bits);
    }
    case ValType::F64: {
      Result<uint64_t> bits = parse_f64_bits(text);
      if (!bits) return invalid(bits.error());
      return Value::f64_bits(*bits);
    }
    case ValType::V128: return parse_v128(text);
    case ValType::FuncRef:
      if (text == "null") return Value::null(type);
      return invalid("only null can be written");
    case ValType::ExternRef: {
      if (text == "null") return Value::null(type);
      Result<uint64_t> bits = parse_int_bits(text, 64);
      if (!bits) return invalid(bits.error());
      return Value::externref(reinterpret_cast<void*>(uintptr_t(*bits)));
    }
  }
  return invalid("unknown type");
}

std::string format_value(const Value& value) { return format(value, false); }
std::string format_value_exact(const Value& value) { return format(value, true); }

}  // namespace kiln::loader
