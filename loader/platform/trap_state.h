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

/// Where call_guarded continues after a trap unwound to it: lets sanitizers
/// forget the abandoned frames.
[[gnu::visibility("hidden"), gnu::cold, gnu::noinline]] void after_landing();

/// Installs the SIGSEGV/SIGBUS/SIGILL/SIGFPE handlers once per process.
[[gnu::visibility("hidden")]] void install_signal_handlers();

/// Walks frame pointers from `fp` and records the wasm frames it finds.
/// Frames are read only while they lie in [low, high) and move strictly up
/// the stack. With skip_host_frames, leading non-wasm frames (the runtime's
/// own) are skipped; otherwise, and after the first wasm frame, the walk
/// stops at the first return address outside wasm code. Signal-safe.
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

/// The lowest stack address for wasm: the bounds were read once per thread;
/// only the current sp varies.
[[gnu::always_inline]] inline uintptr_t stack_limit(const ThreadTrapState& t, size_t budget,
                                                    size_t reserve) {
  uintptr_t sp = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  uintptr_t by_budget = sp > budget ? sp - budget : 0;
  if (t.stack_lo == 0) return by_budget;  // bounds unknown: the budget alone
  return std::max(t.stack_lo + reserve, by_budget);
}

/// call_guarded, inline for the loader's own entry paths (wasm_call.h).
[[gnu::always_inline]] inline bool guarded_call(void (*fn)(void*) noexcept, void* data,
                                                EntryStore* store) {
  if (kiln_wasm_enter(fn, data, store) == 0) [[likely]]
    return true;
  after_landing();
  return false;
}

}  // namespace kiln::loader
