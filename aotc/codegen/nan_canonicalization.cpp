// Deterministic NaNs: a select after each float operation that can make one.
#include "aotc/codegen/nan_canonicalization.h"

#include <vector>

#include <llvm/IR/Constants.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/IntrinsicInst.h>

namespace kiln::aotc {

namespace {

// Whether `in` computes a float value that may be a NaN with a payload of
// the CPU's choosing.
bool computes_nan(const llvm::Instruction& in) {
  if (!in.getType()->isFPOrFPVectorTy()) return false;
  switch (in.getOpcode()) {
    case llvm::Instruction::FAdd:
    case llvm::Instruction::FSub:
    case llvm::Instruction::FMul:
    case llvm::Instruction::FDiv:
    case llvm::Instruction::FRem:
    case llvm::Instruction::FPTrunc:
    case llvm::Instruction::FPExt:
      return true;
    case llvm::Instruction::Call: {
      // Intrinsics (sqrt, rounding, min/max, target SIMD ops) compute; a
      // call of a function returns what that function computed.
      auto* intrinsic = llvm::dyn_cast<llvm::IntrinsicInst>(&in);
      if (!intrinsic) return false;
      switch (intrinsic->getIntrinsicID()) {
        case llvm::Intrinsic::fabs:
        case llvm::Intrinsic::copysign:
          return false;
        default:
          return true;
      }
    }
    default:
      // fneg, loads, bitcasts, selects, phis, lane moves, int -> float.
      return false;
  }
}

}  // namespace

void canonicalize_nans(llvm::Function& fn) {
  std::vector<llvm::Instruction*> targets;
  for (llvm::BasicBlock& block : fn)
    for (llvm::Instruction& in : block)
      if (computes_nan(in)) targets.push_back(&in);
  for (llvm::Instruction* in : targets) {
    llvm::IRBuilder<> b(in->getNextNode());
    // In the integer domain: LLVM treats NaN payloads as unspecified and
    // could fold a float select of a NaN into the value itself.
    llvm::Type* type = in->getType();
    llvm::Type* bits_type = llvm::Type::getIntNTy(fn.getContext(), type->getScalarSizeInBits());
    if (auto* vector = llvm::dyn_cast<llvm::VectorType>(type))
      bits_type = llvm::VectorType::get(bits_type, vector->getElementCount());
    llvm::Value* is_nan = b.CreateFCmpUNO(in, in, "is_nan");
    llvm::Value* bits = b.CreateBitCast(in, bits_type);
    llvm::Value* canonical = b.CreateBitCast(llvm::ConstantFP::getQNaN(type), bits_type);
    llvm::Value* chosen = b.CreateSelect(is_nan, canonical, bits);
    llvm::Value* result = b.CreateBitCast(chosen, type, "canonical");
    in->replaceUsesWithIf(result, [&](llvm::Use& use) {
      return use.getUser() != is_nan && use.getUser() != bits;
    });
  }
}

}  // namespace kiln::aotc
