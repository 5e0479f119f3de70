// TargetMachine creation for x86-64 Linux.
#include "aotc/backend/target.h"

#include <llvm/ADT/StringMap.h>
#include <llvm/MC/MCSubtargetInfo.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/TargetParser/Host.h>
#include <llvm/TargetParser/Triple.h>

#include <mutex>

namespace kiln::aotc {

void initialize_llvm_x86() {
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

namespace {

const llvm::Target* lookup_x86(std::string& error) {
  initialize_llvm_x86();
  return llvm::TargetRegistry::lookupTarget(kTargetTriple, error);
}

// The host's features as "+a,-b,...", the form TargetMachine expects.
std::string host_feature_string() {
  std::string out;
  for (const auto& entry : llvm::sys::getHostCPUFeatures()) {
    if (!out.empty()) out += ',';
    out += (entry.second ? '+' : '-');
    out += entry.first().str();
  }
  return out;
}

// Checked before use: LLVM only prints a warning for an unknown CPU.
bool is_known_cpu(const llvm::Target& target, const std::string& cpu) {
  std::unique_ptr<llvm::MCSubtargetInfo> generic(
      target.createMCSubtargetInfo(kTargetTriple, "", ""));
  return generic && generic->isCPUStringValid(cpu);
}

llvm::CodeGenOptLevel codegen_level(unsigned opt_level) {
  switch (opt_level) {
    case 0: return llvm::CodeGenOptLevel::None;
    case 1: return llvm::CodeGenOptLevel::Less;
    case 2: return llvm::CodeGenOptLevel::Default;
    default: return llvm::CodeGenOptLevel::Aggressive;
  }
}

}  // namespace

std::string checkable_cpu_features(const std::string& cpu, const std::string& features) {
  std::string error;
  const llvm::Target* target = lookup_x86(error);
  if (!target || !is_known_cpu(*target, cpu)) return "";
  std::unique_ptr<llvm::MCSubtargetInfo> sti(
      target->createMCSubtargetInfo(kTargetTriple, cpu, features));
  if (!sti) return "";
  // getFeatureBits() has every implied feature resolved (avx2 => avx => ...).
  const llvm::FeatureBitset& enabled = sti->getFeatureBits();
  std::string out;
  for (const abi::x86_64::CpuFeature& feature : abi::x86_64::kCpuFeatures) {
    if (!feature.recorded) continue;
    for (const llvm::SubtargetFeatureKV& kv : sti->getAllProcessorFeatures()) {
      if (llvm::StringRef(kv.Key) != feature.name || !enabled.test(kv.Value)) continue;
      if (!out.empty()) out += ',';
      out += '+';
      out += feature.name;
    }
  }
  return out;
}

Expected<Target> create_target(const std::string& cpu, unsigned opt_level) {
  std::string error;
  const llvm::Target* target = lookup_x86(error);
  if (!target) return make_error("cannot set up the x86-64 target: " + error);

  std::string cpu_name = cpu.empty() ? kDefaultCpu : cpu;
  std::string features;
  if (cpu_name == "native") {
    cpu_name = llvm::sys::getHostCPUName().str();
    features = host_feature_string();
  }
  if (!is_known_cpu(*target, cpu_name))
    return make_error("unknown CPU '" + cpu_name + "' (try x86-64, x86-64-v2, x86-64-v3, native)");
  if (cpu_name.size() >= 32) return make_error("CPU name '" + cpu_name + "' is too long");

  llvm::TargetOptions options;
  std::unique_ptr<llvm::TargetMachine> machine(
      target->createTargetMachine(kTargetTriple, cpu_name, features, options, llvm::Reloc::PIC_,
                                  llvm::CodeModel::Small, codegen_level(opt_level)));
  if (!machine) return make_error("cannot create a target machine for CPU '" + cpu_name + "'");

  Target result;
  result.machine = std::move(machine);
  result.cpu_name = cpu_name;
  result.cpu_features = checkable_cpu_features(cpu_name, features);
  return result;
}

}  // namespace kiln::aotc
