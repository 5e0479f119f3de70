// The x86-64 target aotc compiles for: LLVM initialization and TargetMachine
// creation, plus the CPU name and feature list recorded in the descriptor.
#pragma once
#include <llvm/Target/TargetMachine.h>

#include <memory>
#include <string>

#include "aotc/wasm/error.h"

namespace kiln::aotc {

/// Artifacts are always for the host's OS and architecture.
constexpr const char* kTargetTriple = "x86_64-pc-linux-gnu";
/// The default CPU: x86-64-v2 has SSE4.1, so ceil/floor/trunc/nearest become
/// `roundss`/`roundsd` instead of libm calls (artifacts import nothing).
constexpr const char* kDefaultCpu = "x86-64-v2";

/// The CPU features written to Descriptor::cpu_features, in this order, as
/// "+name" for each one the chosen CPU has: every feature that can change
/// which instructions LLVM selects for plain IR (no intrinsics), so the
/// loader refuses an artifact whose code could hit an instruction the host
/// lacks. These names, and only these, are ever emitted; the loader
/// (loader/platform/cpu_features.cpp) maps each to its CPUID bit.
/// Features only reachable through intrinsics (aes, sha, rtm, sgx, ...) are
/// left out: listing them would refuse hosts where they are fused off.
// clang-format off
constexpr const char* kCheckableCpuFeatures[] = {
    "sse2", "sse3", "ssse3", "sse4.1", "sse4.2", "sse4a", "popcnt", "lzcnt", "bmi", "bmi2",
    "tbm", "cx16", "sahf", "movbe", "fma", "fma4", "xop", "f16c", "avx", "avx2", "avx512f",
    "evex512", "avx512bw", "avx512cd", "avx512dq", "avx512vl", "avx512vbmi", "avx512vbmi2",
    "avx512vnni", "avx512bitalg", "avx512vpopcntdq", "avx512ifma", "avx512bf16", "avx512fp16",
    "avx512vp2intersect", "gfni", "vaes", "vpclmulqdq", "avxvnni", "avxifma", "avxvnniint8",
    "avxvnniint16", "avxneconvert", "avx10.1-256", "avx10.1-512", "egpr", "push2pop2", "ppx",
    "ndd", "ccmp", "nf", "cf", "zu",
};
// clang-format on

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
