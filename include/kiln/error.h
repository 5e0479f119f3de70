// The two exception types of the public API.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace kiln {

/// Every failure reported by libkiln: a bad artifact, a failed link, a wrong
/// argument, ... The message is one line naming the problem.
class Error : public std::runtime_error {
 public:
  /// An error with a one-line message.
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

/// How a WebAssembly computation trapped. The values match abi::TrapCode.
enum class TrapKind : uint8_t {
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
  HostError = 12,
  UnalignedAtomic = 13,       // an atomic access at an address not a multiple of its size
  WaitOnUnsharedMemory = 14,  // memory.atomic.wait32/64 on a memory that is not shared
};

/// One wasm frame of a trap's backtrace, innermost first.
struct TrapFrame {
  uint32_t func_index = 0;   // in the module's function index space (imports first)
  std::string func_name;     // from the name section; empty if unknown
  uint32_t offset = 0;       // byte offset of the pc in the function's native code
  std::string module;        // the module's name (its artifact path)
};

/// A WebAssembly trap. what() is "wasm trap: " + message().
class Trap : public Error {
 public:
  /// A trap of `kind`. Host functions may throw one; it reaches the host
  /// code that called into wasm unchanged.
  Trap(TrapKind kind, std::vector<TrapFrame> trace = {});
  /// What went wrong.
  TrapKind kind() const { return kind_; }
  /// The spec's wording, e.g. "integer divide by zero".
  const std::string& message() const { return message_; }
  /// Wasm frames at the trap, innermost first (may be empty).
  const std::vector<TrapFrame>& trace() const { return trace_; }

 private:
  TrapKind kind_;
  std::string message_;
  std::vector<TrapFrame> trace_;
};

/// The spec's message for a trap kind.
const char* trap_message(TrapKind kind);

}  // namespace kiln
