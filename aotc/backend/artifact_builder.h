// The backend half of the pipeline, from generated LLVM IR to output bytes:
// optimize, emit the object, scan its traps, build and emit the descriptor,
// link.
#pragma once
#include <llvm/IR/Module.h>

#include <cstdint>
#include <vector>

#include "aotc/backend/compiler.h"
#include "aotc/backend/target.h"
#include "aotc/wasm/module.h"

namespace kiln::aotc {

/// A module whose triple and data layout are those of `target`.
std::unique_ptr<llvm::Module> create_code_module(llvm::LLVMContext& context,
                                                 const std::string& name, const Target& target);

/// `code` holds what generate_module produced for `module` (in a module made
/// by create_code_module). Returns the bytes of the output that
/// options.emit asks for. `code` is optimized and consumed by codegen.
Expected<std::vector<uint8_t>> build_output(const Module& module, llvm::Module& code,
                                            const Target& target, const CompileOptions& options);

}  // namespace kiln::aotc
