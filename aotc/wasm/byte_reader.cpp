// Primitive encodings of the binary format, with the spec's error wording.
#include "aotc/wasm/byte_reader.h"

#include "aotc/wasm/proposals.h"

namespace kiln::aotc {

void ByteReader::fail_at(uint32_t offset, const std::string& message) {
  if (failed_) return;
  failed_ = true;
  error_ = error_message(error_at(offset, message));
}

void ByteReader::fail_with(Error err) {
  if (!err) return;
  if (failed_) {
    llvm::consumeError(std::move(err));
    return;
  }
  failed_ = true;
  error_ = error_message(std::move(err));
}

Error ByteReader::take_error() {
  if (!failed_) return Error::success();
  return make_error(error_);
}

uint8_t ByteReader::u8() {
  if (failed_) return 0;
  if (at_end()) {
    fail("unexpected end of section or function");
    return 0;
  }
  return data_[pos_++];
}

// LEB128 with the spec's bounds: at most ceil(bits/7) bytes, and unused bits
// of the last byte must be zero.
uint64_t ByteReader::leb_unsigned(unsigned bits) {
  const unsigned max_bytes = (bits + 6) / 7;
  uint64_t result = 0;
  for (unsigned i = 0; i < max_bytes; ++i) {
    const uint32_t at = offset();
    const uint8_t byte = u8();
    if (failed_) return 0;
    const unsigned shift = 7 * i;
    if (i == max_bytes - 1) {
      if (byte & 0x80) {
        fail_at(at, "integer representation too long");
        return 0;
      }
      const unsigned used = bits - shift;  // payload bits this byte may carry
      if (used < 7 && (byte >> used) != 0) {
        fail_at(at, "integer too large");
        return 0;
      }
    }
    result |= uint64_t(byte & 0x7F) << shift;
    if (!(byte & 0x80)) return result;
  }
  return result;
}

int64_t ByteReader::leb_signed(unsigned bits) {
  const unsigned max_bytes = (bits + 6) / 7;
  uint64_t result = 0;
  for (unsigned i = 0; i < max_bytes; ++i) {
    const uint32_t at = offset();
    const uint8_t byte = u8();
    if (failed_) return 0;
    const unsigned shift = 7 * i;
    if (i == max_bytes - 1) {
      if (byte & 0x80) {
        fail_at(at, "integer representation too long");
        return 0;
      }
      // Bits above the payload must all copy the payload's sign bit.
      const unsigned used = bits - shift;
      if (used < 7) {
        const uint8_t upper = uint8_t(byte & 0x7F) >> (used - 1);  // sign bit and above
        const uint8_t all = uint8_t(0x7F >> (used - 1));
        if (upper != 0 && upper != all) {
          fail_at(at, "integer too large");
          return 0;
        }
      }
    }
    result |= uint64_t(byte & 0x7F) << shift;
    if (!(byte & 0x80)) {
      const unsigned total = shift + 7;
      if (total < 64 && (byte & 0x40)) result |= ~uint64_t(0) << total;
      return int64_t(result);
    }
  }
  return int64_t(result);
}

uint32_t ByteReader::u32() { return uint32_t(leb_unsigned(32)); }
uint64_t ByteReader::u64() { return leb_unsigned(64); }
int32_t ByteReader::s32() { return int32_t(leb_signed(32)); }
int64_t ByteReader::s33() { return leb_signed(33); }
int64_t ByteReader::s64() { return leb_signed(64); }

uint32_t ByteReader::fixed32() {
  auto b = bytes(4);
  if (b.size() != 4) return 0;
  return uint32_t(b[0]) | uint32_t(b[1]) << 8 | uint32_t(b[2]) << 16 | uint32_t(b[3]) << 24;
}

uint64_t ByteReader::fixed64() {
  const uint64_t lo = fixed32();
  const uint64_t hi = fixed32();
  return lo | hi << 32;
}

std::span<const uint8_t> ByteReader::bytes(size_t n) {
  if (failed_) return {};
  if (n > remaining()) {
    fail("unexpected end of section or function");
    return {};
  }
  auto out = data_.subspan(pos_, n);
  pos_ += n;
  return out;
}

uint32_t ByteReader::length() {
  const uint32_t at = offset();
  const uint32_t n = u32();
  if (failed_) return 0;
  if (n > remaining()) {
    fail_at(at, "length out of bounds");
    return 0;
  }
  return n;
}

uint32_t ByteReader::count() { return u32(); }

std::string ByteReader::name() {
  const uint32_t n = length();
  const uint32_t at = offset();
  auto b = bytes(n);
  if (failed_) return {};
  if (!is_valid_utf8(b)) {
    fail_at(at, "malformed UTF-8 encoding");
    return {};
  }
  return std::string(b.begin(), b.end());
}

std::optional<abi::ValType> val_type_from_byte(uint8_t byte) {
  switch (byte) {
    case 0x7F: case 0x7E: case 0x7D: case 0x7C: case 0x7B: case 0x70: case 0x6F:
      return abi::ValType(byte);
    default:
      return std::nullopt;
  }
}

uint8_t ByteReader::type_byte() {
  const uint32_t at = offset();
  const uint8_t byte = u8();
  if (!failed_ && (byte & 0x80)) fail_at(at, "integer representation too long");
  return failed_ ? 0 : byte;
}

abi::ValType ByteReader::val_type() {
  const uint32_t at = offset();
  const uint8_t byte = type_byte();
  if (failed_) return abi::ValType::I32;
  auto t = val_type_from_byte(byte);
  if (!t) {
    fail_at(at, "malformed value type" + unsupported_value_type(byte));
    return abi::ValType::I32;
  }
  return *t;
}

abi::ValType ByteReader::ref_type() {
  const uint32_t at = offset();
  const uint8_t byte = type_byte();
  if (failed_) return abi::ValType::FuncRef;
  if (byte != 0x70 && byte != 0x6F) {
    fail_at(at, "malformed reference type" + unsupported_value_type(byte));
    return abi::ValType::FuncRef;
  }
  return abi::ValType(byte);
}

void ByteReader::zero_byte() {
  const uint32_t at = offset();
  if (u8() != 0 && !failed_) fail_at(at, "zero byte expected");
}

uint8_t ByteReader::flag_byte(uint8_t max) {
  const uint32_t at = offset();
  const uint8_t byte = u8();
  if (failed_) return 0;
  if (byte & 0x80) {
    fail_at(at, "integer representation too long");
    return 0;
  }
  if (byte > max) {
    fail_at(at, "integer too large");
    return 0;
  }
  return byte;
}

bool is_valid_utf8(std::span<const uint8_t> s) {
  size_t i = 0;
  while (i < s.size()) {
    const uint8_t c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t n;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (s.size() - i - 1 < n) return false;  // truncated sequence
    for (size_t k = 1; k <= n; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return false;
      cp = cp << 6 | (s[i + k] & 0x3F);
    }
    static constexpr uint32_t min_for_len[] = {0, 0x80, 0x800, 0x10000};
    if (cp < min_for_len[n]) return false;               // overlong
    if (cp >= 0xD800 && cp <= 0xDFFF) return false;      // surrogate
    if (cp > 0x10FFFF) return false;
    i += n + 1;
  }
  return true;
}

}  // namespace kiln::aotc
