// floor, ceil, trunc and nearest as SSE2 arithmetic: for |x| < 2^52 (2^23
// for f32), (|x| + 2^52) - 2^52 rounds |x| to the nearest integer, ties to
// even, in the default rounding mode; the others adjust that by one.
#include "aotc/backend/rounding_lowering.h"

#include <llvm/ADT/SmallVector.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/IntrinsicInst.h>
#include <llvm/MC/MCSubtargetInfo.h>

namespace kiln::aotc {

bool has_rounding_instructions(const llvm::TargetMachine& machine) {
  if (!machine.getTargetTriple().isX86()) return true;
  const llvm::MCSubtargetInfo* info = machine.getMCSubtargetInfo();
  return info && info->checkFeatures("+sse4.1");
}

namespace {

llvm::Value* rounded(llvm::IRBuilder<>& b, llvm::Intrinsic::ID id, llvm::Value* x) {
  llvm::Type* type = x->getType();
  const bool is_f32 = type->getScalarType()->isFloatTy();
  llvm::Value* limit = llvm::ConstantFP::get(type, is_f32 ? 0x1p23 : 0x1p52);
  llvm::Value* one = llvm::ConstantFP::get(type, 1.0);
  llvm::Value* ax = b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, x);
  // Nearest, ties to even, with x's sign (so -0.3 gives -0).
  llvm::Value* r = b.CreateBinaryIntrinsic(llvm::Intrinsic::copysign,
                                           b.CreateFSub(b.CreateFAdd(ax, limit), limit), x);
  llvm::Value* result = r;
  switch (id) {
    case llvm::Intrinsic::floor:
      result = b.CreateSelect(b.CreateFCmpOGT(r, x), b.CreateFSub(r, one), r);
      break;
    case llvm::Intrinsic::ceil:
      result = b.CreateSelect(b.CreateFCmpOLT(r, x), b.CreateFAdd(r, one), r);
      break;
    case llvm::Intrinsic::trunc:
      result = b.CreateSelect(b.CreateFCmpOGT(b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, r), ax),
                              b.CreateFSub(r, b.CreateBinaryIntrinsic(llvm::Intrinsic::copysign,
                                                                      one, x)),
                              r);
      break;
    default:
      break;
  }
  // The result has x's sign in every case (ceil(-0.5) is -0).
  result = b.CreateBinaryIntrinsic(llvm::Intrinsic::copysign, result, x);
  // |x| >= 2^52 is already an integer, as are infinities; x + 0 returns them
  // unchanged and quiets a NaN, as wasm requires.
  llvm::Value* whole = b.CreateFAdd(x, llvm::ConstantFP::get(type, 0.0));
  return b.CreateSelect(b.CreateFCmpOLT(ax, limit), result, whole);
}

}  // namespace

void lower_rounding(llvm::Module& module) {
  llvm::SmallVector<llvm::IntrinsicInst*, 32> calls;
  for (llvm::Function& fn : module)
    for (llvm::BasicBlock& block : fn)
      for (llvm::Instruction& in : block)
        if (auto* call = llvm::dyn_cast<llvm::IntrinsicInst>(&in)) {
          switch (call->getIntrinsicID()) {
            case llvm::Intrinsic::floor:
            case llvm::Intrinsic::ceil:
            case llvm::Intrinsic::trunc:
            case llvm::Intrinsic::roundeven:
            case llvm::Intrinsic::nearbyint:
            case llvm::Intrinsic::rint:
              calls.push_back(call);
              break;
            default:
              break;
          }
        }
  for (llvm::IntrinsicInst* call : calls) {
    llvm::IRBuilder<> b(call);
    // nearbyint and rint round in the current mode, which wasm fixes at
    // nearest-even: the same as roundeven.
    llvm::Value* value = rounded(b, call->getIntrinsicID(), call->getArgOperand(0));
    call->replaceAllUsesWith(value);
    call->eraseFromParent();
  }
}

}  // namespace kiln::aotc
