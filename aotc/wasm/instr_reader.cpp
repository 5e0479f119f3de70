// Decoding of one instruction and its immediates (the only place that knows
// the immediate encodings; the validator and code generator share it).
#include <algorithm>
#include <optional>

#include "aotc/wasm/byte_reader.h"
#include "aotc/wasm/instr.h"
#include "aotc/wasm/feature_set.h"
#include "aotc/wasm/proposals.h"

namespace kiln::aotc {

namespace {

char hex_digit(unsigned v) { return "0123456789abcdef"[v & 0xF]; }

std::string illegal_opcode(uint32_t code) {
  std::string text = "illegal opcode 0x";
  const uint32_t first = code > 0xFFFF ? code >> 16 : code;
  text += hex_digit(first >> 4);
  text += hex_digit(first);
  if (code > 0xFFFF) text += " " + std::to_string(code & 0xFFFF);
  return text + unsupported_opcode(uint8_t(first), code > 0xFFFF ? code & 0xFFFF : 0);
}

void read_block_type(ByteReader& r, BlockType& out) {
  const auto first = r.peek();
  if (!first) {
    r.u8();  // reports the end of input
    return;
  }
  if (*first == 0x40) {
    r.u8();
    out.kind = BlockType::Kind::Empty;
    return;
  }
  if (auto t = val_type_from_byte(*first)) {
    r.u8();
    out.kind = BlockType::Kind::Value;
    out.value = *t;
    return;
  }
  const uint32_t at = r.offset();
  const int64_t index = r.s33();
  if (!r.ok()) return;
  if (index < 0) {
    r.fail_at(at, "malformed block type");
    return;
  }
  out.kind = BlockType::Kind::TypeIndex;
  out.type_index = uint32_t(index);
}

// A memory index immediate: multi-memory's u32, or WebAssembly 2.0's
// reserved zero byte where the proposal is disabled.
uint32_t memory_index(ByteReader& r, bool multi_memory) {
  if (multi_memory) return r.u32();
  const uint32_t at = r.offset();
  const uint8_t byte = r.u8();
  if (r.ok() && byte != 0)
    r.fail_at(at, "zero byte expected" +
                      disabled_note("a memory index other than 0", Feature::MultiMemory));
  return 0;
}

// memory64 widens the offset to u64 (validation bounds it by the memory's
// address type).
void read_memarg(ByteReader& r, Instr& out, bool multi_memory, bool memory64) {
  const uint32_t at = r.offset();
  out.align = r.u32();
  // Bit 6 announces a memory index (multi-memory): no alignment is that
  // large, so without the proposal it is an alignment validation refuses.
  if (r.ok() && (out.align & 0x40) && out.align < 0x80) {
    if (!multi_memory) {
      r.fail_at(at, "alignment must not be larger than natural" +
                        disabled_note("a memory index in a memory access", Feature::MultiMemory));
      return;
    }
    out.align &= ~0x40u;
    out.index = r.u32();
  }
  out.mem_offset = memory64 ? r.u64() : r.u32();
}

}  // namespace

Error InstrReader::next(Instr& out) {
  ByteReader r(code_, base_, pos_);
  out.offset = r.offset();
  out.block = BlockType{};
  out.index = out.index2 = 0;
  out.align = 0;
  out.mem_offset = 0;
  out.bits = 0;
  out.lane = 0;
  out.ref_type = ValType::FuncRef;
  out.targets.clear();

  uint32_t code = r.u8();
  if (r.ok() && (code == 0xFC || code == 0xFD || code == 0xFE)) {
    const uint32_t sub = r.u32();
    code = sub > 0xFFFF ? 0xFFFFFFFF : (code << 16 | sub);
  }
  if (!r.ok()) return r.take_error();
  const OpcodeInfo* info = find_opcode(code);
  if (!info) {
    r.fail_at(out.offset, illegal_opcode(code));
    return r.take_error();
  }
  out.op = Opcode(code);

  switch (info->imm) {
    case Imm::None:
      break;
    case Imm::Block:
      read_block_type(r, out.block);
      break;
    case Imm::Index:
      // In WebAssembly 2.0 the memory index of these is a reserved zero byte.
      if (out.op == Opcode::MemorySize || out.op == Opcode::MemoryGrow ||
          out.op == Opcode::MemoryFill) {
        out.index = memory_index(r, multi_memory_);
      } else {
        out.index = r.u32();
      }
      break;
    case Imm::Index2:
      if (out.op == Opcode::MemoryCopy) {
        out.index = memory_index(r, multi_memory_);
        out.index2 = memory_index(r, multi_memory_);
      } else if (out.op == Opcode::MemoryInit) {
        out.index = r.u32();
        out.index2 = memory_index(r, multi_memory_);
      } else {
        out.index = r.u32();
        out.index2 = r.u32();
      }
      break;
    case Imm::CallIndirect:
      out.index = r.u32();
      out.index2 = r.u32();
      break;
    case Imm::BrTable: {
      const uint32_t n = r.count();
      out.targets.reserve(std::min<size_t>(n, r.remaining()) + 1);
      for (uint32_t i = 0; i < n && r.ok(); ++i) out.targets.push_back(r.u32());
      out.targets.push_back(r.u32());
      break;
    }
    case Imm::SelectT: {
      // index = number of types (must be 1, checked by validation);
      // ref_type = the first one.
      const uint32_t n = r.count();
      out.index = n;
      for (uint32_t i = 0; i < n && r.ok(); ++i) {
        const ValType t = r.val_type();
        if (i == 0) out.ref_type = t;
      }
      break;
    }
    case Imm::Mem:
      read_memarg(r, out, multi_memory_, memory64_);
      break;
    case Imm::MemLane:
      read_memarg(r, out, multi_memory_, memory64_);
      out.lane = r.u8();
      break;
    case Imm::I32:
      out.bits = uint64_t(int64_t(r.s32()));
      break;
    case Imm::I64:
      out.bits = uint64_t(r.s64());
      break;
    case Imm::F32:
      out.bits = r.fixed32();
      break;
    case Imm::F64:
      out.bits = r.fixed64();
      break;
    case Imm::RefType:
      out.ref_type = r.ref_type();
      break;
    case Imm::V128:
    case Imm::Shuffle: {
      auto b = r.bytes(16);
      if (b.size() == 16) std::copy(b.begin(), b.end(), out.v128);
      break;
    }
    case Imm::Lane:
      out.lane = r.u8();
      break;
    case Imm::Fence: {
      // The only ordering the threads proposal defines is sequential consistency (0).
      const uint32_t at = r.offset();
      if (r.u8() != 0 && r.ok()) r.fail_at(at, "zero byte expected");
      break;
    }
  }
  if (!r.ok()) return r.take_error();
  pos_ = r.pos();
  return Error::success();
}

}  // namespace kiln::aotc
