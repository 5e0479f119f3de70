// Turning faults and explicit traps in wasm code into returns to the host.
//
// The host enters wasm through call_guarded(), whose assembly entry
// (wasm_entry.h) saves the callee-saved registers and records the stack
// pointer as the thread's innermost landing point. The signal handler
// (signal_context::kFaultSignals, on an alternate stack) checks the faulting
// pc against the code registry; for a fault in wasm code it records the trap
// in the thread's TrapInfo and edits the signal context so that returning
// from the handler resumes at the landing point; any other fault is passed
// to the previously installed handler. raise_trap jumps to the landing point.
#pragma once
#include <cstdint>
#include <exception>

#include "abi/trap_codes.h"
#include "abi/vm_context.h"

namespace kiln::loader {

/// One wasm frame of a trap backtrace.
struct TrapFrame {
  const void* owner;     // module owner token from the registry
  uint32_t func_index;   // defined-function index
  uint32_t offset;       // native code offset in the function
  const char* func_name; // may be null
};

/// How a guarded call ended early: one record per thread, written by the
/// signal handler or raise_trap just before they unwind to the landing point.
struct TrapInfo {
  abi::TrapCode code = abi::TrapCode::None;
  uintptr_t pc = 0;                 // faulting pc (0 for traps raised by the runtime)
  uintptr_t fault_address = 0;      // for memory faults
  bool carries_exception = false;   // raised by raise_host_exception (see take_host_exception)
  static constexpr int kMaxFrames = 32;
  TrapFrame frames[kMaxFrames];
  int frame_count = 0;
};

/// Installs the signal handlers once per process (thread-safe, idempotent)
/// and an alternate signal stack for the calling thread (once per thread).
void ensure_trap_handling();

/// A store's side of entries from the host into its wasm code, read and
/// updated by the assembly entry (layout: wasm_entry_layout.h).
struct EntryStore {
  abi::VMStoreContext* vm;
  uint32_t depth = 0;    // nesting of entries into this store on the running thread
  uint32_t unused = 0;
  uintptr_t budget = 0;  // stack bytes below the outermost entry's sp that wasm may use
  uintptr_t reserve = 0;
};

/// Calls fn(data) with a landing point for traps, through the assembly entry
/// that Func::call uses (fn runs as the entry trampoline). Returns true if fn returned
/// normally; false if a trap unwound to here (see last_trap). Nests: a host
/// function called from wasm may call wasm again; traps land at the innermost
/// call. The first call on a thread does ensure_trap_handling's work. With a
/// store, the call counts in store->depth, and the outermost one (depth 0)
/// clears the store's interrupt request and sets its stack limit: one call
/// does all the work of entering wasm from the host. fn must not throw, and
/// its frames must own nothing with a destructor, since a trap abandons them.
bool call_guarded(void (*fn)(void*) noexcept, void* data, EntryStore* store = nullptr);

/// This thread's record of the last trap: valid after call_guarded returned
/// false, until the next trap on this thread.
const TrapInfo& last_trap();

/// The host exception the last trap carried (raise_host_exception), moved
/// out; null if it carried none or it was taken already.
std::exception_ptr take_host_exception();

/// Raises a trap from runtime code running on behalf of wasm (builtins, host
/// adapters). Unwinds to the innermost call_guarded of this thread. Must not be
/// called with live C++ objects that need destruction on the current frames.
[[noreturn]] void raise_trap(abi::TrapCode code);

/// Like raise_trap, but carries a host exception to call_guarded's caller.
/// Call it after leaving the catch block that captured the exception: a
/// jump out of a catch block would skip __cxa_end_catch.
[[noreturn]] void raise_host_exception(std::exception_ptr exception);

}  // namespace kiln::loader
