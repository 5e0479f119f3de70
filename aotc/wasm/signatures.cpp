// Type signatures of the opcode-determined instructions. The opcode space is
// laid out in regular runs (e.g. 0x46..0x4F are i32 comparisons), so runs of
// codes map to one signature.
#include "aotc/wasm/signatures.h"

namespace kiln::aotc {

namespace {

constexpr ValType I32 = ValType::I32;
constexpr ValType I64 = ValType::I64;
constexpr ValType F32 = ValType::F32;
constexpr ValType F64 = ValType::F64;

constexpr Signature unary(ValType in, ValType out) { return {{in}, 1, out}; }
constexpr Signature binary(ValType in, ValType out) { return {{in, in}, 2, out}; }

bool in(uint32_t code, uint32_t lo, uint32_t hi) { return code >= lo && code <= hi; }

}  // namespace

std::optional<Signature> simple_signature(Opcode op) {
  const uint32_t c = uint32_t(op);
  if (c == 0x45) return unary(I32, I32);               // i32.eqz
  if (in(c, 0x46, 0x4F)) return binary(I32, I32);      // i32 comparisons
  if (c == 0x50) return unary(I64, I32);               // i64.eqz
  if (in(c, 0x51, 0x5A)) return binary(I64, I32);      // i64 comparisons
  if (in(c, 0x5B, 0x60)) return binary(F32, I32);      // f32 comparisons
  if (in(c, 0x61, 0x66)) return binary(F64, I32);      // f64 comparisons
  if (in(c, 0x67, 0x69)) return unary(I32, I32);       // i32 clz/ctz/popcnt
  if (in(c, 0x6A, 0x78)) return binary(I32, I32);      // i32 arithmetic
  if (in(c, 0x79, 0x7B)) return unary(I64, I64);       // i64 clz/ctz/popcnt
  if (in(c, 0x7C, 0x8A)) return binary(I64, I64);      // i64 arithmetic
  if (in(c, 0x8B, 0x91)) return unary(F32, F32);       // f32 abs..sqrt
  if (in(c, 0x92, 0x98)) return binary(F32, F32);      // f32 add..copysign
  if (in(c, 0x99, 0x9F)) return unary(F64, F64);       // f64 abs..sqrt
  if (in(c, 0xA0, 0xA6)) return binary(F64, F64);      // f64 add..copysign
  switch (op) {
    case Opcode::I32WrapI64: return unary(I64, I32);
    case Opcode::I32TruncF32S: case Opcode::I32TruncF32U: return unary(F32, I32);
    case Opcode::I32TruncF64S: case Opcode::I32TruncF64U: return unary(F64, I32);
    case Opcode::I64ExtendI32S: case Opcode::I64ExtendI32U: return unary(I32, I64);
    case Opcode::I64TruncF32S: case Opcode::I64TruncF32U: return unary(F32, I64);
    case Opcode::I64TruncF64S: case Opcode::I64TruncF64U: return unary(F64, I64);
    case Opcode::F32ConvertI32S: case Opcode::F32ConvertI32U: return unary(I32, F32);
    case Opcode::F32ConvertI64S: case Opcode::F32ConvertI64U: return unary(I64, F32);
    case Opcode::F32DemoteF64: return unary(F64, F32);
    case Opcode::F64ConvertI32S: case Opcode::F64ConvertI32U: return unary(I32, F64);
    case Opcode::F64ConvertI64S: case Opcode::F64ConvertI64U: return unary(I64, F64);
    case Opcode::F64PromoteF32: return unary(F32, F64);
    case Opcode::I32ReinterpretF32: return unary(F32, I32);
    case Opcode::I64ReinterpretF64: return unary(F64, I64);
    case Opcode::F32ReinterpretI32: return unary(I32, F32);
    case Opcode::F64ReinterpretI64: return unary(I64, F64);
    case Opcode::I32Extend8S: case Opcode::I32Extend16S: return unary(I32, I32);
    case Opcode::I64Extend8S: case Opcode::I64Extend16S: case Opcode::I64Extend32S:
      return unary(I64, I64);
    case Opcode::I32TruncSatF32S: case Opcode::I32TruncSatF32U: return unary(F32, I32);
    case Opcode::I32TruncSatF64S: case Opcode::I32TruncSatF64U: return unary(F64, I32);
    case Opcode::I64TruncSatF32S: case Opcode::I64TruncSatF32U: return unary(F32, I64);
    case Opcode::I64TruncSatF64S: case Opcode::I64TruncSatF64U: return unary(F64, I64);
    default: return std::nullopt;
  }
}

ValType load_store_type(Opcode op) {
  switch (op) {
    case Opcode::I64Load: case Opcode::I64Load8S: case Opcode::I64Load8U:
    case Opcode::I64Load16S: case Opcode::I64Load16U: case Opcode::I64Load32S:
    case Opcode::I64Load32U: case Opcode::I64Store: case Opcode::I64Store8:
    case Opcode::I64Store16: case Opcode::I64Store32:
      return I64;
    case Opcode::F32Load: case Opcode::F32Store: return F32;
    case Opcode::F64Load: case Opcode::F64Store: return F64;
    default: return I32;
  }
}

std::optional<SimdSignature> simd_signature(Opcode op) {
  (void)op;
  return std::nullopt;  // filled in with simd_opcodes.def (see below)
}

std::optional<uint32_t> simd_natural_alignment(Opcode op) {
  (void)op;
  return std::nullopt;
}

}  // namespace kiln::aotc
