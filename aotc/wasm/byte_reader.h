// A bounds-checked cursor over bytes of a module, with the binary format's
// primitive encodings (LEB128, floats, names). The first error sticks: later
// reads return zero values, so callers check ok() at loop heads and once at
// the end instead of after every read.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "abi/val_type.h"
#include "aotc/wasm/error.h"

namespace kiln::aotc {

class ByteReader {
 public:
  /// data: the bytes readable; base: module offset of data[0]; pos: start.
  ByteReader(std::span<const uint8_t> data, uint32_t base, size_t pos = 0)
      : data_(data), base_(base), pos_(pos) {}

  bool ok() const { return !failed_; }
  bool at_end() const { return pos_ >= data_.size(); }
  size_t pos() const { return pos_; }
  size_t size() const { return data_.size(); }
  size_t remaining() const { return pos_ < data_.size() ? data_.size() - pos_ : 0; }
  uint32_t offset() const { return base_ + uint32_t(pos_); }
  uint32_t offset_of(size_t pos) const { return base_ + uint32_t(pos); }
  std::span<const uint8_t> data() const { return data_; }
  void seek(size_t pos) { pos_ = pos; }

  /// Records an error at module offset `offset` (only the first one sticks).
  void fail_at(uint32_t offset, const std::string& message);
  void fail(const std::string& message) { fail_at(offset(), message); }
  /// Records an error that already names its position.
  void fail_with(Error err);
  /// The recorded error, if any, as an llvm::Error.
  Error take_error();

  uint8_t u8();
  std::optional<uint8_t> peek() const {
    if (failed_ || at_end()) return std::nullopt;
    return data_[pos_];
  }
  uint32_t u32();
  uint64_t u64();
  int32_t s32();
  int64_t s33();
  int64_t s64();
  uint32_t fixed32();
  uint64_t fixed64();
  /// n raw bytes; "unexpected end of section or function" when fewer remain.
  std::span<const uint8_t> bytes(size_t n);
  /// A u32 length that must fit in the remaining bytes ("length out of bounds").
  uint32_t length();
  /// A vector count (callers must not trust it for allocation sizes).
  uint32_t count();
  /// A length-prefixed UTF-8 name.
  std::string name();
  /// A value type byte ("malformed value type" otherwise).
  abi::ValType val_type();
  /// A reference type byte ("malformed reference type" otherwise).
  abi::ValType ref_type();
  /// A byte that must be zero ("zero byte expected").
  void zero_byte();
  /// A flag byte in [0, max], read like the reference decoder's short LEBs.
  uint8_t flag_byte(uint8_t max);

 private:
  uint64_t leb_unsigned(unsigned bits);
  uint8_t type_byte();
  int64_t leb_signed(unsigned bits);

  std::span<const uint8_t> data_;
  uint32_t base_;
  size_t pos_;
  bool failed_ = false;
  std::string error_;  // complete message, position included
};

/// True if `bytes` is well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF).
bool is_valid_utf8(std::span<const uint8_t> bytes);
/// A byte that encodes a value type.
std::optional<abi::ValType> val_type_from_byte(uint8_t byte);

}  // namespace kiln::aotc
