// Externals: the four kinds of things a module imports and exports.
#pragma once
#include <string>
#include <variant>

#include "kiln/function.h"
#include "kiln/global.h"
#include "kiln/memory.h"
#include "kiln/table.h"

namespace kiln {

/// Kind of an import or export (numbers as in the binary format).
enum class ExternKind : uint8_t { Func = 0, Table = 1, Memory = 2, Global = 3 };

/// "func", "table", "memory" or "global".
const char* to_string(ExternKind kind);

/// The type of an import or export; only the member for `kind` is meaningful.
struct ExternType {
  ExternKind kind = ExternKind::Func;
  FuncType func;
  TableType table;
  MemoryType memory;
  GlobalType global;
  /// The type of `kind` in text form, e.g. "func (param i32)" or "memory 1".
  std::string to_string() const;
};

/// A Function, Table, Memory or Global of some store.
class Extern {
 public:
  /// A null Function.
  Extern() = default;
  /// Wraps a handle (implicitly, so handles can be passed where an Extern is expected).
  Extern(Function f) : value_(std::move(f)) {}
  Extern(Table t) : value_(std::move(t)) {}
  Extern(Memory m) : value_(std::move(m)) {}
  Extern(Global g) : value_(std::move(g)) {}

  /// Which of the four it is.
  ExternKind kind() const { return static_cast<ExternKind>(value_.index()); }
  /// The current type (memories and tables: their current size as minimum).
  ExternType type() const;

  // Each throws kiln::Error when the extern has another kind.
  Function func() const;
  Table table() const;
  Memory memory() const;
  Global global() const;

 private:
  std::variant<Function, Table, Memory, Global> value_;
};

}  // namespace kiln
