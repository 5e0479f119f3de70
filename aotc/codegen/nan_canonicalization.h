// Deterministic NaNs (aotc --canonicalize-nans).
#pragma once
#include <llvm/IR/ConstantFolder.h>
#include <llvm/IR/Function.h>
#include <llvm/IR/IRBuilderFolder.h>

namespace kiln::aotc {

/// Makes every NaN that a float operation of `fn` computes the positive
/// canonical NaN (0x7fc00000, 0x7ff8000000000000 per lane). The spec lets
/// such a NaN carry any payload; the CPU keeps an input's (x86) or makes
/// its own, so without this a program's bits can differ from machine to
/// machine and from other runtimes. Bit-exact operations (neg, abs,
/// copysign, loads, stores, reinterprets, lane moves) are left alone, as
/// the spec requires.
void canonicalize_nans(llvm::Function& fn);

/// The IRBuilder folder of function translation: LLVM's ConstantFolder,
/// except that with `keep_float` float operations on constants stay
/// instructions for canonicalize_nans to see (folded, a NaN would carry the
/// payload LLVM's folding picks).
class TranslationFolder final : public llvm::IRBuilderFolder {
 public:
  explicit TranslationFolder(bool keep_float = false) : keep_float_(keep_float) {}

  llvm::Value* FoldBinOp(llvm::Instruction::BinaryOps op, llvm::Value* l, llvm::Value* r) const override {
    if (keep_float_ && l->getType()->isFPOrFPVectorTy()) return nullptr;
    return base_.FoldBinOp(op, l, r);
  }
  llvm::Value* FoldExactBinOp(llvm::Instruction::BinaryOps op, llvm::Value* l, llvm::Value* r,
                              bool exact) const override {
    return base_.FoldExactBinOp(op, l, r, exact);
  }
  llvm::Value* FoldNoWrapBinOp(llvm::Instruction::BinaryOps op, llvm::Value* l, llvm::Value* r, bool nuw,
                               bool nsw) const override {
    return base_.FoldNoWrapBinOp(op, l, r, nuw, nsw);
  }
  llvm::Value* FoldBinOpFMF(llvm::Instruction::BinaryOps op, llvm::Value* l, llvm::Value* r,
                            llvm::FastMathFlags fmf) const override {
    return keep_float_ ? nullptr : base_.FoldBinOpFMF(op, l, r, fmf);
  }
  llvm::Value* FoldUnOpFMF(llvm::Instruction::UnaryOps op, llvm::Value* v,
                           llvm::FastMathFlags fmf) const override {
    return base_.FoldUnOpFMF(op, v, fmf);  // fneg: a sign flip, exact
  }
  llvm::Value* FoldCmp(llvm::CmpInst::Predicate p, llvm::Value* l, llvm::Value* r) const override {
    return base_.FoldCmp(p, l, r);
  }
  llvm::Value* FoldGEP(llvm::Type* type, llvm::Value* ptr, llvm::ArrayRef<llvm::Value*> indices,
                       llvm::GEPNoWrapFlags flags) const override {
    return base_.FoldGEP(type, ptr, indices, flags);
  }
  llvm::Value* FoldSelect(llvm::Value* c, llvm::Value* t, llvm::Value* f) const override {
    return base_.FoldSelect(c, t, f);
  }
  llvm::Value* FoldExtractValue(llvm::Value* agg, llvm::ArrayRef<unsigned> indices) const override {
    return base_.FoldExtractValue(agg, indices);
  }
  llvm::Value* FoldInsertValue(llvm::Value* agg, llvm::Value* v, llvm::ArrayRef<unsigned> indices) const override {
    return base_.FoldInsertValue(agg, v, indices);
  }
  llvm::Value* FoldExtractElement(llvm::Value* vec, llvm::Value* index) const override {
    return base_.FoldExtractElement(vec, index);
  }
  llvm::Value* FoldInsertElement(llvm::Value* vec, llvm::Value* elt, llvm::Value* index) const override {
    return base_.FoldInsertElement(vec, elt, index);
  }
  llvm::Value* FoldShuffleVector(llvm::Value* a, llvm::Value* b, llvm::ArrayRef<int> mask) const override {
    return base_.FoldShuffleVector(a, b, mask);
  }
  llvm::Value* FoldCast(llvm::Instruction::CastOps op, llvm::Value* v, llvm::Type* to) const override {
    if (keep_float_ && (op == llvm::Instruction::FPTrunc || op == llvm::Instruction::FPExt)) return nullptr;
    return base_.FoldCast(op, v, to);
  }
  llvm::Value* FoldBinaryIntrinsic(llvm::Intrinsic::ID id, llvm::Value* l, llvm::Value* r, llvm::Type* type,
                                   llvm::Instruction* fmf_source) const override {
    if (keep_float_ && type->isFPOrFPVectorTy()) return nullptr;
    return base_.FoldBinaryIntrinsic(id, l, r, type, fmf_source);
  }
  llvm::Value* CreatePointerCast(llvm::Constant* c, llvm::Type* to) const override {
    return base_.CreatePointerCast(c, to);
  }
  llvm::Value* CreatePointerBitCastOrAddrSpaceCast(llvm::Constant* c, llvm::Type* to) const override {
    return base_.CreatePointerBitCastOrAddrSpaceCast(c, to);
  }

 private:
  llvm::ConstantFolder base_;
  bool keep_float_;
};

}  // namespace kiln::aotc
