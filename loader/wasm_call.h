// Entering wasm code from the host, and reporting how it ended.
#pragma once
#include "kiln/error.h"
#include "loader/platform/trap_handling.h"

namespace kiln::loader {

class StoreState;

/// Runs thunk(data) in wasm context for `store`: on the outermost entry clears
/// the interrupt request and sets the stack limit from the store's budget;
/// catches traps. Throws kiln::Trap for a trap, or rethrows the exception a
/// host function raised. thunk's frame must own nothing with a destructor.
void enter_wasm(StoreState& store, void (*thunk)(void*), void* data);

/// The kiln::Trap for a trap reported by call_guarded.
Trap make_trap(const TrapInfo& info);

}  // namespace kiln::loader
