// Facts about each opcode, all from the rows of opcodes.def,
// simd_opcodes.def and atomic_opcodes.def: the text name, the immediates, the codegen family, the
// operand and result types, the memory access size; and an enum per family.
#pragma once
#include <array>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string_view>

#include "abi/val_type.h"

namespace kiln::aotc {

using abi::ValType;

/// Every opcode; the value is the encoding described in opcodes.def.
enum class Opcode : uint32_t {
#define WASM_OPCODE(name, code, ...) name = code,
#include "aotc/wasm/opcodes.def"
#include "aotc/wasm/simd_opcodes.def"
#include "aotc/wasm/atomic_opcodes.def"
#undef WASM_OPCODE
};

/// Kinds of immediates (see opcodes.def).
enum class Imm : uint8_t {
  None, Block, Index, Index2, BrTable, CallIndirect, SelectT, Mem, I32, I64, F32, F64,
  RefType, V128, Lane, MemLane, Shuffle,
  Fence,  // atomic.fence: one zero byte (reserved for an ordering)
};

/// The groups of instructions that one file of aotc/codegen each translates.
enum class OpFamily : uint8_t {
  Control, Variable, Memory, Numeric, Conversion, Call, Table, Reference, BulkMemory, Simd,
  Atomic, Exception,
};

/// Marks "no result".
inline constexpr ValType kNoType = ValType(0x40);

struct Signature {
  std::array<ValType, 3> params{};
  uint8_t param_count = 0;
  ValType result = kNoType;
  bool fixed = false;  // false: the types depend on more than the opcode
};

struct OpcodeInfo {
  const char* name = nullptr;  // text format; null for codes that are no opcode
  Imm imm = Imm::None;
  OpFamily family = OpFamily::Control;
  uint8_t access = 0;  // bytes read or written in linear memory
  uint8_t lanes = 0;   // bound of the lane immediate, if there is one
  Signature sig;
};

namespace opcode_table_detail {

// Single-byte opcodes, then the 0xFC, 0xFD and 0xFE sub-opcodes.
constexpr size_t kFcBase = 0x100;
constexpr size_t kFcCount = 0x20;
constexpr size_t kFdBase = kFcBase + kFcCount;
constexpr size_t kFdCount = 0x100;
constexpr size_t kFeBase = kFdBase + kFdCount;
constexpr size_t kFeCount = 0x50;
constexpr size_t kSlots = kFeBase + kFeCount;

// The table index of an encoding, or kSlots for one outside the table.
constexpr size_t slot(uint32_t code) {
  const uint32_t prefix = code >> 16, sub = code & 0xFFFF;
  if (code < 0x100) return code;
  if (prefix == 0xFC && sub < kFcCount) return kFcBase + sub;
  if (prefix == 0xFD && sub < kFdCount) return kFdBase + sub;
  if (prefix == 0xFE && sub < kFeCount) return kFeBase + sub;
  return kSlots;
}

// The spellings used in the params and result columns.
constexpr ValType I32 = ValType::I32, I64 = ValType::I64, F32 = ValType::F32,
                  F64 = ValType::F64, V128 = ValType::V128, FuncRef = ValType::FuncRef,
                  None = kNoType;
struct Context {};
constexpr Context Ctx;

constexpr Signature signature(std::initializer_list<ValType> params, ValType result) {
  Signature s;
  for (ValType p : params) s.params[s.param_count++] = p;
  s.result = result;
  s.fixed = true;
  return s;
}
constexpr Signature signature(std::initializer_list<ValType>, Context) { return {}; }
#define KILN_OPCODE_PARAMS(...) {__VA_ARGS__}

// Lane instructions name their shape first ("i16x8.extract_lane_s": 8);
// a lane of memory is as wide as the access.
constexpr uint8_t lane_count(std::string_view text, Imm imm, uint8_t access) {
  if (imm == Imm::MemLane) return uint8_t(16 / access);
  if (imm != Imm::Lane) return 0;
  uint8_t n = 0;
  for (size_t i = text.find('x') + 1; text[i] != '.'; ++i) n = uint8_t(n * 10 + (text[i] - '0'));
  return n;
}

constexpr std::array<OpcodeInfo, kSlots> build() {
  std::array<OpcodeInfo, kSlots> table{};
  auto add = [&](uint32_t code, OpcodeInfo info) {
    const size_t s = slot(code);
    // Not a constant expression, so a row that does not fit fails the build.
    if (s == kSlots || table[s].name) throw "opcode outside the table or listed twice";
    info.lanes = lane_count(info.name, info.imm, info.access);
    table[s] = info;
  };
#define WASM_OPCODE(name, code, imm, text, family, params, result, access) \
  add(code, {text, Imm::imm, OpFamily::family, access, 0, signature(KILN_OPCODE_PARAMS params, result)});
#include "aotc/wasm/opcodes.def"
#include "aotc/wasm/simd_opcodes.def"
#include "aotc/wasm/atomic_opcodes.def"
#undef WASM_OPCODE
  return table;
}
#undef KILN_OPCODE_PARAMS

inline constexpr std::array<OpcodeInfo, kSlots> kTable = build();

}  // namespace opcode_table_detail

/// The row of an opcode.
constexpr const OpcodeInfo& opcode_info(Opcode op) {
  return opcode_table_detail::kTable[opcode_table_detail::slot(uint32_t(op))];
}

/// The row of an encoding (see Opcode), or null if no opcode has it.
constexpr const OpcodeInfo* find_opcode(uint32_t code) {
  const size_t s = opcode_table_detail::slot(code);
  if (s == opcode_table_detail::kSlots || !opcode_table_detail::kTable[s].name) return nullptr;
  return &opcode_table_detail::kTable[s];
}

/// Name of an opcode in the text format (e.g. "i32.add").
constexpr const char* opcode_name(Opcode op) { return opcode_info(op).name; }
constexpr OpFamily opcode_family(Opcode op) { return opcode_info(op).family; }
/// Operand and result types, where the opcode alone fixes them (sig.fixed).
constexpr const Signature& opcode_signature(Opcode op) { return opcode_info(op).sig; }

// One enum per family for the code generator: <Family>Op (ControlOp,
// NumericOp, ...) holds exactly that family's rows, with Opcode's values. Its
// translator switches over it without a default, so a row it has no case for
// fails the build rather than the compilation of a module that uses it.
template <OpFamily F>
struct FamilyOps;  // ::type is the family's enum

// The preprocessor picks a family's rows: KILN_OPCODE_SAME_<A>_<B> exists
// only for A == B, and makes KILN_OPCODE_IF_FAMILY keep the row.
#define KILN_OPCODE_CAT(a, b) KILN_OPCODE_CAT_(a, b)
#define KILN_OPCODE_CAT_(a, b) a##b
#define KILN_OPCODE_KEEP(...) __VA_ARGS__
#define KILN_OPCODE_DROP(...)
#define KILN_OPCODE_SECOND(...) KILN_OPCODE_SECOND_(__VA_ARGS__)
#define KILN_OPCODE_SECOND_(a, b, ...) b
#define KILN_OPCODE_IF_FAMILY(family, wanted) KILN_OPCODE_IF_FAMILY_(family, wanted)
#define KILN_OPCODE_IF_FAMILY_(family, wanted) \
  KILN_OPCODE_SECOND(KILN_OPCODE_SAME_##family##_##wanted, KILN_OPCODE_DROP, )
#define KILN_OPCODE_SAME_Control_Control ~, KILN_OPCODE_KEEP
#define KILN_OPCODE_SAME_Variable_Variable ~, KILN_OPCODE_KEEP
#define KILN_OPCODE_SAME_Memory_Memory ~, KILN_OPCODE_KEEP
#define KILN_OPCODE_SAME_Numeric_Numeric ~, KILN_OPCODE_KEEP
#define KILN_OPCODE_SAME_Conversion_Conversion ~, KILN_OPCODE_KEEP
#define KILN_OPCODE_SAME_Call_Call ~, KILN_OPCODE_KEEP
#define KILN_OPCODE_SAME_Table_Table ~, KILN_OPCODE_KEEP
#define KILN_OPCODE_SAME_Reference_Reference ~, KILN_OPCODE_KEEP
#define KILN_OPCODE_SAME_BulkMemory_BulkMemory ~, KILN_OPCODE_KEEP
#define KILN_OPCODE_SAME_Simd_Simd ~, KILN_OPCODE_KEEP
#define KILN_OPCODE_SAME_Atomic_Atomic ~, KILN_OPCODE_KEEP
#define KILN_OPCODE_SAME_Exception_Exception ~, KILN_OPCODE_KEEP
#define KILN_OPCODE_FAMILY Control
#include "aotc/wasm/opcode_family.inc"
#define KILN_OPCODE_FAMILY Variable
#include "aotc/wasm/opcode_family.inc"
#define KILN_OPCODE_FAMILY Memory
#include "aotc/wasm/opcode_family.inc"
#define KILN_OPCODE_FAMILY Numeric
#include "aotc/wasm/opcode_family.inc"
#define KILN_OPCODE_FAMILY Conversion
#include "aotc/wasm/opcode_family.inc"
#define KILN_OPCODE_FAMILY Call
#include "aotc/wasm/opcode_family.inc"
#define KILN_OPCODE_FAMILY Table
#include "aotc/wasm/opcode_family.inc"
#define KILN_OPCODE_FAMILY Reference
#include "aotc/wasm/opcode_family.inc"
#define KILN_OPCODE_FAMILY BulkMemory
#include "aotc/wasm/opcode_family.inc"
#define KILN_OPCODE_FAMILY Simd
#include "aotc/wasm/opcode_family.inc"
#define KILN_OPCODE_FAMILY Atomic
#include "aotc/wasm/opcode_family.inc"
#define KILN_OPCODE_FAMILY Exception
#include "aotc/wasm/opcode_family.inc"
#undef KILN_OPCODE_SAME_Control_Control
#undef KILN_OPCODE_SAME_Variable_Variable
#undef KILN_OPCODE_SAME_Memory_Memory
#undef KILN_OPCODE_SAME_Numeric_Numeric
#undef KILN_OPCODE_SAME_Conversion_Conversion
#undef KILN_OPCODE_SAME_Call_Call
#undef KILN_OPCODE_SAME_Table_Table
#undef KILN_OPCODE_SAME_Reference_Reference
#undef KILN_OPCODE_SAME_BulkMemory_BulkMemory
#undef KILN_OPCODE_SAME_Simd_Simd
#undef KILN_OPCODE_SAME_Atomic_Atomic
#undef KILN_OPCODE_SAME_Exception_Exception
#undef KILN_OPCODE_IF_FAMILY_
#undef KILN_OPCODE_IF_FAMILY
#undef KILN_OPCODE_SECOND_
#undef KILN_OPCODE_SECOND
#undef KILN_OPCODE_DROP
#undef KILN_OPCODE_KEEP
#undef KILN_OPCODE_CAT_
#undef KILN_OPCODE_CAT

/// The enum of a family's opcodes: FamilyOp<OpFamily::Numeric> is NumericOp.
template <OpFamily F>
using FamilyOp = typename FamilyOps<F>::type;

/// An opcode of family F as that family's enumerator (the same value).
template <OpFamily F>
constexpr FamilyOp<F> as_family(Opcode op) {
  assert(opcode_family(op) == F && "opcode of another family");
  return FamilyOp<F>(uint32_t(op));
}

}  // namespace kiln::aotc
