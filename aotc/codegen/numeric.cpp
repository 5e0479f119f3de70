// Constants and the integer/float arithmetic, bitwise and comparison
// instructions, with the spec's exact semantics: shift counts are masked,
// division traps instead of being undefined, float constants keep their bits.
#include <llvm/ADT/APFloat.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/Intrinsics.h>

#include "aotc/codegen/function_translator.h"

namespace kiln::aotc {

llvm::Value* FunctionTranslator::int_divide(NumericOp op, llvm::Value* lhs, llvm::Value* rhs) {
  auto* type = llvm::cast<llvm::IntegerType>(lhs->getType());
  unsigned bits = type->getBitWidth();
  trap_if(b_.CreateICmpEQ(rhs, llvm::ConstantInt::get(type, 0)), TrapCode::IntegerDivideByZero);
  llvm::Constant* minus_one = llvm::ConstantInt::getAllOnesValue(type);
  switch (op) {
    case NumericOp::I32DivS:
    case NumericOp::I64DivS: {
      llvm::Constant* min = llvm::ConstantInt::get(type, llvm::APInt::getSignedMinValue(bits));
      llvm::Value* overflow =
          b_.CreateAnd(b_.CreateICmpEQ(lhs, min), b_.CreateICmpEQ(rhs, minus_one));
      trap_if(overflow, TrapCode::IntegerOverflow);
      return b_.CreateSDiv(lhs, rhs);
    }
    case NumericOp::I32RemS:
    case NumericOp::I64RemS: {
      // x rem -1 is 0, but INT_MIN rem -1 faults in hardware (and is UB in
      // LLVM): divide by 1 instead, which gives the same 0.
      llvm::Value* divisor = b_.CreateSelect(b_.CreateICmpEQ(rhs, minus_one),
                                             llvm::ConstantInt::get(type, 1), rhs);
      return b_.CreateSRem(lhs, divisor);
    }
    case NumericOp::I32DivU:
    case NumericOp::I64DivU: return b_.CreateUDiv(lhs, rhs);
    default: return b_.CreateURem(lhs, rhs);
  }
}

llvm::Value* FunctionTranslator::quiet_nan(llvm::Value* x) {
  // Works lane-wise for vectors too.
  llvm::Type* t = x->getType();
  llvm::Type* scalar = t->getScalarType();
  unsigned bits = scalar->getPrimitiveSizeInBits();
  unsigned mantissa = llvm::APFloat::semanticsPrecision(scalar->getFltSemantics()) - 1;
  llvm::Type* int_type = t->getWithNewType(b_.getIntNTy(bits));
  llvm::Constant* quiet_bit =
      llvm::ConstantInt::get(int_type, llvm::APInt::getOneBitSet(bits, mantissa - 1));
  llvm::Value* quieted = b_.CreateBitCast(b_.CreateOr(b_.CreateBitCast(x, int_type), quiet_bit), t);
  return b_.CreateSelect(b_.CreateFCmpUNO(x, x), quieted, x);
}

llvm::Value* FunctionTranslator::float_min_max(bool is_min, llvm::Value* lhs, llvm::Value* rhs) {
  // llvm.minimum/maximum return a NaN operand as is; the spec wants it quiet,
  // which is what hardware addition of the two operands produces.
  llvm::Value* result =
      b_.CreateBinaryIntrinsic(is_min ? llvm::Intrinsic::minimum : llvm::Intrinsic::maximum, lhs, rhs);
  return b_.CreateSelect(b_.CreateFCmpUNO(lhs, rhs), b_.CreateFAdd(lhs, rhs), result);
}

llvm::Value* FunctionTranslator::float_arith(llvm::Instruction::BinaryOps op, llvm::Value* lhs,
                                             llvm::Value* rhs) {
  llvm::Value* result = b_.CreateBinOp(op, lhs, rhs);
  // With a constant +-0 or +-1 operand LLVM folds the operation to the
  // other operand or its negation (x - 0, x * 1, x / -1, -0 - x, ...), which
  // would let a signaling NaN through unquieted. Quiet it explicitly there.
  auto is_identity = [](llvm::Value* v) {
    auto* k = llvm::dyn_cast<llvm::Constant>(v);
    if (k && k->getType()->isVectorTy()) k = k->getSplatValue();
    auto* c = llvm::dyn_cast_or_null<llvm::ConstantFP>(k);
    if (!c) return false;
    const llvm::APFloat& f = c->getValueAPF();
    return f.isZero() || f.isExactlyValue(1.0) || f.isExactlyValue(-1.0);
  };
  if (is_identity(lhs) || is_identity(rhs)) result = quiet_nan(result);
  return result;
}

void FunctionTranslator::translate_numeric(const Instr& in) {
  const NumericOp op = as_family<OpFamily::Numeric>(in.op);
  using O = NumericOp;
  using P = llvm::CmpInst::Predicate;
  llvm::Type* i32 = m_.i32;
  llvm::Type* i64 = m_.i64;
  llvm::Type* f32 = m_.f32;
  llvm::Type* f64 = m_.f64;

  auto compare = [&](llvm::Type* t, P pred) {
    binary(t, [&](llvm::Value* l, llvm::Value* r) {
      return b_.CreateZExt(b_.CreateCmp(pred, l, r), i32);
    });
  };
  // clz/ctz with a zero input defined (returns the bit width).
  auto count_zeros = [&](llvm::Type* t, llvm::Intrinsic::ID id) {
    unary(t, [&](llvm::Value* x) { return b_.CreateIntrinsic(id, {t}, {x, b_.getFalse()}); });
  };
  // Shift counts are taken modulo the bit width.
  auto shift = [&](llvm::Type* t, llvm::Instruction::BinaryOps op) {
    binary(t, [&](llvm::Value* l, llvm::Value* r) {
      llvm::Value* count = b_.CreateAnd(r, llvm::ConstantInt::get(t, t->getIntegerBitWidth() - 1));
      return b_.CreateBinOp(op, l, count);
    });
  };
  // fshl/fshr take the count modulo the width already.
  auto rotate = [&](llvm::Type* t, llvm::Intrinsic::ID id) {
    binary(t, [&](llvm::Value* l, llvm::Value* r) {
      return b_.CreateIntrinsic(id, {t}, {l, l, r});
    });
  };
  auto divide = [&](llvm::Type* t) {
    binary(t, [&](llvm::Value* l, llvm::Value* r) { return int_divide(op, l, r); });
  };
  auto eqz = [&](llvm::Type* t) {
    unary(t, [&](llvm::Value* x) {
      return b_.CreateZExt(b_.CreateICmpEQ(x, llvm::ConstantInt::get(t, 0)), i32);
    });
  };

  switch (op) {
    case O::I32Const: push(b_.getInt32(static_cast<uint32_t>(in.bits))); return;
    case O::I64Const: push(b_.getInt64(in.bits)); return;
    case O::F32Const:
      push(llvm::ConstantFP::get(
          m_.ctx, llvm::APFloat(llvm::APFloat::IEEEsingle(),
                                llvm::APInt(32, static_cast<uint32_t>(in.bits)))));
      return;
    case O::F64Const:
      push(llvm::ConstantFP::get(
          m_.ctx, llvm::APFloat(llvm::APFloat::IEEEdouble(), llvm::APInt(64, in.bits))));
      return;

    case O::I32Eqz: eqz(i32); return;
    case O::I32Eq: compare(i32, P::ICMP_EQ); return;
    case O::I32Ne: compare(i32, P::ICMP_NE); return;
    case O::I32LtS: compare(i32, P::ICMP_SLT); return;
    case O::I32LtU: compare(i32, P::ICMP_ULT); return;
    case O::I32GtS: compare(i32, P::ICMP_SGT); return;
    case O::I32GtU: compare(i32, P::ICMP_UGT); return;
    case O::I32LeS: compare(i32, P::ICMP_SLE); return;
    case O::I32LeU: compare(i32, P::ICMP_ULE); return;
    case O::I32GeS: compare(i32, P::ICMP_SGE); return;
    case O::I32GeU: compare(i32, P::ICMP_UGE); return;
    case O::I64Eqz: eqz(i64); return;
    case O::I64Eq: compare(i64, P::ICMP_EQ); return;
    case O::I64Ne: compare(i64, P::ICMP_NE); return;
    case O::I64LtS: compare(i64, P::ICMP_SLT); return;
    case O::I64LtU: compare(i64, P::ICMP_ULT); return;
    case O::I64GtS: compare(i64, P::ICMP_SGT); return;
    case O::I64GtU: compare(i64, P::ICMP_UGT); return;
    case O::I64LeS: compare(i64, P::ICMP_SLE); return;
    case O::I64LeU: compare(i64, P::ICMP_ULE); return;
    case O::I64GeS: compare(i64, P::ICMP_SGE); return;
    case O::I64GeU: compare(i64, P::ICMP_UGE); return;
    // eq and the orderings are false on NaN; ne is true on NaN.
    case O::F32Eq: compare(f32, P::FCMP_OEQ); return;
    case O::F32Ne: compare(f32, P::FCMP_UNE); return;
    case O::F32Lt: compare(f32, P::FCMP_OLT); return;
    case O::F32Gt: compare(f32, P::FCMP_OGT); return;
    case O::F32Le: compare(f32, P::FCMP_OLE); return;
    case O::F32Ge: compare(f32, P::FCMP_OGE); return;
    case O::F64Eq: compare(f64, P::FCMP_OEQ); return;
    case O::F64Ne: compare(f64, P::FCMP_UNE); return;
    case O::F64Lt: compare(f64, P::FCMP_OLT); return;
    case O::F64Gt: compare(f64, P::FCMP_OGT); return;
    case O::F64Le: compare(f64, P::FCMP_OLE); return;
    case O::F64Ge: compare(f64, P::FCMP_OGE); return;

    case O::I32Clz: count_zeros(i32, llvm::Intrinsic::ctlz); return;
    case O::I32Ctz: count_zeros(i32, llvm::Intrinsic::cttz); return;
    case O::I32Popcnt: intrinsic1(i32, llvm::Intrinsic::ctpop); return;
    case O::I64Clz: count_zeros(i64, llvm::Intrinsic::ctlz); return;
    case O::I64Ctz: count_zeros(i64, llvm::Intrinsic::cttz); return;
    case O::I64Popcnt: intrinsic1(i64, llvm::Intrinsic::ctpop); return;

    case O::I32Add:
    case O::I64Add:
      binary(op == O::I32Add ? i32 : i64,
             [&](llvm::Value* l, llvm::Value* r) { return b_.CreateAdd(l, r); });
      return;
    case O::I32Sub:
    case O::I64Sub:
      binary(op == O::I32Sub ? i32 : i64,
             [&](llvm::Value* l, llvm::Value* r) { return b_.CreateSub(l, r); });
      return;
    case O::I32Mul:
    case O::I64Mul:
      binary(op == O::I32Mul ? i32 : i64,
             [&](llvm::Value* l, llvm::Value* r) { return b_.CreateMul(l, r); });
      return;
    case O::I32DivS:
    case O::I32DivU:
    case O::I32RemS:
    case O::I32RemU: divide(i32); return;
    case O::I64DivS:
    case O::I64DivU:
    case O::I64RemS:
    case O::I64RemU: divide(i64); return;
    case O::I32And:
    case O::I64And:
      binary(op == O::I32And ? i32 : i64,
             [&](llvm::Value* l, llvm::Value* r) { return b_.CreateAnd(l, r); });
      return;
    case O::I32Or:
    case O::I64Or:
      binary(op == O::I32Or ? i32 : i64,
             [&](llvm::Value* l, llvm::Value* r) { return b_.CreateOr(l, r); });
      return;
    case O::I32Xor:
    case O::I64Xor:
      binary(op == O::I32Xor ? i32 : i64,
             [&](llvm::Value* l, llvm::Value* r) { return b_.CreateXor(l, r); });
      return;
    case O::I32Shl: shift(i32, llvm::Instruction::Shl); return;
    case O::I32ShrS: shift(i32, llvm::Instruction::AShr); return;
    case O::I32ShrU: shift(i32, llvm::Instruction::LShr); return;
    case O::I64Shl: shift(i64, llvm::Instruction::Shl); return;
    case O::I64ShrS: shift(i64, llvm::Instruction::AShr); return;
    case O::I64ShrU: shift(i64, llvm::Instruction::LShr); return;
    case O::I32Rotl: rotate(i32, llvm::Intrinsic::fshl); return;
    case O::I32Rotr: rotate(i32, llvm::Intrinsic::fshr); return;
    case O::I64Rotl: rotate(i64, llvm::Intrinsic::fshl); return;
    case O::I64Rotr: rotate(i64, llvm::Intrinsic::fshr); return;

    case O::F32Abs: intrinsic1(f32, llvm::Intrinsic::fabs); return;
    case O::F64Abs: intrinsic1(f64, llvm::Intrinsic::fabs); return;
    case O::F32Neg:
    case O::F64Neg:
      unary(op == O::F32Neg ? f32 : f64, [&](llvm::Value* x) { return b_.CreateFNeg(x); });
      return;
    case O::F32Ceil: intrinsic1(f32, llvm::Intrinsic::ceil); return;
    case O::F64Ceil: intrinsic1(f64, llvm::Intrinsic::ceil); return;
    case O::F32Floor: intrinsic1(f32, llvm::Intrinsic::floor); return;
    case O::F64Floor: intrinsic1(f64, llvm::Intrinsic::floor); return;
    case O::F32Trunc: intrinsic1(f32, llvm::Intrinsic::trunc); return;
    case O::F64Trunc: intrinsic1(f64, llvm::Intrinsic::trunc); return;
    case O::F32Nearest: intrinsic1(f32, llvm::Intrinsic::roundeven); return;
    case O::F64Nearest: intrinsic1(f64, llvm::Intrinsic::roundeven); return;
    case O::F32Sqrt: intrinsic1(f32, llvm::Intrinsic::sqrt); return;
    case O::F64Sqrt: intrinsic1(f64, llvm::Intrinsic::sqrt); return;
    case O::F32Add:
    case O::F64Add:
      binary(op == O::F32Add ? f32 : f64,
             [&](llvm::Value* l, llvm::Value* r) { return float_arith(llvm::Instruction::FAdd, l, r); });
      return;
    case O::F32Sub:
    case O::F64Sub:
      binary(op == O::F32Sub ? f32 : f64,
             [&](llvm::Value* l, llvm::Value* r) { return float_arith(llvm::Instruction::FSub, l, r); });
      return;
    case O::F32Mul:
    case O::F64Mul:
      binary(op == O::F32Mul ? f32 : f64,
             [&](llvm::Value* l, llvm::Value* r) { return float_arith(llvm::Instruction::FMul, l, r); });
      return;
    case O::F32Div:
    case O::F64Div:
      binary(op == O::F32Div ? f32 : f64,
             [&](llvm::Value* l, llvm::Value* r) { return float_arith(llvm::Instruction::FDiv, l, r); });
      return;
    // minimum/maximum: NaN-propagating, and -0 < +0, as the spec requires.
    case O::F32Min:
    case O::F64Min:
    case O::F32Max:
    case O::F64Max: {
      bool is_min = op == O::F32Min || op == O::F64Min;
      binary(op == O::F32Min || op == O::F32Max ? f32 : f64,
             [&](llvm::Value* l, llvm::Value* r) { return float_min_max(is_min, l, r); });
      return;
    }
    case O::F32Copysign: intrinsic2(f32, llvm::Intrinsic::copysign); return;
    case O::F64Copysign: intrinsic2(f64, llvm::Intrinsic::copysign); return;
  }
}

}  // namespace kiln::aotc
