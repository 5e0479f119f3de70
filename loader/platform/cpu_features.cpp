// CPU feature checks for artifacts: LLVM x86 feature names mapped to CPUID
// bits (and, for register-state extensions, to the OS having enabled that
// state in XCR0). A name this table does not know makes the artifact refused.
#include <cpuid.h>

#include <cstdint>
#include <cstring>
#include <mutex>
#include <string>
#include <unordered_map>
#include <string_view>

#include "loader/platform/artifact_file.h"

namespace kiln::loader {
namespace {

enum Reg : uint8_t { EAX, EBX, ECX, EDX };

// Register state the OS must have enabled (XCR0) before the feature is usable.
enum class OsState : uint8_t { None, Avx, Avx512, Amx, Apx };

struct FeatureBit {
  const char* name;
  uint32_t leaf;
  uint32_t subleaf;
  Reg reg;
  uint8_t bit;
  OsState state;
};

constexpr uint32_t kExt = 0x80000000u;

// Bit positions from the Intel SDM / AMD APM CPUID tables.
constexpr FeatureBit kFeatureBits[] = {
    // CPUID.1
    {"sse3", 1, 0, ECX, 0, OsState::None},
    {"pclmul", 1, 0, ECX, 1, OsState::None},
    {"ssse3", 1, 0, ECX, 9, OsState::None},
    {"fma", 1, 0, ECX, 12, OsState::Avx},
    {"cx16", 1, 0, ECX, 13, OsState::None},
    {"sse4.1", 1, 0, ECX, 19, OsState::None},
    {"sse4.2", 1, 0, ECX, 20, OsState::None},
    {"crc32", 1, 0, ECX, 20, OsState::None},
    {"movbe", 1, 0, ECX, 22, OsState::None},
    {"popcnt", 1, 0, ECX, 23, OsState::None},
    {"aes", 1, 0, ECX, 25, OsState::None},
    {"xsave", 1, 0, ECX, 26, OsState::None},
    {"avx", 1, 0, ECX, 28, OsState::Avx},
    {"f16c", 1, 0, ECX, 29, OsState::Avx},
    {"rdrnd", 1, 0, ECX, 30, OsState::None},
    {"x87", 1, 0, EDX, 0, OsState::None},
    {"cx8", 1, 0, EDX, 8, OsState::None},
    {"cmov", 1, 0, EDX, 15, OsState::None},
    {"mmx", 1, 0, EDX, 23, OsState::None},
    {"fxsr", 1, 0, EDX, 24, OsState::None},
    {"sse", 1, 0, EDX, 25, OsState::None},
    {"sse2", 1, 0, EDX, 26, OsState::None},
    // CPUID.7.0
    {"fsgsbase", 7, 0, EBX, 0, OsState::None},
    {"sgx", 7, 0, EBX, 2, OsState::None},
    {"bmi", 7, 0, EBX, 3, OsState::None},
    {"avx2", 7, 0, EBX, 5, OsState::Avx},
    {"bmi2", 7, 0, EBX, 8, OsState::None},
    {"ermsb", 7, 0, EBX, 9, OsState::None},
    {"invpcid", 7, 0, EBX, 10, OsState::None},
    {"rtm", 7, 0, EBX, 11, OsState::None},
    {"avx512f", 7, 0, EBX, 16, OsState::Avx512},
    {"evex512", 7, 0, EBX, 16, OsState::Avx512},
    {"avx512dq", 7, 0, EBX, 17, OsState::Avx512},
    {"rdseed", 7, 0, EBX, 18, OsState::None},
    {"adx", 7, 0, EBX, 19, OsState::None},
    {"avx512ifma", 7, 0, EBX, 21, OsState::Avx512},
    {"clflushopt", 7, 0, EBX, 23, OsState::None},
    {"clwb", 7, 0, EBX, 24, OsState::None},
    {"avx512cd", 7, 0, EBX, 28, OsState::Avx512},
    {"sha", 7, 0, EBX, 29, OsState::None},
    {"avx512bw", 7, 0, EBX, 30, OsState::Avx512},
    {"avx512vl", 7, 0, EBX, 31, OsState::Avx512},
    {"avx512vbmi", 7, 0, ECX, 1, OsState::Avx512},
    {"pku", 7, 0, ECX, 4, OsState::None},  // OSPKE: enabled by the OS
    {"waitpkg", 7, 0, ECX, 5, OsState::None},
    {"avx512vbmi2", 7, 0, ECX, 6, OsState::Avx512},
    {"shstk", 7, 0, ECX, 7, OsState::None},
    {"gfni", 7, 0, ECX, 8, OsState::None},
    {"vaes", 7, 0, ECX, 9, OsState::Avx},
    {"vpclmulqdq", 7, 0, ECX, 10, OsState::Avx},
    {"avx512vnni", 7, 0, ECX, 11, OsState::Avx512},
    {"avx512bitalg", 7, 0, ECX, 12, OsState::Avx512},
    {"avx512vpopcntdq", 7, 0, ECX, 14, OsState::Avx512},
    {"rdpid", 7, 0, ECX, 22, OsState::None},
    {"kl", 7, 0, ECX, 23, OsState::None},
    {"cldemote", 7, 0, ECX, 25, OsState::None},
    {"movdiri", 7, 0, ECX, 27, OsState::None},
    {"movdir64b", 7, 0, ECX, 28, OsState::None},
    {"enqcmd", 7, 0, ECX, 29, OsState::None},
    {"fsrm", 7, 0, EDX, 4, OsState::None},
    {"uintr", 7, 0, EDX, 5, OsState::None},
    {"avx512vp2intersect", 7, 0, EDX, 8, OsState::Avx512},
    {"serialize", 7, 0, EDX, 14, OsState::None},
    {"tsxldtrk", 7, 0, EDX, 16, OsState::None},
    {"pconfig", 7, 0, EDX, 18, OsState::None},
    {"amx-bf16", 7, 0, EDX, 22, OsState::Amx},
    {"avx512fp16", 7, 0, EDX, 23, OsState::Avx512},
    {"amx-tile", 7, 0, EDX, 24, OsState::Amx},
    {"amx-int8", 7, 0, EDX, 25, OsState::Amx},
    // CPUID.7.1
    {"sha512", 7, 1, EAX, 0, OsState::Avx},
    {"sm3", 7, 1, EAX, 1, OsState::Avx},
    {"sm4", 7, 1, EAX, 2, OsState::Avx},
    {"raoint", 7, 1, EAX, 3, OsState::None},
    {"avxvnni", 7, 1, EAX, 4, OsState::Avx},
    {"avx512bf16", 7, 1, EAX, 5, OsState::Avx512},
    {"cmpccxadd", 7, 1, EAX, 7, OsState::None},
    {"amx-fp16", 7, 1, EAX, 21, OsState::Amx},
    {"hreset", 7, 1, EAX, 22, OsState::None},
    {"avxifma", 7, 1, EAX, 23, OsState::Avx},
    {"avxvnniint8", 7, 1, EDX, 4, OsState::Avx},
    {"avxneconvert", 7, 1, EDX, 5, OsState::Avx},
    {"amx-complex", 7, 1, EDX, 8, OsState::Amx},
    {"avxvnniint16", 7, 1, EDX, 10, OsState::Avx},
    {"prefetchi", 7, 1, EDX, 14, OsState::None},
    {"usermsr", 7, 1, EDX, 15, OsState::None},
    {"avx10.1-256", 7, 1, EDX, 19, OsState::Avx512},
    {"egpr", 7, 1, EDX, 21, OsState::Apx},
    {"push2pop2", 7, 1, EDX, 21, OsState::Apx},
    {"ppx", 7, 1, EDX, 21, OsState::Apx},
    {"ndd", 7, 1, EDX, 21, OsState::Apx},
    {"ccmp", 7, 1, EDX, 21, OsState::Apx},
    {"nf", 7, 1, EDX, 21, OsState::Apx},
    {"cf", 7, 1, EDX, 21, OsState::Apx},
    {"zu", 7, 1, EDX, 21, OsState::Apx},
    // CPUID.0xD.1 (XSAVE extensions)
    {"xsaveopt", 0xD, 1, EAX, 0, OsState::None},
    {"xsavec", 0xD, 1, EAX, 1, OsState::None},
    {"xsaves", 0xD, 1, EAX, 3, OsState::None},
    // CPUID.0x14.0, 0x19, 0x24
    {"ptwrite", 0x14, 0, EBX, 4, OsState::None},
    {"widekl", 0x19, 0, EBX, 2, OsState::None},
    {"avx10.1-512", 0x24, 0, EBX, 18, OsState::Avx512},
    // CPUID.0x80000001
    {"sahf", kExt | 1, 0, ECX, 0, OsState::None},
    {"lzcnt", kExt | 1, 0, ECX, 5, OsState::None},
    {"sse4a", kExt | 1, 0, ECX, 6, OsState::None},
    {"prfchw", kExt | 1, 0, ECX, 8, OsState::None},
    {"xop", kExt | 1, 0, ECX, 11, OsState::Avx},
    {"lwp", kExt | 1, 0, ECX, 15, OsState::None},
    {"fma4", kExt | 1, 0, ECX, 16, OsState::Avx},
    {"tbm", kExt | 1, 0, ECX, 21, OsState::None},
    {"mwaitx", kExt | 1, 0, ECX, 29, OsState::None},
    {"64bit", kExt | 1, 0, EDX, 29, OsState::None},
    // CPUID.0x80000008
    {"clzero", kExt | 8, 0, EBX, 0, OsState::None},
    {"rdpru", kExt | 8, 0, EBX, 4, OsState::None},
    {"wbnoinvd", kExt | 8, 0, EBX, 9, OsState::None},
};

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

// 1: present, 0: absent, -1: unknown name.
int host_has(std::string_view name) {
  if (needs_no_hardware(name)) return 1;
  for (const FeatureBit& f : kFeatureBits) {
    if (name != f.name) continue;
    CpuidResult r = query(f.leaf, f.subleaf);
    if (!r.valid || !(r.regs[f.reg] & (1u << f.bit))) return 0;
    return os_enabled(f.state, enabled_xcr0()) ? 1 : 0;
  }
  return -1;
}

}  // namespace

namespace {

std::string compute_missing(const char* feature_list) {
  std::string missing;
  std::string_view rest(feature_list);
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (item.empty() || item[0] == '-') continue;  // disabled features require nothing
    if (item[0] == '+') item.remove_prefix(1);
    if (item.empty()) continue;
    int has = host_has(item);
    if (has == 1) continue;
    if (!missing.empty()) missing += ',';
    missing += item;
    if (has < 0) missing += " (unknown feature)";
  }
  return missing;
}

}  // namespace

// CPUID is slow under virtualization and every artifact from one aotc carries
// the same list, so each distinct list is answered once per process.
std::string missing_cpu_features(const char* feature_list) {
  if (!feature_list) return {};
  static std::mutex mutex;
  static std::unordered_map<std::string, std::string> answers;
  std::lock_guard<std::mutex> lock(mutex);
  auto [it, inserted] = answers.try_emplace(feature_list);
  if (inserted) it->second = compute_missing(feature_list);
  return it->second;
}

}  // namespace kiln::loader
