#include "tests/spec/spec_value.h"

#include <cinttypes>
#include <cstdio>
#include <cstring>

namespace kiln::spec {
namespace {

void store_le(std::array<uint8_t, 16>& bytes, unsigned offset, unsigned size, uint64_t value) {
  for (unsigned i = 0; i < size; ++i) bytes[offset + i] = static_cast<uint8_t>(value >> (8 * i));
}

uint64_t load_le(const std::array<uint8_t, 16>& bytes, unsigned offset, unsigned size) {
  uint64_t value = 0;
  for (unsigned i = 0; i < size; ++i) value |= uint64_t(bytes[offset + i]) << (8 * i);
  return value;
}

/// Decimal bits of a `bits`-wide number: unsigned, or negative two's complement.
std::optional<uint64_t> parse_bits(std::string_view text, unsigned bits) {
  bool negative = !text.empty() && text[0] == '-';
  if (negative) text.remove_prefix(1);
  if (text.empty() || text.size() > 20) return std::nullopt;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    uint64_t digit = uint64_t(c - '0');
    if (value > (UINT64_MAX - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  uint64_t mask = bits == 64 ? UINT64_MAX : (uint64_t(1) << bits) - 1;
  if (!negative) {
    if (value > mask) return std::nullopt;
    return value;
  }
  // -2^(bits-1) is the most negative value that fits.
  if (value > (uint64_t(1) << (bits - 1))) return std::nullopt;
  return (~value + 1) & mask;
}

std::optional<NanPattern> parse_nan(std::string_view text) {
  if (text == "nan:canonical") return NanPattern::Canonical;
  if (text == "nan:arithmetic") return NanPattern::Arithmetic;
  return std::nullopt;
}

bool float_matches(NanPattern pattern, uint64_t expected, uint64_t actual, bool is_f64) {
  uint64_t sign = is_f64 ? uint64_t(1) << 63 : uint64_t(1) << 31;
  uint64_t quiet_nan = is_f64 ? 0x7ff8000000000000ull : 0x7fc00000ull;
  switch (pattern) {
    case NanPattern::Exact: return expected == actual;
    case NanPattern::Canonical: return (actual & ~sign) == quiet_nan;
    case NanPattern::Arithmetic: return (actual & quiet_nan) == quiet_nan;
  }
  return false;
}

std::string format_float(uint64_t bits, bool is_f64) {
  char text[64];
  if (is_f64) {
    double d;
    std::memcpy(&d, &bits, sizeof d);
    std::snprintf(text, sizeof text, "%.17g (0x%016" PRIx64 ")", d, bits);
  } else {
    uint32_t b32 = static_cast<uint32_t>(bits);
    float f;
    std::memcpy(&f, &b32, sizeof f);
    std::snprintf(text, sizeof text, "%.9g (0x%08" PRIx32 ")", double(f), b32);
  }
  return text;
}

const char* nan_name(NanPattern pattern) {
  return pattern == NanPattern::Canonical ? "nan:canonical" : "nan:arithmetic";
}

int64_t sign_extend(uint64_t value, unsigned bits) {
  if (bits == 64) return static_cast<int64_t>(value);
  uint64_t sign = uint64_t(1) << (bits - 1);
  return static_cast<int64_t>((value ^ sign) - sign);
}

}  // namespace

SpecValue SpecValue::i32(uint32_t bits) {
  SpecValue v;
  v.type = SpecType::I32;
  store_le(v.bytes, 0, 4, bits);
  return v;
}

SpecValue SpecValue::i64(uint64_t bits) {
  SpecValue v;
  v.type = SpecType::I64;
  store_le(v.bytes, 0, 8, bits);
  return v;
}

SpecValue SpecValue::f32(uint32_t bits) {
  SpecValue v = i32(bits);
  v.type = SpecType::F32;
  return v;
}

SpecValue SpecValue::f64(uint64_t bits) {
  SpecValue v = i64(bits);
  v.type = SpecType::F64;
  return v;
}

SpecValue SpecValue::v128(const std::array<uint8_t, 16>& bytes, LaneType lanes) {
  SpecValue v;
  v.type = SpecType::V128;
  v.lane_type = lanes;
  v.bytes = bytes;
  return v;
}

SpecValue SpecValue::null_ref(SpecType ref_type) {
  SpecValue v;
  v.type = ref_type;
  v.ref = RefKind::Null;
  return v;
}

SpecValue SpecValue::extern_ref(uint64_t id) {
  SpecValue v;
  v.type = SpecType::ExternRef;
  v.ref = RefKind::Extern;
  v.extern_id = id;
  return v;
}

SpecValue SpecValue::func_ref() {
  SpecValue v;
  v.type = SpecType::FuncRef;
  v.ref = RefKind::Func;
  return v;
}

uint32_t SpecValue::bits32() const { return static_cast<uint32_t>(load_le(bytes, 0, 4)); }
uint64_t SpecValue::bits64() const { return load_le(bytes, 0, 8); }

bool SpecValue::has_nan_pattern() const {
  for (NanPattern p : nan)
    if (p != NanPattern::Exact) return true;
  return false;
}

std::optional<SpecType> parse_spec_type(std::string_view name) {
  if (name == "i32") return SpecType::I32;
  if (name == "i64") return SpecType::I64;
  if (name == "f32") return SpecType::F32;
  if (name == "f64") return SpecType::F64;
  if (name == "v128") return SpecType::V128;
  if (name == "funcref") return SpecType::FuncRef;
  if (name == "externref") return SpecType::ExternRef;
  return std::nullopt;
}

std::optional<LaneType> parse_lane_type(std::string_view name) {
  if (name == "i8") return LaneType::I8;
  if (name == "i16") return LaneType::I16;
  if (name == "i32") return LaneType::I32;
  if (name == "i64") return LaneType::I64;
  if (name == "f32") return LaneType::F32;
  if (name == "f64") return LaneType::F64;
  return std::nullopt;
}

const char* spec_type_name(SpecType type) {
  switch (type) {
    case SpecType::I32: return "i32";
    case SpecType::I64: return "i64";
    case SpecType::F32: return "f32";
    case SpecType::F64: return "f64";
    case SpecType::V128: return "v128";
    case SpecType::FuncRef: return "funcref";
    case SpecType::ExternRef: return "externref";
  }
  return "?";
}

const char* lane_type_name(LaneType type) {
  switch (type) {
    case LaneType::I8: return "i8";
    case LaneType::I16: return "i16";
    case LaneType::I32: return "i32";
    case LaneType::I64: return "i64";
    case LaneType::F32: return "f32";
    case LaneType::F64: return "f64";
  }
  return "?";
}

unsigned lane_bytes(LaneType type) {
  switch (type) {
    case LaneType::I8: return 1;
    case LaneType::I16: return 2;
    case LaneType::I32:
    case LaneType::F32: return 4;
    case LaneType::I64:
    case LaneType::F64: return 8;
  }
  return 1;
}

unsigned lane_count(LaneType type) { return 16 / lane_bytes(type); }

std::optional<SpecValue> make_spec_value(std::string_view type_name,
                                         std::optional<std::string_view> lane_name,
                                         const std::vector<std::string>* values,
                                         std::string& error) {
  auto type = parse_spec_type(type_name);
  if (!type) {
    error = "unknown value type '" + std::string(type_name) + "'";
    return std::nullopt;
  }
  SpecValue v;
  v.type = *type;
  if (*type == SpecType::V128) {
    if (!lane_name) {
      if (values) {
        error = "v128 value without lane_type";
        return std::nullopt;
      }
      v.type_only = true;
      return v;
    }
    auto lanes = parse_lane_type(*lane_name);
    if (!lanes) {
      error = "unknown lane type '" + std::string(*lane_name) + "'";
      return std::nullopt;
    }
    v.lane_type = *lanes;
  }
  if (!values) {
    v.type_only = true;
    return v;
  }
  unsigned expected_count = *type == SpecType::V128 ? lane_count(v.lane_type) : 1;
  if (values->size() != expected_count) {
    error = std::string(type_name) + " value needs " + std::to_string(expected_count) +
            " part(s), got " + std::to_string(values->size());
    return std::nullopt;
  }
  auto bad = [&](const std::string& text) {
    error = "bad " + std::string(type_name) + " value '" + text + "'";
    return std::nullopt;
  };
  const std::string& first = (*values)[0];
  switch (*type) {
    case SpecType::I32:
    case SpecType::I64:
    case SpecType::F32:
    case SpecType::F64: {
      unsigned bits = (*type == SpecType::I32 || *type == SpecType::F32) ? 32 : 64;
      bool is_float = *type == SpecType::F32 || *type == SpecType::F64;
      if (auto nan = parse_nan(first); nan && is_float) {
        v.nan[0] = *nan;
        return v;
      }
      auto parsed = parse_bits(first, bits);
      if (!parsed) return bad(first);
      store_le(v.bytes, 0, bits / 8, *parsed);
      return v;
    }
    case SpecType::V128: {
      unsigned size = lane_bytes(v.lane_type);
      bool float_lanes = v.lane_type == LaneType::F32 || v.lane_type == LaneType::F64;
      for (unsigned lane = 0; lane < expected_count; ++lane) {
        const std::string& text = (*values)[lane];
        if (auto nan = parse_nan(text); nan && float_lanes) {
          v.nan[lane] = *nan;
          continue;
        }
        auto parsed = parse_bits(text, size * 8);
        if (!parsed) return bad(text);
        store_le(v.bytes, lane * size, size, *parsed);
      }
      return v;
    }
    case SpecType::FuncRef:
    case SpecType::ExternRef: {
      if (first == "null") {
        v.ref = RefKind::Null;
        return v;
      }
      auto parsed = parse_bits(first, 64);
      if (!parsed) return bad(first);
      if (*type == SpecType::FuncRef) {
        // A function index: matched as "some non-null funcref".
        v.ref = RefKind::Func;
        return v;
      }
      v.ref = RefKind::Extern;
      v.extern_id = *parsed;
      return v;
    }
  }
  return bad(first);
}

bool matches(const SpecValue& expected, const SpecValue& actual) {
  if (expected.type != actual.type) return false;
  if (expected.type_only) return true;
  switch (expected.type) {
    case SpecType::I32: return expected.bits32() == actual.bits32();
    case SpecType::I64: return expected.bits64() == actual.bits64();
    case SpecType::F32: return float_matches(expected.nan[0], expected.bits32(), actual.bits32(), false);
    case SpecType::F64: return float_matches(expected.nan[0], expected.bits64(), actual.bits64(), true);
    case SpecType::V128: {
      if (expected.lane_type != LaneType::F32 && expected.lane_type != LaneType::F64)
        return expected.bytes == actual.bytes;
      bool is_f64 = expected.lane_type == LaneType::F64;
      unsigned size = is_f64 ? 8 : 4;
      for (unsigned lane = 0; lane < 16 / size; ++lane) {
        uint64_t e = load_le(expected.bytes, lane * size, size);
        uint64_t a = load_le(actual.bytes, lane * size, size);
        if (!float_matches(expected.nan[lane], e, a, is_f64)) return false;
      }
      return true;
    }
    case SpecType::FuncRef:
    case SpecType::ExternRef:
      if (expected.ref != actual.ref) return false;
      return expected.ref != RefKind::Extern || expected.extern_id == actual.extern_id;
  }
  return false;
}

std::string to_string(const SpecValue& value) {
  std::string type = spec_type_name(value.type);
  if (value.type_only) return type;
  switch (value.type) {
    case SpecType::I32: return type + ":" + std::to_string(sign_extend(value.bits32(), 32));
    case SpecType::I64: return type + ":" + std::to_string(sign_extend(value.bits64(), 64));
    case SpecType::F32:
      if (value.nan[0] != NanPattern::Exact) return type + ":" + nan_name(value.nan[0]);
      return type + ":" + format_float(value.bits32(), false);
    case SpecType::F64:
      if (value.nan[0] != NanPattern::Exact) return type + ":" + nan_name(value.nan[0]);
      return type + ":" + format_float(value.bits64(), true);
    case SpecType::V128: {
      unsigned size = lane_bytes(value.lane_type);
      unsigned count = lane_count(value.lane_type);
      std::string text = "v128 " + std::string(lane_type_name(value.lane_type)) + "x" +
                         std::to_string(count) + ":[";
      for (unsigned lane = 0; lane < count; ++lane) {
        if (lane) text += ' ';
        uint64_t bits = load_le(value.bytes, lane * size, size);
        bool is_float = value.lane_type == LaneType::F32 || value.lane_type == LaneType::F64;
        if (is_float && value.nan[lane] != NanPattern::Exact)
          text += nan_name(value.nan[lane]);
        else if (is_float)
          text += format_float(bits, value.lane_type == LaneType::F64);
        else
          text += std::to_string(sign_extend(bits, size * 8));
      }
      return text + "]";
    }
    case SpecType::FuncRef:
    case SpecType::ExternRef:
      switch (value.ref) {
        case RefKind::Null:
          return value.type == SpecType::FuncRef ? "ref.null func" : "ref.null extern";
        case RefKind::Extern: return "ref.extern " + std::to_string(value.extern_id);
        case RefKind::Func: return "ref.func";
      }
  }
  return type;
}

std::string to_string(const std::vector<SpecValue>& values) {
  std::string text;
  for (const SpecValue& v : values) {
    if (!text.empty()) text += ", ";
    text += to_string(v);
  }
  return text;
}

}  // namespace kiln::spec
