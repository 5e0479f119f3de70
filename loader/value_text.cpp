// Values as text.
#include "loader/value_text.h"

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "kiln/error.h"

namespace kiln::loader {

namespace {

/// Removes '_' digit separators, which must sit between two digits.
bool strip_separators(std::string_view text, std::string& out) {
  out.clear();
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '_') {
      out += text[i];
      continue;
    }
    if (i == 0 || i + 1 == text.size() || !std::isxdigit(uint8_t(text[i - 1])) || !std::isxdigit(uint8_t(text[i + 1])))
      return false;
  }
  return true;
}

int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 99;
}

bool has_hex_prefix(std::string_view s) { return s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'); }

/// Unsigned magnitude of decimal or 0x-hex digits; false if malformed or above 2^64-1.
bool parse_magnitude(std::string_view s, uint64_t& out, std::string& error) {
  unsigned base = 10;
  if (has_hex_prefix(s)) {
    base = 16;
    s.remove_prefix(2);
  }
  if (s.empty()) {
    error = "no digits";
    return false;
  }
  uint64_t v = 0;
  for (char c : s) {
    int d = digit_value(c);
    if (d >= int(base)) {
      error = std::string("unexpected character '") + c + "'";
      return false;
    }
    if (v > (UINT64_MAX - uint64_t(d)) / base) {
      error = "out of range";
      return false;
    }
    v = v * base + uint64_t(d);
  }
  out = v;
  return true;
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
bool parse_float_bits(std::string_view text, Bits& out, std::string& error) {
  constexpr unsigned mantissa_bits = kMantissaBits<Bits>;
  constexpr Bits sign_bit = Bits(1) << (sizeof(Bits) * 8 - 1);
  constexpr Bits exponent_mask = Bits(~Bits(0)) & ~sign_bit & ~((Bits(1) << mantissa_bits) - 1);
  constexpr Bits quiet_bit = Bits(1) << (mantissa_bits - 1);

  std::string_view s = text;
  bool negative = take_sign(s);
  Bits sign = negative ? sign_bit : 0;
  if (s == "inf" || s == "infinity") {
    out = sign | exponent_mask;
    return true;
  }
  if (s == "nan") {
    out = sign | exponent_mask | quiet_bit;
    return true;
  }
  if (s.starts_with("nan:")) {
    std::string digits;
    uint64_t payload = 0;
    s.remove_prefix(4);
    if (!has_hex_prefix(s) || !strip_separators(s, digits) || !parse_magnitude(digits, payload, error)) {
      if (error.empty()) error = "malformed NaN payload";
      return false;
    }
    if (payload == 0 || payload >= (uint64_t(1) << mantissa_bits)) {
      error = "NaN payload out of range";
      return false;
    }
    out = sign | exponent_mask | Bits(payload);
    return true;
  }
  if (s.empty() || !(std::isdigit(uint8_t(s[0])) || s[0] == '.')) {
    error = "not a number";
    return false;
  }
  std::string clean;
  if (!strip_separators(s, clean)) {
    error = "misplaced '_'";
    return false;
  }
  // strtod/strtof round correctly (decimal and hex); reject what they leave over.
  errno = 0;
  char* end = nullptr;
  F value;
  if constexpr (sizeof(F) == 4)
    value = std::strtof(clean.c_str(), &end);
  else
    value = std::strtod(clean.c_str(), &end);
  if (end != clean.c_str() + clean.size()) {
    error = "not a number";
    return false;
  }
  if (std::isinf(value)) {
    error = "out of range";
    return false;
  }
  Bits bits;
  std::memcpy(&bits, &value, sizeof bits);
  out = bits | sign;
  return true;
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

Value parse_v128(std::string_view text) {
  // SHAPE then lanes, separated by spaces.
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    size_t start = i;
    while (i < text.size() && text[i] != ' ') ++i;
    if (i > start) words.push_back(text.substr(start, i - start));
  }
  auto fail = [&](const std::string& why) -> Value {
    throw Error("invalid v128 value '" + std::string(text) + "': " + why);
  };
  if (words.empty()) return fail("empty");
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
  if (!shape) return fail("unknown shape '" + std::string(words[0]) + "'");
  if (words.size() != shape->lanes + 1) return fail("expected " + std::to_string(shape->lanes) + " lanes");
  V128 v;
  for (unsigned lane = 0; lane < shape->lanes; ++lane) {
    std::string error;
    uint64_t bits = 0;
    std::string_view w = words[lane + 1];
    bool ok;
    if (shape->is_float && shape->lane_bits == 32) {
      uint32_t b = 0;
      ok = parse_f32_bits(w, b, error);
      bits = b;
    } else if (shape->is_float) {
      ok = parse_f64_bits(w, bits, error);
    } else if (shape->lane_bits >= 32) {
      ok = parse_int_bits(w, shape->lane_bits, bits, error);
    } else {
      // Narrow lanes: parse as i32, then check the lane's range.
      ok = parse_int_bits(w, 32, bits, error);
      int64_t as_signed = int32_t(uint32_t(bits));
      bool negative_text = !w.empty() && w[0] == '-';
      int64_t value = negative_text ? as_signed : int64_t(uint32_t(bits));
      int64_t lo = -(int64_t(1) << (shape->lane_bits - 1)), hi = (int64_t(1) << shape->lane_bits) - 1;
      if (ok && (value < lo || value > hi)) {
        ok = false;
        error = "lane out of range";
      }
      bits = uint64_t(value);
    }
    if (!ok) return fail("lane " + std::to_string(lane) + ": " + error);
    std::memcpy(v.bytes + lane * (shape->lane_bits / 8), &bits, shape->lane_bits / 8);
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

bool parse_int_bits(std::string_view text, unsigned bits, uint64_t& out, std::string& error) {
  std::string_view s = text;
  bool negative = take_sign(s);
  std::string clean;
  uint64_t magnitude = 0;
  if (!strip_separators(s, clean)) {
    error = "misplaced '_'";
    return false;
  }
  if (!parse_magnitude(clean, magnitude, error)) return false;
  uint64_t unsigned_max = bits == 64 ? UINT64_MAX : (uint64_t(1) << bits) - 1;
  uint64_t negative_max = uint64_t(1) << (bits - 1);
  if (negative ? magnitude > negative_max : magnitude > unsigned_max) {
    error = "out of range for i" + std::to_string(bits);
    return false;
  }
  out = (negative ? uint64_t(0) - magnitude : magnitude) & unsigned_max;
  return true;
}

bool parse_f32_bits(std::string_view text, uint32_t& out, std::string& error) {
  return parse_float_bits<float, uint32_t>(text, out, error);
}

bool parse_f64_bits(std::string_view text, uint64_t& out, std::string& error) {
  return parse_float_bits<double, uint64_t>(text, out, error);
}

Value parse_value(ValType type, std::string_view text) {
  std::string error;
  auto fail = [&]() -> Value {
    throw Error(std::string("invalid ") + to_string(type) + " value '" + std::string(text) + "': " + error);
  };
  switch (type) {
    case ValType::I32: {
      uint64_t bits;
      if (!parse_int_bits(text, 32, bits, error)) return fail();
      return Value::i32(int32_t(uint32_t(bits)));
    }
    case ValType::I64: {
      uint64_t bits;
      if (!parse_int_bits(text, 64, bits, error)) return fail();
      return Value::i64(int64_t(bits));
    }
    case ValType::F32: {
      uint32_t bits;
      if (!parse_f32_bits(text, bits, error)) return fail();
      return Value::f32_bits(bits);
    }
    case ValType::F64: {
      uint64_t bits;
      if (!parse_f64_bits(text, bits, error)) return fail();
      return Value::f64_bits(bits);
    }
    case ValType::V128: return parse_v128(text);
    case ValType::FuncRef:
      if (text == "null") return Value::null(type);
      error = "only null can be written";
      return fail();
    case ValType::ExternRef: {
      if (text == "null") return Value::null(type);
      uint64_t bits;
      if (!parse_int_bits(text, 64, bits, error)) return fail();
      return Value::externref(reinterpret_cast<void*>(uintptr_t(bits)));
    }
  }
  error = "unknown type";
  return fail();
}

std::string format_value(const Value& value) { return format(value, false); }
std::string format_value_exact(const Value& value) { return format(value, true); }

}  // namespace kiln::loader
