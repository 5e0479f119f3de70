// The assembly landing point of host->wasm calls (wasm_entry_<arch>.S): the
// callee-saved registers and the stack pointer, saved by the entry itself, so
// that a trap resumes there without sigsetjmp/siglongjmp.
#pragma once
#include <cstdint>

#if !defined(__x86_64__)
#error "kiln's wasm entry (loader/platform/wasm_entry_*.S) exists for x86-64 only"
#endif

extern "C" {

/// Saves the callee-saved registers, stores the stack pointer below them in
/// *landing_sp, calls fn(data) and returns 0. Returns 1 instead when a trap
/// resumes at kiln_wasm_land with that stack pointer.
[[gnu::visibility("hidden")]] int kiln_wasm_enter(void (*fn)(void*), void* data, uintptr_t* landing_sp);

/// Not callable: the address a signal handler puts in the interrupted
/// context's pc, with its stack pointer set to a landing sp.
[[gnu::visibility("hidden")]] void kiln_wasm_land();

/// Continues at kiln_wasm_land on `landing_sp`, abandoning every frame below
/// it (no destructors run).
[[noreturn, gnu::visibility("hidden")]] void kiln_wasm_unwind(uintptr_t landing_sp);

}
