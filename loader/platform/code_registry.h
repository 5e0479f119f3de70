// Process-wide registry of loaded wasm code: maps a program counter to the
// artifact, function and trap kind, without locks or allocation on lookup so
// signal handlers can use it.
//
// Ownership makes the Wasmer #2434 lesson structural: a RegisteredCode owns
// the SharedLibrary, so the code cannot be unmapped while its entry exists;
// its destructor removes the entry, waits until no lookup can still see it,
// and only then closes the library.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "abi/descriptor.h"
#include "abi/trap_codes.h"
#include "loader/platform/shared_library.h"

namespace kiln::loader {

/// Result of a PC lookup.
struct PcInfo {
  const void* owner = nullptr;     // the owner token given at registration
  uint32_t func_index = 0;         // defined-function index
  uint32_t offset = 0;             // pc - function start
  abi::TrapCode trap = abi::TrapCode::None;  // trap site at exactly this pc, if any
  const char* func_name = nullptr; // from the descriptor's name data, may be null
};

class RegisteredCode {
 public:
  /// Registers the code of `library` described by `descriptor` (which lives
  /// inside `library`). `owner` identifies the module in lookups. Trap sites
  /// must be sorted by function and offset (check_descriptor ensures it).
  /// A null `library` is code linked into the program, never unmapped.
  RegisteredCode(std::unique_ptr<SharedLibrary> library, const abi::Descriptor* descriptor,
                 const void* owner);
  /// Deregisters, waits for concurrent lookups to finish, then dlcloses.
  ~RegisteredCode();
  RegisteredCode(const RegisteredCode&) = delete;
  RegisteredCode& operator=(const RegisteredCode&) = delete;

  /// The library, or null for code linked into the program.
  const SharedLibrary* library() const { return library_.get(); }
  uintptr_t code_start() const { return start_; }
  uintptr_t code_end() const { return end_; }

 private:
  friend class CodeRegistry;
  // Makes [start_, end_) the descriptor's code range when it holds them.
  void widen_to_artifact_code();
  // Where function `index` of the descriptor starts.
  uintptr_t function_start(uint32_t index) const {
    return reinterpret_cast<uintptr_t>(descriptor_) + uint64_t(function_table_[index].code);
  }

  std::unique_ptr<SharedLibrary> library_;
  const abi::Descriptor* descriptor_;
  const abi::Function* function_table_ = nullptr;  // the descriptor's functions
  const abi::TrapSite* trap_table_ = nullptr;      // the descriptor's trap sites
  uint32_t function_count_ = 0, trap_count_ = 0;
  const void* owner_;
  // The artifact's code: [code_begin, code_end) when the descriptor gives
  // it, else the span of its functions.
  uintptr_t start_ = 0, end_ = 0;
  // aotc lays functions out in index order: then lookups search the
  // descriptor's own tables. Otherwise:
  bool in_order_ = false;
  // Function starts sorted by address: (start, defined index).
  std::vector<std::pair<uintptr_t, uint32_t>> functions_;
  // Absolute trap-site addresses, sorted, with their codes.
  std::vector<std::pair<uintptr_t, uint8_t>> traps_;
};

/// Async-signal-safe: no locks, no allocation. True if pc lies in
/// registered wasm code; fills `info`.
bool lookup_pc(uintptr_t pc, PcInfo& info);

/// Async-signal-safe: true if pc lies in the code of a registered artifact
/// (descriptor's code_begin..code_end), in a function or not (an entry of a
/// module using tail calls, a trampoline, an adapter).
bool in_artifact_code(uintptr_t pc);
/// Number of registered artifacts (for tests).
size_t registered_code_count();

}  // namespace kiln::loader
