// What the loader knows about the CPU it runs on: how target triples and ELF
// headers name it, which dynamic relocations its artifacts may carry, and
// whether it has a CPU feature aotc recorded. One host_cpu_<cpu>.cpp per CPU
// implements these; everything else in the loader stays CPU-neutral.
#pragma once
#include <cstdint>
#include <string_view>

namespace kiln::loader::host_cpu {

/// The CPU part of this host's target triples ("x86_64", "aarch64").
std::string_view triple_arch();

/// The ELF machine of the code this host runs (EM_X86_64, EM_AARCH64).
uint16_t elf_machine();

/// The dynamic relocation types an artifact may carry: none and relative.
bool is_relative_relocation(uint32_t type);
/// The IFUNC relocation type (resolver code would run while loading).
bool is_ifunc_relocation(uint32_t type);
/// The name of the relative relocation, for messages.
std::string_view relative_relocation_name();

/// Whether this CPU has the feature LLVM calls `name`: 1 present, 0 absent,
/// -1 a name the loader does not know (so the artifact is refused).
int has_feature(std::string_view name);

}  // namespace kiln::loader::host_cpu
