// x86-64 loop poll: `testb $0, OFFSET(%vmctx)`.
#include <llvm/IR/DerivedTypes.h>

#include <string>

#include "abi/vm_context.h"
#include "aotc/codegen/loop_poll.h"

namespace kiln::aotc {

llvm::InlineAsm* loop_poll_asm_x86_64(llvm::LLVMContext& ctx) {
  static const std::string kRead =
      "testb $$0, " + std::to_string(abi::kVMContextPollPageOffset) + "($0)";
  auto* type = llvm::FunctionType::get(llvm::Type::getVoidTy(ctx),
                                       {llvm::PointerType::getUnqual(ctx)}, false);
  // `testb` writes the flags: LLVM assumes an asm leaves every register it
  // does not name intact, and kept a compare's flags live across an
  // undeclared poll (nextpnr, -O2).
  return llvm::InlineAsm::get(type, kRead, "r,~{memory},~{flags}", /*hasSideEffects=*/true);
}

}  // namespace kiln::aotc
