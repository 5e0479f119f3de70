// Fixed-width SIMD (v128), lowered to target-independent LLVM vector
// operations. A v128 travels as <2 x i64>; each instruction bitcasts it to the
// lane shape it works on and back (LLVM folds the casts).
#include <llvm/IR/Constants.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/IntrinsicsX86.h>
#include <llvm/TargetParser/Triple.h>

#include "aotc/codegen/function_translator.h"

namespace kiln::aotc {

namespace {

// Lane masks for shufflevector.
std::vector<int> lane_range(int first, int count, int step = 1) {
  std::vector<int> mask;
  for (int i = 0; i < count; ++i) mask.push_back(first + i * step);
  return mask;
}

}  // namespace

void FunctionTranslator::translate_simd(const Instr& in) {
  const SimdOp op = as_family<OpFamily::Simd>(in.op);
  using O = SimdOp;
  using P = llvm::CmpInst::Predicate;
  auto* i8x16 = llvm::FixedVectorType::get(m_.i8, 16);
  auto* i16x8 = llvm::FixedVectorType::get(m_.i16, 8);
  auto* i32x4 = llvm::FixedVectorType::get(m_.i32, 4);
  auto* i64x2 = m_.v128;
  auto* f32x4 = llvm::FixedVectorType::get(m_.f32, 4);
  auto* f64x2 = llvm::FixedVectorType::get(m_.f64, 2);
  auto half = [](llvm::FixedVectorType* t) {
    return llvm::FixedVectorType::get(t->getElementType(), t->getNumElements() / 2);
  };
  // The integer shape with lanes twice as wide.
  auto widen = [&](llvm::FixedVectorType* t) {
    unsigned bits = t->getScalarSizeInBits() * 2;
    return llvm::FixedVectorType::get(b_.getIntNTy(bits), 128 / bits);
  };

  auto binop = [&](llvm::Type* t, llvm::Instruction::BinaryOps op) {
    binary(t, [&](llvm::Value* a, llvm::Value* b) { return b_.CreateBinOp(op, a, b); });
  };
  // Comparisons yield all-ones / all-zeros lanes of the operands' width.
  auto icmp = [&](llvm::FixedVectorType* t, P pred) {
    binary(t, [&](llvm::Value* a, llvm::Value* b) {
      return b_.CreateSExt(b_.CreateICmp(pred, a, b), t);
    });
  };
  auto fcmp = [&](llvm::FixedVectorType* t, P pred) {
    auto* mask_type = t == f32x4 ? i32x4 : i64x2;
    binary(t, [&](llvm::Value* a, llvm::Value* b) {
      return b_.CreateSExt(b_.CreateFCmp(pred, a, b), mask_type);
    });
  };
  auto splat = [&](llvm::FixedVectorType* t, llvm::Type* operand) {
    llvm::Value* x = pop(operand);
    if (x->getType() != t->getElementType()) x = b_.CreateTrunc(x, t->getElementType());
    push_as(b_.CreateVectorSplat(t->getNumElements(), x));
  };
  auto check_lane = [&](llvm::FixedVectorType* t) {
    if (in.lane < t->getNumElements()) return true;
    fail("lane index out of range");
    return false;
  };
  auto extract = [&](llvm::FixedVectorType* t, int extend) {  // extend: 0 none, 1 sign, 2 zero
    if (!check_lane(t)) return;
    llvm::Value* v = pop_as(t);
    llvm::Value* x = b_.CreateExtractElement(v, uint64_t(in.lane));
    if (extend == 1) x = b_.CreateSExt(x, m_.i32);
    if (extend == 2) x = b_.CreateZExt(x, m_.i32);
    push(x);
  };
  auto replace = [&](llvm::FixedVectorType* t, llvm::Type* operand) {
    if (!check_lane(t)) return;
    llvm::Value* x = pop(operand);
    llvm::Value* v = pop_as(t);
    if (x->getType() != t->getElementType()) x = b_.CreateTrunc(x, t->getElementType());
    push_as(b_.CreateInsertElement(v, x, uint64_t(in.lane)));
  };
  // Shift counts are taken modulo the lane width.
  auto shift = [&](llvm::FixedVectorType* t, llvm::Instruction::BinaryOps op) {
    llvm::Value* count = pop(m_.i32);
    llvm::Value* v = pop_as(t);
    unsigned bits = t->getScalarSizeInBits();
    count = b_.CreateAnd(count, b_.getInt32(bits - 1));
    count = b_.CreateZExtOrTrunc(count, t->getElementType());
    push_as(b_.CreateBinOp(op, v, b_.CreateVectorSplat(t->getNumElements(), count)));
  };
  auto all_true = [&](llvm::FixedVectorType* t) {
    llvm::Value* v = pop_as(t);
    llvm::Value* nonzero = b_.CreateICmpNE(v, llvm::Constant::getNullValue(t));
    push(b_.CreateZExt(b_.CreateAndReduce(nonzero), m_.i32));
  };
  auto bitmask = [&](llvm::FixedVectorType* t) {
    llvm::Value* v = pop_as(t);
    llvm::Value* negative = b_.CreateICmpSLT(v, llvm::Constant::getNullValue(t));
    llvm::Value* bits = b_.CreateBitCast(negative, b_.getIntNTy(t->getNumElements()));
    push(b_.CreateZExt(bits, m_.i32));
  };
  // Low or high half of the lanes, sign- or zero-extended to twice the width.
  auto extend_half = [&](llvm::Value* v, llvm::FixedVectorType* t, bool high, bool is_signed) {
    int n = int(t->getNumElements()) / 2;
    llvm::Value* part = b_.CreateShuffleVector(v, lane_range(high ? n : 0, n));
    return is_signed ? b_.CreateSExt(part, widen(t)) : b_.CreateZExt(part, widen(t));
  };
  auto extend = [&](llvm::FixedVectorType* from, bool high, bool is_signed) {
    unary(from, [&](llvm::Value* a) { return extend_half(a, from, high, is_signed); });
  };
  auto extmul = [&](llvm::FixedVectorType* from, bool high, bool is_signed) {
    binary(from, [&](llvm::Value* a, llvm::Value* b) {
      return b_.CreateMul(extend_half(a, from, high, is_signed),
                          extend_half(b, from, high, is_signed));
    });
  };
  auto extadd_pairwise = [&](llvm::FixedVectorType* from, bool is_signed) {
    unary(from, [&](llvm::Value* a) {
      int n = int(from->getNumElements()) / 2;
      llvm::Value* even = b_.CreateShuffleVector(a, lane_range(0, n, 2));
      llvm::Value* odd = b_.CreateShuffleVector(a, lane_range(1, n, 2));
      auto* to = widen(from);
      auto ext = [&](llvm::Value* x) { return is_signed ? b_.CreateSExt(x, to) : b_.CreateZExt(x, to); };
      return b_.CreateAdd(ext(even), ext(odd));
    });
  };
  // Saturating narrowing of two signed vectors into one of half-width lanes.
  auto narrow = [&](llvm::FixedVectorType* from, bool is_signed) {
    binary(from, [&](llvm::Value* a, llvm::Value* b) {
      int n = int(from->getNumElements());
      unsigned bits = from->getScalarSizeInBits() / 2;
      llvm::Value* both = b_.CreateShuffleVector(a, b, lane_range(0, 2 * n));
      auto* wide = llvm::FixedVectorType::get(from->getElementType(), 2 * n);
      llvm::APInt lo = is_signed ? llvm::APInt::getSignedMinValue(bits).sext(bits * 2)
                                 : llvm::APInt::getZero(bits * 2);
      llvm::APInt hi = is_signed ? llvm::APInt::getSignedMaxValue(bits).sext(bits * 2)
                                 : llvm::APInt::getMaxValue(bits).zext(bits * 2);
      llvm::Value* clamped = b_.CreateBinaryIntrinsic(
          llvm::Intrinsic::smin,
          b_.CreateBinaryIntrinsic(llvm::Intrinsic::smax, both, llvm::ConstantInt::get(wide, lo)),
          llvm::ConstantInt::get(wide, hi));
      return b_.CreateTrunc(clamped, llvm::FixedVectorType::get(b_.getIntNTy(bits), 2 * n));
    });
  };
  // Rounding average of unsigned lanes: (a + b + 1) / 2 without overflow.
  auto avgr = [&](llvm::FixedVectorType* t) {
    binary(t, [&](llvm::Value* a, llvm::Value* b) {
      auto* wide = llvm::FixedVectorType::get(b_.getIntNTy(t->getScalarSizeInBits() * 2),
                                              t->getNumElements());
      llvm::Value* sum = b_.CreateAdd(b_.CreateZExt(a, wide), b_.CreateZExt(b, wide));
      sum = b_.CreateAdd(sum, llvm::ConstantInt::get(wide, 1));
      return b_.CreateTrunc(b_.CreateLShr(sum, llvm::ConstantInt::get(wide, 1)), t);
    });
  };
  auto abs = [&](llvm::FixedVectorType* t) {
    unary(t, [&](llvm::Value* a) {
      return b_.CreateIntrinsic(llvm::Intrinsic::abs, {t}, {a, b_.getFalse()});
    });
  };
  auto neg = [&](llvm::FixedVectorType* t) {
    unary(t, [&](llvm::Value* a) { return b_.CreateNeg(a); });
  };
  auto float_binop = [&](llvm::FixedVectorType* t, llvm::Instruction::BinaryOps op) {
    binary(t, [&](llvm::Value* a, llvm::Value* b) { return float_arith(op, a, b); });
  };
  auto float_minmax = [&](llvm::FixedVectorType* t, bool is_min) {
    binary(t, [&](llvm::Value* a, llvm::Value* b) { return float_min_max(is_min, a, b); });
  };
  // pmin: b < a ? b : a; pmax: a < b ? b : a.
  auto pseudo_minmax = [&](llvm::FixedVectorType* t, bool is_min) {
    binary(t, [&](llvm::Value* a, llvm::Value* b) {
      llvm::Value* take_b = is_min ? b_.CreateFCmpOLT(b, a) : b_.CreateFCmpOLT(a, b);
      return b_.CreateSelect(take_b, b, a);
    });
  };

  const unsigned bytes = opcode_info(in.op).access;  // of a memory access, from simd_opcodes.def
  switch (op) {
    case O::V128Const: {
      uint64_t lo = 0, hi = 0;
      for (int i = 7; i >= 0; --i) {
        lo = (lo << 8) | in.v128[i];
        hi = (hi << 8) | in.v128[8 + i];
      }
      push(llvm::ConstantVector::get({b_.getInt64(lo), b_.getInt64(hi)}));
      return;
    }
    case O::I8x16Shuffle: {
      std::vector<int> mask;
      for (int i = 0; i < 16; ++i) {
        if (in.v128[i] >= 32) {
          fail("shuffle lane index out of range");
          return;
        }
        mask.push_back(in.v128[i]);
      }
      binary(i8x16, [&](llvm::Value* a, llvm::Value* b) { return b_.CreateShuffleVector(a, b, mask); });
      return;
    }
    case O::I8x16Swizzle:
      // out[i] = a[s[i]] or 0 when s[i] >= 16, as a select over every
      // source lane: portable, branch-free vector code.
      binary(i8x16, [&](llvm::Value* a, llvm::Value* s) {
        llvm::Value* out = llvm::Constant::getNullValue(i8x16);
        for (int j = 0; j < 16; ++j) {
          llvm::Value* hit = b_.CreateICmpEQ(s, b_.CreateVectorSplat(16, b_.getInt8(j)));
          llvm::Value* lane = b_.CreateShuffleVector(a, std::vector<int>(16, j));
          out = b_.CreateSelect(hit, lane, out);
        }
        return out;
      });
      return;

    case O::I8x16Splat: splat(i8x16, m_.i32); return;
    case O::I16x8Splat: splat(i16x8, m_.i32); return;
    case O::I32x4Splat: splat(i32x4, m_.i32); return;
    case O::I64x2Splat: splat(i64x2, m_.i64); return;
    case O::F32x4Splat: splat(f32x4, m_.f32); return;
    case O::F64x2Splat: splat(f64x2, m_.f64); return;

    case O::I8x16ExtractLaneS: extract(i8x16, 1); return;
    case O::I8x16ExtractLaneU: extract(i8x16, 2); return;
    case O::I16x8ExtractLaneS: extract(i16x8, 1); return;
    case O::I16x8ExtractLaneU: extract(i16x8, 2); return;
    case O::I32x4ExtractLane: extract(i32x4, 0); return;
    case O::I64x2ExtractLane: extract(i64x2, 0); return;
    case O::F32x4ExtractLane: extract(f32x4, 0); return;
    case O::F64x2ExtractLane: extract(f64x2, 0); return;
    case O::I8x16ReplaceLane: replace(i8x16, m_.i32); return;
    case O::I16x8ReplaceLane: replace(i16x8, m_.i32); return;
    case O::I32x4ReplaceLane: replace(i32x4, m_.i32); return;
    case O::I64x2ReplaceLane: replace(i64x2, m_.i64); return;
    case O::F32x4ReplaceLane: replace(f32x4, m_.f32); return;
    case O::F64x2ReplaceLane: replace(f64x2, m_.f64); return;

    case O::I8x16Eq: icmp(i8x16, P::ICMP_EQ); return;
    case O::I8x16Ne: icmp(i8x16, P::ICMP_NE); return;
    case O::I8x16LtS: icmp(i8x16, P::ICMP_SLT); return;
    case O::I8x16LtU: icmp(i8x16, P::ICMP_ULT); return;
    case O::I8x16GtS: icmp(i8x16, P::ICMP_SGT); return;
    case O::I8x16GtU: icmp(i8x16, P::ICMP_UGT); return;
    case O::I8x16LeS: icmp(i8x16, P::ICMP_SLE); return;
    case O::I8x16LeU: icmp(i8x16, P::ICMP_ULE); return;
    case O::I8x16GeS: icmp(i8x16, P::ICMP_SGE); return;
    case O::I8x16GeU: icmp(i8x16, P::ICMP_UGE); return;
    case O::I16x8Eq: icmp(i16x8, P::ICMP_EQ); return;
    case O::I16x8Ne: icmp(i16x8, P::ICMP_NE); return;
    case O::I16x8LtS: icmp(i16x8, P::ICMP_SLT); return;
    case O::I16x8LtU: icmp(i16x8, P::ICMP_ULT); return;
    case O::I16x8GtS: icmp(i16x8, P::ICMP_SGT); return;
    case O::I16x8GtU: icmp(i16x8, P::ICMP_UGT); return;
    case O::I16x8LeS: icmp(i16x8, P::ICMP_SLE); return;
    case O::I16x8LeU: icmp(i16x8, P::ICMP_ULE); return;
    case O::I16x8GeS: icmp(i16x8, P::ICMP_SGE); return;
    case O::I16x8GeU: icmp(i16x8, P::ICMP_UGE); return;
    case O::I32x4Eq: icmp(i32x4, P::ICMP_EQ); return;
    case O::I32x4Ne: icmp(i32x4, P::ICMP_NE); return;
    case O::I32x4LtS: icmp(i32x4, P::ICMP_SLT); return;
    case O::I32x4LtU: icmp(i32x4, P::ICMP_ULT); return;
    case O::I32x4GtS: icmp(i32x4, P::ICMP_SGT); return;
    case O::I32x4GtU: icmp(i32x4, P::ICMP_UGT); return;
    case O::I32x4LeS: icmp(i32x4, P::ICMP_SLE); return;
    case O::I32x4LeU: icmp(i32x4, P::ICMP_ULE); return;
    case O::I32x4GeS: icmp(i32x4, P::ICMP_SGE); return;
    case O::I32x4GeU: icmp(i32x4, P::ICMP_UGE); return;
    case O::I64x2Eq: icmp(i64x2, P::ICMP_EQ); return;
    case O::I64x2Ne: icmp(i64x2, P::ICMP_NE); return;
    case O::I64x2LtS: icmp(i64x2, P::ICMP_SLT); return;
    case O::I64x2GtS: icmp(i64x2, P::ICMP_SGT); return;
    case O::I64x2LeS: icmp(i64x2, P::ICMP_SLE); return;
    case O::I64x2GeS: icmp(i64x2, P::ICMP_SGE); return;
    case O::F32x4Eq: fcmp(f32x4, P::FCMP_OEQ); return;
    case O::F32x4Ne: fcmp(f32x4, P::FCMP_UNE); return;
    case O::F32x4Lt: fcmp(f32x4, P::FCMP_OLT); return;
    case O::F32x4Gt: fcmp(f32x4, P::FCMP_OGT); return;
    case O::F32x4Le: fcmp(f32x4, P::FCMP_OLE); return;
    case O::F32x4Ge: fcmp(f32x4, P::FCMP_OGE); return;
    case O::F64x2Eq: fcmp(f64x2, P::FCMP_OEQ); return;
    case O::F64x2Ne: fcmp(f64x2, P::FCMP_UNE); return;
    case O::F64x2Lt: fcmp(f64x2, P::FCMP_OLT); return;
    case O::F64x2Gt: fcmp(f64x2, P::FCMP_OGT); return;
    case O::F64x2Le: fcmp(f64x2, P::FCMP_OLE); return;
    case O::F64x2Ge: fcmp(f64x2, P::FCMP_OGE); return;

    case O::V128Not: unary(i64x2, [&](llvm::Value* a) { return b_.CreateNot(a); }); return;
    case O::V128And: binop(i64x2, llvm::Instruction::And); return;
    case O::V128Or: binop(i64x2, llvm::Instruction::Or); return;
    case O::V128Xor: binop(i64x2, llvm::Instruction::Xor); return;
    case O::V128Andnot:
      binary(i64x2, [&](llvm::Value* a, llvm::Value* b) { return b_.CreateAnd(a, b_.CreateNot(b)); });
      return;
    case O::V128Bitselect: {
      llvm::Value* mask = pop(m_.v128);
      llvm::Value* if_false = pop(m_.v128);
      llvm::Value* if_true = pop(m_.v128);
      push(b_.CreateOr(b_.CreateAnd(if_true, mask), b_.CreateAnd(if_false, b_.CreateNot(mask))));
      return;
    }
    case O::V128AnyTrue: {
      llvm::Value* bits = b_.CreateBitCast(pop(m_.v128), b_.getIntNTy(128));
      push(b_.CreateZExt(b_.CreateICmpNE(bits, llvm::ConstantInt::get(bits->getType(), 0)), m_.i32));
      return;
    }

    case O::I8x16Abs: abs(i8x16); return;
    case O::I16x8Abs: abs(i16x8); return;
    case O::I32x4Abs: abs(i32x4); return;
    case O::I64x2Abs: abs(i64x2); return;
    case O::I8x16Neg: neg(i8x16); return;
    case O::I16x8Neg: neg(i16x8); return;
    case O::I32x4Neg: neg(i32x4); return;
    case O::I64x2Neg: neg(i64x2); return;
    case O::I8x16Popcnt: intrinsic1(i8x16, llvm::Intrinsic::ctpop); return;
    case O::I8x16AllTrue: all_true(i8x16); return;
    case O::I16x8AllTrue: all_true(i16x8); return;
    case O::I32x4AllTrue: all_true(i32x4); return;
    case O::I64x2AllTrue: all_true(i64x2); return;
    case O::I8x16Bitmask: bitmask(i8x16); return;
    case O::I16x8Bitmask: bitmask(i16x8); return;
    case O::I32x4Bitmask: bitmask(i32x4); return;
    case O::I64x2Bitmask: bitmask(i64x2); return;
    case O::I8x16NarrowI16x8S: narrow(i16x8, true); return;
    case O::I8x16NarrowI16x8U: narrow(i16x8, false); return;
    case O::I16x8NarrowI32x4S: narrow(i32x4, true); return;
    case O::I16x8NarrowI32x4U: narrow(i32x4, false); return;

    case O::I8x16Shl: shift(i8x16, llvm::Instruction::Shl); return;
    case O::I8x16ShrS: shift(i8x16, llvm::Instruction::AShr); return;
    case O::I8x16ShrU: shift(i8x16, llvm::Instruction::LShr); return;
    case O::I16x8Shl: shift(i16x8, llvm::Instruction::Shl); return;
    case O::I16x8ShrS: shift(i16x8, llvm::Instruction::AShr); return;
    case O::I16x8ShrU: shift(i16x8, llvm::Instruction::LShr); return;
    case O::I32x4Shl: shift(i32x4, llvm::Instruction::Shl); return;
    case O::I32x4ShrS: shift(i32x4, llvm::Instruction::AShr); return;
    case O::I32x4ShrU: shift(i32x4, llvm::Instruction::LShr); return;
    case O::I64x2Shl: shift(i64x2, llvm::Instruction::Shl); return;
    case O::I64x2ShrS: shift(i64x2, llvm::Instruction::AShr); return;
    case O::I64x2ShrU: shift(i64x2, llvm::Instruction::LShr); return;

    case O::I8x16Add: binop(i8x16, llvm::Instruction::Add); return;
    case O::I16x8Add: binop(i16x8, llvm::Instruction::Add); return;
    case O::I32x4Add: binop(i32x4, llvm::Instruction::Add); return;
    case O::I64x2Add: binop(i64x2, llvm::Instruction::Add); return;
    case O::I8x16Sub: binop(i8x16, llvm::Instruction::Sub); return;
    case O::I16x8Sub: binop(i16x8, llvm::Instruction::Sub); return;
    case O::I32x4Sub: binop(i32x4, llvm::Instruction::Sub); return;
    case O::I64x2Sub: binop(i64x2, llvm::Instruction::Sub); return;
    case O::I16x8Mul: binop(i16x8, llvm::Instruction::Mul); return;
    case O::I32x4Mul: binop(i32x4, llvm::Instruction::Mul); return;
    case O::I64x2Mul: binop(i64x2, llvm::Instruction::Mul); return;
    case O::I8x16AddSatS: intrinsic2(i8x16, llvm::Intrinsic::sadd_sat); return;
    case O::I8x16AddSatU: intrinsic2(i8x16, llvm::Intrinsic::uadd_sat); return;
    case O::I8x16SubSatS: intrinsic2(i8x16, llvm::Intrinsic::ssub_sat); return;
    case O::I8x16SubSatU: intrinsic2(i8x16, llvm::Intrinsic::usub_sat); return;
    case O::I16x8AddSatS: intrinsic2(i16x8, llvm::Intrinsic::sadd_sat); return;
    case O::I16x8AddSatU: intrinsic2(i16x8, llvm::Intrinsic::uadd_sat); return;
    case O::I16x8SubSatS: intrinsic2(i16x8, llvm::Intrinsic::ssub_sat); return;
    case O::I16x8SubSatU: intrinsic2(i16x8, llvm::Intrinsic::usub_sat); return;
    case O::I8x16MinS: intrinsic2(i8x16, llvm::Intrinsic::smin); return;
    case O::I8x16MinU: intrinsic2(i8x16, llvm::Intrinsic::umin); return;
    case O::I8x16MaxS: intrinsic2(i8x16, llvm::Intrinsic::smax); return;
    case O::I8x16MaxU: intrinsic2(i8x16, llvm::Intrinsic::umax); return;
    case O::I16x8MinS: intrinsic2(i16x8, llvm::Intrinsic::smin); return;
    case O::I16x8MinU: intrinsic2(i16x8, llvm::Intrinsic::umin); return;
    case O::I16x8MaxS: intrinsic2(i16x8, llvm::Intrinsic::smax); return;
    case O::I16x8MaxU: intrinsic2(i16x8, llvm::Intrinsic::umax); return;
    case O::I32x4MinS: intrinsic2(i32x4, llvm::Intrinsic::smin); return;
    case O::I32x4MinU: intrinsic2(i32x4, llvm::Intrinsic::umin); return;
    case O::I32x4MaxS: intrinsic2(i32x4, llvm::Intrinsic::smax); return;
    case O::I32x4MaxU: intrinsic2(i32x4, llvm::Intrinsic::umax); return;
    case O::I8x16AvgrU: avgr(i8x16); return;
    case O::I16x8AvgrU: avgr(i16x8); return;

    case O::I16x8ExtaddPairwiseI8x16S: extadd_pairwise(i8x16, true); return;
    case O::I16x8ExtaddPairwiseI8x16U: extadd_pairwise(i8x16, false); return;
    case O::I32x4ExtaddPairwiseI16x8S: extadd_pairwise(i16x8, true); return;
    case O::I32x4ExtaddPairwiseI16x8U: extadd_pairwise(i16x8, false); return;
    case O::I16x8Q15mulrSatS:
      // (a * b + 2^14) >> 15, saturated: only -32768 * -32768 overflows.
      binary(i16x8, [&](llvm::Value* a, llvm::Value* b) {
        auto* wide = llvm::FixedVectorType::get(m_.i32, 8);
        llvm::Value* p = b_.CreateMul(b_.CreateSExt(a, wide), b_.CreateSExt(b, wide));
        p = b_.CreateAShr(b_.CreateAdd(p, llvm::ConstantInt::get(wide, 0x4000)),
                          llvm::ConstantInt::get(wide, 15));
        p = b_.CreateBinaryIntrinsic(llvm::Intrinsic::smin, p, llvm::ConstantInt::get(wide, 0x7fff));
        return b_.CreateTrunc(p, i16x8);
      });
      return;
    case O::I32x4DotI16x8S:
      binary(i16x8, [&](llvm::Value* a, llvm::Value* b) -> llvm::Value* {
        // pmaddwd is exactly this (both wrap on -32768 * -32768 * 2); LLVM
        // does not always recover it from the generic form below.
        if (llvm::Triple(m_.llvm_module.getTargetTriple()).isX86())
          return b_.CreateIntrinsic(llvm::Intrinsic::x86_sse2_pmadd_wd, {}, {a, b});
        auto* wide = llvm::FixedVectorType::get(m_.i32, 8);
        llvm::Value* p = b_.CreateMul(b_.CreateSExt(a, wide), b_.CreateSExt(b, wide));
        return b_.CreateAdd(b_.CreateShuffleVector(p, lane_range(0, 4, 2)),
                            b_.CreateShuffleVector(p, lane_range(1, 4, 2)));
      });
      return;

    case O::I16x8ExtendLowI8x16S: extend(i8x16, false, true); return;
    case O::I16x8ExtendHighI8x16S: extend(i8x16, true, true); return;
    case O::I16x8ExtendLowI8x16U: extend(i8x16, false, false); return;
    case O::I16x8ExtendHighI8x16U: extend(i8x16, true, false); return;
    case O::I32x4ExtendLowI16x8S: extend(i16x8, false, true); return;
    case O::I32x4ExtendHighI16x8S: extend(i16x8, true, true); return;
    case O::I32x4ExtendLowI16x8U: extend(i16x8, false, false); return;
    case O::I32x4ExtendHighI16x8U: extend(i16x8, true, false); return;
    case O::I64x2ExtendLowI32x4S: extend(i32x4, false, true); return;
    case O::I64x2ExtendHighI32x4S: extend(i32x4, true, true); return;
    case O::I64x2ExtendLowI32x4U: extend(i32x4, false, false); return;
    case O::I64x2ExtendHighI32x4U: extend(i32x4, true, false); return;
    case O::I16x8ExtmulLowI8x16S: extmul(i8x16, false, true); return;
    case O::I16x8ExtmulHighI8x16S: extmul(i8x16, true, true); return;
    case O::I16x8ExtmulLowI8x16U: extmul(i8x16, false, false); return;
    case O::I16x8ExtmulHighI8x16U: extmul(i8x16, true, false); return;
    case O::I32x4ExtmulLowI16x8S: extmul(i16x8, false, true); return;
    case O::I32x4ExtmulHighI16x8S: extmul(i16x8, true, true); return;
    case O::I32x4ExtmulLowI16x8U: extmul(i16x8, false, false); return;
    case O::I32x4ExtmulHighI16x8U: extmul(i16x8, true, false); return;
    case O::I64x2ExtmulLowI32x4S: extmul(i32x4, false, true); return;
    case O::I64x2ExtmulHighI32x4S: extmul(i32x4, true, true); return;
    case O::I64x2ExtmulLowI32x4U: extmul(i32x4, false, false); return;
    case O::I64x2ExtmulHighI32x4U: extmul(i32x4, true, false); return;

    case O::F32x4Abs: intrinsic1(f32x4, llvm::Intrinsic::fabs); return;
    case O::F64x2Abs: intrinsic1(f64x2, llvm::Intrinsic::fabs); return;
    case O::F32x4Neg: unary(f32x4, [&](llvm::Value* a) { return b_.CreateFNeg(a); }); return;
    case O::F64x2Neg: unary(f64x2, [&](llvm::Value* a) { return b_.CreateFNeg(a); }); return;
    case O::F32x4Sqrt: intrinsic1(f32x4, llvm::Intrinsic::sqrt); return;
    case O::F64x2Sqrt: intrinsic1(f64x2, llvm::Intrinsic::sqrt); return;
    case O::F32x4Ceil: intrinsic1(f32x4, llvm::Intrinsic::ceil); return;
    case O::F64x2Ceil: intrinsic1(f64x2, llvm::Intrinsic::ceil); return;
    case O::F32x4Floor: intrinsic1(f32x4, llvm::Intrinsic::floor); return;
    case O::F64x2Floor: intrinsic1(f64x2, llvm::Intrinsic::floor); return;
    case O::F32x4Trunc: intrinsic1(f32x4, llvm::Intrinsic::trunc); return;
    case O::F64x2Trunc: intrinsic1(f64x2, llvm::Intrinsic::trunc); return;
    case O::F32x4Nearest: intrinsic1(f32x4, llvm::Intrinsic::roundeven); return;
    case O::F64x2Nearest: intrinsic1(f64x2, llvm::Intrinsic::roundeven); return;
    case O::F32x4Add: float_binop(f32x4, llvm::Instruction::FAdd); return;
    case O::F64x2Add: float_binop(f64x2, llvm::Instruction::FAdd); return;
    case O::F32x4Sub: float_binop(f32x4, llvm::Instruction::FSub); return;
    case O::F64x2Sub: float_binop(f64x2, llvm::Instruction::FSub); return;
    case O::F32x4Mul: float_binop(f32x4, llvm::Instruction::FMul); return;
    case O::F64x2Mul: float_binop(f64x2, llvm::Instruction::FMul); return;
    case O::F32x4Div: float_binop(f32x4, llvm::Instruction::FDiv); return;
    case O::F64x2Div: float_binop(f64x2, llvm::Instruction::FDiv); return;
    case O::F32x4Min: float_minmax(f32x4, true); return;
    case O::F64x2Min: float_minmax(f64x2, true); return;
    case O::F32x4Max: float_minmax(f32x4, false); return;
    case O::F64x2Max: float_minmax(f64x2, false); return;
    case O::F32x4Pmin: pseudo_minmax(f32x4, true); return;
    case O::F64x2Pmin: pseudo_minmax(f64x2, true); return;
    case O::F32x4Pmax: pseudo_minmax(f32x4, false); return;
    case O::F64x2Pmax: pseudo_minmax(f64x2, false); return;

    case O::I32x4TruncSatF32x4S: trunc_sat(f32x4, i32x4, true); return;
    case O::I32x4TruncSatF32x4U: trunc_sat(f32x4, i32x4, false); return;
    case O::I32x4TruncSatF64x2SZero:
    case O::I32x4TruncSatF64x2UZero: {
      auto id = op == O::I32x4TruncSatF64x2SZero ? llvm::Intrinsic::fptosi_sat
                                                    : llvm::Intrinsic::fptoui_sat;
      auto* pair = half(i32x4);
      unary(f64x2, [&](llvm::Value* a) {
        llvm::Value* r = b_.CreateIntrinsic(id, {pair, f64x2}, {a});
        return b_.CreateShuffleVector(r, llvm::Constant::getNullValue(pair), lane_range(0, 4));
      });
      return;
    }
    case O::F32x4ConvertI32x4S:
      unary(i32x4, [&](llvm::Value* a) { return b_.CreateSIToFP(a, f32x4); });
      return;
    case O::F32x4ConvertI32x4U:
      unary(i32x4, [&](llvm::Value* a) { return b_.CreateUIToFP(a, f32x4); });
      return;
    case O::F64x2ConvertLowI32x4S:
    case O::F64x2ConvertLowI32x4U: {
      bool is_signed = op == O::F64x2ConvertLowI32x4S;
      unary(i32x4, [&](llvm::Value* a) {
        llvm::Value* low = b_.CreateShuffleVector(a, lane_range(0, 2));
        return is_signed ? b_.CreateSIToFP(low, f64x2) : b_.CreateUIToFP(low, f64x2);
      });
      return;
    }
    case O::F32x4DemoteF64x2Zero:
      unary(f64x2, [&](llvm::Value* a) {
        auto* pair = half(f32x4);
        llvm::Value* r = b_.CreateFPTrunc(a, pair);
        return b_.CreateShuffleVector(r, llvm::Constant::getNullValue(pair), lane_range(0, 4));
      });
      return;
    case O::F64x2PromoteLowF32x4:
      unary(f32x4, [&](llvm::Value* a) {
        return b_.CreateFPExt(b_.CreateShuffleVector(a, lane_range(0, 2)), f64x2);
      });
      return;

    // --- memory
    case O::V128Load: {
      llvm::Value* addr = pop_address(in);
      llvm::LoadInst* load = load_linear(m_.v128, addr, in.index);
      push_loaded(load, load);
      return;
    }
    case O::V128Store: {
      llvm::Value* value = pop(m_.v128);
      llvm::Value* addr = pop_address(in);
      store_linear(value, addr, in.index);
      return;
    }
    case O::V128Load8x8S:
    case O::V128Load8x8U:
    case O::V128Load16x4S:
    case O::V128Load16x4U:
    case O::V128Load32x2S:
    case O::V128Load32x2U: {
      bool is_signed = op == O::V128Load8x8S || op == O::V128Load16x4S || op == O::V128Load32x2S;
      llvm::FixedVectorType* wide = op == O::V128Load8x8S || op == O::V128Load8x8U ? i16x8
                                    : op == O::V128Load16x4S || op == O::V128Load16x4U
                                        ? i32x4
                                        : i64x2;
      auto* narrow_type = llvm::FixedVectorType::get(
          b_.getIntNTy(wide->getScalarSizeInBits() / 2), wide->getNumElements());
      llvm::Value* addr = pop_address(in);
      llvm::LoadInst* load = load_linear(narrow_type, addr, in.index);
      llvm::Value* v = is_signed ? b_.CreateSExt(load, wide) : b_.CreateZExt(load, wide);
      push_loaded(b_.CreateBitCast(v, m_.v128), load);
      return;
    }
    case O::V128Load8Splat:
    case O::V128Load16Splat:
    case O::V128Load32Splat:
    case O::V128Load64Splat: {
      llvm::Value* addr = pop_address(in);
      llvm::LoadInst* load = load_linear(b_.getIntNTy(bytes * 8), addr, in.index);
      llvm::Value* v = b_.CreateVectorSplat(16 / bytes, load);
      push_loaded(b_.CreateBitCast(v, m_.v128), load);
      return;
    }
    case O::V128Load32Zero:
    case O::V128Load64Zero: {
      llvm::FixedVectorType* t = op == O::V128Load32Zero ? i32x4 : i64x2;
      llvm::Value* addr = pop_address(in);
      llvm::LoadInst* load = load_linear(t->getElementType(), addr, in.index);
      llvm::Value* v = b_.CreateInsertElement(llvm::Constant::getNullValue(t), load, uint64_t(0));
      push_loaded(b_.CreateBitCast(v, m_.v128), load);
      return;
    }
    case O::V128Load8Lane:
    case O::V128Load16Lane:
    case O::V128Load32Lane:
    case O::V128Load64Lane:
    case O::V128Store8Lane:
    case O::V128Store16Lane:
    case O::V128Store32Lane:
    case O::V128Store64Lane: {
      llvm::FixedVectorType* t = bytes == 1 ? i8x16 : bytes == 2 ? i16x8 : bytes == 4 ? i32x4 : i64x2;
      if (!check_lane(t)) return;
      llvm::Value* v = pop_as(t);
      llvm::Value* addr = pop_address(in);
      bool is_load = op == O::V128Load8Lane || op == O::V128Load16Lane ||
                     op == O::V128Load32Lane || op == O::V128Load64Lane;
      if (is_load) {
        llvm::LoadInst* load = load_linear(t->getElementType(), addr, in.index);
        llvm::Value* r = b_.CreateInsertElement(v, load, uint64_t(in.lane));
        push_loaded(b_.CreateBitCast(r, m_.v128), load);
      } else {
        store_linear(b_.CreateExtractElement(v, uint64_t(in.lane)), addr, in.index);
      }
      return;
    }
  }
}

}  // namespace kiln::aotc
