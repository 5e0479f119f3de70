// The CPU these tests run on, read from the test's own executable (under
// qemu-user too), so that expectations naming a CPU need no #ifdef.
#pragma once
#include <dlfcn.h>
#include <elf.h>

#include <cstdint>
#include <fstream>
#include <string>

namespace kiln::safety {

/// e_machine of /proc/self/exe.
inline uint16_t own_elf_machine() {
  Elf64_Ehdr header{};
  std::ifstream in("/proc/self/exe", std::ios::binary);
  in.read(reinterpret_cast<char*>(&header), sizeof header);
  return header.e_machine;
}

/// How loader messages name a machine.
inline std::string machine_name(uint16_t machine) {
  return machine == EM_X86_64 ? "x86_64" : machine == EM_AARCH64 ? "aarch64" : "ELF machine " + std::to_string(machine);
}

/// A machine other than this one that the loader knows by name.
inline uint16_t foreign_elf_machine() { return own_elf_machine() == EM_AARCH64 ? EM_X86_64 : EM_AARCH64; }

/// This CPU's relative and IFUNC dynamic relocation types.
inline uint32_t relative_relocation() {
  return own_elf_machine() == EM_AARCH64 ? R_AARCH64_RELATIVE : R_X86_64_RELATIVE;
}
inline uint32_t ifunc_relocation() {
  return own_elf_machine() == EM_AARCH64 ? R_AARCH64_IRELATIVE : R_X86_64_IRELATIVE;
}

/// The file of the shared library that defines `symbol` (e.g. libc's malloc).
inline std::string library_of(const void* symbol) {
  Dl_info info{};
  if (dladdr(symbol, &info) == 0 || !info.dli_fname) return {};
  return info.dli_fname;
}

}  // namespace kiln::safety
