// Instance::create: linking, allocation, segment initialization and start.
#include <cstring>

#include "kiln/error.h"
#include "loader/handle_access.h"
#include "kiln/imports.h"
#include "kiln/instance.h"
#include "kiln/store.h"
#include "loader/builtins.h"
#include "loader/store_state.h"

namespace kiln {

namespace {

using loader::InstanceState;
using loader::ModuleState;
using loader::StoreState;

std::string import_name(const ImportType& im) { return im.module + "." + im.name; }

bool limits_match(const Limits& expected, const Limits& actual) {
  if (actual.min < expected.min) return false;
  if (!expected.max) return true;
  return actual.max && *actual.max <= *expected.max;
}

bool type_matches(const ExternType& expected, const ExternType& actual) {
  if (expected.kind() != actual.kind()) return false;
  switch (expected.kind()) {
    case ExternKind::Func: return expected.func() == actual.func();
    case ExternKind::Table:
      return expected.table().elem_type == actual.table().elem_type &&
             limits_match(expected.table().limits, actual.table().limits);
    case ExternKind::Memory:
      // Threads: shared memories match only shared imports, and the reverse;
      // memory64: the address types must be the same.
      return expected.memory().shared == actual.memory().shared &&
             expected.memory().address64 == actual.memory().address64 &&
             limits_match(expected.memory().limits, actual.memory().limits);
    case ExternKind::Global: return expected.global() == actual.global();
    case ExternKind::Tag: return expected.tag() == actual.tag();
  }
  return false;
}

[[noreturn]] void incompatible(const ImportType& im, const ExternType& actual) {
  throw Error("incompatible import type for " + import_name(im) + ": expected " + im.type.to_string() + ", got " +
              actual.to_string());
}

StoreState* store_of(const Extern& e) {
  switch (e.kind()) {
    case ExternKind::Func: return loader::HandleAccess::store_state(e.func()).get();
    case ExternKind::Table: return loader::HandleAccess::store_state(e.table()).get();
    case ExternKind::Memory: return loader::HandleAccess::store_state(e.memory()).get();
    case ExternKind::Global: return loader::HandleAccess::store_state(e.global()).get();
    case ExternKind::Tag: return loader::HandleAccess::store_state(e.tag()).get();
  }
  throw Error("bad extern kind");
}

/// Finds and type-checks every import before the store is touched.
std::vector<const Imports::Entry*> resolve_imports(StoreState& store, const ModuleState& m, const Imports& imports) {
  std::vector<const Imports::Entry*> resolved;
  for (const ImportType& im : m.imports) {
    const Imports::Entry* entry = imports.find(im.module, im.name);
    if (!entry) throw Error("unknown import: " + import_name(im));
    if (const auto* host = std::get_if<Imports::HostFunc>(entry)) {
      ExternType actual = host->type;
      if (!type_matches(im.type, actual)) incompatible(im, actual);
    } else {
      const Extern& e = std::get<Extern>(*entry);
      if (store_of(e) != &store)
        throw Error("import " + import_name(im) + " belongs to another store");
      ExternType actual = e.type();
      if (!type_matches(im.type, actual)) incompatible(im, actual);
    }
    resolved.push_back(entry);
  }
  return resolved;
}

void eval_const(const abi::ConstExpr& e, const InstanceState& instance, uint8_t* out16);

/// An extended-const Sequence (checked: integer operands, a balanced stack).
void eval_sequence(const abi::ConstExpr& e, const InstanceState& instance, uint8_t* out16) {
  abi::ImageOffset at;
  std::memcpy(&at, e.bytes, sizeof at);
  const abi::ConstExpr* ops = instance.module->descriptor->at<abi::ConstExpr>(at);
  std::vector<uint64_t> stack;
  for (uint32_t i = 0; i < e.index; ++i) {
    const abi::ConstExpr& op = ops[i];
    if (!abi::is_const_arithmetic(op.kind)) {
      uint8_t value[16];
      eval_const(op, instance, value);
      uint64_t v;
      std::memcpy(&v, value, sizeof v);
      stack.push_back(v);
      continue;
    }
    const uint64_t b = stack.back();
    stack.pop_back();
    uint64_t& a = stack.back();
    switch (op.kind) {
      case abi::ConstKind::I32Add: a = uint32_t(a + b); break;
      case abi::ConstKind::I32Sub: a = uint32_t(a - b); break;
      case abi::ConstKind::I32Mul: a = uint32_t(uint32_t(a) * uint32_t(b)); break;
      case abi::ConstKind::I64Add: a += b; break;
      case abi::ConstKind::I64Sub: a -= b; break;
      default: a *= b; break;  // I64Mul
    }
  }
  std::memcpy(out16, &stack.back(), sizeof(uint64_t));
}

/// Evaluates a constant expression into 16 bytes of wasm storage.
void eval_const(const abi::ConstExpr& e, const InstanceState& instance, uint8_t* out16) {
  std::memset(out16, 0, 16);
  switch (e.kind) {
    case abi::ConstKind::I32: case abi::ConstKind::I64: case abi::ConstKind::F32:
    case abi::ConstKind::F64: case abi::ConstKind::V128:
      std::memcpy(out16, e.bytes, 16);
      break;
    case abi::ConstKind::GlobalGet:
      std::memcpy(out16, instance.vm_globals[e.index]->bytes, 16);
      break;
    case abi::ConstKind::RefNull:
      break;
    case abi::ConstKind::RefFunc: {
      void* ref = instance.vm_funcs[e.index];
      std::memcpy(out16, &ref, sizeof ref);
      break;
    }
    case abi::ConstKind::Sequence:
      eval_sequence(e, instance, out16);
      break;
    default:  // arithmetic occurs only inside a Sequence (checked)
      break;
  }
}

/// A segment offset: i32, or i64 for a 64-bit memory's data (memory64).
uint64_t eval_offset(const abi::ConstExpr& e, const InstanceState& instance) {
  uint8_t bytes[16];
  eval_const(e, instance, bytes);
  if (e.type == abi::ValType::I64) {
    uint64_t offset;
    std::memcpy(&offset, bytes, sizeof offset);
    return offset;
  }
  uint32_t offset;
  std::memcpy(&offset, bytes, sizeof offset);
  return offset;
}

void* eval_ref(const abi::ConstExpr& e, const InstanceState& instance) {
  uint8_t bytes[16];
  eval_const(e, instance, bytes);
  void* ref;
  std::memcpy(&ref, bytes, sizeof ref);
  return ref;
}

/// Links the imports into the instance's index spaces.
void link_imports(StoreState& store, InstanceState& instance, const std::vector<const Imports::Entry*>& resolved) {
  const ModuleState& m = *instance.module;
  const abi::Descriptor& d = *m.descriptor;
  const abi::Import* imports = d.at<abi::Import>(d.imports);
  for (uint32_t i = 0; i < d.import_count; ++i) {
    const abi::Import& im = imports[i];
    if (const auto* host = std::get_if<Imports::HostFunc>(resolved[i])) {
      loader::HostFuncState* h = store.add_host_func(host->type, host->callback).or_throw();
      loader::bind_host_adapter(*h, instance.module, im.type_index);
      instance.vm_funcs.push_back(&h->record.ref);
      continue;
    }
    const Extern& e = std::get<Extern>(*resolved[i]);
    switch (im.kind) {
      case abi::ExternKind::Func: {
        loader::FuncRecord* r = loader::HandleAccess::record(e.func());
        if (r->host) loader::bind_host_adapter(*r->host, instance.module, im.type_index);
        instance.vm_funcs.push_back(&r->ref);
        break;
      }
      case abi::ExternKind::Table: instance.vm_tables.push_back(&loader::HandleAccess::state(e.table())->vm); break;
      case abi::ExternKind::Memory: instance.memories.push_back(loader::HandleAccess::state(e.memory())); break;
      case abi::ExternKind::Global: instance.vm_globals.push_back(&loader::HandleAccess::state(e.global())->value); break;
      // The importer throws and catches the exporter's tag itself.
      case abi::ExternKind::Tag: instance.vm_tags.push_back(loader::HandleAccess::state(e.tag())); break;
    }
  }
}

/// Allocates the module's own functions, tables, memories and globals.
void allocate_definitions(StoreState& store, InstanceState& instance) {
  const ModuleState& m = *instance.module;
  const abi::Descriptor& d = *m.descriptor;
  instance.defined_funcs.resize(d.function_count);
  const abi::Function* functions = d.at<abi::Function>(d.functions);
  for (uint32_t i = 0; i < d.function_count; ++i) {
    loader::FuncRecord& r = instance.defined_funcs[i];
    // A module using return_call* has swifttailcc bodies behind swiftcc entries.
    if (functions[i].entry != 0) {
      r.ref.code = d.code_at(functions[i].entry);
      r.ref.tail_code = d.code_at(functions[i].code);
    } else {
      r.ref.code = d.code_at(functions[i].code);
    }
    r.ref.vmctx = instance.vmctx;
    r.ref.type_id = m.type_ids[functions[i].type_index];
    r.store = &store;
    r.instance = &instance;
    r.func_index = m.imported_funcs + i;
    r.type_index = functions[i].type_index;
    instance.vm_funcs.push_back(&r.ref);
  }
  const abi::TableType* tables = d.at<abi::TableType>(d.tables);
  for (uint32_t i = 0; i < d.table_count; ++i) {
    const abi::TableType& t = tables[i];
    std::optional<uint64_t> max;
    if (t.limits.has_max) max = t.limits.max;
    instance.vm_tables.push_back(&store.add_table(ValType(t.elem_type), t.limits.min, max, nullptr).or_throw()->vm);
  }
  const abi::MemoryType* memories = d.at<abi::MemoryType>(d.memories);
  for (uint32_t i = 0; i < d.memory_count; ++i) {
    const abi::Limits& l = memories[i].limits;
    std::optional<uint64_t> max;
    if (l.has_max) max = l.max;
    instance.memories.push_back(store.add_memory(l.min, max, l.shared != 0, l.address64 != 0).or_throw());
  }
  // Globals in order: an initializer may read the globals before it.
  const abi::Global* globals = d.at<abi::Global>(d.globals);
  for (uint32_t i = 0; i < d.global_count; ++i) {
    const abi::Global& g = globals[i];
    loader::GlobalState* state = store.add_global(GlobalType{ValType(g.type.type), g.type.mutable_ != 0});
    eval_const(g.init, instance, state->value.bytes);
    instance.vm_globals.push_back(&state->value);
  }
  const uint32_t* tags = d.at<uint32_t>(d.tags);
  for (uint32_t i = 0; i < d.tag_count; ++i)
    instance.vm_tags.push_back(store.add_tag(TagType{m.types[tags[i]].params}));
}

/// Points the VMContext at the instance's arrays.
void fill_vmctx(StoreState& store, InstanceState& instance) {
  abi::VMContext& v = *instance.vmctx;
  for (loader::MemoryState* memory : instance.memories) instance.vm_memories.push_back(&memory->vm);
  if (!instance.memories.empty()) {
    v.memory = instance.vm_memories[0];
    v.memory_base = v.memory->base;
    v.memories = instance.vm_memories.data();
  }
  v.store = &store.vm;
  v.builtins = loader::builtins();
  v.globals = instance.vm_globals.data();
  v.tables = instance.vm_tables.data();
  v.funcs = instance.vm_funcs.data();
  v.type_ids = instance.module->type_ids.data();
  v.instance = &instance;
  v.tags = instance.vm_tags.data();
}

/// Segment contents as the instance sees them (element items evaluated).
void prepare_segments(InstanceState& instance) {
  const abi::Descriptor& d = *instance.module->descriptor;
  const abi::DataSegment* data = d.at<abi::DataSegment>(d.data);
  for (uint32_t i = 0; i < d.data_count; ++i)
    instance.data.push_back({d.at<uint8_t>(data[i].bytes), data[i].size});
  instance.elems.resize(d.elem_count);
  const abi::ElemSegment* elems = d.at<abi::ElemSegment>(d.elems);
  for (uint32_t i = 0; i < d.elem_count; ++i) {
    const abi::ElemSegment& s = elems[i];
    const abi::ConstExpr* items = d.at<abi::ConstExpr>(s.items);
    std::vector<void*>& refs = instance.elems[i].refs;
    refs.reserve(s.count);
    for (uint64_t k = 0; k < s.count; ++k) refs.push_back(eval_ref(items[k], instance));
  }
}

/// Applies active segments and drops active and declarative ones, in the
/// spec's order; throws kiln::Trap at the first out-of-bounds segment.
void initialize_segments(InstanceState& instance) {
  const abi::Descriptor& d = *instance.module->descriptor;
  const abi::ElemSegment* elems = d.at<abi::ElemSegment>(d.elems);
  for (uint32_t i = 0; i < d.elem_count; ++i) {
    const abi::ElemSegment& s = elems[i];
    if (s.mode == abi::SegmentMode::Active) {
      uint32_t offset = uint32_t(eval_offset(s.offset, instance));  // checked: i32
      uint32_t len = uint32_t(instance.elems[i].refs.size());
      abi::TrapCode trap = loader::table_init(instance, s.table_index, i, offset, 0, len);
      if (trap != abi::TrapCode::None) throw Trap(TrapKind(trap));
    }
    if (s.mode != abi::SegmentMode::Passive) loader::elem_drop(instance, i);
  }
  const abi::DataSegment* data = d.at<abi::DataSegment>(d.data);
  for (uint32_t i = 0; i < d.data_count; ++i) {
    const abi::DataSegment& s = data[i];
    if (s.mode != abi::SegmentMode::Active) continue;
    uint64_t offset = eval_offset(s.offset, instance);
    uint64_t len = instance.data[i].size;
    abi::TrapCode trap = loader::memory_init(instance, s.memory_index, i, offset, 0, len);
    if (trap != abi::TrapCode::None) throw Trap(TrapKind(trap));
    loader::data_drop(instance, i);
  }
}

}  // namespace

Instance Instance::create(Store& store, const Module& module, const Imports& imports) {
  const std::shared_ptr<StoreState>& store_state = loader::HandleAccess::state(store);
  StoreState& s = *store_state;
  std::vector<const Imports::Entry*> resolved = resolve_imports(s, *loader::HandleAccess::state(module), imports);

  auto owned = std::make_unique<InstanceState>();
  InstanceState& instance = *owned;
  instance.store = &s;
  instance.module = loader::HandleAccess::state(module);
  instance.pages = loader::PollPage::create(&s.vm).or_throw();
  instance.vmctx = instance.pages->context();
  // Each index space is sized once (no regrowth while linking and allocating).
  const ModuleState& m = *instance.module;
  instance.vm_funcs.reserve(m.total_funcs());
  instance.vm_tables.reserve(m.total_tables());
  instance.vm_globals.reserve(m.total_globals());
  instance.memories.reserve(m.total_memories());
  instance.vm_memories.reserve(m.total_memories());
  instance.data.reserve(m.descriptor->data_count);
  link_imports(s, instance, resolved);
  loader::bind_host_adapters_for(s, instance.module);
  allocate_definitions(s, instance);
  fill_vmctx(s, instance);
  prepare_segments(instance);

  // From here on the instance exists in the store: what segments write into
  // imported tables and memories stays, even if a later segment traps.
  s.add_instance(std::move(owned));
  Instance result(store_state, &instance);
  initialize_segments(instance);
  uint32_t start = instance.module->descriptor->start_function;
  if (start != UINT32_MAX) loader::HandleAccess::make<Func>(store_state, loader::FuncRecord::from(instance.vm_funcs[start])).call();
  return result;
}

}  // namespace kiln
