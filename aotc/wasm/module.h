// The decoded form of a WebAssembly module, as aotc's passes see it.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "abi/val_type.h"
#include "aotc/wasm/feature_set.h"
#include "aotc/wasm/instr.h"

namespace kiln::aotc {

using abi::ExternKind;

struct FuncType {
  std::vector<ValType> params;
  std::vector<ValType> results;
  bool operator==(const FuncType&) const = default;
};

struct Limits {
  uint64_t min = 0;
  std::optional<uint64_t> max;
};

struct TableType {
  ValType elem_type = ValType::FuncRef;
  Limits limits;
};

struct MemoryType {
  Limits limits;  // in pages
  bool shared = false;     // threads: usable by several threads, must have a maximum
  bool address64 = false;  // memory64: addressed by i64
};

struct GlobalType {
  ValType type = ValType::I32;
  bool is_mutable = false;
};

/// A constant expression: one instruction in WebAssembly 2.0, then `end`;
/// extended-const adds integer add, sub and mul, so more may follow.
struct ConstExpr {
  Instr instr;             // i32/i64/f32/f64/v128.const, global.get, ref.null or ref.func
  std::vector<Instr> rest; // the instructions after the first (extended-const)
};

struct Import {
  std::string module;
  std::string name;
  ExternKind kind = ExternKind::Func;
  uint32_t type_index = 0;  // Func, Tag
  TableType table;          // Table
  MemoryType memory;        // Memory
  GlobalType global;        // Global
};

struct Export {
  std::string name;
  ExternKind kind = ExternKind::Func;
  uint32_t index = 0;
};

struct Global {
  GlobalType type;
  ConstExpr init;
};

enum class SegmentMode : uint8_t { Active, Passive, Declarative };

struct DataSegment {
  SegmentMode mode = SegmentMode::Active;
  uint32_t memory_index = 0;
  ConstExpr offset;                 // Active
  std::span<const uint8_t> bytes;   // into Module::bytes
};

struct ElemSegment {
  SegmentMode mode = SegmentMode::Active;
  uint32_t table_index = 0;
  ConstExpr offset;                 // Active
  ValType elem_type = ValType::FuncRef;
  std::vector<ConstExpr> items;     // ref.func / ref.null / global.get
};

/// A defined funcref table whose elements are the same functions for the
/// whole life of every instance: not exported, written by no instruction
/// (table.set/fill/grow/init/copy into it), filled only by active segments at
/// constant offsets within its minimum size, a size nothing can change. Its
/// call_indirects check the callee against constants compiled into the
/// artifact (see FunctionTranslator::translate_call_indirect).
struct SealedTable {
  /// An element whose function is not known here (null, or an item read
  /// from a global): calls of it take the general path.
  static constexpr uint32_t kUnknown = UINT32_MAX;
  uint32_t table = 0;              // table index (a defined table)
  std::vector<uint32_t> elements;  // function index, or kUnknown, per element
};

/// A defined function's body.
struct FunctionBody {
  uint32_t offset = 0;                  // module offset of the body's size field
  std::vector<std::pair<uint32_t, ValType>> local_groups;  // (count, type) as declared
  uint64_t local_count = 0;             // sum of the groups (params excluded)
  std::span<const uint8_t> code;        // the expression, ending with `end`
  uint32_t code_offset = 0;             // module offset of code[0]
};

struct Module {
  Module() = default;
  Module(Module&&) = default;
  Module& operator=(Module&&) = default;
  /// Copies re-point the spans (function code, data bytes) into the copy's
  /// own `bytes`, so a copy never refers to the original's buffer.
  Module(const Module& other);
  Module& operator=(const Module& other);

  std::vector<uint8_t> bytes;           // the whole binary; spans point into it
  std::vector<FuncType> types;
  std::vector<Import> imports;
  std::vector<uint32_t> functions;      // type index of each defined function
  std::vector<TableType> tables;        // defined tables
  std::vector<MemoryType> memories;     // defined memories
  std::vector<Global> globals;          // defined globals
  std::vector<uint32_t> tags;           // type index of each defined tag (exception handling)
  std::vector<Export> exports;
  std::optional<uint32_t> start;
  std::vector<ElemSegment> elems;
  std::vector<DataSegment> datas;
  std::optional<uint32_t> data_count;
  std::vector<FunctionBody> bodies;     // parallel to `functions`
  std::vector<std::string> function_names;  // name section, by function index ("" = none)
  uint32_t features_used = 0;           // abi::feature_bit()s of the proposals it uses
  /// Per defined function: whether a call to it may end with a pending wasm
  /// exception (it throws, or calls an import, a table entry or such a
  /// function). Filled by decode_module (exception_scan.cpp); empty means
  /// "every function may".
  std::vector<bool> may_throw;
  /// Per type index: whether a call_indirect of that type may end with a
  /// pending exception (a foreign function may be in a table, or a function
  /// of this type that may throw). Empty means "every one may".
  std::vector<bool> table_call_may_throw;
  /// Per defined function: whether its body has a return_call*. Filled by
  /// validate_module; empty means "every function has" (for a module using
  /// tail calls).
  std::vector<bool> tail_calls;
  /// The tables whose contents never change (see SealedTable), in table
  /// order. Filled by validate_module; empty means none is known to.
  std::vector<SealedTable> sealed_tables;

  // Counts of imports per kind; index spaces put imports first.
  uint32_t imported_funcs = 0;
  uint32_t imported_tables = 0;
  uint32_t imported_memories = 0;
  uint32_t imported_globals = 0;
  uint32_t imported_tags = 0;
  /// For each ExternKind, the position in `imports` of each import of that
  /// kind, so index-space lookups need no search. Filled by decode_module;
  /// when it does not match the import counts (a hand-built Module), the
  /// helpers below search `imports` instead.
  std::array<std::vector<uint32_t>, 5> import_positions;

  uint32_t total_funcs() const { return imported_funcs + uint32_t(functions.size()); }
  uint32_t total_tables() const { return imported_tables + uint32_t(tables.size()); }
  uint32_t total_memories() const { return imported_memories + uint32_t(memories.size()); }
  uint32_t total_globals() const { return imported_globals + uint32_t(globals.size()); }
  uint32_t total_tags() const { return imported_tags + uint32_t(tags.size()); }
  /// Type index of tag `index` (imports first).
  uint32_t tag_type_index(uint32_t index) const;
  /// Whether a call to function `func_index` may leave a pending exception.
  bool call_may_throw(uint32_t func_index) const {
    if (func_index < imported_funcs) return true;
    size_t defined = func_index - imported_funcs;
    return defined >= may_throw.size() || may_throw[defined];
  }
  /// Whether a call_indirect of type `type_index` may leave one.
  bool table_call_may_throw_for(uint32_t type_index) const {
    return type_index >= table_call_may_throw.size() || table_call_may_throw[type_index];
  }
  /// Whether defined function `defined` tail-calls (a module without tail
  /// calls: never).
  bool tail_calls_in(uint32_t defined) const {
    if (!(features_used & abi::feature_bit(abi::Feature::TailCall))) return false;
    return defined >= tail_calls.size() || tail_calls[defined];
  }
  /// Table `table`'s SealedTable, or null.
  const SealedTable* sealed_table(uint32_t table) const {
    for (const SealedTable& s : sealed_tables)
      if (s.table == table) return &s;
    return nullptr;
  }
  /// Type index of function `func_index` (imports first).
  uint32_t func_type_index(uint32_t func_index) const;
  const FuncType& func_type(uint32_t func_index) const { return types[func_type_index(func_index)]; }
  /// Type of table/memory/global by index space (imports first).
  TableType table_type(uint32_t index) const;
  MemoryType memory_type(uint32_t index) const;
  GlobalType global_type(uint32_t index) const;
  /// The type of memory `index`'s addresses: i64 for a 64-bit memory.
  ValType address_type(uint32_t memory) const {
    return memory_type(memory).address64 ? ValType::I64 : ValType::I32;
  }
};

/// Decodes a binary module (structure only; see validate_module), refusing
/// the constructs of proposals `features` does not enable.
Expected<Module> decode_module(std::vector<uint8_t> bytes, const Features& features = {});
/// Sets module.may_throw and, if a function uses an exception-handling
/// instruction, the feature in features_used; refuses that instruction when
/// `features` disables the proposal. Bodies it cannot decode are left to
/// validation (they count as throwing).
Error scan_exception_use(Module& module, const Features& features);
/// Checks every rule of the WebAssembly 2.0 validation algorithm, and those
/// of the proposals the decoder let through; function bodies may use only
/// the proposals `features` enables (tail-call), and those they use are
/// added to module.features_used.
Error validate_module(Module& module, const Features& features = {});
/// The operand (and result) type of extended-const's integer add, sub and
/// mul, the instructions it adds to constant expressions; nothing for others.
std::optional<ValType> extended_const_operand(Opcode op);
/// Parses the text format (via WABT) into the binary format.
Expected<std::vector<uint8_t>> wat_to_wasm(std::span<const uint8_t> text, const std::string& filename);

}  // namespace kiln::aotc
