// A table is sealed when no one can change it after instantiation: the
// module does not export it, no instruction writes it, and its active
// segments (applied before any wasm code runs) sit at constant offsets, so
// what every element holds is known when compiling.
#include "aotc/wasm/sealed_tables.h"

#include <optional>

namespace kiln::aotc {

namespace {

bool exported(const Module& m, uint32_t table) {
  for (const Export& e : m.exports)
    if (e.kind == ExternKind::Table && e.index == table) return true;
  return false;
}

// The contents of `table` after its active segments, or nullopt when an
// offset is not a constant or a segment does not fit (then instantiation
// fails and no code runs anyway).
std::optional<std::vector<uint32_t>> contents(const Module& m, uint32_t table, uint32_t size) {
  std::vector<uint32_t> elements(size, SealedTable::kUnknown);
  for (const ElemSegment& s : m.elems) {
    if (s.mode != SegmentMode::Active || s.table_index != table) continue;
    if (s.offset.instr.op != Opcode::I32Const || !s.offset.rest.empty()) return std::nullopt;
    const uint64_t offset = uint32_t(s.offset.instr.bits);
    if (offset + s.items.size() > size) return std::nullopt;
    for (size_t i = 0; i < s.items.size(); ++i) {
      const ConstExpr& item = s.items[i];
      // ref.null, or a global's value: not a function known here.
      const bool func = item.instr.op == Opcode::RefFunc && item.rest.empty();
      elements[offset + i] = func ? item.instr.index : SealedTable::kUnknown;
    }
  }
  return elements;
}

}  // namespace

std::vector<SealedTable> find_sealed_tables(const Module& m, const std::vector<bool>& written) {
  std::vector<SealedTable> sealed;
  for (uint32_t i = 0; i < m.tables.size(); ++i) {
    const uint32_t table = m.imported_tables + i;
    const TableType& type = m.tables[i];
    if (type.elem_type != ValType::FuncRef || type.limits.min > kMaxSealedTableElements) continue;
    if ((table < written.size() && written[table]) || exported(m, table)) continue;
    std::optional<std::vector<uint32_t>> elements = contents(m, table, uint32_t(type.limits.min));
    if (!elements) continue;
    sealed.push_back(SealedTable{table, std::move(*elements)});
  }
  return sealed;
}

}  // namespace kiln::aotc
