// How a trap site is encoded in AArch64 code. LLVM's AArch64 backend turns
// `llvm.ubsantrap(code)` into `brk #(0x5500 | code)` ('U' << 8) and
// `llvm.trap` into `brk #1`; aotc's trap scanner reads the code back to
// build the trap table, and a loader's fault handler (SIGTRAP) can decode it
// when a trap table has no entry. One decoder serves both.
#pragma once
#include <cstddef>
#include <cstdint>

#include "abi/trap_codes.h"

namespace kiln::abi::aarch64 {

/// `brk #imm16` is this word with imm16 in bits 5..20.
inline constexpr uint32_t kBrk = 0xD4200000u;
inline constexpr uint32_t kBrkMask = 0xFFE0001Fu;
/// The brk immediate of `llvm.trap`: Unreachable.
inline constexpr uint16_t kBrkUnreachable = 0x0001;
/// The brk immediate of `llvm.ubsantrap(code)` is this | code.
inline constexpr uint16_t kBrkTrapBase = 0x5500;
/// Every instruction is one little-endian word.
inline constexpr size_t kMaxTrapLength = 4;

/// The instruction word `brk #imm`.
constexpr uint32_t brk(uint16_t imm) { return kBrk | uint32_t(imm) << 5; }

/// The TrapCode of the instruction word, or None if it is not a trap site.
constexpr TrapCode decode_trap_word(uint32_t word) {
  if ((word & kBrkMask) != kBrk) return TrapCode::None;
  const uint16_t imm = uint16_t(word >> 5);
  if (imm == kBrkUnreachable) return TrapCode::Unreachable;
  if ((imm & 0xFF00) != kBrkTrapBase) return TrapCode::None;
  const uint8_t code = uint8_t(imm);
  if (code == 0 || code > kMaxTrapCode) return TrapCode::None;
  return TrapCode(code);
}

/// Same for the instruction whose bytes `byte(0)` .. `byte(3)` return (the
/// form the x86-64 decoder takes). Always reads four bytes.
template <typename ByteAt>
constexpr TrapCode decode_trap(ByteAt byte) {
  uint32_t word = 0;
  for (size_t i = 0; i < kMaxTrapLength; ++i) word |= uint32_t(uint8_t(byte(i))) << (8 * i);
  return decode_trap_word(word);
}

namespace detail {
static_assert(brk(0x5505) == 0xD42AA0A0u);  // as llvm-objdump shows `brk #0x5505`
static_assert(decode_trap_word(brk(1)) == TrapCode::Unreachable);
static_assert(decode_trap_word(brk(0x5505)) == TrapCode::OutOfBoundsMemoryAccess);
static_assert(decode_trap_word(brk(0x5500)) == TrapCode::None);
static_assert(decode_trap_word(brk(kBrkTrapBase | (kMaxTrapCode + 1))) == TrapCode::None);
static_assert(decode_trap_word(brk(0x4405)) == TrapCode::None);
static_assert(decode_trap_word(brk(0)) == TrapCode::None);
static_assert(decode_trap_word(0x00005505u) == TrapCode::None);  // udf #0x5505 is not one
}  // namespace detail

}  // namespace kiln::abi::aarch64
