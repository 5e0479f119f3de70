// Finds every trap instruction in the compiled functions of an object file,
// and each function's code size, for the descriptor's trap table.
#pragma once
#include <llvm/ADT/ArrayRef.h>

#include <cstdint>
#include <vector>

#include "abi/descriptor.h"
#include "aotc/wasm/error.h"

namespace kiln::aotc {

struct CodeLayout {
  std::vector<abi::TrapSite> traps;      // sorted by (func_index, offset)
  std::vector<uint32_t> function_sizes;  // bytes of code per defined function
};

/// Parses an ELF relocatable object of a supported target (find_target),
/// finds the function symbols `kiln_f<N>` (N < function_count; each must be
/// present) and disassembles each one. Records each trap instruction with
/// the TrapCode its target's abi/trap_encoding_<cpu>.h decodes (x86-64:
/// `ud1l CODE(%eax), %eax` and `ud2`; aarch64: `brk #(0x5500 | CODE)` and
/// `brk #1`), at its offset from the function's start. Any instruction that does not
/// disassemble is an error, since a trap site could hide behind it.
Expected<CodeLayout> scan_object(llvm::ArrayRef<char> object, uint32_t function_count);

/// Same for one partition's object: it must define exactly kiln_f<N> for N
/// in [first, end) (other functions may be referenced, undefined); the
/// layout's function_sizes are those of first, first + 1, ..., end - 1.
Expected<CodeLayout> scan_object(llvm::ArrayRef<char> object, uint32_t first, uint32_t end);

/// Appends `part` (the layout of the functions right after those in `whole`)
/// to `whole`, keeping traps sorted.
void append_layout(CodeLayout& whole, CodeLayout&& part);

}  // namespace kiln::aotc
