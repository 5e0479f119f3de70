// Frame pointers that no trap backtrace can need.
#include "aotc/backend/frame_pointer_elision.h"

#include <llvm/IR/Function.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/IntrinsicInst.h>

namespace kiln::aotc {

namespace {

// An instruction that can neither fault nor reach a trap nor call out.
bool cannot_trap(const llvm::Instruction& in) {
  if (llvm::isa<llvm::UnreachableInst>(in)) return false;  // every explicit trap ends in one
  if (auto* call = llvm::dyn_cast<llvm::CallBase>(&in)) {
    // Pure intrinsics (rotates, bit counts, min/max, rounding, SIMD ops)
    // become plain instructions; anything else is a call or a trap.
    return llvm::isa<llvm::IntrinsicInst>(call) && !call->mayHaveSideEffects() &&
           !call->mayReadFromMemory();
  }
  // Linear memory, tables, globals and the store are all reached through
  // memory; a stack slot cannot fault in a leaf, whose caller checked the stack.
  if (in.mayReadOrWriteMemory()) {
    const llvm::Value* ptr = llvm::getLoadStorePointerOperand(&in);
    return ptr && llvm::isa<llvm::AllocaInst>(ptr->stripPointerCasts());
  }
  switch (in.getOpcode()) {
    case llvm::Instruction::UDiv:
    case llvm::Instruction::SDiv:
    case llvm::Instruction::URem:
    case llvm::Instruction::SRem:
      return false;  // guarded by explicit checks today, but the instruction itself can fault
    default:
      return true;
  }
}

}  // namespace

bool is_trap_free_leaf(const llvm::Function& fn) {
  if (fn.isDeclaration()) return false;
  for (const llvm::BasicBlock& block : fn)
    for (const llvm::Instruction& in : block)
      if (!cannot_trap(in)) return false;
  return true;
}

llvm::PreservedAnalyses FramePointerElisionPass::run(llvm::Function& fn,
                                                     llvm::FunctionAnalysisManager&) {
  if (fn.getFnAttribute("frame-pointer").getValueAsString() == "none" || !is_trap_free_leaf(fn))
    return llvm::PreservedAnalyses::all();
  fn.addFnAttr("frame-pointer", "none");
  return llvm::PreservedAnalyses::all();  // an attribute for the backend only
}

}  // namespace kiln::aotc
