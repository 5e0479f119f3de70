// Interrupt polls that bounded inner loops do not need.
#pragma once
#include <llvm/IR/PassManager.h>

namespace kiln::aotc {

/// Removes the interrupt polls of innermost loops whose trip count LLVM
/// bounds by a small constant: one pass through such a loop does a bounded
/// amount of work, and the enclosing loop or caller still polls. Runs after
/// the loop optimizations, when trip counts are known.
struct PollElisionPass : llvm::PassInfoMixin<PollElisionPass> {
  llvm::PreservedAnalyses run(llvm::Function& fn, llvm::FunctionAnalysisManager& analyses);
};

}  // namespace kiln::aotc
