// Trap kinds shared by aotc (which records them in the trap table and encodes
// them in trap instructions) and the loader (which reports them).
#pragma once
#include <cstdint>

namespace kiln::abi {

/// Every way a WebAssembly computation can trap. Values are stable ABI.
enum class TrapCode : uint8_t {
  None = 0,
  Unreachable = 1,
  IntegerDivideByZero = 2,
  IntegerOverflow = 3,
  InvalidConversionToInteger = 4,
  OutOfBoundsMemoryAccess = 5,
  OutOfBoundsTableAccess = 6,
  IndirectCallTypeMismatch = 7,
  UninitializedElement = 8,
  UndefinedElement = 9,
  CallStackExhausted = 10,
  Interrupted = 11,
  HostError = 12,  // a host function failed; the message says how
  UnalignedAtomic = 13,      // threads: an atomic access not at a multiple of its size
  WaitOnUnsharedMemory = 14, // threads: memory.atomic.wait on a memory that is not shared
};

constexpr uint8_t kMaxTrapCode = 14;

/// The message the spec test suite uses for each trap kind.
constexpr const char* trap_message(TrapCode code) {
  switch (code) {
    case TrapCode::None: return "no trap";
    case TrapCode::Unreachable: return "unreachable";
    case TrapCode::IntegerDivideByZero: return "integer divide by zero";
    case TrapCode::IntegerOverflow: return "integer overflow";
    case TrapCode::InvalidConversionToInteger: return "invalid conversion to integer";
    case TrapCode::OutOfBoundsMemoryAccess: return "out of bounds memory access";
    case TrapCode::OutOfBoundsTableAccess: return "out of bounds table access";
    case TrapCode::IndirectCallTypeMismatch: return "indirect call type mismatch";
    case TrapCode::UninitializedElement: return "uninitialized element";
    case TrapCode::UndefinedElement: return "undefined element";
    case TrapCode::CallStackExhausted: return "call stack exhausted";
    case TrapCode::Interrupted: return "interrupted";
    case TrapCode::HostError: return "host function error";
    case TrapCode::UnalignedAtomic: return "unaligned atomic";
    case TrapCode::WaitOnUnsharedMemory: return "expected shared memory";
  }
  return "unknown trap";
}

}  // namespace kiln::abi
