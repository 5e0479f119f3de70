// Trap sites and the checks functions make on entry (stack limit,
// interruption). A trap is `llvm.ubsantrap(code)` + unreachable: on x86-64
// it becomes `ud1` with the TrapCode as displacement, which the backend finds
// in the object code to build the trap table.
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/Transforms/Utils/BasicBlockUtils.h>
#include <llvm/Transforms/Utils/Local.h>

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

void FunctionTranslator::emit_entry_check() {
  // The stack pointer after the prologue lies below the whole frame.
  llvm::Value* sp = b_.CreatePtrToInt(b_.CreateStackSave("sp"), m_.i64);
  llvm::MDBuilder md(m_.ctx);
  llvm::BasicBlock* body = new_block("body");
  if (!m_.options.interruptible) {
    llvm::LoadInst* limit = load_field(b_, m_.i64, store_context(),
                                       offsetof(abi::VMStoreContext, stack_limit),
                                       MemKind::StoreState, "stack_limit");
    entry_check_ = b_.CreateCondBr(b_.CreateICmpULT(sp, limit),
                                   trap_block(TrapCode::CallStackExhausted), body,
                                   md.createUnlikelyBranchWeights());
    b_.SetInsertPoint(body);
    return;
  }
  // One comparison covers both checks; interrupt() raises entry_limit. Another
  // thread writes it: unordered keeps the racy read defined.
  llvm::LoadInst* limit = load_field(b_, m_.i64, store_context(),
                                     offsetof(abi::VMStoreContext, entry_limit),
                                     MemKind::StoreState, "entry_limit");
  limit->setAtomic(llvm::AtomicOrdering::Unordered);
  llvm::BasicBlock* slow = new_block("entry_slow");
  entry_check_ = b_.CreateCondBr(b_.CreateICmpULT(sp, limit), slow, body,
                                 md.createUnlikelyBranchWeights());
  b_.SetInsertPoint(slow);
  emit_interrupt_check();
  llvm::LoadInst* floor = load_field(b_, m_.i64, store_context(),
                                     offsetof(abi::VMStoreContext, stack_limit),
                                     MemKind::StoreState, "stack_limit");
  b_.CreateCondBr(b_.CreateICmpULT(sp, floor), trap_block(TrapCode::CallStackExhausted), body,
                  md.createUnlikelyBranchWeights());
  b_.SetInsertPoint(body);
}

void FunctionTranslator::drop_entry_check_if_leaf() {
  // A function that calls nothing cannot recurse, and its frame (bounded by
  // its locals and operand stack) fits in the reserve the loader keeps below
  // stack_limit. Without calls it cannot run long without passing a loop
  // header, where interruptible code polls anyway.
  constexpr size_t kMaxLeafValues = 512;
  if (!entry_check_ || made_calls_ || locals_.size() + max_height_ > kMaxLeafValues) return;
  llvm::BasicBlock* body = entry_check_->getSuccessor(1);
  llvm::Value* cond = entry_check_->getCondition();
  llvm::BranchInst::Create(body, entry_check_);
  entry_check_->eraseFromParent();
  entry_check_ = nullptr;
  // Also at -O0, where no later pass would: the slow path, then the loads.
  llvm::EliminateUnreachableBlocks(*fn_);
  llvm::RecursivelyDeleteTriviallyDeadInstructions(cond);
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
