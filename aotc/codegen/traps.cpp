// Trap sites and the checks functions make on entry (stack limit,
// interruption). A trap is `llvm.ubsantrap(code)` + unreachable: on x86-64
// it becomes `ud1` with the TrapCode as displacement, on aarch64
// `brk #(0x5500 | code)`, which the backend finds in the object code to build
// the trap table (abi/trap_encoding_<cpu>.h).
#include <llvm/ADT/PostOrderIterator.h>
#include <llvm/ADT/SmallPtrSet.h>
#include <llvm/Analysis/LoopInfo.h>
#include <llvm/IR/Dominators.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/Transforms/Utils/BasicBlockUtils.h>
#include <llvm/Transforms/Utils/Local.h>

#include <algorithm>

#include "abi/vm_context.h"
#include "aotc/codegen/function_translator.h"
#include "aotc/codegen/loop_poll.h"

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

llvm::BranchInst* FunctionTranslator::emit_stack_check(llvm::BasicBlock* next) {
  // The stack pointer after the prologue lies below the whole frame.
  llvm::Value* sp = b_.CreatePtrToInt(b_.CreateStackSave("sp"), m_.i64);
  llvm::MDBuilder md(m_.ctx);
  if (!m_.options.interruptible) {
    llvm::LoadInst* limit = load_field(b_, m_.i64, store_context(),
                                       offsetof(abi::VMStoreContext, stack_limit),
                                       MemKind::StoreState, "stack_limit");
    return b_.CreateCondBr(b_.CreateICmpULT(sp, limit), trap_block(TrapCode::CallStackExhausted),
                           next, md.createUnlikelyBranchWeights());
  }
  // One comparison covers both checks; interrupt() raises entry_limit. Another
  // thread writes it: unordered keeps the racy read defined.
  llvm::LoadInst* limit = load_field(b_, m_.i64, store_context(),
                                     offsetof(abi::VMStoreContext, entry_limit),
                                     MemKind::StoreState, "entry_limit");
  limit->setAtomic(llvm::AtomicOrdering::Unordered);
  llvm::BasicBlock* slow = new_block("stack_check_slow");
  llvm::BranchInst* check = b_.CreateCondBr(b_.CreateICmpULT(sp, limit), slow, next,
                                            md.createUnlikelyBranchWeights());
  b_.SetInsertPoint(slow);
  emit_interrupt_check();
  llvm::LoadInst* floor = load_field(b_, m_.i64, store_context(),
                                     offsetof(abi::VMStoreContext, stack_limit),
                                     MemKind::StoreState, "stack_limit");
  b_.CreateCondBr(b_.CreateICmpULT(sp, floor), trap_block(TrapCode::CallStackExhausted), next,
                  md.createUnlikelyBranchWeights());
  return check;
}

void FunctionTranslator::emit_entry_check() {
  llvm::BasicBlock* body = new_block("body");
  entry_check_ = emit_stack_check(body);
  b_.SetInsertPoint(body);
}

std::optional<std::vector<llvm::Instruction*>> FunctionTranslator::stack_check_points() {
  // Few enough that comparing each with the others stays cheap.
  constexpr size_t kMaxPoints = 16;
  llvm::DominatorTree dt(*fn_);
  llvm::LoopInfo loops(dt);
  llvm::SmallPtrSet<llvm::Instruction*, 16> calls(calls_.begin(), calls_.end());
  auto dominates = [&](llvm::Instruction* a, llvm::Instruction* b) {
    if (a->getParent() == b->getParent()) return a == b || a->comesBefore(b);
    return dt.dominates(a->getParent(), b->getParent());
  };
  std::vector<llvm::Instruction*> points;
  for (llvm::BasicBlock* block : llvm::ReversePostOrderTraversal<llvm::Function*>(fn_)) {
    for (llvm::Instruction& in : *block) {
      if (!calls.contains(&in)) continue;
      // Before the outermost loop around the call: sp does not change in a
      // loop, and interruptible loops poll at their headers.
      llvm::Instruction* point = &in;
      for (llvm::Loop* loop = loops.getLoopFor(block); loop; loop = loop->getParentLoop()) {
        llvm::BasicBlock* preheader = loop->getLoopPreheader();
        if (!preheader) break;
        point = preheader->getTerminator();
      }
      if (std::any_of(points.begin(), points.end(),
                      [&](llvm::Instruction* p) { return dominates(p, point); }))
        continue;
      if (points.size() == kMaxPoints) return std::nullopt;
      points.push_back(point);
    }
  }
  return points;
}

void FunctionTranslator::place_stack_checks() {
  // Every path that reaches a call passes a check; paths that call nothing
  // (early returns, leaf functions) skip it and may skip the frame set-up. A
  // function that calls nothing cannot recurse, and its frame (bounded by its
  // locals and operand stack) fits in the reserve the loader keeps below
  // stack_limit. Without calls it cannot run long without passing a loop
  // header, where interruptible code polls anyway.
  constexpr size_t kMaxLeafValues = 512;
  if (!entry_check_ || locals_.size() + max_height_ > kMaxLeafValues) return;
  std::optional<std::vector<llvm::Instruction*>> points = stack_check_points();
  if (!points) return;  // many separate call sites: the one entry check is cheaper

  llvm::BasicBlock* body = entry_check_->getSuccessor(1);
  llvm::Value* cond = entry_check_->getCondition();
  llvm::BranchInst::Create(body, entry_check_);
  entry_check_->eraseFromParent();
  entry_check_ = nullptr;
  for (llvm::Instruction* point : *points) {
    llvm::BasicBlock* head = point->getParent();
    llvm::BasicBlock* rest = head->splitBasicBlock(point, "checked");
    head->getTerminator()->eraseFromParent();
    b_.SetInsertPoint(head);
    emit_stack_check(rest);
  }
  // Also at -O0, where no later pass would: the entry's slow path, then its
  // loads. Trap blocks may go with it, so forget them.
  llvm::EliminateUnreachableBlocks(*fn_);
  llvm::RecursivelyDeleteTriviallyDeadInstructions(cond);
  std::fill(std::begin(trap_blocks_), std::end(trap_blocks_), nullptr);
}

llvm::CallInst* FunctionTranslator::emit_poll() {
  llvm::CallInst* poll = b_.CreateCall(loop_poll_asm(m_.llvm_module), {vmctx_});
  poll->setDoesNotThrow();
  // It reads all memory, so every store before it stays before it (an
  // interrupt's trap makes memory and globals observable), but writes only
  // memory the module cannot see, so loads after it may reuse values from
  // before (a loop keeps its memory size, globals and table headers in
  // registers). A read-only call would be hoisted out of a loop that writes
  // nothing, which would then spin unpolled.
  poll->setMemoryEffects(llvm::MemoryEffects::readOnly() |
                         llvm::MemoryEffects::inaccessibleMemOnly());
  return poll;
}

void FunctionTranslator::emit_interrupt_check(bool loop_header) {
  if (loop_header) {
    // A loop reads one byte of its instance's poll page, which
    // Store::interrupt() makes unreadable: no compare and no branch out of
    // the loop, so the loop keeps its single exit (and a computable trip
    // count). Volatile, so the read stays in the loop. The page sits at a
    // fixed offset below vmctx, which calls keep live anyway: no register
    // and no load for the page's address.
    emit_poll()->setMetadata(kLoopPollMetadata, llvm::MDNode::get(m_.ctx, {}));
    return;
  }
  // Volatile: the flag is set by another thread.
  llvm::LoadInst* flag = load_field(b_, m_.i64, store_context(),
                                    offsetof(abi::VMStoreContext, interrupt),
                                    MemKind::StoreState, "interrupt");
  flag->setVolatile(true);
  trap_if(b_.CreateICmpNE(flag, b_.getInt64(0)), TrapCode::Interrupted);
}

}  // namespace kiln::aotc
