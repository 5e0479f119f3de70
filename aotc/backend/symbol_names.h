// Wasm function names in an artifact's symbol table, where perf, valgrind
// and gdb read them: the local symbol of defined function N, kiln_f<N> while
// linking, is renamed after the link to abi::function_display_name.
#pragma once
#include <llvm/ADT/ArrayRef.h>
#include <llvm/IR/Module.h>

#include <cstdint>
#include <vector>

#include "aotc/wasm/error.h"
#include "aotc/wasm/module.h"

namespace kiln::aotc {

/// Fills `out` with one writable 8-byte variable (kiln_profiler_data): its
/// segment is the only writable one of an artifact that keeps symbols.
/// valgrind 3.19 reads no symbols from an object without a writable segment.
/// dlopen maps the page copy-on-write and nothing writes it.
void emit_profiler_data_module(llvm::Module& out);

/// `elf` (a linked shared object with its .symtab) with each kiln_f<N>
/// renamed to the display name of `module`'s defined function N. Every
/// allocated section keeps its bytes and address (llvm-objcopy's rename).
Expected<std::vector<uint8_t>> name_function_symbols(llvm::ArrayRef<uint8_t> elf,
                                                     const Module& module);

}  // namespace kiln::aotc
