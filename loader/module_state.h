// A loaded artifact: its registered code and the descriptor, decoded into the
// public types once.
#pragma once
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "abi/descriptor.h"
#include "kiln/module.h"
#include "kiln/tag.h"
#include "loader/platform/code_registry.h"
#include "loader/result.h"

namespace kiln::loader {

class ModuleState {
 public:
  std::string path;  // or the name given to Module::linked
  const abi::Descriptor* descriptor = nullptr;  // inside the mapped library
  std::unique_ptr<RegisteredCode> code;

  std::vector<FuncType> types;
  std::vector<uint32_t> type_ids;        // canonical id of each type index
  std::vector<ImportType> imports;
  std::vector<uint32_t> func_type_index; // every function, imports first
  std::vector<TableType> table_types;    // every table, imports first
  std::vector<MemoryType> memory_types;  // every memory, imports first
  std::vector<GlobalType> global_types;  // every global, imports first
  std::vector<TagType> tag_types;        // every tag, imports first
  uint32_t imported_funcs = 0;
  uint32_t imported_tables = 0;
  uint32_t imported_memories = 0;
  uint32_t imported_globals = 0;

  uint32_t total_funcs() const { return uint32_t(func_type_index.size()); }
  uint32_t total_tables() const { return imported_tables + descriptor->table_count; }
  uint32_t total_memories() const { return imported_memories + descriptor->memory_count; }
  uint32_t total_globals() const { return imported_globals + descriptor->global_count; }
  /// Type of global `index` (imports first).
  abi::GlobalType global_type(uint32_t index) const;
  /// Display name of function `index`: its name-section name, or "".
  const char* func_name(uint32_t index) const;

  /// The exports in the public form, made on first use: a module may export
  /// thousands of functions, and loading should not pay for copying their
  /// types unless asked.
  const std::vector<ExportType>& export_types() const;
  /// Index into descriptor->exports of the export called `name` (the first
  /// one, should names repeat). The name table is built on first use.
  std::optional<uint32_t> find_export(std::string_view name) const;

 private:
  std::string_view export_name(uint32_t index) const;
  mutable std::once_flag exports_once_;
  mutable std::vector<ExportType> exports_;
  mutable std::once_flag export_index_once_;
  // Open addressing over export names: export index + 1, or 0 for empty.
  mutable std::vector<uint32_t> export_slots_;
};

/// Fills the decoded views of `m.descriptor` (already checked) that every
/// instantiation needs; exports are decoded on demand.
void decode_descriptor(ModuleState& m);

/// Loads, checks and registers the artifact at `path`; fails with a line
/// naming the file and the problem.
Result<std::shared_ptr<ModuleState>> load_module_state(const std::string& path);

/// Checks and registers the descriptor of a module linked into the program
/// (once: later calls return the same state, which is never released, as the
/// code is never unmapped); fails with a line naming `name`.
Result<std::shared_ptr<ModuleState>> linked_module_state(const abi::Descriptor& descriptor,
                                                         std::string_view name);

/// Where the ImageOffsets of a mapped descriptor may point, in bytes from it:
/// tables and strings in [0, data_size) (its section), code in
/// [code_begin, code_end) (the executable segment).
struct DescriptorBounds {
  uint64_t data_size = 0;
  int64_t code_begin = 0, code_end = 0;
};

/// Checks the part of a mapped descriptor after the fixed header (counts,
/// offsets, indices, trap sites); fails with the first problem found.
Status check_descriptor(const abi::Descriptor& d, const DescriptorBounds& bounds);

}  // namespace kiln::loader
