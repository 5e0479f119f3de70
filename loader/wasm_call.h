// Entering wasm code from the host, and reporting how it ended.
#pragma once
#include "kiln/error.h"
#include "loader/platform/trap_state.h"
#include "loader/store_state.h"

namespace kiln::loader {

/// Throws what ended this thread's last guarded call early: the host
/// exception it carries, or the kiln::Trap for its trap.
[[noreturn, gnu::cold]] void throw_abnormal_exit();

/// Runs an entry trampoline, trampoline(code, vmctx, vmctx, slots), in wasm
/// context for `store`: on the outermost entry clears the interrupt request
/// and sets the stack limit from the store's budget; catches traps. Throws
/// kiln::Trap for a trap, or rethrows the exception a host function raised.
/// Always inline, so that its callers reach the assembly entry directly.
[[gnu::always_inline]] inline void enter_wasm_trampoline(StoreState& store, abi::EntryTrampoline trampoline,
                                                         void* code, abi::VMContext* vmctx,
                                                         abi::ValSlot* slots) {
  if (kiln_wasm_call_trampoline(reinterpret_cast<void*>(trampoline), code, vmctx, slots, &store.entry) == 0)
      [[likely]] {
    if (store.vm.pending_exception) [[unlikely]] throw take_pending_exception(store);
    return;
  }
  after_landing();
  discard_pending_exception(store);
  throw_abnormal_exit();
}

/// The kiln::Trap for a trap record (last_trap()).
Trap make_trap(const TrapInfo& info);

}  // namespace kiln::loader
