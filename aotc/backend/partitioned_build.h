// Compiling a module as several partitions, on several threads: each
// partition is a contiguous range of defined functions with its own
// LLVMContext and llvm::Module, generated, optimized, emitted and scanned on
// one thread; the objects are then linked in function order with the
// descriptor.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "aotc/backend/compiler.h"
#include "aotc/backend/target.h"
#include "aotc/wasm/module.h"

namespace kiln::aotc {

/// Defined functions [first, end).
struct FunctionRange {
  uint32_t first = 0;
  uint32_t end = 0;
};

/// At most this many partitions, however large the module.
constexpr uint32_t kMaxPartitions = 256;

/// Splits the defined functions into contiguous ranges, each holding about
/// options.partition_bytes of body code (or one big function), in index
/// order; at most kMaxPartitions. The default size keeps per-partition costs
/// (a context, pass managers, an object file, a disassembler) small next to
/// the code's. partition_bytes 0 means one range.
/// Depends only on the module, never on the thread count, so the output is
/// the same bytes for any --threads. A module without functions gets one
/// empty range; --emit=ll (one IR file) always gets one range.
std::vector<FunctionRange> plan_partitions(const Module& module, const CompileOptions& options);

/// Generates and compiles `module` (decoded and validated; `name` names its
/// LLVM modules) to the output options.emit asks for. Partitions are compiled
/// on min(options.threads, partitions) threads, the calling thread being one
/// of them; each thread has its own TargetMachine. On errors, the one of the
/// lowest-numbered failing partition is returned, which is the first a
/// sequential compile would meet.
Expected<std::vector<uint8_t>> build_module(const Module& module, const std::string& name,
                                            const Target& target, const CompileOptions& options);

}  // namespace kiln::aotc
