// Instance exports and Caller.
#include "kiln/instance.h"
#include "loader/handle_access.h"

#include "kiln/caller.h"
#include "kiln/error.h"
#include "loader/instance_exports.h"
#include "loader/store_state.h"

namespace kiln::loader {

Extern instance_extern(const std::shared_ptr<StoreState>& store, const InstanceState& instance, ExternKind kind,
                       uint32_t index) {
  switch (kind) {
    case ExternKind::Func: return loader::HandleAccess::make<Func>(store, FuncRecord::from(instance.vm_funcs[index]));
    case ExternKind::Table: return loader::HandleAccess::make<Table>(store, TableState::from(instance.vm_tables[index]));
    case ExternKind::Memory: return loader::HandleAccess::make<Memory>(store, instance.memories[index]);
    case ExternKind::Global: return loader::HandleAccess::make<Global>(store, GlobalState::from(instance.vm_globals[index]));
    case ExternKind::Tag:
      return loader::HandleAccess::make<Tag>(store, static_cast<loader::TagState*>(const_cast<void*>(instance.vm_tags[index])));
  }
  throw Error("bad extern kind");
}

}  // namespace kiln::loader

namespace kiln {

namespace {
loader::InstanceState& live(loader::InstanceState* state) {
  if (!state) throw Error("use of a null Instance");
  return *state;
}

template <class T>
T export_of_kind(const Instance& instance, std::string_view name, ExternKind kind,
                 T (Extern::*get)() const) {
  std::optional<Extern> e = instance.get_export(name);
  if (!e) throw Error("no export named '" + std::string(name) + "'");
  if (e->kind() != kind)
    throw Error("export '" + std::string(name) + "' is a " + to_string(e->kind()) + ", not a " + to_string(kind));
  return (*e.*get)();
}
}  // namespace

Module Instance::module() const { return loader::HandleAccess::make<Module>(live(state_).module); }

std::optional<Extern> Instance::get_export(std::string_view name) const {
  loader::InstanceState& s = live(state_);
  const loader::ModuleState& m = *s.module;
  std::optional<uint32_t> index = m.find_export(name);
  if (!index) return std::nullopt;
  const abi::Export& ex = m.descriptor->at<abi::Export>(m.descriptor->exports)[*index];
  return loader::instance_extern(store_, s, ExternKind(ex.kind), ex.index);
}

std::vector<InstanceExport> Instance::exports() const {
  loader::InstanceState& s = live(state_);
  const abi::Descriptor& d = *s.module->descriptor;
  const abi::Export* exports = d.at<abi::Export>(d.exports);
  std::vector<InstanceExport> out;
  out.reserve(d.export_count);
  for (uint32_t i = 0; i < d.export_count; ++i) {
    const abi::Export& ex = exports[i];
    std::string name = ex.name_length ? std::string(d.at<char>(ex.name), ex.name_length) : std::string();
    out.push_back({std::move(name), loader::instance_extern(store_, s, ExternKind(ex.kind), ex.index)});
  }
  return out;
}

Func Instance::func(std::string_view name) const {
  return export_of_kind(*this, name, ExternKind::Func, &Extern::func);
}
Memory Instance::memory(std::string_view name) const {
  return export_of_kind(*this, name, ExternKind::Memory, &Extern::memory);
}
Global Instance::global(std::string_view name) const {
  return export_of_kind(*this, name, ExternKind::Global, &Extern::global);
}
Table Instance::table(std::string_view name) const {
  return export_of_kind(*this, name, ExternKind::Table, &Extern::table);
}
Tag Instance::tag(std::string_view name) const {
  return export_of_kind(*this, name, ExternKind::Tag, &Extern::tag);
}

std::optional<Extern> Caller::get_export(std::string_view name) const {
  const Instance& caller = instance();
  if (!caller) return std::nullopt;
  return caller.get_export(name);
}

Memory Caller::memory(std::string_view name) const {
  const Instance& caller = instance();
  if (!caller) throw Error("host function has no calling instance to take memory '" + std::string(name) + "' from");
  return caller.memory(name);
}

}  // namespace kiln
