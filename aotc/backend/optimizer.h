// The LLVM optimization pipeline (new pass manager) run on generated IR.
#pragma once
#include <llvm/IR/Module.h>
#include <llvm/Target/TargetMachine.h>

#include "aotc/wasm/error.h"

namespace kiln::aotc {

/// Verifies `module` (an invalid module is an internal error, reported rather
/// than crashed on), then runs LLVM's standard -O<opt_level> module pipeline
/// (at -O0 followed by lower_for_fast_isel).
Error optimize_module(llvm::Module& module, llvm::TargetMachine& machine, unsigned opt_level);

}  // namespace kiln::aotc
