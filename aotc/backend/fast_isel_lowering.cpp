// Switch lowering and unsigned-to-float rewriting ahead of FastISel.
#include "aotc/backend/fast_isel_lowering.h"

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/InstIterator.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/PassManager.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Transforms/Utils/LowerSwitch.h>

#include <vector>

namespace kiln::aotc {

namespace {

// uitofp from a scalar of at most 32 bits -> sitofp of its zero extension.
void rewrite_unsigned_to_float(llvm::Function& fn) {
  std::vector<llvm::UIToFPInst*> sites;
  for (llvm::Instruction& inst : llvm::instructions(fn)) {
    auto* convert = llvm::dyn_cast<llvm::UIToFPInst>(&inst);
    if (!convert) continue;
    auto* source = llvm::dyn_cast<llvm::IntegerType>(convert->getSrcTy());
    if (source && source->getBitWidth() <= 32) sites.push_back(convert);
  }
  for (llvm::UIToFPInst* convert : sites) {
    llvm::IRBuilder<> b(convert);
    llvm::Value* wide = b.CreateZExt(convert->getOperand(0), b.getInt64Ty());
    llvm::Value* value = b.CreateSIToFP(wide, convert->getDestTy());
    value->takeName(convert);
    convert->replaceAllUsesWith(value);
    convert->eraseFromParent();
  }
}

}  // namespace

void lower_for_fast_isel(llvm::Module& module) {
  llvm::FunctionAnalysisManager fam;
  llvm::PassBuilder builder;
  builder.registerFunctionAnalyses(fam);
  llvm::LowerSwitchPass lower_switch;
  for (llvm::Function& fn : module) {
    if (fn.isDeclaration()) continue;
    rewrite_unsigned_to_float(fn);
    lower_switch.run(fn, fam);
  }
}

}  // namespace kiln::aotc
