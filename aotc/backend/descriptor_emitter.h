// Builds the artifact descriptor (abi/descriptor.h) as LLVM IR: a second
// module, compiled next to the code, holding `kiln_descriptor` and every
// array and string it refers to.
#pragma once
#include <llvm/IR/DerivedTypes.h>
#include <llvm/IR/Module.h>

#include <array>
#include <cstdint>
#include <string>

#include "aotc/backend/trap_scanner.h"
#include "aotc/codegen/codegen.h"
#include "aotc/wasm/module.h"

namespace kiln::aotc {

struct DescriptorInputs {
  const Module* module = nullptr;
  CodegenOptions codegen;
  unsigned opt_level = 2;                 // recorded for kiln inspect
  std::string cpu_name;
  std::string cpu_features;
  const CodeLayout* code = nullptr;       // trap sites and function sizes
  std::array<uint8_t, 32> module_hash{};  // SHA-256 of the .wasm
};

/// Fills `out` (triple and data layout already set, normally in the code
/// module's context): `kiln_descriptor` with default visibility, read-only,
/// 16-byte aligned, first in section abi::kDescriptorSection; everything it
/// refers to private and after it in that section, which ends with a 0 byte;
/// the code it refers to (`kiln_f<N>`, `kiln_entry_t<T>`, `kiln_host_t<T>`)
/// declared external hidden. Its object goes last in the link: it defines
/// abi::kCodeEndSymbol at the end of .text.
Error emit_descriptor_module(const DescriptorInputs& inputs, llvm::Module& out);

/// Fills `out` with only abi::kCodeBeginSymbol, a hidden label in .text; its
/// object goes first in the link, so the label starts the artifact's code.
void emit_code_begin_module(llvm::Module& out);

/// The LLVM struct types mirroring the abi:: structs. Their layout under the
/// x86-64 data layout must equal the C++ one (checked in the unit tests).
struct AbiStructTypes {
  llvm::StructType* limits;
  llvm::StructType* const_expr;
  llvm::StructType* func_type;
  llvm::StructType* table_type;
  llvm::StructType* memory_type;
  llvm::StructType* global_type;
  llvm::StructType* import;
  llvm::StructType* export_;
  llvm::StructType* function;
  llvm::StructType* global;
  llvm::StructType* data_segment;
  llvm::StructType* elem_segment;
  llvm::StructType* trap_site;
  llvm::StructType* descriptor;
};
AbiStructTypes abi_struct_types(llvm::LLVMContext& context);

/// Translates one instruction of a constant expression to the descriptor's
/// form (integer arithmetic only makes sense in a Sequence); `module` gives
/// global types for global.get.
Expected<abi::ConstExpr> descriptor_const_instr(const Module& module, const Instr& in);
/// The same for a one-instruction (WebAssembly 2.0) constant expression.
Expected<abi::ConstExpr> descriptor_const_expr(const Module& module, const ConstExpr& expr);

}  // namespace kiln::aotc
