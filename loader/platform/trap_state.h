// Per-thread trap state shared by the platform layer (call_guarded,
// raise_trap, the signal handler) and the loader's inline entry into wasm.
#pragma once
#include <algorithm>
#include <cstdint>

#include "loader/platform/trap_handling.h"
#include "loader/platform/wasm_entry.h"

namespace kiln::loader {

/// Plain data only: read by the signal handler.
struct ThreadTrapState {
  uintptr_t landing_sp;  // innermost active call_guarded's landing point, 0 if none
  TrapInfo* trap;        // this thread's trap record (set once ready)
  uintptr_t stack_lo;    // lowest usable stack address (above the guard page)
  uintptr_t stack_hi;    // highest stack address
  bool ready;            // bounds read, alternate stack and trap record set up
  /// Set by a typed entry (x86-64) whose call ended with a pending wasm
  /// exception: the store's context, for throw_last_trap.
  abi::VMStoreContext* exception_vm;
};

/// This thread's state; initial-exec TLS, so the handler reaches it without
/// __tls_get_addr (async-signal-safe, no allocation).
/// The assembly entries name it kiln_thread_trap_state.
extern constinit thread_local ThreadTrapState t_trap_state __asm__("kiln_thread_trap_state")
    __attribute__((tls_model("initial-exec"), visibility("hidden")));

/// The first guarded call of a thread: installs the process-wide handlers
/// (so a ready thread implies installed handlers), reads the thread's stack
/// bounds, sets up its alternate signal stack and trap record.
[[gnu::visibility("hidden"), gnu::cold, gnu::noinline]] void prepare_thread(ThreadTrapState& t);

/// The main thread's stack bounds when pthread_getattr_np fails (it reads
/// /proc/self/maps, which may be missing, or lack the stack under some
/// emulators): the top from __libc_stack_end, the size from RLIMIT_STACK
/// (8 MiB if unlimited), as glibc computes them. Leaves `t` alone on other threads, or if the
/// current frame is not inside the result.
void main_thread_stack_bounds(ThreadTrapState& t);

/// Where call_guarded continues after a trap unwound to it: lets sanitizers
/// forget the abandoned frames.
[[gnu::visibility("hidden"), gnu::cold, gnu::noinline]] void after_landing();

/// Installs the handlers of signal_context::kFaultSignals once per process.
[[gnu::visibility("hidden")]] void install_signal_handlers();

/// Walks frame pointers from `fp` and records the wasm frames it finds.
/// Frames are read only while they lie in [low, high) and move strictly up
/// the stack. With skip_host_frames, leading non-wasm frames (the runtime's
/// own) are skipped; otherwise, and after the first wasm frame, the walk
/// stops at the first return address outside wasm code (frames returning
/// into an artifact's other code, entries and trampolines, are passed over
/// unrecorded). Signal-safe.
[[gnu::visibility("hidden")]] int collect_wasm_frames(uintptr_t fp, uintptr_t low,
                                                     uintptr_t high, bool skip_host_frames,
                                                     TrapFrame* out, int capacity);

/// This thread's state, set up on first use. The hot path is one TLS load and
/// a branch: no call_once (whose libstdc++ form reaches TLS through
/// __tls_get_addr) and no pthread_getattr_np.
[[gnu::always_inline]] inline ThreadTrapState& ready_state() {
  ThreadTrapState& t = t_trap_state;
  if (!t.ready) [[unlikely]] prepare_thread(t);
  return t;
}

}  // namespace kiln::loader
