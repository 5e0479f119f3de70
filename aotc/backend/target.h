// The x86-64 target aotc compiles for: LLVM initialization and TargetMachine
// creation, plus the CPU name and feature list recorded in the descriptor.
#pragma once
#include <llvm/Target/TargetMachine.h>

#include <memory>
#include <string>

#include "abi/cpu_features_x86_64.h"
#include "aotc/wasm/error.h"

namespace kiln::aotc {

/// Artifacts are always for the host's OS and architecture.
constexpr const char* kTargetTriple = "x86_64-pc-linux-gnu";
/// The default CPU: x86-64-v2 has SSE4.1, so ceil/floor/trunc/nearest become
/// `roundss`/`roundsd` instead of libm calls (artifacts import nothing).
constexpr const char* kDefaultCpu = "x86-64-v2";


struct Target {
  std::unique_ptr<llvm::TargetMachine> machine;
  std::string cpu_name;      // resolved name ("native" becomes the host's, e.g. "znver4")
  std::string cpu_features;  // "+sse2,+sse3,...": the recorded features of abi/cpu_features_x86_64.h
};

/// Registers the x86 target, MC layer, asm printer and disassembler (once).
void initialize_llvm_x86();

/// A TargetMachine for kTargetTriple: `cpu` is an LLVM CPU name or "native"
/// (host CPU and its features); PIC, small code model, codegen at opt_level.
Expected<Target> create_target(const std::string& cpu, unsigned opt_level);

/// The "+a,+b" list of recorded features (abi/cpu_features_x86_64.h) enabled for `cpu` with the
/// extra `features` ("+x,-y", may be empty). Empty string if `cpu` is unknown.
std::string checkable_cpu_features(const std::string& cpu, const std::string& features);

}  // namespace kiln::aotc
