// Module::load: check, map, validate and register an artifact.
#include "kiln/module.h"

#include <unistd.h>

#include <cstring>
#include <functional>
#include <string_view>

#include "abi/function_names.h"
#include "abi/version.h"
#include "loader/module_state.h"
#include "loader/platform/artifact_file.h"
#include "loader/platform/perf_map.h"
#include "loader/platform/shared_library.h"
#include "loader/platform/valgrind_image.h"
#include "loader/type_registry.h"

namespace kiln::loader {

namespace {

Limits to_limits(const abi::Limits& l) {
  Limits out;
  out.min = l.min;
  if (l.has_max) out.max = l.max;
  return out;
}

FuncType to_func_type(const abi::Descriptor& d, const abi::FuncType& t) {
  FuncType out;
  const abi::ValType* params = d.at<abi::ValType>(t.params);
  const abi::ValType* results = d.at<abi::ValType>(t.results);
  out.params.reserve(t.param_count);
  out.results.reserve(t.result_count);
  for (uint32_t i = 0; i < t.param_count; ++i) out.params.push_back(ValType(params[i]));
  for (uint32_t i = 0; i < t.result_count; ++i) out.results.push_back(ValType(results[i]));
  return out;
}

TableType to_table_type(const abi::TableType& t) { return TableType{ValType(t.elem_type), to_limits(t.limits)}; }
GlobalType to_global_type(const abi::GlobalType& g) { return GlobalType{ValType(g.type), g.mutable_ != 0}; }

}  // namespace

void decode_descriptor(ModuleState& m) {
  const abi::Descriptor& d = *m.descriptor;
  m.types.reserve(d.type_count);
  m.type_ids.reserve(d.type_count);
  const abi::FuncType* types = d.at<abi::FuncType>(d.types);
  for (uint32_t i = 0; i < d.type_count; ++i) {
    m.types.push_back(to_func_type(d, types[i]));
    m.type_ids.push_back(canonical_type_id(m.types.back()));
  }
  m.imports.reserve(d.import_count);
  m.func_type_index.reserve(size_t(d.import_count) + d.function_count);
  const abi::Import* imports = d.at<abi::Import>(d.imports);
  for (uint32_t i = 0; i < d.import_count; ++i) {
    const abi::Import& im = imports[i];
    ImportType it{std::string(d.at<char>(im.module), im.module_length),
                  std::string(d.at<char>(im.name), im.name_length), {}};
    switch (im.kind) {
      case abi::ExternKind::Func:
        it.type = m.types[im.type_index];
        m.func_type_index.push_back(im.type_index);
        ++m.imported_funcs;
        break;
      case abi::ExternKind::Table:
        m.table_types.push_back(to_table_type(im.table));
        it.type = m.table_types.back();
        ++m.imported_tables;
        break;
      case abi::ExternKind::Memory:
        m.memory_types.push_back(MemoryType{.limits = to_limits(im.memory.limits),
                                            .shared = im.memory.limits.shared != 0,
                                            .address64 = im.memory.limits.address64 != 0});
        it.type = m.memory_types.back();
        ++m.imported_memories;
        break;
      case abi::ExternKind::Global:
        m.global_types.push_back(to_global_type(im.global));
        it.type = m.global_types.back();
        ++m.imported_globals;
        break;
      case abi::ExternKind::Tag:
        m.tag_types.push_back(TagType{m.types[im.type_index].params});
        it.type = m.tag_types.back();
        break;
    }
    m.imports.push_back(std::move(it));
  }
  const abi::Function* functions = d.at<abi::Function>(d.functions);
  const abi::TableType* tables = d.at<abi::TableType>(d.tables);
  const abi::MemoryType* memories = d.at<abi::MemoryType>(d.memories);
  const abi::Global* globals = d.at<abi::Global>(d.globals);
  for (uint32_t i = 0; i < d.function_count; ++i) m.func_type_index.push_back(functions[i].type_index);
  for (uint32_t i = 0; i < d.table_count; ++i) m.table_types.push_back(to_table_type(tables[i]));
  for (uint32_t i = 0; i < d.memory_count; ++i)
    m.memory_types.push_back(MemoryType{.limits = to_limits(memories[i].limits),
                                        .shared = memories[i].limits.shared != 0,
                                        .address64 = memories[i].limits.address64 != 0});
  for (uint32_t i = 0; i < d.global_count; ++i) m.global_types.push_back(to_global_type(globals[i].type));
  const uint32_t* tags = d.at<uint32_t>(d.tags);
  for (uint32_t i = 0; i < d.tag_count; ++i) m.tag_types.push_back(TagType{m.types[tags[i]].params});
}

abi::GlobalType ModuleState::global_type(uint32_t index) const {
  const abi::Descriptor& d = *descriptor;
  if (index >= imported_globals) return d.at<abi::Global>(d.globals)[index - imported_globals].type;
  const abi::Import* imports = d.at<abi::Import>(d.imports);
  uint32_t n = 0;
  for (uint32_t i = 0; i < d.import_count; ++i)
    if (imports[i].kind == abi::ExternKind::Global && n++ == index) return imports[i].global;
  return {};
}

const char* ModuleState::func_name(uint32_t index) const {
  if (index < imported_funcs || index >= total_funcs()) return "";
  const abi::Descriptor& d = *descriptor;
  const char* name = d.at<char>(d.at<abi::Function>(d.functions)[index - imported_funcs].name);
  return name ? name : "";
}

std::string_view ModuleState::export_name(uint32_t index) const {
  const abi::Descriptor& d = *descriptor;
  const abi::Export& ex = d.at<abi::Export>(d.exports)[index];
  return ex.name_length ? std::string_view(d.at<char>(ex.name), ex.name_length) : std::string_view();
}

const std::vector<ExportType>& ModuleState::export_types() const {
  std::call_once(exports_once_, [this] {
    const abi::Descriptor& d = *descriptor;
    exports_.reserve(d.export_count);
    const abi::Export* exports = d.at<abi::Export>(d.exports);
    for (uint32_t i = 0; i < d.export_count; ++i) {
      const abi::Export& ex = exports[i];
      ExportType et{std::string(export_name(i)), {}};
      switch (ex.kind) {
        case abi::ExternKind::Func: et.type = types[func_type_index[ex.index]]; break;
        case abi::ExternKind::Table: et.type = table_types[ex.index]; break;
        case abi::ExternKind::Memory: et.type = memory_types[ex.index]; break;
        case abi::ExternKind::Global: et.type = global_types[ex.index]; break;
        case abi::ExternKind::Tag: et.type = tag_types[ex.index]; break;
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

namespace {

/// Moves the module's code to anonymous pages and names its functions in
/// perf's map (see perf_map.h), as abi/function_names.h spells them.
void publish_to_perf(const ModuleState& state, uintptr_t code, uint64_t code_size) {
  if (code_size == 0) return;
  const uintptr_t page = uintptr_t(::sysconf(_SC_PAGESIZE));
  const uintptr_t begin = code & ~(page - 1);
  const uintptr_t end = (code + code_size + page - 1) & ~(page - 1);
  if (!make_code_anonymous(begin, end - begin)) return;
  const abi::Descriptor& d = *state.descriptor;
  const abi::Function* functions = d.at<abi::Function>(d.functions);
  std::vector<PerfMapEntry> entries;
  entries.reserve(d.function_count);
  for (uint32_t i = 0; i < d.function_count; ++i) {
    const abi::Function& f = functions[i];
    std::string name = abi::function_display_name(f.name ? d.at<char>(f.name) : "",
                                                  state.imported_funcs + i);
    entries.push_back({reinterpret_cast<uintptr_t>(d.code_at(f.code)), f.code_size, std::move(name)});
  }
  append_perf_map(entries);
}

}  // namespace

Result<std::shared_ptr<ModuleState>> load_module_state(const std::string& path) {
  // Checked and then loaded from the same sealed copy of the file.
  Result<std::unique_ptr<ArtifactImage>> image = open_artifact(path);
  if (!image) return std::move(image).failure();
  const ArtifactHeader header = (*image)->header();
  // Under valgrind, from a file it can read the symbols from (best effort).
  std::unique_ptr<NamedImageCopy> named =
      running_on_valgrind() ? NamedImageCopy::create((*image)->fd(), path) : nullptr;
  Result<std::unique_ptr<SharedLibrary>> opened =
      SharedLibrary::open(named ? named->path() : (*image)->load_path());
  if (!opened) return std::move(opened).failure().within(path + ": cannot load");
  std::unique_ptr<SharedLibrary> library = std::move(*opened);
  image->reset();  // the mapping keeps the bytes
  if (named && !named->matches_mapping(library->base()))
    return fail(path + ": its copy for valgrind changed before it was mapped");
  named.reset();
  auto* descriptor = static_cast<const abi::Descriptor*>(library->symbol(abi::kDescriptorSymbol));
  if (!descriptor) return fail(path + ": no " + abi::kDescriptorSymbol + " symbol");
  // The mapped descriptor must be the one checked in the file, where the
  // section header and program headers said it would be.
  const ImageLayout& layout = header.layout;
  const uintptr_t base = library->base();
  if (reinterpret_cast<uintptr_t>(descriptor) != base + layout.descriptor_vaddr)
    return fail(path + ": " + abi::kDescriptorSymbol + " is not at the start of its section");
  if (std::memcmp(descriptor, header.bytes, abi::kDescriptorHeaderSize) != 0)
    return fail(path + ": the loaded descriptor differs from the file's");
  DescriptorBounds bounds;
  bounds.data_size = layout.descriptor_size;
  bounds.code_begin = int64_t(layout.code_vaddr) - int64_t(layout.descriptor_vaddr);
  bounds.code_end = bounds.code_begin + int64_t(layout.code_size);
  Status sound = check_descriptor(*descriptor, bounds);
  if (!sound) return std::move(sound).failure().within(path + ": bad descriptor");

  auto state = std::make_shared<ModuleState>();
  state->path = path;
  state->descriptor = descriptor;
  decode_descriptor(*state);
  if (perf_map_enabled()) publish_to_perf(*state, base + layout.code_vaddr, layout.code_size);
  state->code = std::make_unique<RegisteredCode>(std::move(library), descriptor, state.get());
  return state;
}

}  // namespace kiln::loader

namespace kiln {

Module Module::load(const std::string& path) { return Module(loader::load_module_state(path).or_throw()); }

const std::string& Module::name() const { return state_->path; }
const std::vector<ImportType>& Module::imports() const { return state_->imports; }
const std::vector<ExportType>& Module::exports() const { return state_->export_types(); }

}  // namespace kiln
