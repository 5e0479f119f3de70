// Trap sites and the checks every function makes on entry (stack limit,
// interruption). A trap is `llvm.ubsantrap(code)` + unreachable: on x86-64
// it becomes `ud1` with the TrapCode as displacement, which the backend finds
// in the object code to build the trap table.
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/MDBuilder.h>

#include "abi/vm_context.h"
#include "aotc/codegen/function_translator.h"

namespace kiln::aotc {

llvm::BasicBlock* FunctionTranslator::trap_block(TrapCode code) {
  llvm::BasicBlock*& block = trap_blocks_[static_cast<uint8_t>(code)];
  if (block) return block;
  // One site per trap kind and function: the kind is all the loader reports.
  block = llvm::BasicBlock::Create(m_.ctx, "trap", fn_);
  llvm::IRBuilder<> tb(block);
  tb.CreateIntrinsic(llvm::Intrinsic::ubsantrap, {}, {tb.getInt8(static_cast<uint8_t>(code))});
  tb.CreateUnreachable();
  return block;
}

void FunctionTranslator::trap_if(llvm::Value* cond, TrapCode code) {
  if (auto* c = llvm::dyn_cast<llvm::ConstantInt>(cond); c && c->isZero()) return;
  llvm::BasicBlock* cont = new_block("cont");
  llvm::MDBuilder md(m_.ctx);
  b_.CreateCondBr(cond, trap_block(code), cont, md.createUnlikelyBranchWeights());
  b_.SetInsertPoint(cont);
}

void FunctionTranslator::trap(TrapCode code) {
  b_.CreateBr(trap_block(code));
  become_dead(0);
}

void FunctionTranslator::emit_stack_check() {
  // The stack pointer after the prologue lies below the whole frame.
  llvm::Value* sp = b_.CreatePtrToInt(b_.CreateStackSave("sp"), m_.i64);
  llvm::LoadInst* limit = load_field(b_, m_.i64, store_context(),
                                     offsetof(abi::VMStoreContext, stack_limit),
                                     MemKind::StoreState, "stack_limit");
  trap_if(b_.CreateICmpULT(sp, limit), TrapCode::CallStackExhausted);
}

void FunctionTranslator::emit_interrupt_check() {
  // Volatile: the flag is set by another thread, so the load must stay in
  // the loop rather than being hoisted out of it.
  llvm::LoadInst* flag = load_field(b_, m_.i64, store_context(),
                                    offsetof(abi::VMStoreContext, interrupt),
                                    MemKind::StoreState, "interrupt");
  flag->setVolatile(true);
  trap_if(b_.CreateICmpNE(flag, b_.getInt64(0)), TrapCode::Interrupted);
}

}  // namespace kiln::aotc
