// Operand and result types of the instructions whose typing depends only on
// the opcode (numeric, conversion and most SIMD instructions), for the
// validator.
#pragma once
#include <array>
#include <optional>

#include "aotc/wasm/instr.h"

namespace kiln::aotc {

/// Marks an operand of unknown type (after unreachable code).
inline constexpr ValType kUnknownType = ValType(0x00);
/// Marks "no result".
inline constexpr ValType kNoType = ValType(0x40);

struct Signature {
  std::array<ValType, 3> params{};
  uint8_t param_count = 0;
  ValType result = kNoType;
};

/// Numeric, comparison and conversion instructions (MVP, sign extension,
/// saturating truncation); nullopt for everything else.
std::optional<Signature> simple_signature(Opcode op);

/// The value type a scalar load produces or a scalar store consumes.
ValType load_store_type(Opcode op);

struct SimdSignature {
  Signature sig;
  uint8_t lanes = 0;    // lane count when the instruction has a lane immediate
  bool memory = false;  // has a memarg (checked like scalar loads/stores)
};

/// Fixed-width SIMD instructions; nullopt for non-SIMD opcodes.
std::optional<SimdSignature> simd_signature(Opcode op);
/// log2 of the access size of a SIMD memory instruction.
std::optional<uint32_t> simd_natural_alignment(Opcode op);

}  // namespace kiln::aotc
