// The instruction a loop polls with, per target CPU.
#pragma once
#include <llvm/IR/InlineAsm.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/TargetParser/Triple.h>

namespace kiln::aotc {

/// An inline asm taking the vmctx pointer that reads one byte of the
/// instance's poll page (abi::kVMContextPollPageOffset below vmctx): a read
/// with no result, which faults once Store::interrupt() protects the page.
/// Its constraints name every register it writes.
llvm::InlineAsm* loop_poll_asm_x86_64(llvm::LLVMContext& ctx);
llvm::InlineAsm* loop_poll_asm_aarch64(llvm::LLVMContext& ctx);

/// The one for `module`'s target triple (x86-64 when it has none).
inline llvm::InlineAsm* loop_poll_asm(const llvm::Module& module) {
  if (llvm::Triple(module.getTargetTriple()).isAArch64())
    return loop_poll_asm_aarch64(module.getContext());
  return loop_poll_asm_x86_64(module.getContext());
}

}  // namespace kiln::aotc
