// Float rounding for x86-64 CPUs without SSE4.1.
#pragma once
#include <llvm/IR/Module.h>
#include <llvm/Target/TargetMachine.h>

namespace kiln::aotc {

/// Whether `machine` rounds floats in hardware (SSE4.1's roundss/roundsd).
bool has_rounding_instructions(const llvm::TargetMachine& machine);

/// Replaces llvm.floor, ceil, trunc and roundeven (scalar and vector) with
/// float arithmetic. Without SSE4.1, LLVM lowers them to calls of libm's
/// floor, ceilf, ..., which an artifact cannot link (it imports nothing).
void lower_rounding(llvm::Module& module);

}  // namespace kiln::aotc
