// Which functions may end with a pending wasm exception, and whether the
// module uses exception handling at all.
//
// Code generation tests for a pending exception only after calls that may
// leave one (codegen/exceptions.cpp), so that modules and functions that
// never see an exception pay nothing: a function may throw when it contains
// throw or rethrow, calls an import (any other module or host function may
// throw), calls through a table that may hold a foreign function or one of
// the module's that may throw (below), or calls a defined function that may
// throw.
#include "aotc/wasm/module.h"

namespace kiln::aotc {

namespace {

bool is_exception_opcode(Opcode op) { return opcode_family(op) == OpFamily::Exception; }

// Whether a function of another module or of the host can reach one of this
// module's tables: an imported table or reference global, a reference an
// import returns or a tag carries, an import named by ref.func (`refs`), a
// table or mutable reference global the host can write, or a reference
// parameter of an exported function. Otherwise its tables hold only its own
// functions (or null).
bool foreign_functions_can_enter(const Module& module, const std::vector<uint32_t>& refs) {
  auto has_ref = [](const std::vector<ValType>& types) {
    for (ValType t : types)
      if (abi::is_ref(t)) return true;
    return false;
  };
  auto type_has_ref = [&](uint32_t type_index, bool results) {
    if (type_index >= module.types.size()) return true;  // validation refuses it
    const FuncType& type = module.types[type_index];
    return has_ref(results ? type.results : type.params);
  };
  for (const Import& im : module.imports) {
    switch (im.kind) {
      case ExternKind::Table: return true;
      case ExternKind::Global:
        if (abi::is_ref(im.global.type)) return true;
        break;
      case ExternKind::Func:
        if (type_has_ref(im.type_index, true)) return true;
        break;
      case ExternKind::Tag:
        if (type_has_ref(im.type_index, false)) return true;
        break;
      default: break;
    }
  }
  for (uint32_t type_index : module.tags)
    if (type_has_ref(type_index, false)) return true;
  for (uint32_t f : refs)
    if (f < module.imported_funcs) return true;
  for (const Export& ex : module.exports) {
    switch (ex.kind) {
      case ExternKind::Table: return true;
      case ExternKind::Global: {
        if (ex.index >= module.total_globals()) break;  // validation refuses it
        const GlobalType type = module.global_type(ex.index);
        if (type.is_mutable && abi::is_ref(type.type)) return true;
        break;
      }
      case ExternKind::Func:
        if (ex.index < module.total_funcs() && type_has_ref(module.func_type_index(ex.index), false))
          return true;
        break;
      default: break;
    }
  }
  return false;
}

// The functions ref.func names in constant expressions (element segments,
// global initializers); those in function bodies are added by the scan.
std::vector<uint32_t> const_expr_refs(const Module& module) {
  std::vector<uint32_t> refs;
  auto add = [&](const ConstExpr& e) {
    if (e.instr.op == Opcode::RefFunc) refs.push_back(e.instr.index);
  };
  for (const ElemSegment& seg : module.elems)
    for (const ConstExpr& item : seg.items) add(item);
  for (const Global& g : module.globals) add(g.init);
  return refs;
}

// Marks the callers of every function in `work` (transitively) as throwing.
void propagate(std::vector<bool>& throws, const std::vector<std::vector<uint32_t>>& callers,
               std::vector<uint32_t> work) {
  while (!work.empty()) {
    const uint32_t callee = work.back();
    work.pop_back();
    for (uint32_t caller : callers[callee]) {
      if (throws[caller]) continue;
      throws[caller] = true;
      work.push_back(caller);
    }
  }
}

}  // namespace

Error scan_exception_use(Module& module, const Features& features) {
  const size_t count = module.bodies.size();
  std::vector<bool> throws(count, false);
  std::vector<std::vector<uint32_t>> callers(count);  // defined callee -> defined callers
  std::vector<std::pair<uint32_t, uint32_t>> table_calls;  // (function, type index) of each call_indirect
  std::vector<uint32_t> refs = const_expr_refs(module);  // functions a table may hold
  Instr in;
  for (size_t f = 0; f < count; ++f) {
    const FunctionBody& body = module.bodies[f];
    InstrReader reader(body.code, body.code_offset);
    while (!reader.at_end()) {
      if (Error err = reader.next(in)) {
        // Validation reports it; until then the function counts as throwing.
        llvm::consumeError(std::move(err));
        throws[f] = true;
        break;
      }
      if (is_exception_opcode(in.op)) {
        if (!features.has(Feature::ExceptionHandling))
          return error_at(in.offset, std::string("illegal opcode ") + opcode_name(in.op) +
                                         disabled_note(opcode_name(in.op), Feature::ExceptionHandling));
        module.features_used |= abi::feature_bit(Feature::ExceptionHandling);
        if (in.op == Opcode::Throw || in.op == Opcode::Rethrow) throws[f] = true;
      } else if (in.op == Opcode::CallIndirect || in.op == Opcode::ReturnCallIndirect) {
        table_calls.emplace_back(uint32_t(f), in.index);
      } else if (in.op == Opcode::RefFunc) {
        refs.push_back(in.index);
      } else if (in.op == Opcode::Call || in.op == Opcode::ReturnCall) {
        if (in.index < module.imported_funcs) throws[f] = true;
        else if (in.index - module.imported_funcs < count)
          callers[in.index - module.imported_funcs].push_back(uint32_t(f));
      }
    }
  }
  // Propagate to callers, each function once.
  std::vector<uint32_t> work;
  for (size_t f = 0; f < count; ++f)
    if (throws[f]) work.push_back(uint32_t(f));
  propagate(throws, callers, std::move(work));
  // A table call may reach a foreign function, or a function of this module
  // that ref.func names and whose type is the call's (the signature check
  // traps on the others); it needs a test when one of those may throw. Which
  // types' calls do grows with the functions their tests make throw, up to a
  // fixed point (a named function that throws only through such calls does
  // not count until one of them does).
  const size_t type_count = module.types.size();
  std::vector<bool> type_throws(type_count, foreign_functions_can_enter(module, refs));
  for (bool changed = true; changed;) {
    changed = false;
    for (uint32_t f : refs) {
      if (f < module.imported_funcs || f - module.imported_funcs >= count) continue;
      const uint32_t defined = f - module.imported_funcs;
      const uint32_t type = module.functions[defined];
      if (!throws[defined] || type >= type_count) continue;
      // Every type index with the same signature.
      for (size_t t = 0; t < type_count; ++t)
        if (!type_throws[t] && module.types[t] == module.types[type]) {
          type_throws[t] = true;
          changed = true;
        }
    }
    work.clear();
    for (auto [f, type] : table_calls)
      if (!throws[f] && (type >= type_count || type_throws[type])) {
        throws[f] = true;
        work.push_back(f);
        changed = true;
      }
    propagate(throws, callers, std::move(work));
  }
  module.table_call_may_throw = std::move(type_throws);
  module.may_throw = std::move(throws);
  return Error::success();
}

}  // namespace kiln::aotc
