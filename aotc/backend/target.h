// The x86-64 target aotc compiles for: LLVM initialization and TargetMachine
// creation, plus the CPU name and feature list recorded in the descriptor.
#pragma once
#include <memory>
#include <string>

#include <llvm/Target/TargetMachine.h>

#include "aotc/wasm/error.h"

namespace kiln::aotc {

/// Artifacts are always for the host's OS and architecture.
constexpr const char* kTargetTriple = "x86_64-pc-linux-gnu";
/// The default CPU: x86-64-v2 has SSE4.1, so ceil/floor/trunc/nearest become
/// `roundss`/`roundsd` instead of libm calls (artifacts import nothing).
constexpr const char* kDefaultCpu = "x86-64-v2";

/// The CPU features written to Descriptor::cpu_features, in this order, as
/// "+name" for each one the chosen CPU has. Only these names are emitted, so
/// the loader needs to recognise exactly this list:
///   sse2 sse3 ssse3 sse4.1 sse4.2 popcnt avx avx2 bmi bmi2 lzcnt fma f16c
///   movbe avx512f avx512bw avx512cd avx512dq avx512vl
/// Other features a CPU implies (cx16, sahf, ...) are not listed: wasm 2.0
/// code never needs them, and every x86-64-v2 CPU has them anyway.
constexpr const char* kCheckableCpuFeatures[] = {
    "sse2", "sse3", "ssse3", "sse4.1", "sse4.2", "popcnt", "avx", "avx2", "bmi", "bmi2",
    "lzcnt", "fma", "f16c", "movbe", "avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl",
};

struct Target {
  std::unique_ptr<llvm::TargetMachine> machine;
  std::string cpu_name;      // resolved name ("native" becomes the host's, e.g. "znver4")
  std::string cpu_features;  // "+sse2,+sse3,..." from kCheckableCpuFeatures
};

/// Registers the x86 target, MC layer, asm printer and disassembler (once).
void initialize_llvm_x86();

/// A TargetMachine for kTargetTriple: `cpu` is an LLVM CPU name or "native"
/// (host CPU and its features); PIC, small code model, codegen at opt_level.
Expected<Target> create_target(const std::string& cpu, unsigned opt_level);

/// The "+a,+b" list of kCheckableCpuFeatures enabled for `cpu` with the
/// extra `features` ("+x,-y", may be empty). Empty string if `cpu` is unknown.
std::string checkable_cpu_features(const std::string& cpu, const std::string& features);

}  // namespace kiln::aotc
