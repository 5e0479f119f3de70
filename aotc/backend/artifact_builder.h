// The backend half of the pipeline, from generated LLVM IR to output bytes:
// optimize, emit the object, scan its traps (per partition), then build and
// emit the descriptor and link.
#pragma once
#include <llvm/ADT/SmallVector.h>
#include <llvm/IR/Module.h>

#include <cstdint>
#include <vector>

#include "aotc/backend/compiler.h"
#include "aotc/backend/target.h"
#include "aotc/backend/trap_scanner.h"
#include "aotc/wasm/module.h"

namespace kiln::aotc {

/// A module whose triple and data layout are those of `target`.
std::unique_ptr<llvm::Module> create_code_module(llvm::LLVMContext& context,
                                                 const std::string& name, const Target& target);

/// The machine code of one partition (see generate_partition): its object
/// and the trap sites and sizes of the functions it defines.
struct CompiledPartition {
  llvm::SmallVector<char, 0> object;
  CodeLayout layout;
};

/// Optimizes `code`, which defines the functions [first, end), at opt_level,
/// emits its object with `machine` and scans it. `code` is consumed.
/// Touches nothing but `code`, its context and `machine`, so partitions in
/// different contexts, each with its own machine, may run on different
/// threads.
Expected<CompiledPartition> compile_partition(llvm::Module& code, uint32_t first, uint32_t end,
                                              llvm::TargetMachine& machine, unsigned opt_level);

/// The output options.emit asks for (shared object or relocatable object)
/// from the partitions of every defined function of `module`, in function
/// order: builds the descriptor from their layouts and links them with it.
Expected<std::vector<uint8_t>> link_partitions(const Module& module,
                                               std::vector<CompiledPartition>& parts,
                                               const Target& target, const CompileOptions& options);

/// `code` holds what generate_module produced for `module` (in a module made
/// by create_code_module). Returns the bytes of the output that
/// options.emit asks for, compiling `code` as a single partition. `code` is
/// optimized and consumed by codegen.
Expected<std::vector<uint8_t>> build_output(const Module& module, llvm::Module& code,
                                            const Target& target, const CompileOptions& options);

}  // namespace kiln::aotc
