// Translation of a validated WebAssembly module to LLVM IR.
#pragma once
#include <cstdint>
#include <string>

#include <llvm/IR/Module.h>

#include "abi/descriptor.h"
#include "aotc/wasm/module.h"

namespace kiln::aotc {

struct CodegenOptions {
  abi::BoundsCheck bounds_check = abi::BoundsCheck::GuardRegion;
  bool interruptible = false;  // poll at entries (the store's flag) and loop headers (poll page)
  bool canonicalize_nans = false;  // every computed NaN is the positive canonical one
};

/// Value types in the wasm calling convention and in memory: i32 -> i32,
/// i64 -> i64, f32 -> float, f64 -> double, funcref/externref -> ptr, and
/// v128 -> <2 x i64> (bitcast to other lane shapes inside SIMD code).
///
/// Emits into `out` (whose target triple and data layout are already set):
///  - every defined function i as `function_symbol(i)`, hidden, with the wasm
///    calling convention of abi/vm_context.h (a module using return_call*:
///    the body in swifttailcc, and `entry_symbol(i)` in the wasm convention);
///  - for every type index t, `entry_trampoline_symbol(t)` and
///    `host_adapter_symbol(t)` (hidden).
/// Every trap is an `llvm.ubsantrap(code)` so the backend can find each trap
/// site and its TrapCode in the object code.
Error generate_module(const Module& module, const CodegenOptions& options, llvm::Module& out);

/// One partition of the same, for compiling a module as several LLVM modules
/// (each in its own LLVMContext, on its own thread): defines the functions
/// [first, end) in index order, declares (external, hidden) the other
/// functions they call, and, if `trampolines`, emits the per-type
/// trampolines. The partitions of [0, N) with exactly one of them emitting
/// the trampolines together define what generate_module does.
Error generate_partition(const Module& module, const CodegenOptions& options, uint32_t first,
                         uint32_t end, bool trampolines, llvm::Module& out);

/// Metadata kind on the flag load of each loop-header interrupt poll, so that
/// later passes can find the polls (see aotc/backend/poll_elision.h).
inline constexpr const char* kLoopPollMetadata = "kiln.loop_poll";

/// Metadata kind on each linear-memory load and store that traps by faulting
/// in its memory's guard region (and is volatile for that reason); its one
/// operand is the memory index (see aotc/backend/guarded_loop_versioning.h).
inline constexpr const char* kGuardedAccessMetadata = "kiln.guarded";

std::string function_symbol(uint32_t defined_index);       // "kiln_f<N>"
/// "kiln_e<N>": with return_call* in the module, defined function N's
/// swiftcc entry (its body kiln_f<N> is swifttailcc; see abi::Function::entry).
std::string entry_symbol(uint32_t defined_index);
std::string entry_trampoline_symbol(uint32_t type_index);  // "kiln_entry_t<N>"
std::string host_adapter_symbol(uint32_t type_index);      // "kiln_host_t<N>"

}  // namespace kiln::aotc
