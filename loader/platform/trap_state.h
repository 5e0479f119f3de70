// Internal to the platform layer: per-thread trap state shared by
// trap_handling.cpp (call_guarded, raise_trap) and signal_handlers.cpp.
#pragma once
#include <setjmp.h>

#include <cstdint>

#include "loader/platform/trap_handling.h"

namespace kiln::loader {

/// One active call_guarded on this thread; lives in call_guarded's frame.
struct LandingPoint {
  sigjmp_buf buf;
  TrapInfo* info;
  LandingPoint* prev;  // the enclosing call_guarded, or null
};

/// Plain data only: read by the signal handler.
struct ThreadTrapState {
  LandingPoint* landing;  // innermost active call_guarded
  uintptr_t stack_lo;     // lowest usable stack address (above the guard page)
  uintptr_t stack_hi;     // highest stack address
  bool ready;             // bounds read and alternate stack set up
};

/// This thread's state; async-signal-safe (initial-exec TLS, no allocation).
[[gnu::visibility("hidden")]] ThreadTrapState& thread_trap_state();

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

}  // namespace kiln::loader
