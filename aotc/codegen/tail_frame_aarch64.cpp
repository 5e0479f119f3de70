// AArch64: an empty asm clobbering x19 (see tail_frame.h).
#include <llvm/IR/DerivedTypes.h>

#include "aotc/codegen/tail_frame.h"

namespace kiln::aotc {

llvm::InlineAsm* entry_frame_asm_aarch64(llvm::LLVMContext& ctx) {
  auto* type = llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), false);
  return llvm::InlineAsm::get(type, "", "~{x19}", /*hasSideEffects=*/true);
}

}  // namespace kiln::aotc
