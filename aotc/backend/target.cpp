// TargetMachine creation for the targets of target_<cpu>.cpp.
#include "aotc/backend/target.h"

#include <llvm/ADT/StringMap.h>
#include <llvm/MC/MCSubtargetInfo.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/TargetParser/Host.h>

namespace kiln::aotc {

namespace {

const llvm::Target* lookup(const TargetArch& arch, std::string& error) {
  arch.initialize();
  return llvm::TargetRegistry::lookupTarget(arch.triple, error);
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
bool is_known_cpu(const TargetArch& arch, const llvm::Target& target, const std::string& cpu) {
  std::unique_ptr<llvm::MCSubtargetInfo> generic(
      target.createMCSubtargetInfo(arch.triple, "", ""));
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

std::string recorded_features(const TargetArch& arch, const llvm::Target& target,
                              const std::string& cpu, const std::string& features) {
  if (!is_known_cpu(arch, target, cpu)) return "";
  std::unique_ptr<llvm::MCSubtargetInfo> sti(
      target.createMCSubtargetInfo(arch.triple, cpu, features));
  if (!sti) return "";
  // getFeatureBits() has every implied feature resolved (avx2 => avx => ...).
  const llvm::FeatureBitset& enabled = sti->getFeatureBits();
  std::string out;
  for (std::string_view name : arch.recorded_features()) {
    for (const llvm::SubtargetFeatureKV& kv : sti->getAllProcessorFeatures()) {
      if (std::string_view(kv.Key) != name || !enabled.test(kv.Value)) continue;
      if (!out.empty()) out += ',';
      out += '+';
      out += name;
    }
  }
  return out;
}

}  // namespace

void initialize_llvm_x86() { x86_64_target().initialize(); }

const TargetArch* find_target(llvm::Triple::ArchType arch) {
  for (const TargetArch* t : {&x86_64_target(), &aarch64_target()})
    if (t->arch == arch) return t;
  return nullptr;
}

const TargetArch* find_target(std::string_view triple) {
  if (triple.empty()) triple = kDefaultTarget;
  llvm::Triple parsed(llvm::Triple::normalize(triple));
  if (parsed.getOS() != llvm::Triple::Linux || parsed.getEnvironment() != llvm::Triple::GNU)
    return nullptr;
  return find_target(parsed.getArch());
}

std::string checkable_cpu_features(const std::string& cpu, const std::string& features,
                                   std::string_view triple) {
  const TargetArch* arch = find_target(triple);
  std::string error;
  const llvm::Target* target = arch ? lookup(*arch, error) : nullptr;
  return target ? recorded_features(*arch, *target, cpu, features) : "";
}

Expected<Target> create_target(const std::string& cpu, unsigned opt_level,
                               std::string_view triple) {
  const TargetArch* arch = find_target(triple);
  if (!arch)
    return make_error("unsupported target '" + std::string(triple) + "' (supported: " +
                      x86_64_target().option + ", " + aarch64_target().option + ")");
  std::string error;
  const llvm::Target* target = lookup(*arch, error);
  if (!target) return make_error(std::string("cannot set up the ") + arch->name + " target: " + error);

  std::string cpu_name = cpu.empty() ? arch->default_cpu : cpu;
  std::string features;
  if (cpu_name == "native") {
    // The host's CPU says nothing about another architecture's.
    if (llvm::Triple(llvm::sys::getProcessTriple()).getArch() != arch->arch)
      return make_error(std::string("--cpu=native needs the target to be this host's; name an ") +
                        arch->name + " CPU (try " + arch->cpu_examples + ")");
    cpu_name = llvm::sys::getHostCPUName().str();
    features = host_feature_string();
  }
  if (!is_known_cpu(*arch, *target, cpu_name))
    return make_error("unknown CPU '" + cpu_name + "' for " + arch->name + " (try " +
                      arch->cpu_examples + ")");
  if (cpu_name.size() >= 32) return make_error("CPU name '" + cpu_name + "' is too long");

  llvm::TargetOptions options;
  std::unique_ptr<llvm::TargetMachine> machine(
      target->createTargetMachine(arch->triple, cpu_name, features, options, llvm::Reloc::PIC_,
                                  llvm::CodeModel::Small, codegen_level(opt_level)));
  if (!machine) return make_error("cannot create a target machine for CPU '" + cpu_name + "'");

  Target result;
  result.arch = arch;
  result.machine = std::move(machine);
  result.cpu_name = cpu_name;
  result.cpu_features = recorded_features(*arch, *target, cpu_name, features);
  return result;
}

}  // namespace kiln::aotc
