// The x86-64 target: LLVM set-up, recorded features, trap instructions.
#include <llvm/Support/TargetSelect.h>

#include <mutex>

#include "abi/cpu_features_x86_64.h"
#include "abi/trap_encoding_x86_64.h"
#include "aotc/backend/target.h"

namespace kiln::aotc {

namespace {

void initialize() {
  static std::once_flag once;
  std::call_once(once, [] {
    LLVMInitializeX86TargetInfo();
    LLVMInitializeX86Target();
    LLVMInitializeX86TargetMC();
    LLVMInitializeX86AsmPrinter();
    LLVMInitializeX86AsmParser();  // loop polls are inline asm
    LLVMInitializeX86Disassembler();
  });
}

std::vector<std::string_view> recorded_features() {
  std::vector<std::string_view> names;
  for (const abi::x86_64::CpuFeature& f : abi::x86_64::kCpuFeatures)
    if (f.recorded) names.push_back(f.name);
  return names;
}

// ud1 of llvm.ubsantrap, ud2 of llvm.trap.
bool is_trap_opcode(llvm::StringRef name) {
  return name == "TRAP" || name == "UD2" || name.starts_with("UD1");
}

abi::TrapCode decode_trap(llvm::ArrayRef<uint8_t> bytes) {
  return abi::x86_64::decode_trap(
      [&](size_t i) -> uint8_t { return i < bytes.size() ? bytes[i] : 0; });
}

}  // namespace

const TargetArch& x86_64_target() {
  // The x86 decoder accepts every extension in 64-bit mode; the CPU only
  // selects the mode.
  static const TargetArch arch{llvm::Triple::x86_64, "x86-64", "x86_64-linux-gnu", kTargetTriple,
                               kDefaultCpu, "x86-64, x86-64-v2, x86-64-v3, native", initialize,
                               recorded_features, "x86-64", "", is_trap_opcode, decode_trap};
  return arch;
}

}  // namespace kiln::aotc
