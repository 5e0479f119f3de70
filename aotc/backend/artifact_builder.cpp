// Generated IR -> artifact bytes.
#include "aotc/backend/artifact_builder.h"

#include <llvm/Support/SHA256.h>

#include "aotc/backend/artifact_hash.h"
#include "aotc/backend/descriptor_emitter.h"
#include "aotc/backend/linker.h"
#include "aotc/backend/object_emitter.h"
#include "aotc/backend/optimizer.h"
#include "aotc/backend/trap_scanner.h"

namespace kiln::aotc {

std::unique_ptr<llvm::Module> create_code_module(llvm::LLVMContext& context,
                                                 const std::string& name, const Target& target) {
  auto module = std::make_unique<llvm::Module>(name, context);
  module->setTargetTriple(kTargetTriple);
  module->setDataLayout(target.machine->createDataLayout());
  return module;
}

namespace {

// Stack-clash protection: a frame larger than a page is touched page by page
// from the top as it is allocated, so the first access beyond the stack hits
// the guard page right below it (a fault the loader reports as "call stack
// exhausted") instead of jumping over it into whatever is mapped below.
void probe_large_frames(llvm::Module& code) {
  for (llvm::Function& fn : code)
    if (!fn.isDeclaration()) fn.addFnAttr("probe-stack", "inline-asm");
}

}  // namespace

Expected<std::vector<uint8_t>> build_output(const Module& module, llvm::Module& code,
                                            const Target& target, const CompileOptions& options) {
  llvm::TargetMachine& machine = *target.machine;
  probe_large_frames(code);
  if (Error err = optimize_module(code, machine, options.opt_level)) return err;
  if (options.emit == CompileOptions::Emit::LLVMIR) {
    std::string text = emit_ir_text(code);
    return std::vector<uint8_t>(text.begin(), text.end());
  }

  auto code_object = emit_object(code, machine);
  if (!code_object) return code_object.takeError();
  auto layout = scan_object(*code_object, uint32_t(module.functions.size()));
  if (!layout) return layout.takeError();

  DescriptorInputs inputs;
  inputs.module = &module;
  inputs.codegen = options.codegen;
  inputs.cpu_name = target.cpu_name;
  inputs.cpu_features = target.cpu_features;
  inputs.code = &*layout;
  inputs.module_hash = llvm::SHA256::hash(module.bytes);
  auto descriptor = create_code_module(code.getContext(), "kiln_descriptor", target);
  if (Error err = emit_descriptor_module(inputs, *descriptor)) return err;
  if (Error err = optimize_module(*descriptor, machine, 0)) return err;
  auto descriptor_object = emit_object(*descriptor, machine);
  if (!descriptor_object) return descriptor_object.takeError();

  llvm::ArrayRef<char> objects[] = {*code_object, *descriptor_object};
  LinkOutput kind = options.emit == CompileOptions::Emit::Object ? LinkOutput::Relocatable
                                                                 : LinkOutput::SharedObject;
  auto linked = link_objects(objects, kind);
  if (!linked || kind != LinkOutput::SharedObject) return linked;
  if (Error err = seal_artifact_hash(*linked)) return err;
  return linked;
}

}  // namespace kiln::aotc
