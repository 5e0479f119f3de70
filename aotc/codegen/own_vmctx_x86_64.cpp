// x86-64: `cmp own, vmctx; jne 1f; mov own, vmctx; 1:`.
#include <llvm/IR/DerivedTypes.h>

#include "aotc/codegen/own_vmctx.h"

namespace kiln::aotc {

llvm::InlineAsm* own_vmctx_asm_x86_64(llvm::LLVMContext& ctx) {
  llvm::Type* ptr = llvm::PointerType::getUnqual(ctx);
  auto* type = llvm::FunctionType::get(ptr, {ptr, ptr}, false);
  // $0: the result, in the loaded value's register ($1); $2: own.
  return llvm::InlineAsm::get(type, "cmpq $2, $0\n\tjne 1f\n\tmovq $2, $0\n1:", "=r,0,r,~{flags}",
                              /*hasSideEffects=*/false);
}

}  // namespace kiln::aotc
