// Interrupt polls that bounded inner loops do not need.
#include "aotc/backend/poll_elision.h"

#include "aotc/codegen/codegen.h"

#include <llvm/Analysis/ConstantFolding.h>
#include <llvm/Analysis/InstructionSimplify.h>
#include <llvm/Analysis/LoopInfo.h>
#include <llvm/Analysis/ScalarEvolution.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/Instructions.h>
#include <llvm/Transforms/Utils/Local.h>

namespace kiln::aotc {

namespace {

// Instructions run without a poll, at most: about a millisecond.
constexpr uint64_t kMaxUnpolledWork = 1 << 20;

// Replaces the poll's flag with 0 and folds the branch it fed.
void remove_poll(llvm::LoadInst* flag, const llvm::DataLayout& layout) {
  std::vector<llvm::Instruction*> users;
  for (llvm::User* u : flag->users())
    if (auto* in = llvm::dyn_cast<llvm::Instruction>(u)) users.push_back(in);
  flag->replaceAllUsesWith(llvm::ConstantInt::get(flag->getType(), 0));
  flag->eraseFromParent();
  for (llvm::Instruction* in : users) {
    llvm::Value* folded = llvm::simplifyInstruction(in, llvm::SimplifyQuery(layout));
    if (!folded) continue;
    std::vector<llvm::BasicBlock*> blocks;
    for (llvm::User* u : in->users())
      if (auto* br = llvm::dyn_cast<llvm::BranchInst>(u)) blocks.push_back(br->getParent());
    in->replaceAllUsesWith(folded);
    in->eraseFromParent();
    for (llvm::BasicBlock* block : blocks) llvm::ConstantFoldTerminator(block, true);
  }
}

}  // namespace

llvm::PreservedAnalyses PollElisionPass::run(llvm::Function& fn,
                                             llvm::FunctionAnalysisManager& analyses) {
  llvm::LoopInfo& loops = analyses.getResult<llvm::LoopAnalysis>(fn);
  llvm::ScalarEvolution& scev = analyses.getResult<llvm::ScalarEvolutionAnalysis>(fn);
  unsigned kind = fn.getContext().getMDKindID(kLoopPollMetadata);
  std::vector<llvm::LoadInst*> removable;
  for (llvm::Loop* loop : loops.getLoopsInPreorder()) {
    if (!loop->isInnermost()) continue;
    uint64_t trips = scev.getSmallConstantMaxTripCount(loop);  // 0: unknown
    if (trips == 0) continue;
    uint64_t size = 0;
    std::vector<llvm::LoadInst*> polls;
    for (llvm::BasicBlock* block : loop->blocks()) {
      size += block->size();
      for (llvm::Instruction& in : *block)
        if (auto* load = llvm::dyn_cast<llvm::LoadInst>(&in); load && load->getMetadata(kind))
          polls.push_back(load);
    }
    if (polls.empty() || trips * size > kMaxUnpolledWork) continue;
    removable.insert(removable.end(), polls.begin(), polls.end());
  }
  if (removable.empty()) return llvm::PreservedAnalyses::all();
  for (llvm::LoadInst* flag : removable) remove_poll(flag, fn.getParent()->getDataLayout());
  llvm::removeUnreachableBlocks(fn);  // trap blocks nothing branches to any more
  return llvm::PreservedAnalyses::none();
}

}  // namespace kiln::aotc
