// AArch64: `cmp vmctx, own; b.ne 1f; mov vmctx, own; 1:`.
#include <llvm/IR/DerivedTypes.h>

#include "aotc/codegen/own_vmctx.h"

namespace kiln::aotc {

llvm::InlineAsm* own_vmctx_asm_aarch64(llvm::LLVMContext& ctx) {
  llvm::Type* ptr = llvm::PointerType::getUnqual(ctx);
  auto* type = llvm::FunctionType::get(ptr, {ptr, ptr}, false);
  // $0: the result, in the loaded value's register ($1); $2: own.
  return llvm::InlineAsm::get(type, "cmp $0, $2\n\tb.ne 1f\n\tmov $0, $2\n1:", "=r,0,r,~{cc}",
                              /*hasSideEffects=*/false);
}

}  // namespace kiln::aotc
