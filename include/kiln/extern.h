// Externals: the five kinds of things a module imports and exports.
#pragma once
#include <string>
#include <variant>

#include "kiln/function.h"
#include "kiln/global.h"
#include "kiln/memory.h"
#include "kiln/table.h"
#include "kiln/tag.h"

namespace kiln {

/// Kind of an import or export (numbers as in the binary format).
enum class ExternKind : uint8_t { Func = 0, Table = 1, Memory = 2, Global = 3, Tag = 4 };

/// "func", "table", "memory", "global" or "tag".
const char* to_string(ExternKind kind);

/// The type of an import or export: a FuncType, TableType, MemoryType,
/// GlobalType or TagType (the alternative's index is its ExternKind).
class ExternType {
 public:
  /// The type of a function with no parameters and no results.
  ExternType() = default;
  /// From one of the four (implicitly, so a FuncType can be passed where an
  /// ExternType is expected).
  ExternType(FuncType t) : value_(std::move(t)) {}
  ExternType(TableType t) : value_(std::move(t)) {}
  ExternType(MemoryType t) : value_(std::move(t)) {}
  ExternType(GlobalType t) : value_(std::move(t)) {}
  ExternType(TagType t) : value_(std::move(t)) {}

  /// Which of the five it is.
  ExternKind kind() const { return static_cast<ExternKind>(value_.index()); }
  // Each throws kiln::Error when the type is of another kind.
  const FuncType& func() const;
  const TableType& table() const;
  const MemoryType& memory() const;
  const GlobalType& global() const;
  const TagType& tag() const;
  /// The type itself, for std::visit.
  const std::variant<FuncType, TableType, MemoryType, GlobalType, TagType>& value() const {
    return value_;
  }

  /// The type in text form, e.g. "func (param i32)" or "memory 1".
  std::string to_string() const;

 private:
  std::variant<FuncType, TableType, MemoryType, GlobalType, TagType> value_;
};

/// A Func, Table, Memory, Global or Tag of some store.
class Extern {
 public:
  /// A null Func.
  Extern() = default;
  /// Wraps a handle (implicitly, so handles can be passed where an Extern is expected).
  Extern(Func f) : value_(std::move(f)) {}
  Extern(Table t) : value_(std::move(t)) {}
  Extern(Memory m) : value_(std::move(m)) {}
  Extern(Global g) : value_(std::move(g)) {}
  Extern(Tag t) : value_(std::move(t)) {}

  /// Which of the five it is.
  ExternKind kind() const { return static_cast<ExternKind>(value_.index()); }
  /// The current type (memories and tables: their current size as minimum).
  ExternType type() const;

  // Each throws kiln::Error when the extern has another kind.
  Func func() const;
  Table table() const;
  Memory memory() const;
  Global global() const;
  Tag tag() const;

 private:
  std::variant<Func, Table, Memory, Global, Tag> value_;
};

}  // namespace kiln
