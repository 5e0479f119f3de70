// Rerolling a loop body that the wasm producer unrolled.
#pragma once
#include <llvm/Analysis/LoopInfo.h>
#include <llvm/Analysis/ScalarEvolution.h>

namespace kiln::aotc {

/// clang unrolls small constant-trip loops before it emits wasm (scalar
/// matmul's j loop by three), so each array moves by K elements per
/// iteration and SSE cannot vectorize the stride-K groups profitably. For a
/// one-block loop whose body is K isomorphic store chains at addresses D
/// apart, stepping K*D, with every other value an induction variable whose
/// step divides by K, this divides the steps by K and, if SCEV then counts
/// exactly K times the iterations, deletes chains 1..K-1: the same accesses
/// in the same order, one chain per iteration.
/// Run on loops whose accesses cannot fault (the plain copies). True if it
/// rerolled.
bool reroll_loop(llvm::Loop& loop, llvm::ScalarEvolution& scev);

}  // namespace kiln::aotc
