// Generated IR -> artifact bytes.
#include "aotc/backend/artifact_builder.h"

#include <llvm/IR/LLVMContext.h>
#include <llvm/Support/SHA256.h>

#include "abi/version.h"
#include "aotc/backend/artifact_hash.h"
#include "aotc/backend/descriptor_emitter.h"
#include "aotc/backend/linker.h"
#include "aotc/backend/object_emitter.h"
#include "aotc/backend/optimizer.h"
#include "aotc/backend/static_library.h"
#include "aotc/backend/symbol_names.h"

namespace kiln::aotc {

std::unique_ptr<llvm::Module> create_code_module(llvm::LLVMContext& context,
                                                 const std::string& name, const Target& target) {
  auto module = std::make_unique<llvm::Module>(name, context);
  module->setTargetTriple(target.machine->getTargetTriple().str());
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

// No unwind tables: nothing unwinds through wasm frames (traps and host
// exceptions leave them with siglongjmp) and backtraces walk frame pointers,
// while .eh_frame would be ~7% of every artifact, read at each load.
void no_unwind_tables(llvm::Module& code) {
  for (llvm::Function& fn : code)
    if (!fn.isDeclaration()) fn.addFnAttr(llvm::Attribute::NoUnwind);
}

}  // namespace

Expected<CompiledPartition> compile_partition(llvm::Module& code, uint32_t first, uint32_t end,
                                              llvm::TargetMachine& machine, unsigned opt_level) {
  probe_large_frames(code);
  no_unwind_tables(code);
  if (Error err = optimize_module(code, machine, opt_level)) return err;
  auto object = emit_object(code, machine);
  if (!object) return object.takeError();
  auto layout = scan_object(*object, first, end);
  if (!layout) return layout.takeError();
  return CompiledPartition{std::move(*object), std::move(*layout)};
}

Expected<std::vector<uint8_t>> link_partitions(const Module& module,
                                               std::vector<CompiledPartition>& parts,
                                               const Target& target,
                                               const CompileOptions& options) {
  CodeLayout layout;
  for (CompiledPartition& part : parts) append_layout(layout, std::move(part.layout));

  DescriptorInputs inputs;
  inputs.module = &module;
  inputs.codegen = options.codegen;
  inputs.opt_level = options.opt_level;
  inputs.cpu_name = target.cpu_name;
  inputs.cpu_features = target.cpu_features;
  inputs.code = &layout;
  inputs.module_hash = llvm::SHA256::hash(module.bytes);
  llvm::LLVMContext context;
  auto descriptor = create_code_module(context, "kiln_descriptor", target);
  if (Error err = emit_descriptor_module(inputs, *descriptor)) return err;
  if (Error err = optimize_module(*descriptor, *target.machine, 0)) return err;
  auto descriptor_object = emit_object(*descriptor, *target.machine);
  if (!descriptor_object) return descriptor_object.takeError();

  // The code-begin label first and the descriptor (with the end label)
  // last, so the labels bracket all of .text.
  auto begin = create_code_module(context, "kiln_code_begin", target);
  emit_code_begin_module(*begin);
  auto begin_object = emit_object(*begin, *target.machine);
  if (!begin_object) return begin_object.takeError();

  std::vector<llvm::ArrayRef<char>> objects;
  objects.push_back(*begin_object);
  for (const CompiledPartition& part : parts) objects.push_back(part.object);
  objects.push_back(*descriptor_object);
  if (options.emit == CompileOptions::Emit::Object)
    return link_objects(objects, LinkOutput::Relocatable, options.keep_symbols);
  // Symbols kept: a writable segment for valgrind, then wasm names.
  std::vector<llvm::ArrayRef<char>> so_objects = objects;
  llvm::SmallVector<char, 0> profiler_data_object;
  if (options.keep_symbols) {
    auto data = create_code_module(context, "kiln_profiler_data", target);
    emit_profiler_data_module(*data);
    auto object = emit_object(*data, *target.machine);
    if (!object) return object.takeError();
    profiler_data_object = std::move(*object);
    so_objects.push_back(profiler_data_object);
  }
  auto linked = link_objects(so_objects, LinkOutput::SharedObject, options.keep_symbols);
  if (!linked) return linked;
  if (options.keep_symbols) {
    auto named = name_function_symbols(*linked, module);
    if (!named) return named;
    linked = std::move(named);
  }
  auto hash = seal_artifact_hash(*linked);
  if (!hash) return hash.takeError();
  const bool executable = options.emit == CompileOptions::Emit::Executable;
  if (options.emit != CompileOptions::Emit::Static && !executable) return linked;
  // A static library carries the content hash of the shared object above.
  auto object = link_objects(objects, LinkOutput::Relocatable, options.keep_symbols);
  if (!object) return object;
  const std::string prefix = executable ? abi::kExecutablePrefix : options.prefix;
  auto library = make_static_library(*object, *hash, prefix, !executable && !options.static_object,
                                     prefix + ".o");
  if (!library || !executable) return library;
  llvm::ArrayRef<char> module_object(reinterpret_cast<const char*>(library->data()),
                                     library->size());
  return link_objects({module_object}, LinkOutput::Executable, options.executable_symbols);
}

Expected<std::vector<uint8_t>> build_output(const Module& module, llvm::Module& code,
                                            const Target& target, const CompileOptions& options) {
  if (options.emit == CompileOptions::Emit::LLVMIR) {
    probe_large_frames(code);
    no_unwind_tables(code);
    if (Error err = optimize_module(code, *target.machine, options.opt_level)) return err;
    std::string text = emit_ir_text(code);
    return std::vector<uint8_t>(text.begin(), text.end());
  }
  auto part = compile_partition(code, 0, uint32_t(module.functions.size()), *target.machine,
                                options.opt_level);
  if (!part) return part.takeError();
  std::vector<CompiledPartition> parts;
  parts.push_back(std::move(*part));
  return link_partitions(module, parts, target, options);
}

}  // namespace kiln::aotc
