// Keeping the frame setup of swifttailcc bodies at their entry, per target CPU.
#pragma once
#include <llvm/IR/InlineAsm.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/TargetParser/Triple.h>

namespace kiln::aotc {

/// AArch64: LLVM 19's shrink-wrapping moves the prologue of a swifttailcc
/// function past an early return, and that return then forgets to pop the
/// stack arguments the callee must pop (a musttail chain whose function
/// takes more than eight integer arguments crashed on its way out). An
/// empty inline asm at the entry that clobbers x19, a callee-saved register
/// (a clobbered link register does not count), keeps the prologue there, at
/// the cost of saving and restoring x19 in those functions.
llvm::InlineAsm* entry_frame_asm_aarch64(llvm::LLVMContext& ctx);

/// The one for `module`'s target, or null where none is needed (x86-64
/// pops callee arguments with the return instruction itself).
inline llvm::InlineAsm* entry_frame_asm(const llvm::Module& module) {
  if (llvm::Triple(module.getTargetTriple()).isAArch64())
    return entry_frame_asm_aarch64(module.getContext());
  return nullptr;
}

}  // namespace kiln::aotc
