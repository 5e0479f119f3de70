#include "tests/spec/spectest_host.h"

#include <kiln/kiln.h>

#include "tests/spec/kiln_values.h"

namespace kiln::spec {
namespace {

void define_print(kiln::Imports& imports, const char* name, std::vector<kiln::ValType> params,
                  std::string* log) {
  kiln::FuncType type{std::move(params), {}};
  imports.func("spectest", name, type,
               [log, name](kiln::Caller&, std::span<const kiln::Value> args, std::span<kiln::Value>) {
                 if (!log) return;
                 std::string line = std::string("  spectest.") + name + "(";
                 for (size_t i = 0; i < args.size(); ++i)
                   line += (i ? ", " : "") + to_string(from_kiln_value(args[i]));
                 *log += line + ")\n";
               });
}

void define_global(kiln::Store& store, kiln::Imports& imports, const char* name,
                   const kiln::Value& value) {
  kiln::Global global = kiln::Global::create(store, kiln::GlobalType{value.type(), false}, value);
  imports.define("spectest", name, global);
}

}  // namespace

void define_spectest(kiln::Store& store, kiln::Imports& imports, std::string* log) {
  using kiln::ValType;
  define_print(imports, "print", {}, log);
  define_print(imports, "print_i32", {ValType::I32}, log);
  define_print(imports, "print_i64", {ValType::I64}, log);
  define_print(imports, "print_f32", {ValType::F32}, log);
  define_print(imports, "print_f64", {ValType::F64}, log);
  define_print(imports, "print_i32_f32", {ValType::I32, ValType::F32}, log);
  define_print(imports, "print_f64_f64", {ValType::F64, ValType::F64}, log);

  define_global(store, imports, "global_i32", kiln::Value::i32(666));
  define_global(store, imports, "global_i64", kiln::Value::i64(666));
  define_global(store, imports, "global_f32", kiln::Value::f32(666.6f));
  define_global(store, imports, "global_f64", kiln::Value::f64(666.6));

  kiln::TableType table_type{ValType::FuncRef, kiln::Limits{10, 20}};
  imports.define("spectest", "table",
                 kiln::Table::create(store, table_type, kiln::Value::null(ValType::FuncRef)));
  imports.define("spectest", "memory", kiln::Memory::create(store, kiln::MemoryType{kiln::Limits{1, 2}}));
  // The threads proposal's scripts import it.
  imports.define("spectest", "shared_memory",
                 kiln::Memory::create(store, kiln::MemoryType{kiln::Limits{1, 2}, /*shared=*/true}));
}

}  // namespace kiln::spec
