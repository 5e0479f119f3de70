// Interrupt polls that bounded inner loops do not need.
#include "aotc/backend/poll_elision.h"

#include "aotc/codegen/codegen.h"

#include <llvm/ADT/SmallPtrSet.h>
#include <llvm/Analysis/CycleAnalysis.h>
#include <llvm/Analysis/LoopInfo.h>
#include <llvm/Analysis/ScalarEvolution.h>
#include <llvm/IR/Instructions.h>

namespace kiln::aotc {

llvm::PreservedAnalyses PollElisionPass::run(llvm::Function& fn,
                                             llvm::FunctionAnalysisManager& analyses) {
  unsigned kind = fn.getContext().getMDKindID(kLoopPollMetadata);
  std::vector<llvm::Instruction*> polls;
  for (llvm::BasicBlock& block : fn)
    for (llvm::Instruction& in : block)
      if (in.getMetadata(kind)) polls.push_back(&in);
  // Before any analysis: code built without polls pays nothing here.
  if (polls.empty()) return llvm::PreservedAnalyses::all();
  llvm::LoopInfo& loops = analyses.getResult<llvm::LoopAnalysis>(fn);
  llvm::ScalarEvolution& scev = analyses.getResult<llvm::ScalarEvolutionAnalysis>(fn);
  llvm::CycleInfo& cycles = analyses.getResult<llvm::CycleAnalysis>(fn);

  llvm::SmallPtrSet<llvm::Instruction*, 16> removable;
  // Innermost loops that run a bounded amount of work per entry.
  for (llvm::Loop* loop : loops.getLoopsInPreorder()) {
    if (!loop->isInnermost()) continue;
    uint64_t trips = scev.getSmallConstantMaxTripCount(loop);  // 0: unknown
    if (trips == 0) continue;
    uint64_t size = 0;
    for (llvm::BasicBlock* block : loop->blocks()) size += block->size();
    if (trips * size > kMaxUnpolledWork) continue;
    for (llvm::Instruction* poll : polls)
      if (loop->contains(poll)) removable.insert(poll);
  }
  // Per cycle, one poll in its header is enough: every path around a
  // reducible cycle that stays out of its inner cycles passes the header.
  // Polls in no cycle at all (loops unrolled completely) run once per call.
  // Irreducible cycles keep theirs.
  llvm::SmallPtrSet<const llvm::CycleInfo::CycleT*, 16> kept;
  for (llvm::Instruction* poll : polls) {  // in block order: a header's first poll comes first
    if (removable.contains(poll)) continue;
    const llvm::CycleInfo::CycleT* cycle = cycles.getCycle(poll->getParent());
    if (!cycle) {
      removable.insert(poll);
      continue;
    }
    if (!cycle->isReducible()) continue;
    if (poll->getParent() == cycle->getHeader() && kept.insert(cycle).second) continue;
    bool header_polls = false;
    for (llvm::Instruction* other : polls)
      header_polls |= other->getParent() == cycle->getHeader() && !removable.contains(other);
    if (header_polls) removable.insert(poll);
  }
  if (removable.empty()) return llvm::PreservedAnalyses::all();
  // A poll is a read with no result: nothing else changes.
  for (llvm::Instruction* poll : removable) poll->eraseFromParent();
  llvm::PreservedAnalyses preserved;
  preserved.preserveSet<llvm::CFGAnalyses>();
  return preserved;
}

}  // namespace kiln::aotc
