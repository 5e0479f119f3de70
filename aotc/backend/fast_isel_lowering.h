// -O0 only: rewrites of generated IR into equivalent forms that FastISel (the
// -O0 instruction selector) handles itself.
#pragma once
#include <llvm/IR/Module.h>

namespace kiln::aotc {

/// FastISel hands the rest of a basic block to the much slower SelectionDAG
/// selector at the first instruction it cannot select. In generated code the
/// common ones are `switch` (br_table) and `uitofp` from i8/i16/i32. This
/// turns each switch into a tree of compares and branches (LowerSwitch) and
/// `uitofp iN x` (N <= 32) into `sitofp (zext x to i64)`, which computes the
/// same value (every such x is a non-negative i64, converted with one
/// rounding). At -O0 this roughly halves code generation time for typical
/// modules; at -O1 and above it is not used (the optimizer folds it back).
void lower_for_fast_isel(llvm::Module& module);

}  // namespace kiln::aotc
