// The targets aotc compiles for: LLVM initialization and TargetMachine
// creation, plus the CPU name and feature list recorded in the descriptor.
// What differs per architecture sits in target_<cpu>.cpp, chosen at run time.
#pragma once
#include <llvm/ADT/ArrayRef.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/TargetParser/Triple.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "abi/trap_codes.h"
#include "aotc/wasm/error.h"

namespace kiln::aotc {

/// One target architecture (Linux, GNU environment).
struct TargetArch {
  llvm::Triple::ArchType arch;
  const char* name;          // for messages: "x86-64", "aarch64"
  const char* option;        // the --target spelling: "x86_64-linux-gnu"
  const char* triple;        // recorded in the descriptor
  const char* default_cpu;
  const char* cpu_examples;  // for the unknown-CPU message
  /// Registers LLVM's target, MC layer, asm printer/parser and disassembler (once).
  void (*initialize)();
  /// The recorded features of its abi/cpu_features_<cpu>.h, in table order.
  std::vector<std::string_view> (*recorded_features)();
  /// CPU and features for a disassembler that decodes every extension.
  const char* disassembler_cpu;
  const char* disassembler_features;
  /// True for an opcode (LLVM's name) that must be a trap site.
  bool (*is_trap_opcode)(llvm::StringRef opcode);
  /// The TrapCode of the instruction `bytes` (possibly more bytes after it)
  /// starts with, as the loader decodes it; None if it is not a trap site.
  abi::TrapCode (*decode_trap)(llvm::ArrayRef<uint8_t> bytes);
};

const TargetArch& x86_64_target();
const TargetArch& aarch64_target();

/// The default --target.
constexpr const char* kDefaultTarget = "x86_64-linux-gnu";
/// The triple and CPU of the default target (x86-64). x86-64-v2 has SSE4.1,
/// so ceil/floor/trunc/nearest become `roundss`/`roundsd` instead of libm
/// calls (artifacts import nothing).
constexpr const char* kTargetTriple = "x86_64-pc-linux-gnu";
constexpr const char* kDefaultCpu = "x86-64-v2";

/// The target named by a triple ("aarch64-linux-gnu", "x86_64-pc-linux-gnu",
/// ...; empty: the default), or null if aotc does not compile for it.
const TargetArch* find_target(std::string_view triple);
/// The target whose code is `arch`, or null.
const TargetArch* find_target(llvm::Triple::ArchType arch);

struct Target {
  const TargetArch* arch = nullptr;
  std::unique_ptr<llvm::TargetMachine> machine;
  std::string cpu_name;      // resolved name ("native" becomes the host's, e.g. "znver4")
  std::string cpu_features;  // "+sse2,+sse3,...": the recorded features of abi/cpu_features_<cpu>.h
};

/// Registers the x86 target, MC layer, asm printer and disassembler (once).
void initialize_llvm_x86();

/// A TargetMachine for `triple` (see find_target; empty: the default):
/// `cpu` is an LLVM CPU name (empty: the target's default) or "native" (host
/// CPU and its features, only when the target is the host's); PIC, small
/// code model, codegen at opt_level.
Expected<Target> create_target(const std::string& cpu, unsigned opt_level,
                               std::string_view triple = {});

/// The "+a,+b" list of recorded features enabled for `cpu` of the target
/// `triple` (empty: the default) with the extra `features` ("+x,-y", may be
/// empty). Empty string if `cpu` is unknown.
std::string checkable_cpu_features(const std::string& cpu, const std::string& features,
                                   std::string_view triple = {});

}  // namespace kiln::aotc
