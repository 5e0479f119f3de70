// Machine code generation: an LLVM module to an ELF relocatable object in
// memory, or to LLVM IR text.
#pragma once
#include <llvm/ADT/SmallVector.h>
#include <llvm/IR/Module.h>
#include <llvm/Target/TargetMachine.h>

#include <string>

#include "aotc/wasm/error.h"

namespace kiln::aotc {

/// Runs the backend (legacy pass manager, as LLVM 19's codegen requires) and
/// returns the object file's bytes. Codegen may modify `module`.
Expected<llvm::SmallVector<char, 0>> emit_object(llvm::Module& module,
                                                 llvm::TargetMachine& machine);

/// The module as LLVM IR text (.ll).
std::string emit_ir_text(const llvm::Module& module);

}  // namespace kiln::aotc
