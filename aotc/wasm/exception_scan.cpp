// Which functions may end with a pending wasm exception, and whether the
// module uses exception handling at all.
//
// Code generation tests for a pending exception only after calls that may
// leave one (codegen/exceptions.cpp), so that modules and functions that
// never see an exception pay nothing: a function may throw when it contains
// throw or rethrow, calls an import or a table entry (any other module or
// host function may throw), or calls a defined function that may throw.
#include "aotc/wasm/module.h"

namespace kiln::aotc {

namespace {

bool is_exception_opcode(Opcode op) { return opcode_family(op) == OpFamily::Exception; }

}  // namespace

Error scan_exception_use(Module& module, const Features& features) {
  const size_t count = module.bodies.size();
  std::vector<bool> throws(count, false);
  std::vector<std::vector<uint32_t>> callers(count);  // defined callee -> defined callers
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
        throws[f] = true;
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
  while (!work.empty()) {
    const uint32_t callee = work.back();
    work.pop_back();
    for (uint32_t caller : callers[callee]) {
      if (throws[caller]) continue;
      throws[caller] = true;
      work.push_back(caller);
    }
  }
  module.may_throw = std::move(throws);
  return Error::success();
}

}  // namespace kiln::aotc
