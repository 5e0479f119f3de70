// The opcode table built from opcodes.def, simd_opcodes.def and
// atomic_opcodes.def: the facts the
// validator and the code generator take from it hold for every row.
#include <doctest/doctest.h>

#include <bit>
#include <set>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "aotc/wasm/opcode_table.h"

using namespace kiln::aotc;

namespace {

struct Row {
  Opcode op;
  uint32_t code;
};

const std::vector<Row>& all_rows() {
  static const std::vector<Row> rows = {
#define WASM_OPCODE(name, code, ...) {Opcode::name, code},
#include "aotc/wasm/opcodes.def"
#include "aotc/wasm/simd_opcodes.def"
#include "aotc/wasm/atomic_opcodes.def"
#undef WASM_OPCODE
  };
  return rows;
}

std::string sig_text(Opcode op) {
  const Signature& s = opcode_signature(op);
  if (!s.fixed) return "ctx";
  std::string out = "(";
  for (int i = 0; i < s.param_count; ++i) out += std::string(i ? " " : "") + kiln::abi::val_type_name(s.params[i]);
  return out + ") -> " + (s.result == kNoType ? "none" : kiln::abi::val_type_name(s.result));
}

// How many family enums `has` accepts (it gets std::type_identity<enum>).
template <typename Has, size_t... I>
int families_where(Has has, std::index_sequence<I...>) {
  return (int(has(std::type_identity<FamilyOp<OpFamily(I)>>{})) + ...);
}
constexpr size_t kFamilies = size_t(OpFamily::Exception) + 1;

}  // namespace

TEST_CASE("opcode table: every row is found by its code, under a text-format name") {
  std::set<std::string> names;
  for (const Row& r : all_rows()) {
    const OpcodeInfo* info = find_opcode(r.code);
    REQUIRE(info == &opcode_info(r.op));
    const std::string name = info->name;
    CAPTURE(name);
    CHECK(name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789._") == std::string::npos);
    // Only select's two encodings share a name.
    CHECK((names.insert(name).second || r.op == Opcode::SelectT));
  }
  CHECK(names.size() == all_rows().size() - 1);
}

TEST_CASE("opcode table: codes without an opcode") {
  for (uint32_t code : {0x0Au, 0x1Du, 0xC5u, 0xFFu, 0xFC0012u, 0xFC0020u, 0xFD009Au, 0xFD0100u,
                        0xFE0004u, 0xFE004Fu, 0xFFFFFFFFu}) {
    CAPTURE(code);
    CHECK(find_opcode(code) == nullptr);
  }
}

TEST_CASE("opcode table: memory accesses, lanes and families agree with the immediates") {
  for (const Row& r : all_rows()) {
    const OpcodeInfo& info = opcode_info(r.op);
    CAPTURE(std::string(info.name));
    const bool memarg = info.imm == Imm::Mem || info.imm == Imm::MemLane;
    CHECK(memarg == (info.access != 0));
    if (memarg) {
      CHECK(std::has_single_bit(unsigned(info.access)));
      CHECK(info.access <= 16);
      REQUIRE(info.sig.fixed);
      CHECK(info.sig.params[0] == ValType::I32);  // the address
    }
    CHECK((info.imm == Imm::Lane || info.imm == Imm::MemLane) == (info.lanes != 0));
    // The validator types these by their row alone.
    if (info.family == OpFamily::Numeric || info.family == OpFamily::Conversion ||
        info.family == OpFamily::Simd || info.family == OpFamily::Memory ||
        info.family == OpFamily::Atomic) {
      CHECK(info.sig.fixed);
    }
    CHECK((info.family == OpFamily::Simd) == ((r.code >> 16) == 0xFD));
    CHECK((info.family == OpFamily::Atomic) == ((r.code >> 16) == 0xFE));
  }
}

TEST_CASE("opcode table: sample rows") {
  struct Sample {
    Opcode op;
    const char* name;
    OpFamily family;
    const char* sig;
    uint8_t access = 0;
    uint8_t lanes = 0;
  };
  using F = OpFamily;
  const Sample samples[] = {
      {Opcode::I32Add, "i32.add", F::Numeric, "(i32 i32) -> i32"},
      {Opcode::F64Lt, "f64.lt", F::Numeric, "(f64 f64) -> i32"},
      {Opcode::I64ExtendI32U, "i64.extend_i32_u", F::Conversion, "(i32) -> i64"},
      {Opcode::I32TruncSatF64U, "i32.trunc_sat_f64_u", F::Conversion, "(f64) -> i32"},
      {Opcode::I64Load32S, "i64.load32_s", F::Memory, "(i32) -> i64", 4},
      {Opcode::I64Store16, "i64.store16", F::Memory, "(i32 i64) -> none", 2},
      {Opcode::MemoryInit, "memory.init", F::BulkMemory, "(i32 i32 i32) -> none"},
      {Opcode::SelectT, "select", F::Variable, "ctx"},
      {Opcode::LocalGet, "local.get", F::Variable, "ctx"},
      {Opcode::TableGrow, "table.grow", F::Table, "ctx"},
      {Opcode::I8x16Shuffle, "i8x16.shuffle", F::Simd, "(v128 v128) -> v128"},
      {Opcode::V128Bitselect, "v128.bitselect", F::Simd, "(v128 v128 v128) -> v128"},
      {Opcode::I8x16ExtractLaneU, "i8x16.extract_lane_u", F::Simd, "(v128) -> i32", 0, 16},
      {Opcode::F64x2ReplaceLane, "f64x2.replace_lane", F::Simd, "(v128 f64) -> v128", 0, 2},
      {Opcode::I64x2Shl, "i64x2.shl", F::Simd, "(v128 i32) -> v128"},
      {Opcode::V128Load8x8U, "v128.load8x8_u", F::Simd, "(i32) -> v128", 8},
      {Opcode::V128Load32Lane, "v128.load32_lane", F::Simd, "(i32 v128) -> v128", 4, 4},
      {Opcode::V128Store64Lane, "v128.store64_lane", F::Simd, "(i32 v128) -> none", 8, 2},
      {Opcode::MemoryAtomicWait64, "memory.atomic.wait64", F::Atomic, "(i32 i64 i64) -> i32", 8},
      {Opcode::AtomicFence, "atomic.fence", F::Atomic, "() -> none"},
      {Opcode::I64AtomicStore32, "i64.atomic.store32", F::Atomic, "(i32 i64) -> none", 4},
      {Opcode::I32AtomicRmw16CmpxchgU, "i32.atomic.rmw16.cmpxchg_u", F::Atomic, "(i32 i32 i32) -> i32", 2},
      {Opcode::I64AtomicRmwXchg, "i64.atomic.rmw.xchg", F::Atomic, "(i32 i64) -> i64", 8},
  };
  for (const Sample& s : samples) {
    const OpcodeInfo& info = opcode_info(s.op);
    CAPTURE(s.name);
    CHECK(std::string(info.name) == s.name);
    CHECK(info.family == s.family);
    CHECK(sig_text(s.op) == s.sig);
    CHECK(info.access == s.access);
    CHECK(info.lanes == s.lanes);
  }
}

TEST_CASE("opcode table: every opcode is an enumerator of exactly its family's enum") {
  // The translators switch over these enums; a row missing from its family's
  // enum, or present in another, would escape that switch's check.
#define WASM_OPCODE(name, code, imm, text, family, ...)                                       \
  static_assert(uint32_t(FamilyOp<OpFamily::family>::name) == code);                           \
  CHECK(as_family<OpFamily::family>(Opcode::name) == FamilyOp<OpFamily::family>::name);        \
  CHECK(families_where([](auto e) { return requires { decltype(e)::type::name; }; },        \
                       std::make_index_sequence<kFamilies>()) == 1);
#include "aotc/wasm/opcodes.def"
#include "aotc/wasm/simd_opcodes.def"
#include "aotc/wasm/atomic_opcodes.def"
#undef WASM_OPCODE
  static_assert(std::is_same_v<FamilyOp<OpFamily::Numeric>, NumericOp>);
}
