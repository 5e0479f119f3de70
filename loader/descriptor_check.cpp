// Sanity checks of an artifact's descriptor before anything trusts it: every
// ImageOffset is bounds-checked before anything reads through it.
#include <cstring>
#include <string>
#include <vector>

#include "abi/trap_codes.h"
#include "loader/module_state.h"

namespace kiln::loader {

namespace {

struct Counts {
  uint32_t funcs = 0, tables = 0, memories = 0, globals = 0, tags = 0;
};

// Whether offsets of a descriptor land where they may.
class Offsets {
 public:
  explicit Offsets(const DescriptorBounds& b) : b_(b) {}

  // `count` T at `offset`, inside the descriptor's section and aligned.
  template <class T>
  [[gnu::always_inline]] bool array(abi::ImageOffset offset, uint64_t count) const {
    if (count == 0) return true;
    return data(offset, alignof(T)) && count <= (b_.data_size - uint64_t(offset)) / sizeof(T);
  }
  // `length` bytes at `offset` (a string or segment bytes), inside the section.
  [[gnu::always_inline]] bool bytes(abi::ImageOffset offset, uint64_t length) const {
    if (length == 0) return offset == 0 || data(offset, 1);
    return data(offset, 1) && length <= b_.data_size - uint64_t(offset);
  }
  // A NUL-terminated string at `offset`: the section ends with a 0 byte.
  [[gnu::always_inline]] bool string(abi::ImageOffset offset) const { return data(offset, 1); }
  // `size` bytes of code at `offset`, inside the executable segment.
  [[gnu::always_inline]] bool code(abi::ImageOffset offset, uint64_t size) const {
    return offset != 0 && offset >= b_.code_begin && offset < b_.code_end &&
           size <= uint64_t(b_.code_end - offset);
  }

 private:
  [[gnu::always_inline]] bool data(abi::ImageOffset offset, size_t align) const {
    return offset > 0 && uint64_t(offset) < b_.data_size && uint64_t(offset) % align == 0;
  }
  const DescriptorBounds& b_;
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
Status check_limits(const abi::Limits& l, uint64_t cap, const What& what) {
  if (l.has_max > 1) return fail(what() + ": bad has_max flag");
  if (l.min > cap) return fail(what() + ": minimum " + std::to_string(l.min) + " exceeds " + std::to_string(cap));
  if (l.has_max && l.max > cap)
    return fail(what() + ": maximum " + std::to_string(l.max) + " exceeds " + std::to_string(cap));
  if (l.has_max && l.max < l.min) return fail(what() + ": maximum below minimum");
  return {};
}

/// A memory's limits, by its address type (64-bit only with memory64); a
/// shared memory (threads) has a maximum: it is reserved at it.
template <class What>
Status check_memory_type(const abi::MemoryType& m, uint32_t features, const What& what) {
  if (m.limits.shared > 1) return fail(what() + ": bad shared flag");
  if (m.limits.shared && !(features & abi::feature_bit(abi::Feature::Threads)))
    return fail(what() + ": shared, but the artifact does not record the threads feature");
  if (m.limits.shared && !m.limits.has_max) return fail(what() + ": shared memory without a maximum");
  if (m.limits.address64 > 1) return fail(what() + ": bad address64 flag");
  if (!m.limits.address64) return check_limits(m.limits, abi::kMaxMemoryPages, what);
  if (!(features & abi::feature_bit(abi::Feature::Memory64)))
    return fail(what() + ": 64-bit, but the memory64 feature is not recorded");
  return check_limits(m.limits, abi::kMaxMemory64Pages, what);
}

template <class What>
Status check_table_type(const abi::TableType& t, const What& what) {
  if (!abi::is_ref(t.elem_type)) return fail(what() + ": element type is not a reference type");
  if (t.limits.shared) return fail(what() + ": a table cannot be shared");
  if (t.limits.address64) return fail(what() + ": 64-bit tables are not supported");
  return check_limits(t.limits, UINT32_MAX, what);
}


template <class What>
Status check_global_type(const abi::GlobalType& g, const What& what) {
  if (!valid_val_type(g.type)) return fail(what() + ": bad value type");
  if (g.mutable_ > 1) return fail(what() + ": bad mutability flag");
  return {};
}

/// Value type of global `index` (imports first); the index is in range.
abi::ValType global_val_type(const abi::Descriptor& d, const Counts& imported, uint32_t index) {
  if (index >= imported.globals) return d.at<abi::Global>(d.globals)[index - imported.globals].type.type;
  const abi::Import* imports = d.at<abi::Import>(d.imports);
  uint32_t n = 0;
  for (uint32_t i = 0; i < d.import_count; ++i)
    if (imports[i].kind == abi::ExternKind::Global && n++ == index) return imports[i].global.type;
  return abi::ValType::I32;
}

/// Where constant expressions are checked: the module's index spaces and
/// the image their Sequences lie in.
struct ConstScope {
  const abi::Descriptor& d;
  const Offsets& offsets;
  const Counts& imported;
  const Counts& total;
};

template <class What>
Status check_const(const abi::ConstExpr& e, abi::ValType type, uint32_t global_limit,
                   const ConstScope& scope, const What& what);

/// An extended-const Sequence: integer constants, global.get and integer
/// add/sub/mul whose operand stack ends with one value of e.type.
template <class What>
Status check_sequence(const abi::ConstExpr& e, uint32_t global_limit, const ConstScope& scope,
                      const What& what) {
  if (!(scope.d.features & abi::feature_bit(abi::Feature::ExtendedConst)))
    return fail(what() + ": extended constant expression, but the extended-const feature is not recorded");
  abi::ImageOffset at;
  std::memcpy(&at, e.bytes, sizeof at);
  if (e.index == 0 || !scope.offsets.array<abi::ConstExpr>(at, e.index))
    return fail(what() + ": constant expression outside the descriptor section");
  const abi::ConstExpr* ops = scope.d.at<abi::ConstExpr>(at);
  std::vector<abi::ValType> stack;
  for (uint32_t i = 0; i < e.index; ++i) {
    const abi::ConstExpr& op = ops[i];
    if (abi::is_const_arithmetic(op.kind)) {
      const abi::ValType t = op.kind <= abi::ConstKind::I32Mul ? abi::ValType::I32 : abi::ValType::I64;
      if (op.type != t || stack.size() < 2 || stack.back() != t || stack[stack.size() - 2] != t)
        return fail(what() + ": constant arithmetic " + std::to_string(i) + " has bad operands");
      stack.pop_back();
      continue;
    }
    if (op.kind != abi::ConstKind::I32 && op.kind != abi::ConstKind::I64 &&
        op.kind != abi::ConstKind::GlobalGet)
      return fail(what() + ": constant kind " + std::to_string(int(op.kind)) + " in a sequence");
    if (op.type != abi::ValType::I32 && op.type != abi::ValType::I64)
      return fail(what() + ": non-integer operand in a constant sequence");
    Status inner = check_const(op, op.type, global_limit, scope, what);
    if (!inner) return inner;
    stack.push_back(op.type);
  }
  if (stack.size() != 1 || stack[0] != e.type)
    return fail(what() + ": constant sequence does not produce one " + abi::val_type_name(e.type));
  return {};
}

/// A constant expression of type `type` that may read globals below `global_limit`.
template <class What>
Status check_const(const abi::ConstExpr& e, abi::ValType type, uint32_t global_limit,
                   const ConstScope& scope, const What& what) {
  switch (e.kind) {
    case abi::ConstKind::I32: case abi::ConstKind::I64: case abi::ConstKind::F32:
    case abi::ConstKind::F64: case abi::ConstKind::V128: case abi::ConstKind::RefNull:
      break;
    case abi::ConstKind::GlobalGet:
      if (e.index >= global_limit) return fail(what() + ": global.get " + std::to_string(e.index) + " out of range");
      break;
    case abi::ConstKind::RefFunc:
      if (e.index >= scope.total.funcs) return fail(what() + ": ref.func " + std::to_string(e.index) + " out of range");
      break;
    case abi::ConstKind::Sequence:
      if (Status s = check_sequence(e, global_limit, scope, what); !s) return s;
      break;
    default:
      return fail(what() + ": unknown constant kind " + std::to_string(int(e.kind)));
  }
  if (e.type != type) return fail(what() + ": constant has type " + abi::val_type_name(e.type) +
                                  ", expected " + abi::val_type_name(type));
  if (e.kind == abi::ConstKind::GlobalGet) {
    abi::ValType gt = global_val_type(scope.d, scope.imported, e.index);
    if (gt != type) return fail(what() + ": global.get of a " + abi::val_type_name(gt) + " global");
  }
  return {};
}

}  // namespace

Status check_descriptor(const abi::Descriptor& d, const DescriptorBounds& bounds) {
  if (d.descriptor_size < sizeof(abi::Descriptor))
    return fail("descriptor size " + std::to_string(d.descriptor_size) + " is smaller than " +
                std::to_string(sizeof(abi::Descriptor)));
  if (d.bounds_check != abi::BoundsCheck::GuardRegion && d.bounds_check != abi::BoundsCheck::Explicit)
    return fail("unknown bounds-check mode " + std::to_string(int(d.bounds_check)));
  if (bounds.data_size < sizeof(abi::Descriptor))
    return fail("descriptor section smaller than a descriptor");
  // What the descriptor declares of itself (ABI v7) must lie within what the
  // image allows; everything below is checked against the declared bounds.
  DescriptorBounds own;
  own.data_size = d.data_size;
  own.code_begin = d.code_begin;
  own.code_end = d.code_end;
  if (own.data_size < sizeof(abi::Descriptor) || own.data_size > bounds.data_size)
    return fail("declared data size " + std::to_string(own.data_size) + " is outside its section");
  // An empty range (a module with no code at all) holds no offset: below,
  // every code offset is then refused wherever the range is.
  if (own.code_begin > own.code_end ||
      (own.code_begin < own.code_end &&
       (own.code_begin < bounds.code_begin || own.code_end > bounds.code_end)))
    return fail("declared code range is outside the executable code");
  if (reinterpret_cast<const uint8_t*>(&d)[own.data_size - 1] != 0)
    return fail("descriptor data does not end with a 0 byte");

  // Every table first, so that the checks below may read any of them.
  const Offsets offsets(own);
  struct Table {
    const char* name;
    bool ok;
  };
  const Table tables[] = {
      {"types", offsets.array<abi::FuncType>(d.types, d.type_count)},
      {"imports", offsets.array<abi::Import>(d.imports, d.import_count)},
      {"exports", offsets.array<abi::Export>(d.exports, d.export_count)},
      {"functions", offsets.array<abi::Function>(d.functions, d.function_count)},
      {"tables", offsets.array<abi::TableType>(d.tables, d.table_count)},
      {"memories", offsets.array<abi::MemoryType>(d.memories, d.memory_count)},
      {"globals", offsets.array<abi::Global>(d.globals, d.global_count)},
      {"tags", offsets.array<uint32_t>(d.tags, d.tag_count)},
      {"data segments", offsets.array<abi::DataSegment>(d.data, d.data_count)},
      {"element segments", offsets.array<abi::ElemSegment>(d.elems, d.elem_count)},
      {"trap sites", offsets.array<abi::TrapSite>(d.traps, d.trap_count)},
      {"entry trampolines", offsets.array<abi::ImageOffset>(d.entry_trampolines, d.type_count)},
      {"host adapters", offsets.array<abi::ImageOffset>(d.host_adapters, d.type_count)},
  };
  for (const Table& t : tables)
    if (!t.ok) return fail(std::string(t.name) + ": table outside the descriptor section");

  const abi::FuncType* types = d.at<abi::FuncType>(d.types);
  const abi::ImageOffset* entries = d.at<abi::ImageOffset>(d.entry_trampolines);
  const abi::ImageOffset* adapters = d.at<abi::ImageOffset>(d.host_adapters);
  for (uint32_t i = 0; i < d.type_count; ++i) {
    const abi::FuncType& t = types[i];
    auto what = [i] { return "type " + std::to_string(i); };
    if (!offsets.array<abi::ValType>(t.params, t.param_count) ||
        !offsets.array<abi::ValType>(t.results, t.result_count))
      return fail(what() + ": value types outside the descriptor section");
    const abi::ValType* params = d.at<abi::ValType>(t.params);
    const abi::ValType* results = d.at<abi::ValType>(t.results);
    for (uint32_t k = 0; k < t.param_count; ++k)
      if (!valid_val_type(params[k])) return fail(what() + ": bad parameter type");
    for (uint32_t k = 0; k < t.result_count; ++k)
      if (!valid_val_type(results[k])) return fail(what() + ": bad result type");
    if (!offsets.code(entries[i], 1)) return fail(what() + ": entry trampoline outside the code");
    if (!offsets.code(adapters[i], 1)) return fail(what() + ": host adapter outside the code");
  }

  Counts imported;
  std::vector<bool> memory64;  // per memory index: 64-bit?
  const abi::Import* imports = d.at<abi::Import>(d.imports);
  for (uint32_t i = 0; i < d.import_count; ++i) {
    const abi::Import& im = imports[i];
    auto what = [i] { return "import " + std::to_string(i); };
    if (!offsets.bytes(im.module, im.module_length) || !offsets.bytes(im.name, im.name_length))
      return fail(what() + ": name outside the descriptor section");
    switch (im.kind) {
      case abi::ExternKind::Func:
        if (im.type_index >= d.type_count) return fail(what() + ": type index out of range");
        ++imported.funcs;
        break;
      case abi::ExternKind::Table: {
        Status e = check_table_type(im.table, what);
        if (!e) return e;
        ++imported.tables;
        break;
      }
      case abi::ExternKind::Memory: {
        Status e = check_memory_type(im.memory, d.features, what);
        if (!e) return e;
        ++imported.memories;
        memory64.push_back(im.memory.limits.address64 != 0);
        break;
      }
      case abi::ExternKind::Global: {
        Status e = check_global_type(im.global, what);
        if (!e) return e;
        ++imported.globals;
        break;
      }
      case abi::ExternKind::Tag:
        if (im.type_index >= d.type_count) return fail(what() + ": type index out of range");
        ++imported.tags;
        break;
      default:
        return fail(what() + ": unknown kind");
    }
  }
  Counts total{imported.funcs + d.function_count, imported.tables + d.table_count,
               imported.memories + d.memory_count, imported.globals + d.global_count,
               imported.tags + d.tag_count};
  if (total.memories > 1 && !(d.features & abi::feature_bit(abi::Feature::MultiMemory)))
    return fail(std::to_string(total.memories) + " memories, but the multi-memory feature is not recorded");
  const uint32_t* tag_types = d.at<uint32_t>(d.tags);
  for (uint32_t i = 0; i < d.tag_count; ++i)
    if (tag_types[i] >= d.type_count)
      return fail("tag " + std::to_string(imported.tags + i) + ": type index out of range");
  const ConstScope scope{d, offsets, imported, total};

  const abi::Function* functions = d.at<abi::Function>(d.functions);
  for (uint32_t i = 0; i < d.function_count; ++i) {
    const abi::Function& f = functions[i];
    auto what = [&] { return "function " + std::to_string(imported.funcs + i); };
    if (f.type_index >= d.type_count) return fail(what() + ": type index out of range");
    if (f.code_size == 0) return fail(what() + ": no code");
    if (!offsets.code(f.code, f.code_size)) return fail(what() + ": code outside the executable segment");
    if (f.entry != 0 && !offsets.code(f.entry, 1)) return fail(what() + ": entry outside the executable segment");
    if (f.name != 0 && !offsets.string(f.name)) return fail(what() + ": name outside the descriptor section");
  }
  const abi::TableType* table_types = d.at<abi::TableType>(d.tables);
  for (uint32_t i = 0; i < d.table_count; ++i) {
    Status e = check_table_type(table_types[i], [&] { return "table " + std::to_string(imported.tables + i); });
    if (!e) return e;
  }
  const abi::MemoryType* memories = d.at<abi::MemoryType>(d.memories);
  for (uint32_t i = 0; i < d.memory_count; ++i) {
    Status e = check_memory_type(memories[i], d.features,
                                 [&] { return "memory " + std::to_string(imported.memories + i); });
    if (!e) return e;
    memory64.push_back(memories[i].limits.address64 != 0);
  }
  const abi::Global* globals = d.at<abi::Global>(d.globals);
  for (uint32_t i = 0; i < d.global_count; ++i) {
    const abi::Global& g = globals[i];
    auto what = [&] { return "global " + std::to_string(imported.globals + i); };
    Status e = check_global_type(g.type, what);
    if (e) e = check_const(g.init, g.type.type, imported.globals + i, scope, what);
    if (!e) return e;
  }
  const abi::Export* exports = d.at<abi::Export>(d.exports);
  for (uint32_t i = 0; i < d.export_count; ++i) {
    const abi::Export& ex = exports[i];
    auto what = [i] { return "export " + std::to_string(i); };
    if (!offsets.bytes(ex.name, ex.name_length)) return fail(what() + ": name outside the descriptor section");
    uint32_t limit = 0;
    switch (ex.kind) {
      case abi::ExternKind::Func: limit = total.funcs; break;
      case abi::ExternKind::Table: limit = total.tables; break;
      case abi::ExternKind::Memory: limit = total.memories; break;
      case abi::ExternKind::Global: limit = total.globals; break;
      case abi::ExternKind::Tag: limit = total.tags; break;
      default: return fail(what() + ": unknown kind");
    }
    if (ex.index >= limit) {
      const char* name = ex.name_length ? d.at<char>(ex.name) : "";
      return fail(what() + " '" + std::string(name, ex.name_length) + "': index out of range");
    }
  }
  const abi::DataSegment* data = d.at<abi::DataSegment>(d.data);
  for (uint32_t i = 0; i < d.data_count; ++i) {
    const abi::DataSegment& s = data[i];
    auto what = [i] { return "data segment " + std::to_string(i); };
    if (!offsets.bytes(s.bytes, s.size)) return fail(what() + ": bytes outside the descriptor section");
    if (s.mode == abi::SegmentMode::Active) {
      if (s.memory_index >= total.memories) return fail(what() + ": memory index out of range");
      const abi::ValType at = memory64[s.memory_index] ? abi::ValType::I64 : abi::ValType::I32;
      Status e = check_const(s.offset, at, total.globals, scope, what);
      if (!e) return e;
    } else if (s.mode != abi::SegmentMode::Passive) {
      return fail(what() + ": bad mode");
    }
  }
  const abi::ElemSegment* elems = d.at<abi::ElemSegment>(d.elems);
  for (uint32_t i = 0; i < d.elem_count; ++i) {
    const abi::ElemSegment& s = elems[i];
    auto what = [i] { return "element segment " + std::to_string(i); };
    if (!abi::is_ref(s.elem_type)) return fail(what() + ": element type is not a reference type");
    if (!offsets.array<abi::ConstExpr>(s.items, s.count))
      return fail(what() + ": items outside the descriptor section");
    if (s.mode == abi::SegmentMode::Active) {
      if (s.table_index >= total.tables) return fail(what() + ": table index out of range");
      Status e = check_const(s.offset, abi::ValType::I32, total.globals, scope, what);
      if (!e) return e;
    } else if (s.mode != abi::SegmentMode::Passive && s.mode != abi::SegmentMode::Declarative) {
      return fail(what() + ": bad mode");
    }
    const abi::ConstExpr* items = d.at<abi::ConstExpr>(s.items);
    for (uint64_t k = 0; k < s.count; ++k) {
      Status e = check_const(items[k], s.elem_type, total.globals, scope,
                         [&] { return what() + " item " + std::to_string(k); });
      if (!e) return e;
    }
  }
  const abi::TrapSite* traps = d.at<abi::TrapSite>(d.traps);
  for (uint32_t i = 0; i < d.trap_count; ++i) {
    const abi::TrapSite& t = traps[i];
    auto what = [i] { return "trap site " + std::to_string(i); };
    if (t.func_index >= d.function_count) return fail(what() + ": function index out of range");
    if (t.offset >= functions[t.func_index].code_size) return fail(what() + ": offset outside the function's code");
    if (t.code == 0 || t.code > abi::kMaxTrapCode)
      return fail(what() + ": unknown trap code " + std::to_string(t.code));
    if (i > 0) {
      const abi::TrapSite& p = traps[i - 1];
      if (p.func_index > t.func_index || (p.func_index == t.func_index && p.offset >= t.offset))
        return fail(what() + ": trap sites are not sorted");
    }
  }
  if (d.start_function != UINT32_MAX) {
    if (d.start_function >= total.funcs) return fail("start function index out of range");
    uint32_t type_index = 0;
    if (d.start_function >= imported.funcs) {
      type_index = functions[d.start_function - imported.funcs].type_index;
    } else {
      uint32_t n = 0;
      for (uint32_t i = 0; i < d.import_count; ++i)
        if (imports[i].kind == abi::ExternKind::Func && n++ == d.start_function) type_index = imports[i].type_index;
    }
    const abi::FuncType& t = types[type_index];
    if (t.param_count || t.result_count) return fail("start function does not have type [] -> []");
  }
  return {};
}

}  // namespace kiln::loader
