// Entry point of the code generator: declares every function, translates
// each body, and adds the per-type trampolines.
#include "aotc/codegen/codegen.h"

#include "aotc/codegen/function_translator.h"
#include "aotc/codegen/module_context.h"
#include "aotc/codegen/trampolines.h"

namespace kiln::aotc {

std::string function_symbol(uint32_t defined_index) {
  return "kiln_f" + std::to_string(defined_index);
}

std::string entry_symbol(uint32_t defined_index) {
  return "kiln_e" + std::to_string(defined_index);
}

std::string entry_trampoline_symbol(uint32_t type_index) {
  return "kiln_entry_t" + std::to_string(type_index);
}

std::string host_adapter_symbol(uint32_t type_index) {
  return "kiln_host_t" + std::to_string(type_index);
}

Error generate_module(const Module& module, const CodegenOptions& options, llvm::Module& out) {
  return generate_partition(module, options, 0, uint32_t(module.functions.size()), true, out);
}

Error generate_partition(const Module& module, const CodegenOptions& options, uint32_t first,
                         uint32_t end, bool trampolines, llvm::Module& out) {
  if (module.bodies.size() != module.functions.size())
    return make_error("module has " + std::to_string(module.functions.size()) +
                      " functions but " + std::to_string(module.bodies.size()) + " bodies");
  ModuleContext context(module, options, out);
  if (Error err = context.declare_functions(first, end)) return err;
  for (uint32_t i = first; i < end; ++i) {
    FunctionTranslator translator(context, i);
    if (Error err = translator.translate()) return err;
    if (context.tail_body(i)) context.define_entry(i);
  }
  if (trampolines) {
    generate_trampolines(context);
    context.define_sealed_arrays();
  }
  return Error::success();
}

}  // namespace kiln::aotc
