// How a trap site is encoded in x86-64 code. aotc emits `llvm.ubsantrap(code)`,
// which LLVM's x86 backend turns into `ud1 code(%eax), %eax`, and
// `llvm.trap` / an unreachable end into `ud2`; aotc's trap scanner reads the
// code back to build the trap table, and the loader's fault handler decodes
// it when a trap table has no entry. One decoder serves both.
#pragma once
#include <cstddef>
#include <cstdint>

#include "abi/trap_codes.h"

namespace kiln::abi::x86_64 {

/// `ud2`: Unreachable.
inline constexpr uint8_t kUd2[] = {0x0F, 0x0B};
/// `ud1 disp8(%eax), %eax` without its displacement, which is the TrapCode.
inline constexpr uint8_t kUd1Prefix[] = {0x67, 0x0F, 0xB9, 0x40};
/// Longest trap instruction: the ud1 prefix and its code byte.
inline constexpr size_t kMaxTrapLength = sizeof kUd1Prefix + 1;

/// The TrapCode of the trap instruction whose bytes `byte(0)`, `byte(1)`, ...
/// return, or None if they are not one. Reads a byte only when the ones before
/// it show the instruction continues, so it never reads past the instruction.
template <typename ByteAt>
constexpr TrapCode decode_trap(ByteAt byte) {
  if (byte(0) == kUd2[0]) return byte(1) == kUd2[1] ? TrapCode::Unreachable : TrapCode::None;
  for (size_t i = 0; i < sizeof kUd1Prefix; ++i)
    if (byte(i) != kUd1Prefix[i]) return TrapCode::None;
  const uint8_t code = byte(sizeof kUd1Prefix);
  if (code == 0 || code > kMaxTrapCode) return TrapCode::None;
  return TrapCode(code);
}

namespace detail {
constexpr TrapCode decode_bytes(const uint8_t (&bytes)[5]) {
  return decode_trap([&](size_t i) { return bytes[i]; });
}
static_assert(decode_bytes({0x0F, 0x0B, 0, 0, 0}) == TrapCode::Unreachable);
static_assert(decode_bytes({0x67, 0x0F, 0xB9, 0x40, 5}) == TrapCode::OutOfBoundsMemoryAccess);
static_assert(decode_bytes({0x67, 0x0F, 0xB9, 0x40, 0}) == TrapCode::None);
static_assert(decode_bytes({0x67, 0x0F, 0xB9, 0x40, kMaxTrapCode + 1}) == TrapCode::None);
static_assert(decode_bytes({0x67, 0x0F, 0xB9, 0x41, 5}) == TrapCode::None);
}  // namespace detail

}  // namespace kiln::abi::x86_64
