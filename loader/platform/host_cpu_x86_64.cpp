// The x86-64 host: triple and ELF names, relocations, and CPU features by
// CPUID. Each LLVM x86 feature name is looked up in abi/cpu_features_x86_64.h
// and its CPUID bit queried (and, for register-state extensions, the OS
// having enabled that state in XCR0).
#include <cpuid.h>
#include <elf.h>

#include <cstdint>
#include <cstring>
#include <string_view>

#include "abi/cpu_features_x86_64.h"
#include "loader/platform/host_cpu.h"

namespace kiln::loader::host_cpu {
namespace {

using abi::x86_64::CpuFeature;
using abi::x86_64::EAX;
using abi::x86_64::EBX;
using abi::x86_64::ECX;
using abi::x86_64::EDX;
using abi::x86_64::kExt;
using abi::x86_64::OsState;

// Features that only steer instruction selection or scheduling, or harden
// code in software: they never require anything of the CPU.
constexpr std::string_view kNoHardwarePrefixes[] = {
    "fast-", "slow-", "false-deps-", "prefer-", "tuning-", "no-bypass-delay", "idiv",
    "lea-", "retpoline", "lvi-", "harden-sls-", "use-",
};
constexpr std::string_view kNoHardwareNames[] = {
    "64bit-mode", "allow-light-256-bit", "branch-hint", "branchfusion", "macrofusion",
    "pad-short-functions", "sbb-dep-breaking", "seses", "sse-unaligned-mem", "vzeroupper",
    "faster-shift-than-shuffle", "nopl", "inline-asm-use-gpr32",
};

bool needs_no_hardware(std::string_view name) {
  for (std::string_view prefix : kNoHardwarePrefixes)
    if (name.substr(0, prefix.size()) == prefix) return true;
  for (std::string_view known : kNoHardwareNames)
    if (name == known) return true;
  return false;
}

struct CpuidResult {
  bool valid = false;
  uint32_t regs[4] = {};
};

CpuidResult query(uint32_t leaf, uint32_t subleaf) {
  CpuidResult r;
  uint32_t max = __get_cpuid_max(leaf & kExt, nullptr);
  if (max == 0 || leaf > max) return r;
  // Leaf 7 and 0x24 list their highest subleaf in EAX of subleaf 0.
  if (subleaf != 0 && (leaf == 7 || leaf == 0x24)) {
    uint32_t a, b, c, d;
    __cpuid_count(leaf, 0, a, b, c, d);
    if (subleaf > a) return r;
  }
  __cpuid_count(leaf, subleaf, r.regs[EAX], r.regs[EBX], r.regs[ECX], r.regs[EDX]);
  r.valid = true;
  return r;
}

uint64_t enabled_xcr0() {
  CpuidResult one = query(1, 0);
  if (!one.valid || !(one.regs[ECX] & (1u << 27))) return 0;  // no OSXSAVE
  uint32_t lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (static_cast<uint64_t>(hi) << 32) | lo;
}

bool os_enabled(OsState state, uint64_t xcr0) {
  auto has = [xcr0](uint64_t mask) { return (xcr0 & mask) == mask; };
  switch (state) {
    case OsState::None: return true;
    case OsState::Avx: return has(0x6);                       // SSE, AVX
    case OsState::Avx512: return has(0xE6);                   // + opmask, ZMM_Hi256, Hi16_ZMM
    case OsState::Amx: return has((1ull << 17) | (1ull << 18));  // XTILECFG, XTILEDATA
    case OsState::Apx: return has(1ull << 19);
  }
  return false;
}

}  // namespace

std::string_view triple_arch() { return "x86_64"; }
uint16_t elf_machine() { return EM_X86_64; }
bool is_relative_relocation(uint32_t type) { return type == R_X86_64_RELATIVE || type == R_X86_64_NONE; }
bool is_ifunc_relocation(uint32_t type) { return type == R_X86_64_IRELATIVE; }
std::string_view relative_relocation_name() { return "R_X86_64_RELATIVE"; }

int has_feature(std::string_view name) {
  if (needs_no_hardware(name)) return 1;
  const CpuFeature* f = abi::x86_64::find_cpu_feature(name);
  if (!f) return -1;
  CpuidResult r = query(f->leaf, f->subleaf);
  if (!r.valid || !(r.regs[f->reg] & (1u << f->bit))) return 0;
  return os_enabled(f->state, enabled_xcr0()) ? 1 : 0;
}

}  // namespace kiln::loader::host_cpu
