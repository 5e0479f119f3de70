// The assembly entries from the host into wasm code (wasm_entry_<arch>.S).
// Each keeps its landing point in its own frame: the callee-saved registers
// and the stack pointer, so that a trap resumes there without
// sigsetjmp/siglongjmp, and does the store's entry bookkeeping itself.
#pragma once
#include <cstdint>

#include "loader/platform/wasm_entry_layout.h"

#if !defined(__x86_64__) && !defined(__aarch64__)
#error "kiln's wasm entry (loader/platform/wasm_entry_<cpu>.S) exists for x86-64 and aarch64 only"
#endif

namespace kiln::loader {
struct EntryStore;
}

extern "C" {

/// Calls trampoline(code, vmctx, vmctx, slots), with the store's entry
/// bookkeeping and a landing point: returns 0, or 1 after a trap. For
/// abi::EntryTrampoline (declared with plain pointers to keep this header
/// free of the ABI types).
[[gnu::visibility("hidden")]] int kiln_wasm_call_trampoline(void* trampoline, void* code, void* vmctx,
                                                           void* slots, kiln::loader::EntryStore* store);

/// Not callable from C++: the VMFuncRef::code of typed host functions with a
/// direct entry (at most 4 integer parameters), which it reaches through
/// HostContext::direct_code after moving the arguments to the C convention.
[[gnu::visibility("hidden")]] void kiln_direct_host_thunk();

/// The typed entries KILN_WASM_CALL_INT and KILN_WASM_CALL_SSE are declared
/// in kiln/detail/typed_call.h (TypedFunc calls them; x86-64 only).

/// Not callable: the address a signal handler puts in the interrupted
/// context's pc, with its stack pointer set to the landing sp.
[[gnu::visibility("hidden")]] void kiln_wasm_land();

/// Continues at kiln_wasm_land on `landing_sp`, abandoning every frame below
/// it (no destructors run).
[[noreturn, gnu::visibility("hidden")]] void kiln_wasm_unwind(uintptr_t landing_sp);

/// The first entry on a thread calls this (with every argument register
/// saved): the thread's trap handling setup.
[[gnu::visibility("hidden")]] void kiln_prepare_thread();

}
