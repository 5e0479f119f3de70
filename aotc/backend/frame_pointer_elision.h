// Frame pointers that no trap backtrace can need.
#pragma once
#include <llvm/IR/PassManager.h>

namespace kiln::aotc {

/// Drops the frame pointer of functions that call nothing and cannot trap
/// (no memory access, no trap branch, only side-effect-free intrinsics).
/// Backtraces walk frame pointers from a trapping pc or from a runtime call;
/// neither can happen while such a function runs, so no walk ever passes
/// through its frame. Callees of call_indirect tables are often like this
/// (small arithmetic), and native code has no frame there either.
struct FramePointerElisionPass : llvm::PassInfoMixin<FramePointerElisionPass> {
  llvm::PreservedAnalyses run(llvm::Function& fn, llvm::FunctionAnalysisManager& analyses);
};

/// Whether fn calls nothing and has no instruction that can trap (the rule
/// FramePointerElisionPass applies).
bool is_trap_free_leaf(const llvm::Function& fn);

}  // namespace kiln::aotc
