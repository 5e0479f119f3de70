// Dead-but-trapping loads: see trapping_loads.h.
#include "aotc/codegen/trapping_loads.h"

#include <vector>

#include <llvm/ADT/SmallPtrSet.h>
#include <llvm/Analysis/AssumptionCache.h>
#include <llvm/IR/Dominators.h>
#include <llvm/IR/Instructions.h>
#include <llvm/Transforms/Utils/PromoteMemToReg.h>

namespace kiln::aotc {

namespace {

// True if `value` flows, through pure computations (arithmetic, casts,
// compares, selects, phis, vector shuffles), into an instruction that has an
// effect LLVM must keep.
bool reaches_observable_use(llvm::Value* value) {
  llvm::SmallPtrSet<llvm::Value*, 32> seen;
  std::vector<llvm::Value*> work{value};
  while (!work.empty()) {
    llvm::Value* v = work.back();
    work.pop_back();
    for (llvm::User* user : v->users()) {
      auto* inst = llvm::dyn_cast<llvm::Instruction>(user);
      if (!inst) return true;  // a constant expression or metadata: be safe
      if (inst->mayHaveSideEffects() || inst->isTerminator() || llvm::isa<llvm::CallBase>(inst) ||
          llvm::isa<llvm::LoadInst>(inst))
        return true;  // a load using it as an address is itself kept or pinned
      if (seen.insert(inst).second) work.push_back(inst);
    }
  }
  return false;
}

void promote_locals(llvm::Function& function) {
  std::vector<llvm::AllocaInst*> allocas;
  for (llvm::Instruction& inst : function.getEntryBlock())
    if (auto* alloca = llvm::dyn_cast<llvm::AllocaInst>(&inst))
      if (llvm::isAllocaPromotable(alloca)) allocas.push_back(alloca);
  if (allocas.empty()) return;
  llvm::DominatorTree tree(function);
  llvm::AssumptionCache cache(function);
  llvm::PromoteMemToReg(allocas, tree, &cache);
}

}  // namespace

void pin_unobserved_loads(llvm::Function& function, llvm::MDNode* linear_memory_tag) {
  if (function.isDeclaration()) return;
  promote_locals(function);
  for (llvm::BasicBlock& block : function)
    for (llvm::Instruction& inst : block) {
      auto* load = llvm::dyn_cast<llvm::LoadInst>(&inst);
      if (!load || load->isVolatile()) continue;
      if (load->getMetadata(llvm::LLVMContext::MD_tbaa) != linear_memory_tag) continue;
      if (!reaches_observable_use(load)) load->setVolatile(true);
    }
}

}  // namespace kiln::aotc
