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
    case ExternKind::Tag: return "tag";
  }
  return "?";
}

std::string ExternType::to_string() const {
  return std::visit([](const auto& type) { return type.to_string(); }, value_);
}

ExternType Extern::type() const {
  switch (kind()) {
    case ExternKind::Func: return func().type();
    case ExternKind::Table: return table().type();
    case ExternKind::Memory: return memory().type();
    case ExternKind::Global: return global().type();
    case ExternKind::Tag: return tag().type();
  }
  throw Error("bad extern kind");
}

namespace {
template <class T>
T get(const std::variant<Func, Table, Memory, Global, Tag>& v, ExternKind wanted) {
  if (const T* p = std::get_if<T>(&v)) return *p;
  throw Error(std::string("extern is a ") + to_string(ExternKind(v.index())) + ", not a " + to_string(wanted));
}
}  // namespace

namespace {
template <class T>
const T& get_type(const std::variant<FuncType, TableType, MemoryType, GlobalType, TagType>& v,
                  ExternKind wanted) {
  if (const T* p = std::get_if<T>(&v)) return *p;
  throw Error(std::string("extern type is a ") + to_string(ExternKind(v.index())) + " type, not a " +
              to_string(wanted) + " type");
}
}  // namespace

const FuncType& ExternType::func() const { return get_type<FuncType>(value_, ExternKind::Func); }
const TableType& ExternType::table() const { return get_type<TableType>(value_, ExternKind::Table); }
const MemoryType& ExternType::memory() const {
  return get_type<MemoryType>(value_, ExternKind::Memory);
}
const GlobalType& ExternType::global() const {
  return get_type<GlobalType>(value_, ExternKind::Global);
}

const TagType& ExternType::tag() const { return get_type<TagType>(value_, ExternKind::Tag); }

Func Extern::func() const { return get<Func>(value_, ExternKind::Func); }
Table Extern::table() const { return get<Table>(value_, ExternKind::Table); }
Memory Extern::memory() const { return get<Memory>(value_, ExternKind::Memory); }
Global Extern::global() const { return get<Global>(value_, ExternKind::Global); }
Tag Extern::tag() const { return get<Tag>(value_, ExternKind::Tag); }

}  // namespace kiln
