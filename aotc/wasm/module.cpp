// Index spaces of a Module: imports come first, then definitions.
#include <cassert>

#include "aotc/wasm/module.h"

namespace kiln::aotc {

namespace {
// The n-th import of `kind`, or null.
const Import* nth_import(const Module& m, ExternKind kind, uint32_t n) {
  for (const Import& imp : m.imports) {
    if (imp.kind != kind) continue;
    if (n == 0) return &imp;
    --n;
  }
  return nullptr;
}
}  // namespace

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

GlobalType Module::global_type(uint32_t index) const {
  if (index < imported_globals) {
    const Import* imp = nth_import(*this, ExternKind::Global, index);
    return imp ? imp->global : GlobalType{};
  }
  assert(index - imported_globals < globals.size() && "global index out of range");
  return globals[index - imported_globals].type;
}

}  // namespace kiln::aotc
