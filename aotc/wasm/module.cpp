// Index spaces of a Module: imports come first, then definitions.
#include <cassert>

#include "aotc/wasm/module.h"

namespace kiln::aotc {

namespace {
// The n-th import of `kind`, or null.
const Import* nth_import(const Module& m, ExternKind kind, uint32_t n) {
  const std::vector<uint32_t>& positions = m.import_positions[size_t(kind)];
  if (n < positions.size() && positions[n] < m.imports.size() &&
      m.imports[positions[n]].kind == kind) {
    return &m.imports[positions[n]];
  }
  for (const Import& imp : m.imports) {
    if (imp.kind != kind) continue;
    if (n == 0) return &imp;
    --n;
  }
  return nullptr;
}
}  // namespace

namespace {
// `span` re-pointed from `from` (where it lies, if it does) to the same
// range of `to`; spans outside `from` are left alone.
std::span<const uint8_t> rebase(std::span<const uint8_t> span, const std::vector<uint8_t>& from,
                                const std::vector<uint8_t>& to) {
  if (span.empty() || from.empty()) return span;
  const uint8_t* begin = from.data();
  if (span.data() < begin || span.data() + span.size() > begin + from.size()) return span;
  return {to.data() + (span.data() - begin), span.size()};
}
}  // namespace

// Catches members added to Module without being copied below.
static_assert(sizeof(void*) != 8 || sizeof(Module) == 624,
              "Module changed: update Module::operator=(const Module&)");

Module::Module(const Module& other) { *this = other; }

Module& Module::operator=(const Module& other) {
  if (this == &other) return *this;
  bytes = other.bytes;
  types = other.types;
  imports = other.imports;
  functions = other.functions;
  tables = other.tables;
  memories = other.memories;
  globals = other.globals;
  tags = other.tags;
  may_throw = other.may_throw;
  table_call_may_throw = other.table_call_may_throw;
  tail_calls = other.tail_calls;
  sealed_tables = other.sealed_tables;
  exports = other.exports;
  start = other.start;
  elems = other.elems;
  datas = other.datas;
  data_count = other.data_count;
  bodies = other.bodies;
  function_names = other.function_names;
  features_used = other.features_used;
  imported_funcs = other.imported_funcs;
  imported_tables = other.imported_tables;
  imported_memories = other.imported_memories;
  imported_globals = other.imported_globals;
  imported_tags = other.imported_tags;
  import_positions = other.import_positions;
  for (FunctionBody& body : bodies) body.code = rebase(body.code, other.bytes, bytes);
  for (DataSegment& data : datas) data.bytes = rebase(data.bytes, other.bytes, bytes);
  return *this;
}

uint32_t Module::func_type_index(uint32_t func_index) const {
  if (func_index < imported_funcs) {
    const Import* imp = nth_import(*this, ExternKind::Func, func_index);
    assert(imp && "import counts out of sync with imports");
    return imp ? imp->type_index : 0;
  }
  assert(func_index - imported_funcs < functions.size() && "function index out of range");
  return functions[func_index - imported_funcs];
}

TableType Module::table_type(uint32_t index) const {
  if (index < imported_tables) {
    const Import* imp = nth_import(*this, ExternKind::Table, index);
    return imp ? imp->table : TableType{};
  }
  assert(index - imported_tables < tables.size() && "table index out of range");
  return tables[index - imported_tables];
}

MemoryType Module::memory_type(uint32_t index) const {
  if (index < imported_memories) {
    const Import* imp = nth_import(*this, ExternKind::Memory, index);
    return imp ? imp->memory : MemoryType{};
  }
  assert(index - imported_memories < memories.size() && "memory index out of range");
  return memories[index - imported_memories];
}

uint32_t Module::tag_type_index(uint32_t index) const {
  if (index < imported_tags) {
    const Import* imp = nth_import(*this, ExternKind::Tag, index);
    return imp ? imp->type_index : 0;
  }
  assert(index - imported_tags < tags.size() && "tag index out of range");
  return tags[index - imported_tags];
}

GlobalType Module::global_type(uint32_t index) const {
  if (index < imported_globals) {
    const Import* imp = nth_import(*this, ExternKind::Global, index);
    return imp ? imp->global : GlobalType{};
  }
  assert(index - imported_globals < globals.size() && "global index out of range");
  return globals[index - imported_globals].type;
}

}  // namespace kiln::aotc
