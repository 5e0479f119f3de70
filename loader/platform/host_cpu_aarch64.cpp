// The aarch64 host: triple and ELF names, relocations, and CPU features from
// the kernel's AT_HWCAP/AT_HWCAP2 words (user space cannot read the ID
// registers portably), by the table in abi/cpu_features_aarch64.h.
#include <elf.h>
#include <sys/auxv.h>

#include <cstdint>
#include <string_view>

#include "abi/cpu_features_aarch64.h"
#include "loader/platform/host_cpu.h"

namespace kiln::loader::host_cpu {

std::string_view triple_arch() { return "aarch64"; }
uint16_t elf_machine() { return EM_AARCH64; }
bool is_relative_relocation(uint32_t type) { return type == R_AARCH64_RELATIVE || type == R_AARCH64_NONE; }
bool is_ifunc_relocation(uint32_t type) { return type == R_AARCH64_IRELATIVE; }
std::string_view relative_relocation_name() { return "R_AARCH64_RELATIVE"; }

int has_feature(std::string_view name) {
  const abi::aarch64::CpuFeature* f = abi::aarch64::find_cpu_feature(name);
  if (!f) return -1;
  const uint64_t word = getauxval(f->word == abi::aarch64::HwcapWord::Hwcap ? AT_HWCAP : AT_HWCAP2);
  return (word >> f->bit) & 1 ? 1 : 0;
}

}  // namespace kiln::loader::host_cpu
