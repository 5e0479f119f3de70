// Passing the caller's own vmctx register to a callee of the same instance,
// per target CPU.
#pragma once
#include <llvm/IR/InlineAsm.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/TargetParser/Triple.h>

namespace kiln::aotc {

/// An inline asm (loaded, own) -> loaded == own ? own : loaded, computed
/// by a compare and a branch around a register move, never by a select:
/// its result is the loaded vmctx either way, but when the branch is
/// predicted equal, the result depends on `own` (a register) and not on
/// the load, so a callee's memory accesses need not wait for the table
/// element. Opaque to LLVM, which would fold the identity away.
llvm::InlineAsm* own_vmctx_asm_x86_64(llvm::LLVMContext& ctx);
llvm::InlineAsm* own_vmctx_asm_aarch64(llvm::LLVMContext& ctx);

/// The one for `module`'s target triple (x86-64 when it has none).
inline llvm::InlineAsm* own_vmctx_asm(const llvm::Module& module) {
  if (llvm::Triple(module.getTargetTriple()).isAArch64())
    return own_vmctx_asm_aarch64(module.getContext());
  return own_vmctx_asm_x86_64(module.getContext());
}

}  // namespace kiln::aotc
