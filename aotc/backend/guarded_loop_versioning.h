// Loop versioning that lets LLVM vectorize loops over guard-region memory.
#pragma once
#include <llvm/IR/PassManager.h>

namespace kiln::aotc {

/// Guard-region loads and stores are volatile (a fault is their bounds
/// check, and wasm wants every store before a trapping access done), which
/// keeps the vectorizers away. For an innermost loop whose guarded accesses
/// all move affinely with a computable trip count, with no calls and no
/// other volatile or atomic access, this adds one range check before the
/// loop: the highest byte each access will touch, against its memory's
/// current size. When every access fits, a copy of the loop with plain
/// accesses runs (none of them can fault, so merging or reordering them is
/// safe); otherwise the original, exact loop. Memory only grows, and nothing
/// in the loop can grow it, so the check holds for the whole loop.
struct GuardedLoopVersioningPass : llvm::PassInfoMixin<GuardedLoopVersioningPass> {
  llvm::PreservedAnalyses run(llvm::Function& fn, llvm::FunctionAnalysisManager& analyses);
};

/// After the vectorizers: a plain copy that did not vectorize is no faster
/// than the original and costs its range check on every entry (measured on
/// matmul: +6-10 % instructions), so its check becomes false and the copy goes.
struct UnvectorizedCopyRemovalPass : llvm::PassInfoMixin<UnvectorizedCopyRemovalPass> {
  llvm::PreservedAnalyses run(llvm::Function& fn, llvm::FunctionAnalysisManager& analyses);
};

}  // namespace kiln::aotc
