// The instruction a loop polls with, per target CPU.
#pragma once
#include <llvm/IR/InlineAsm.h>
#include <llvm/IR/LLVMContext.h>

namespace kiln::aotc {

/// An inline asm taking the vmctx pointer that reads one byte of the
/// instance's poll page (abi::kVMContextPollPageOffset below vmctx): a read
/// with no result, which faults once Store::interrupt() protects the page.
/// Its constraints name every register it writes.
llvm::InlineAsm* loop_poll_asm(llvm::LLVMContext& ctx);

}  // namespace kiln::aotc
