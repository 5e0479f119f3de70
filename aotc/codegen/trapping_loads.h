// Keeps linear-memory loads whose trap is their only effect.
#pragma once
#include <llvm/IR/Function.h>
#include <llvm/IR/Metadata.h>

namespace kiln::aotc {

/// With guard regions, an out-of-bounds load traps by faulting, which LLVM
/// does not model: a load whose value is never used would be deleted, trap
/// and all. Promotes the function's locals to SSA, then makes volatile every
/// load tagged `linear_memory_tag` whose value cannot reach anything
/// observable (a store, call, return, branch or other side effect).
void pin_unobserved_loads(llvm::Function& function, llvm::MDNode* linear_memory_tag);

}  // namespace kiln::aotc
