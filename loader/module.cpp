// Module::load: check, map, validate and register an artifact.
#include "kiln/module.h"

#include <cstring>
#include <functional>
#include <string_view>

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

/// Fills the decoded views of `m.descriptor` (already checked) that every
/// instantiation needs; exports are decoded on demand.
void decode(ModuleState& m) {
  const abi::Descriptor& d = *m.descriptor;
  m.types.reserve(d.type_count);
  m.type_ids.reserve(d.type_count);
  for (uint32_t i = 0; i < d.type_count; ++i) {
    m.types.push_back(to_func_type(d.types[i]));
    m.type_ids.push_back(canonical_type_id(m.types.back()));
  }
  m.imports.reserve(d.import_count);
  m.func_type_index.reserve(size_t(d.import_count) + d.function_count);
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
        m.table_types.push_back(it.type.table);
        ++m.imported_tables;
        break;
      case abi::ExternKind::Memory:
        it.type.memory = MemoryType{to_limits(im.memory.limits)};
        m.memory_types.push_back(it.type.memory);
        ++m.imported_memories;
        break;
      case abi::ExternKind::Global:
        it.type.global = to_global_type(im.global);
        m.global_types.push_back(it.type.global);
        ++m.imported_globals;
        break;
    }
    m.imports.push_back(std::move(it));
  }
  for (uint32_t i = 0; i < d.function_count; ++i) m.func_type_index.push_back(d.functions[i].type_index);
  for (uint32_t i = 0; i < d.table_count; ++i) m.table_types.push_back(to_table_type(d.tables[i]));
  for (uint32_t i = 0; i < d.memory_count; ++i) m.memory_types.push_back(MemoryType{to_limits(d.memories[i].limits)});
  for (uint32_t i = 0; i < d.global_count; ++i) m.global_types.push_back(to_global_type(d.globals[i].type));
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

std::string_view ModuleState::export_name(uint32_t index) const {
  const abi::Export& ex = descriptor->exports[index];
  return {ex.name, ex.name_length};
}

const std::vector<ExportType>& ModuleState::export_types() const {
  std::call_once(exports_once_, [this] {
    const abi::Descriptor& d = *descriptor;
    exports_.reserve(d.export_count);
    for (uint32_t i = 0; i < d.export_count; ++i) {
      const abi::Export& ex = d.exports[i];
      ExportType et{std::string(export_name(i)), {}};
      et.type.kind = ExternKind(ex.kind);
      switch (ex.kind) {
        case abi::ExternKind::Func: et.type.func = types[func_type_index[ex.index]]; break;
        case abi::ExternKind::Table: et.type.table = table_types[ex.index]; break;
        case abi::ExternKind::Memory: et.type.memory = memory_types[ex.index]; break;
        case abi::ExternKind::Global: et.type.global = global_types[ex.index]; break;
      }
      exports_.push_back(std::move(et));
    }
  });
  return exports_;
}

std::optional<uint32_t> ModuleState::find_export(std::string_view name) const {
  std::call_once(export_index_once_, [this] {
    const uint32_t count = descriptor->export_count;
    size_t slots = 8;
    while (slots < 2 * size_t(count)) slots *= 2;  // at most half full
    export_slots_.assign(slots, 0);
    for (uint32_t i = 0; i < count; ++i) {
      const std::string_view key = export_name(i);
      for (size_t at = std::hash<std::string_view>{}(key) & (slots - 1);; at = (at + 1) & (slots - 1)) {
        if (export_slots_[at] == 0) {
          export_slots_[at] = i + 1;
          break;
        }
        if (export_name(export_slots_[at] - 1) == key) break;  // repeated: the first stays
      }
    }
  });
  const size_t mask = export_slots_.size() - 1;
  for (size_t at = std::hash<std::string_view>{}(name) & mask;; at = (at + 1) & mask) {
    const uint32_t slot = export_slots_[at];
    if (slot == 0) return std::nullopt;
    if (export_name(slot - 1) == name) return slot - 1;
  }
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
const std::vector<ExportType>& Module::exports() const { return state_->export_types(); }

}  // namespace kiln
