// Module::load: check, map, validate and register an artifact.
#include "kiln/module.h"

#include <cstring>

#include "abi/version.h"
#include "kiln/error.h"
#include "loader/module_state.h"
#include "loader/platform/artifact_file.h"
#include "loader/platform/shared_library.h"
#include "loader/type_registry.h"

namespace kiln::loader {

namespace {

Limits to_limits(const abi::Limits& l) {
  Limits out;
  out.min = l.min;
  if (l.has_max) out.max = l.max;
  return out;
}

FuncType to_func_type(const abi::FuncType& t) {
  FuncType out;
  for (uint32_t i = 0; i < t.param_count; ++i) out.params.push_back(ValType(t.params[i]));
  for (uint32_t i = 0; i < t.result_count; ++i) out.results.push_back(ValType(t.results[i]));
  return out;
}

TableType to_table_type(const abi::TableType& t) { return TableType{ValType(t.elem_type), to_limits(t.limits)}; }
GlobalType to_global_type(const abi::GlobalType& g) { return GlobalType{ValType(g.type), g.mutable_ != 0}; }

/// Fills the decoded views of `m.descriptor` (already checked).
void decode(ModuleState& m) {
  const abi::Descriptor& d = *m.descriptor;
  for (uint32_t i = 0; i < d.type_count; ++i) {
    m.types.push_back(to_func_type(d.types[i]));
    m.type_ids.push_back(canonical_type_id(m.types.back()));
  }
  std::vector<TableType> tables;
  std::vector<MemoryType> memories;
  std::vector<GlobalType> globals;
  for (uint32_t i = 0; i < d.import_count; ++i) {
    const abi::Import& im = d.imports[i];
    ImportType it{std::string(im.module, im.module_length), std::string(im.name, im.name_length), {}};
    it.type.kind = ExternKind(im.kind);
    switch (im.kind) {
      case abi::ExternKind::Func:
        it.type.func = m.types[im.type_index];
        m.func_type_index.push_back(im.type_index);
        ++m.imported_funcs;
        break;
      case abi::ExternKind::Table:
        it.type.table = to_table_type(im.table);
        tables.push_back(it.type.table);
        ++m.imported_tables;
        break;
      case abi::ExternKind::Memory:
        it.type.memory = MemoryType{to_limits(im.memory.limits)};
        memories.push_back(it.type.memory);
        ++m.imported_memories;
        break;
      case abi::ExternKind::Global:
        it.type.global = to_global_type(im.global);
        globals.push_back(it.type.global);
        ++m.imported_globals;
        break;
    }
    m.imports.push_back(std::move(it));
  }
  for (uint32_t i = 0; i < d.function_count; ++i) m.func_type_index.push_back(d.functions[i].type_index);
  for (uint32_t i = 0; i < d.table_count; ++i) tables.push_back(to_table_type(d.tables[i]));
  for (uint32_t i = 0; i < d.memory_count; ++i) memories.push_back(MemoryType{to_limits(d.memories[i].limits)});
  for (uint32_t i = 0; i < d.global_count; ++i) globals.push_back(to_global_type(d.globals[i].type));

  for (uint32_t i = 0; i < d.export_count; ++i) {
    const abi::Export& ex = d.exports[i];
    ExportType et{std::string(ex.name, ex.name_length), {}};
    et.type.kind = ExternKind(ex.kind);
    switch (ex.kind) {
      case abi::ExternKind::Func: et.type.func = m.types[m.func_type_index[ex.index]]; break;
      case abi::ExternKind::Table: et.type.table = tables[ex.index]; break;
      case abi::ExternKind::Memory: et.type.memory = memories[ex.index]; break;
      case abi::ExternKind::Global: et.type.global = globals[ex.index]; break;
    }
    m.export_by_name.emplace(et.name, uint32_t(m.exports.size()));
    m.exports.push_back(std::move(et));
  }
}

}  // namespace

abi::GlobalType ModuleState::global_type(uint32_t index) const {
  const abi::Descriptor& d = *descriptor;
  if (index >= imported_globals) return d.globals[index - imported_globals].type;
  uint32_t n = 0;
  for (uint32_t i = 0; i < d.import_count; ++i)
    if (d.imports[i].kind == abi::ExternKind::Global && n++ == index) return d.imports[i].global;
  return {};
}

const char* ModuleState::func_name(uint32_t index) const {
  if (index < imported_funcs || index >= total_funcs()) return "";
  const char* name = descriptor->functions[index - imported_funcs].name;
  return name ? name : "";
}

std::shared_ptr<ModuleState> load_module_state(const std::string& path) {
  ArtifactHeader header;
  std::string error;
  // Checked and then loaded from the same sealed copy of the file.
  std::unique_ptr<ArtifactImage> image = open_artifact(path, header, error);
  if (!image) throw Error(error);
  std::unique_ptr<SharedLibrary> library = SharedLibrary::open(image->load_path(), error);
  if (!library) throw Error(path + ": cannot load: " + error);
  image.reset();  // the mapping keeps the bytes
  auto* descriptor = static_cast<const abi::Descriptor*>(library->symbol(abi::kDescriptorSymbol));
  if (!descriptor) throw Error(path + ": no " + abi::kDescriptorSymbol + " symbol");
  // The mapped header must be the one checked in the file.
  if (std::memcmp(descriptor, header.bytes, abi::kDescriptorHeaderSize) != 0)
    throw Error(path + ": the loaded descriptor differs from the file's");
  error = check_descriptor(*descriptor);
  if (!error.empty()) throw Error(path + ": bad descriptor: " + error);

  auto state = std::make_shared<ModuleState>();
  state->path = path;
  state->descriptor = descriptor;
  decode(*state);
  state->code = std::make_unique<RegisteredCode>(std::move(library), descriptor, state.get());
  return state;
}

}  // namespace kiln::loader

namespace kiln {

Module Module::load(const std::string& path) { return Module(loader::load_module_state(path)); }

const std::string& Module::name() const { return state_->path; }
const std::vector<ImportType>& Module::imports() const { return state_->imports; }
const std::vector<ExportType>& Module::exports() const { return state_->exports; }

}  // namespace kiln
