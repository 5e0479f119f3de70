// Type signatures of the opcode-determined instructions. The opcode space is
// laid out in regular runs (e.g. 0x46..0x4F are i32 comparisons), so runs of
// codes map to one signature.
#include "aotc/wasm/signatures.h"

#include <initializer_list>
#include <iterator>

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

namespace {

constexpr ValType V128 = ValType::V128;

bool is_one_of(uint32_t sub, std::initializer_list<uint32_t> codes) {
  for (uint32_t c : codes) {
    if (c == sub) return true;
  }
  return false;
}

}  // namespace

// Sub-opcodes follow the layout of the SIMD proposal's opcode table; the
// vector-only instructions are grouped by shape of their signature.
std::optional<SimdSignature> simd_signature(Opcode op) {
  const uint32_t code = uint32_t(op);
  if ((code >> 16) != 0xFD) return std::nullopt;
  const uint32_t sub = code & 0xFFFF;
  SimdSignature out;
  // Loads and stores.
  if (sub <= 0x0A || sub == 0x5C || sub == 0x5D) {
    out.sig = unary(I32, V128);
    out.memory = true;
    return out;
  }
  if (sub == 0x0B) {
    out.sig = {{I32, V128}, 2, kNoType};
    out.memory = true;
    return out;
  }
  if (in(sub, 0x54, 0x5B)) {
    static constexpr uint8_t kLanes[] = {16, 8, 4, 2};
    out.lanes = kLanes[(sub - 0x54) % 4];
    out.memory = true;
    out.sig = sub <= 0x57 ? Signature{{I32, V128}, 2, V128} : Signature{{I32, V128}, 2, kNoType};
    return out;
  }
  if (sub == 0x0C) {
    out.sig = {{}, 0, V128};
    return out;
  }
  // Splats: i8x16, i16x8, i32x4 from i32; i64x2, f32x4, f64x2 from their scalar.
  if (in(sub, 0x0F, 0x14)) {
    static constexpr ValType kScalar[] = {I32, I32, I32, I64, F32, F64};
    out.sig = unary(kScalar[sub - 0x0F], V128);
    return out;
  }
  // Lane access: extract (one or two signedness variants) then replace, per shape.
  if (in(sub, 0x15, 0x22)) {
    struct Lane { uint32_t first; uint8_t lanes; ValType scalar; };
    static constexpr Lane kShapes[] = {{0x15, 16, I32}, {0x18, 8, I32}, {0x1B, 4, I32},
                                       {0x1D, 2, I64},  {0x1F, 4, F32}, {0x21, 2, F64}};
    for (size_t i = std::size(kShapes); i-- > 0;) {
      const Lane& l = kShapes[i];
      if (sub < l.first) continue;
      out.lanes = l.lanes;
      const uint32_t replace = (i + 1 < std::size(kShapes) ? kShapes[i + 1].first : 0x23) - 1;
      out.sig = sub == replace ? Signature{{V128, l.scalar}, 2, V128} : unary(V128, l.scalar);
      return out;
    }
  }
  if (sub == 0x52) {  // v128.bitselect
    out.sig = {{V128, V128, V128}, 3, V128};
    return out;
  }
  if (is_one_of(sub, {0x53, 0x63, 0x64, 0x83, 0x84, 0xA3, 0xA4, 0xC3, 0xC4})) {
    out.sig = unary(V128, I32);  // any_true, all_true, bitmask
    return out;
  }
  if (in(sub, 0x6B, 0x6D) || in(sub, 0x8B, 0x8D) || in(sub, 0xAB, 0xAD) || in(sub, 0xCB, 0xCD)) {
    out.sig = {{V128, I32}, 2, V128};  // shifts
    return out;
  }
  const bool unary_op =
      is_one_of(sub, {0x4D, 0x5E, 0x5F, 0x74, 0x75, 0x7A, 0x80, 0x81, 0x94, 0xA0, 0xA1, 0xC0,
                      0xC1, 0xE0, 0xE1, 0xE3, 0xEC, 0xED, 0xEF}) ||
      in(sub, 0x60, 0x62) || in(sub, 0x67, 0x6A) || in(sub, 0x7C, 0x7F) || in(sub, 0x87, 0x8A) ||
      in(sub, 0xA7, 0xAA) || in(sub, 0xC7, 0xCA) || in(sub, 0xF8, 0xFF);
  out.sig = unary_op ? unary(V128, V128) : binary(V128, V128);
  return out;
}

std::optional<uint32_t> simd_natural_alignment(Opcode op) {
  const uint32_t code = uint32_t(op);
  if ((code >> 16) != 0xFD) return std::nullopt;
  switch (code & 0xFFFF) {
    case 0x00: case 0x0B: return 4;                          // v128.load / store
    case 0x01: case 0x02: case 0x03: case 0x04: case 0x05:
    case 0x06: return 3;                                     // load8x8 .. load32x2
    case 0x07: case 0x54: case 0x58: return 0;               // 8-bit splat / lane
    case 0x08: case 0x55: case 0x59: return 1;
    case 0x09: case 0x56: case 0x5A: case 0x5C: return 2;
    case 0x0A: case 0x57: case 0x5B: case 0x5D: return 3;
    default: return std::nullopt;
  }
}

}  // namespace kiln::aotc
