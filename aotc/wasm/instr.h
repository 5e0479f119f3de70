// One decoded WebAssembly instruction and the reader that produces them.
// Shared by the validator and the code generator, so immediates are parsed
// in exactly one place.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "aotc/wasm/error.h"
#include "aotc/wasm/feature_set.h"
#include "aotc/wasm/opcode_table.h"

namespace kiln::aotc {

/// A block type: no result, one value type, or a type index.
struct BlockType {
  enum class Kind : uint8_t { Empty, Value, TypeIndex } kind = Kind::Empty;
  ValType value = ValType::I32;  // Kind::Value
  uint32_t type_index = 0;       // Kind::TypeIndex
};

struct Instr {
  Opcode op = Opcode::Nop;
  uint32_t offset = 0;      // byte offset of the opcode in the module
  BlockType block;          // block, loop, if
  // Index: local/global/func/table/memory/label/segment index; Mem and
  // MemLane: the memory (multi-memory's memarg, 0 without one).
  // Index2 / CallIndirect: index = first immediate, index2 = second, in
  // binary order (call_indirect: type, table; memory.init: data, memory;
  // table.init: elem, table; table.copy: dst, src; memory.copy: dst, src).
  uint32_t index = 0;
  uint32_t index2 = 0;
  uint32_t align = 0;       // Mem: log2 alignment
  uint64_t mem_offset = 0;  // Mem: static offset
  uint64_t bits = 0;        // I32/I64 value (sign-extended to 64) or F32/F64 bit pattern
  uint8_t v128[16] = {};    // V128 constant or shuffle lanes
  uint8_t lane = 0;         // Lane / MemLane
  ValType ref_type = ValType::FuncRef;  // RefType; SelectT's single type
                                        // (SelectT: `index` = number of types, valid only if 1)
  std::vector<uint32_t> targets;        // BrTable: label per case, default last
};

/// Reads instructions one at a time from a function body's expression.
/// Errors name the byte offset within the module.
class InstrReader {
 public:
  /// code: the instruction bytes; base_offset: module offset of code[0].
  /// Without multi-memory in `features`, memory indices are WebAssembly
  /// 2.0's reserved zero bytes and memargs carry none; without memory64,
  /// memarg offsets are u32 (the decoder's --disable-NAME).
  InstrReader(std::span<const uint8_t> code, uint32_t base_offset, const Features& features = {})
      : code_(code),
        base_(base_offset),
        multi_memory_(features.has(Feature::MultiMemory)),
        memory64_(features.has(Feature::Memory64)) {}
  bool at_end() const { return pos_ >= code_.size(); }
  /// Module offset of the next instruction.
  uint32_t offset() const { return base_ + static_cast<uint32_t>(pos_); }
  /// Decodes the next instruction into `out` (reusing its storage).
  Error next(Instr& out);

 private:
  std::span<const uint8_t> code_;
  uint32_t base_;
  bool multi_memory_;
  bool memory64_;
  size_t pos_ = 0;
};

}  // namespace kiln::aotc
