// Interrupt polls that loops do not need.
#pragma once
#include <llvm/IR/PassManager.h>

#include <cstdint>

namespace kiln::aotc {

/// Instructions a loop may run between polls: about a millisecond.
inline constexpr uint64_t kMaxUnpolledWork = 1 << 20;

/// Removes the interrupt polls of innermost loops whose trip count LLVM
/// bounds by a small constant: one pass through such a loop does a bounded
/// amount of work, and the enclosing loop or caller still polls. Of the other
/// loop polls, keeps one per cycle, in its header, and none outside cycles
/// (copies left by unrolling). Runs before the vectorizer, so that bounded
/// loops can vectorize, and last, when unrolling is done.
struct PollElisionPass : llvm::PassInfoMixin<PollElisionPass> {
  llvm::PreservedAnalyses run(llvm::Function& fn, llvm::FunctionAnalysisManager& analyses);
};

}  // namespace kiln::aotc
