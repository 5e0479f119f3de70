// The AArch64 target: LLVM set-up, recorded features, trap instructions.
#include <llvm/Support/TargetSelect.h>

#include <mutex>

#include "abi/cpu_features_aarch64.h"
#include "abi/trap_encoding_aarch64.h"
#include "aotc/backend/target.h"

namespace kiln::aotc {

namespace {

void initialize() {
  static std::once_flag once;
  std::call_once(once, [] {
    LLVMInitializeAArch64TargetInfo();
    LLVMInitializeAArch64Target();
    LLVMInitializeAArch64TargetMC();
    LLVMInitializeAArch64AsmPrinter();
    LLVMInitializeAArch64AsmParser();  // loop polls are inline asm
    LLVMInitializeAArch64Disassembler();
  });
}

std::vector<std::string_view> recorded_features() {
  std::vector<std::string_view> names;
  for (const abi::aarch64::CpuFeature& f : abi::aarch64::kCpuFeatures)
    if (f.recorded) names.push_back(f.name);
  return names;
}

// brk of llvm.trap/llvm.ubsantrap; LLVM emits no udf or hlt, so one would
// be a site without a code and fail the scan.
bool is_trap_opcode(llvm::StringRef name) {
  return name == "BRK" || name == "UDF" || name == "HLT";
}

abi::TrapCode decode_trap(llvm::ArrayRef<uint8_t> bytes) {
  if (bytes.size() < abi::aarch64::kMaxTrapLength) return abi::TrapCode::None;
  return abi::aarch64::decode_trap([&](size_t i) { return bytes[i]; });
}

}  // namespace

const TargetArch& aarch64_target() {
  // "generic" is Armv8.0-A with FP and Advanced SIMD, which every aarch64
  // Linux host has. The disassembler takes every extension ("+all"), so SVE
  // or SME code between traps still decodes.
  static const TargetArch arch{llvm::Triple::aarch64, "aarch64", "aarch64-linux-gnu",
                               "aarch64-unknown-linux-gnu", "generic",
                               "generic, cortex-a72, neoverse-n1, neoverse-v1", initialize,
                               recorded_features, "", "+all", is_trap_opcode, decode_trap};
  return arch;
}

}  // namespace kiln::aotc
