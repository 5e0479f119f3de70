// Extern and ExternType.
#include "kiln/extern.h"

#include "kiln/error.h"

namespace kiln {

const char* to_string(ExternKind kind) {
  switch (kind) {
    case ExternKind::Func: return "func";
    case ExternKind::Table: return "table";
    case ExternKind::Memory: return "memory";
    case ExternKind::Global: return "global";
  }
  return "?";
}

std::string ExternType::to_string() const {
  switch (kind) {
    case ExternKind::Func: return func.to_string();
    case ExternKind::Table: return table.to_string();
    case ExternKind::Memory: return memory.to_string();
    case ExternKind::Global: return global.to_string();
  }
  return "?";
}

ExternType Extern::type() const {
  ExternType t;
  t.kind = kind();
  switch (t.kind) {
    case ExternKind::Func: t.func = func().type(); break;
    case ExternKind::Table: t.table = table().type(); break;
    case ExternKind::Memory: t.memory = memory().type(); break;
    case ExternKind::Global: t.global = global().type(); break;
  }
  return t;
}

namespace {
template <class T>
T get(const std::variant<Function, Table, Memory, Global>& v, ExternKind wanted) {
  if (const T* p = std::get_if<T>(&v)) return *p;
  throw Error(std::string("extern is a ") + to_string(ExternKind(v.index())) + ", not a " + to_string(wanted));
}
}  // namespace

Function Extern::func() const { return get<Function>(value_, ExternKind::Func); }
Table Extern::table() const { return get<Table>(value_, ExternKind::Table); }
Memory Extern::memory() const { return get<Memory>(value_, ExternKind::Memory); }
Global Extern::global() const { return get<Global>(value_, ExternKind::Global); }

}  // namespace kiln
