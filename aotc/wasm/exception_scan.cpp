// Which functions may end with a pending wasm exception, and whether the
// module uses exception handling at all.
//
// Code generation tests for a pending exception only after calls that may
// leave one (codegen/exceptions.cpp), so that modules and functions that
// never see an exception pay nothing: a function may throw when it contains
// throw or rethrow, calls an import (any other module or host function may
// throw), calls a table entry that may be foreign or throw (below), or calls
// a defined function that may throw.
#include "aotc/wasm/module.h"

namespace kiln::aotc {

namespace {

bool is_exception_opcode(Opcode op) { return opcode_family(op) == OpFamily::Exception; }

// Whether a function of another module or of the host can reach one of this
// module's tables: through an import (a function, a table, a global), a
// table or mutable reference global the host can write, or a reference
// parameter of an exported function. Otherwise its tables hold only its
// own functions (or null).
bool foreign_functions_can_enter(const Module& module) {
  if (!module.imports.empty()) return true;
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
        if (ex.index < module.total_funcs() && module.func_type_index(ex.index) < module.types.size())
          for (ValType p : module.func_type(ex.index).params)
            if (abi::is_ref(p)) return true;
        break;
      default: break;
    }
  }
  return false;
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
  std::vector<uint32_t> table_callers;                // functions with a call_indirect
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
      } else if (in.op == Opcode::CallIndirect) {
        if (table_callers.empty() || table_callers.back() != f) table_callers.push_back(uint32_t(f));
      } else if (in.op == Opcode::Call) {
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
  const bool any_throws = !work.empty();
  propagate(throws, callers, std::move(work));
  // A table call may reach a foreign function, or any function of this
  // module that may throw; when neither can happen it needs no test.
  module.table_calls_may_throw = any_throws || foreign_functions_can_enter(module);
  if (module.table_calls_may_throw) {
    work.clear();
    for (uint32_t f : table_callers)
      if (!throws[f]) {
        throws[f] = true;
        work.push_back(f);
      }
    propagate(throws, callers, std::move(work));
  }
  module.may_throw = std::move(throws);
  return Error::success();
}

}  // namespace kiln::aotc
