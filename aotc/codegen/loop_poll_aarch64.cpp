// AArch64 loop poll: `sub x16, vmctx, #4096; ldrb wzr, [x16]`.
#include <llvm/IR/DerivedTypes.h>

#include <string>

#include "abi/vm_context.h"
#include "aotc/codegen/loop_poll.h"

namespace kiln::aotc {

// `sub` takes a 12-bit immediate, optionally shifted by 12.
static_assert(abi::kVMContextPollPageOffset < 0 && -abi::kVMContextPollPageOffset % 4096 == 0 &&
              -abi::kVMContextPollPageOffset <= 0xFFF000);

llvm::InlineAsm* loop_poll_asm_aarch64(llvm::LLVMContext& ctx) {
  // A load's negative immediate reaches only -256, so the address takes a
  // register: x16 (IP0), which calls may clobber anyway. The load to wzr
  // reads without a result, and neither instruction writes the flags.
  static const std::string kRead =
      "sub x16, $0, #" + std::to_string(-abi::kVMContextPollPageOffset) + "\n\tldrb wzr, [x16]";
  auto* type = llvm::FunctionType::get(llvm::Type::getVoidTy(ctx),
                                       {llvm::PointerType::getUnqual(ctx)}, false);
  return llvm::InlineAsm::get(type, kRead, "r,~{x16},~{memory}", /*hasSideEffects=*/true);
}

}  // namespace kiln::aotc
