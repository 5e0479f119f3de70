// Conversions between value types: wrap/extend, trapping and saturating
// float-to-int truncation, int-to-float, demote/promote, reinterpret and the
// sign-extension operators.
#include <llvm/ADT/APFloat.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/Intrinsics.h>

#include "aotc/codegen/function_translator.h"

namespace kiln::aotc {

namespace {

// The integer `value` as a float of `sem`, rounded in direction `rm`.
llvm::APFloat float_bound(const llvm::fltSemantics& sem, const llvm::APInt& value,
                          llvm::RoundingMode rm) {
  llvm::APFloat f(sem);
  f.convertFromAPInt(value, /*IsSigned=*/true, rm);
  return f;
}

}  // namespace

llvm::Value* FunctionTranslator::checked_truncate(llvm::Value* x, llvm::IntegerType* to,
                                                  bool is_signed) {
  const llvm::fltSemantics& sem = x->getType()->getFltSemantics();
  unsigned bits = to->getBitWidth();
  trap_if(b_.CreateFCmpUNO(x, x), TrapCode::InvalidConversionToInteger);

  // trunc(x) fits iff lo < x < hi for the integers lo = -2^(bits-1) - 1 or -1
  // and hi = 2^(bits-1) or 2^bits. Rounding lo down to a float keeps the
  // test exact when lo itself is not representable (f32 for i32, i64).
  constexpr unsigned kWide = 128;
  llvm::APInt lo = is_signed ? -llvm::APInt::getOneBitSet(kWide, bits - 1) - 1
                             : llvm::APInt::getAllOnes(kWide);
  llvm::APInt hi = llvm::APInt::getOneBitSet(kWide, is_signed ? bits - 1 : bits);
  llvm::APFloat lo_f = float_bound(sem, lo, llvm::RoundingMode::TowardNegative);
  llvm::APFloat hi_f = float_bound(sem, hi, llvm::RoundingMode::TowardPositive);
  llvm::Value* too_small = b_.CreateFCmpOLE(x, llvm::ConstantFP::get(m_.ctx, lo_f));
  llvm::Value* too_large = b_.CreateFCmpOGE(x, llvm::ConstantFP::get(m_.ctx, hi_f));
  trap_if(b_.CreateOr(too_small, too_large), TrapCode::IntegerOverflow);
  return is_signed ? b_.CreateFPToSI(x, to) : b_.CreateFPToUI(x, to);
}

void FunctionTranslator::trunc_sat(llvm::Type* from, llvm::Type* to, bool is_signed) {
  auto id = is_signed ? llvm::Intrinsic::fptosi_sat : llvm::Intrinsic::fptoui_sat;
  unary(from, [&](llvm::Value* x) { return b_.CreateIntrinsic(id, {to, from}, {x}); });
}

void FunctionTranslator::translate_conversion(const Instr& in) {
  const ConversionOp op = as_family<OpFamily::Conversion>(in.op);
  using O = ConversionOp;
  llvm::IntegerType* i32 = m_.i32;
  llvm::IntegerType* i64 = m_.i64;
  llvm::Type* f32 = m_.f32;
  llvm::Type* f64 = m_.f64;

  auto trunc = [&](llvm::Type* from, llvm::IntegerType* to, bool is_signed) {
    unary(from, [&](llvm::Value* x) { return checked_truncate(x, to, is_signed); });
  };
  auto to_float = [&](llvm::Type* from, llvm::Type* to, bool is_signed) {
    unary(from, [&](llvm::Value* x) {
      return is_signed ? b_.CreateSIToFP(x, to) : b_.CreateUIToFP(x, to);
    });
  };
  auto cast = [&](llvm::Type* from, llvm::Type* to, llvm::Instruction::CastOps op) {
    unary(from, [&](llvm::Value* x) { return b_.CreateCast(op, x, to); });
  };
  // Sign-extends the low `bits` bits of a value of type t.
  auto extend_low = [&](llvm::Type* t, unsigned bits) {
    unary(t, [&](llvm::Value* x) { return b_.CreateSExt(b_.CreateTrunc(x, b_.getIntNTy(bits)), t); });
  };

  switch (op) {
    case O::I32WrapI64: cast(i64, i32, llvm::Instruction::Trunc); return;
    case O::I64ExtendI32S: cast(i32, i64, llvm::Instruction::SExt); return;
    case O::I64ExtendI32U: cast(i32, i64, llvm::Instruction::ZExt); return;

    case O::I32TruncF32S: trunc(f32, i32, true); return;
    case O::I32TruncF32U: trunc(f32, i32, false); return;
    case O::I32TruncF64S: trunc(f64, i32, true); return;
    case O::I32TruncF64U: trunc(f64, i32, false); return;
    case O::I64TruncF32S: trunc(f32, i64, true); return;
    case O::I64TruncF32U: trunc(f32, i64, false); return;
    case O::I64TruncF64S: trunc(f64, i64, true); return;
    case O::I64TruncF64U: trunc(f64, i64, false); return;

    case O::I32TruncSatF32S: trunc_sat(f32, i32, true); return;
    case O::I32TruncSatF32U: trunc_sat(f32, i32, false); return;
    case O::I32TruncSatF64S: trunc_sat(f64, i32, true); return;
    case O::I32TruncSatF64U: trunc_sat(f64, i32, false); return;
    case O::I64TruncSatF32S: trunc_sat(f32, i64, true); return;
    case O::I64TruncSatF32U: trunc_sat(f32, i64, false); return;
    case O::I64TruncSatF64S: trunc_sat(f64, i64, true); return;
    case O::I64TruncSatF64U: trunc_sat(f64, i64, false); return;

    case O::F32ConvertI32S: to_float(i32, f32, true); return;
    case O::F32ConvertI32U: to_float(i32, f32, false); return;
    case O::F32ConvertI64S: to_float(i64, f32, true); return;
    case O::F32ConvertI64U: to_float(i64, f32, false); return;
    case O::F64ConvertI32S: to_float(i32, f64, true); return;
    case O::F64ConvertI32U: to_float(i32, f64, false); return;
    case O::F64ConvertI64S: to_float(i64, f64, true); return;
    case O::F64ConvertI64U: to_float(i64, f64, false); return;
    case O::F32DemoteF64:
      // LLVM folds demote(promote(x)) to x, skipping the quieting of a NaN.
      unary(f64, [&](llvm::Value* x) {
        llvm::Value* r = b_.CreateFPTrunc(x, f32);
        return llvm::isa<llvm::FPExtInst>(x) ? quiet_nan(r) : r;
      });
      return;
    case O::F64PromoteF32: cast(f32, f64, llvm::Instruction::FPExt); return;

    case O::I32ReinterpretF32: cast(f32, i32, llvm::Instruction::BitCast); return;
    case O::I64ReinterpretF64: cast(f64, i64, llvm::Instruction::BitCast); return;
    case O::F32ReinterpretI32: cast(i32, f32, llvm::Instruction::BitCast); return;
    case O::F64ReinterpretI64: cast(i64, f64, llvm::Instruction::BitCast); return;

    case O::I32Extend8S: extend_low(i32, 8); return;
    case O::I32Extend16S: extend_low(i32, 16); return;
    case O::I64Extend8S: extend_low(i64, 8); return;
    case O::I64Extend16S: extend_low(i64, 16); return;
    case O::I64Extend32S: extend_low(i64, 32); return;
  }
}

}  // namespace kiln::aotc
