// Sanity checks of an artifact's descriptor before anything trusts it.
#include <string>

#include "abi/trap_codes.h"
#include "loader/module_state.h"

namespace kiln::loader {

namespace {

struct Counts {
  uint32_t funcs = 0, tables = 0, memories = 0, globals = 0;
};

bool valid_val_type(abi::ValType t) {
  switch (t) {
    case abi::ValType::I32: case abi::ValType::I64: case abi::ValType::F32:
    case abi::ValType::F64: case abi::ValType::V128: case abi::ValType::FuncRef:
    case abi::ValType::ExternRef:
      return true;
  }
  return false;
}

// Each check takes `what`, a callable naming the checked item: the name is
// built only for a message, never on the success path (modules have
// thousands of functions, exports and trap sites).
template <class What>
std::string check_limits(const abi::Limits& l, uint64_t cap, const What& what) {
  if (l.has_max > 1) return what() + ": bad has_max flag";
  if (l.min > cap) return what() + ": minimum " + std::to_string(l.min) + " exceeds " + std::to_string(cap);
  if (l.has_max && l.max > cap) return what() + ": maximum " + std::to_string(l.max) + " exceeds " + std::to_string(cap);
  if (l.has_max && l.max < l.min) return what() + ": maximum below minimum";
  return "";
}

template <class What>
std::string check_table_type(const abi::TableType& t, const What& what) {
  if (!abi::is_ref(t.elem_type)) return what() + ": element type is not a reference type";
  return check_limits(t.limits, UINT32_MAX, what);
}

template <class What>
std::string check_global_type(const abi::GlobalType& g, const What& what) {
  if (!valid_val_type(g.type)) return what() + ": bad value type";
  if (g.mutable_ > 1) return what() + ": bad mutability flag";
  return "";
}

/// Value type of global `index` (imports first); the index is in range.
abi::ValType global_val_type(const abi::Descriptor& d, const Counts& imported, uint32_t index) {
  if (index >= imported.globals) return d.globals[index - imported.globals].type.type;
  uint32_t n = 0;
  for (uint32_t i = 0; i < d.import_count; ++i)
    if (d.imports[i].kind == abi::ExternKind::Global && n++ == index) return d.imports[i].global.type;
  return abi::ValType::I32;
}

/// A constant expression of type `type` that may read globals below `global_limit`.
template <class What>
std::string check_const(const abi::ConstExpr& e, abi::ValType type, uint32_t global_limit,
                        const Counts& total, const abi::Descriptor& d, const Counts& imported,
                        const What& what) {
  switch (e.kind) {
    case abi::ConstKind::I32: case abi::ConstKind::I64: case abi::ConstKind::F32:
    case abi::ConstKind::F64: case abi::ConstKind::V128: case abi::ConstKind::RefNull:
      break;
    case abi::ConstKind::GlobalGet:
      if (e.index >= global_limit) return what() + ": global.get " + std::to_string(e.index) + " out of range";
      break;
    case abi::ConstKind::RefFunc:
      if (e.index >= total.funcs) return what() + ": ref.func " + std::to_string(e.index) + " out of range";
      break;
    default:
      return what() + ": unknown constant kind " + std::to_string(int(e.kind));
  }
  if (e.type != type) return what() + ": constant has type " + abi::val_type_name(e.type) +
                             ", expected " + abi::val_type_name(type);
  if (e.kind == abi::ConstKind::GlobalGet) {
    abi::ValType gt = global_val_type(d, imported, e.index);
    if (gt != type) return what() + ": global.get of a " + abi::val_type_name(gt) + " global";
  }
  return "";
}

}  // namespace

std::string check_descriptor(const abi::Descriptor& d) {
  if (d.descriptor_size < sizeof(abi::Descriptor))
    return "descriptor size " + std::to_string(d.descriptor_size) + " is smaller than " +
           std::to_string(sizeof(abi::Descriptor));
  if (d.bounds_check != abi::BoundsCheck::GuardRegion && d.bounds_check != abi::BoundsCheck::Explicit)
    return "unknown bounds-check mode " + std::to_string(int(d.bounds_check));

  struct Array {
    const char* name;
    uint32_t count;
    const void* ptr;
  };
  const Array arrays[] = {
      {"types", d.type_count, d.types},          {"imports", d.import_count, d.imports},
      {"exports", d.export_count, d.exports},    {"functions", d.function_count, d.functions},
      {"tables", d.table_count, d.tables},       {"memories", d.memory_count, d.memories},
      {"globals", d.global_count, d.globals},    {"data segments", d.data_count, d.data},
      {"element segments", d.elem_count, d.elems}, {"trap sites", d.trap_count, d.traps},
      {"entry trampolines", d.type_count, d.entry_trampolines},
      {"host adapters", d.type_count, d.host_adapters},
  };
  for (const Array& a : arrays)
    if (a.count > 0 && !a.ptr) return std::string(a.name) + ": count " + std::to_string(a.count) + " but null pointer";

  for (uint32_t i = 0; i < d.type_count; ++i) {
    const abi::FuncType& t = d.types[i];
    auto what = [i] { return "type " + std::to_string(i); };
    if ((t.param_count && !t.params) || (t.result_count && !t.results)) return what() + ": null value types";
    for (uint32_t k = 0; k < t.param_count; ++k)
      if (!valid_val_type(t.params[k])) return what() + ": bad parameter type";
    for (uint32_t k = 0; k < t.result_count; ++k)
      if (!valid_val_type(t.results[k])) return what() + ": bad result type";
    if (!d.entry_trampolines[i]) return what() + ": null entry trampoline";
    if (!d.host_adapters[i]) return what() + ": null host adapter";
  }

  Counts imported;
  for (uint32_t i = 0; i < d.import_count; ++i) {
    const abi::Import& im = d.imports[i];
    auto what = [i] { return "import " + std::to_string(i); };
    if (!im.module || !im.name) return what() + ": null name";
    switch (im.kind) {
      case abi::ExternKind::Func:
        if (im.type_index >= d.type_count) return what() + ": type index out of range";
        ++imported.funcs;
        break;
      case abi::ExternKind::Table: {
        std::string e = check_table_type(im.table, what);
        if (!e.empty()) return e;
        ++imported.tables;
        break;
      }
      case abi::ExternKind::Memory: {
        std::string e = check_limits(im.memory.limits, abi::kMaxMemoryPages, what);
        if (!e.empty()) return e;
        ++imported.memories;
        break;
      }
      case abi::ExternKind::Global: {
        std::string e = check_global_type(im.global, what);
        if (!e.empty()) return e;
        ++imported.globals;
        break;
      }
      default:
        return what() + ": unknown kind";
    }
  }
  Counts total{imported.funcs + d.function_count, imported.tables + d.table_count,
               imported.memories + d.memory_count, imported.globals + d.global_count};
  if (total.memories > 1) return "multiple memories are not supported";

  for (uint32_t i = 0; i < d.function_count; ++i) {
    const abi::Function& f = d.functions[i];
    auto what = [&] { return "function " + std::to_string(imported.funcs + i); };
    if (f.type_index >= d.type_count) return what() + ": type index out of range";
    if (!f.code || f.code_size == 0) return what() + ": no code";
  }
  for (uint32_t i = 0; i < d.table_count; ++i) {
    std::string e = check_table_type(d.tables[i], [&] { return "table " + std::to_string(imported.tables + i); });
    if (!e.empty()) return e;
  }
  for (uint32_t i = 0; i < d.memory_count; ++i) {
    std::string e = check_limits(d.memories[i].limits, abi::kMaxMemoryPages,
                                 [&] { return "memory " + std::to_string(imported.memories + i); });
    if (!e.empty()) return e;
  }
  for (uint32_t i = 0; i < d.global_count; ++i) {
    const abi::Global& g = d.globals[i];
    auto what = [&] { return "global " + std::to_string(imported.globals + i); };
    std::string e = check_global_type(g.type, what);
    if (e.empty()) e = check_const(g.init, g.type.type, imported.globals + i, total, d, imported, what);
    if (!e.empty()) return e;
  }
  for (uint32_t i = 0; i < d.export_count; ++i) {
    const abi::Export& ex = d.exports[i];
    auto what = [i] { return "export " + std::to_string(i); };
    if (!ex.name) return what() + ": null name";
    uint32_t limit = 0;
    switch (ex.kind) {
      case abi::ExternKind::Func: limit = total.funcs; break;
      case abi::ExternKind::Table: limit = total.tables; break;
      case abi::ExternKind::Memory: limit = total.memories; break;
      case abi::ExternKind::Global: limit = total.globals; break;
      default: return what() + ": unknown kind";
    }
    if (ex.index >= limit) return what() + " '" + ex.name + "': index out of range";
  }
  for (uint32_t i = 0; i < d.data_count; ++i) {
    const abi::DataSegment& s = d.data[i];
    auto what = [i] { return "data segment " + std::to_string(i); };
    if (s.size > 0 && !s.bytes) return what() + ": null bytes";
    if (s.mode == abi::SegmentMode::Active) {
      if (s.memory_index >= total.memories) return what() + ": memory index out of range";
      std::string e = check_const(s.offset, abi::ValType::I32, total.globals, total, d, imported, what);
      if (!e.empty()) return e;
    } else if (s.mode != abi::SegmentMode::Passive) {
      return what() + ": bad mode";
    }
  }
  for (uint32_t i = 0; i < d.elem_count; ++i) {
    const abi::ElemSegment& s = d.elems[i];
    auto what = [i] { return "element segment " + std::to_string(i); };
    if (!abi::is_ref(s.elem_type)) return what() + ": element type is not a reference type";
    if (s.count > 0 && !s.items) return what() + ": null items";
    if (s.mode == abi::SegmentMode::Active) {
      if (s.table_index >= total.tables) return what() + ": table index out of range";
      std::string e = check_const(s.offset, abi::ValType::I32, total.globals, total, d, imported, what);
      if (!e.empty()) return e;
    } else if (s.mode != abi::SegmentMode::Passive && s.mode != abi::SegmentMode::Declarative) {
      return what() + ": bad mode";
    }
    for (uint64_t k = 0; k < s.count; ++k) {
      std::string e = check_const(s.items[k], s.elem_type, total.globals, total, d, imported,
                                  [&] { return what() + " item " + std::to_string(k); });
      if (!e.empty()) return e;
    }
  }
  for (uint32_t i = 0; i < d.trap_count; ++i) {
    const abi::TrapSite& t = d.traps[i];
    auto what = [i] { return "trap site " + std::to_string(i); };
    if (t.func_index >= d.function_count) return what() + ": function index out of range";
    if (t.offset >= d.functions[t.func_index].code_size) return what() + ": offset outside the function's code";
    if (t.code == 0 || t.code > abi::kMaxTrapCode) return what() + ": unknown trap code " + std::to_string(t.code);
    if (i > 0) {
      const abi::TrapSite& p = d.traps[i - 1];
      if (p.func_index > t.func_index || (p.func_index == t.func_index && p.offset >= t.offset))
        return what() + ": trap sites are not sorted";
    }
  }
  if (d.start_function != UINT32_MAX) {
    if (d.start_function >= total.funcs) return "start function index out of range";
    uint32_t type_index = 0;
    if (d.start_function >= imported.funcs) {
      type_index = d.functions[d.start_function - imported.funcs].type_index;
    } else {
      uint32_t n = 0;
      for (uint32_t i = 0; i < d.import_count; ++i)
        if (d.imports[i].kind == abi::ExternKind::Func && n++ == d.start_function) type_index = d.imports[i].type_index;
    }
    const abi::FuncType& t = d.types[type_index];
    if (t.param_count || t.result_count) return "start function does not have type [] -> []";
  }
  return "";
}

}  // namespace kiln::loader
