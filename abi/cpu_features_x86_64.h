// The x86-64 CPU feature vocabulary both sides use: aotc records in
// Descriptor::cpu_features the `recorded` features its target CPU has, by
// LLVM's name; the loader finds each name here and checks its CPUID bit (and
// that the OS enabled the register state it needs). One table, so a name
// aotc writes is always one the loader can check.
#pragma once
#include <cstdint>
#include <string_view>

#include "abi/named_table.h"

namespace kiln::abi::x86_64 {

/// A CPUID output register.
enum CpuidReg : uint8_t { EAX, EBX, ECX, EDX };

/// Register state the OS must have enabled (XCR0) before the feature is usable.
enum class OsState : uint8_t { None, Avx, Avx512, Amx, Apx };

/// One feature: LLVM's name, where CPUID reports it, and whether aotc records
/// it. Recorded are the features that can change which instructions LLVM
/// selects for plain IR; features only reachable through intrinsics (aes,
/// sha, rtm, ...) are not, so hosts where they are fused off still load.
struct CpuFeature {
  const char* name;
  uint32_t leaf;
  uint32_t subleaf;
  CpuidReg reg;
  uint8_t bit;
  OsState state;
  bool recorded;
};

/// Extended CPUID leaves (0x8000_0000 and up).
inline constexpr uint32_t kExt = 0x80000000u;

// Bit positions from the Intel SDM / AMD APM CPUID tables.
inline constexpr CpuFeature kCpuFeatures[] = {
    // CPUID.1
    {"sse3", 1, 0, ECX, 0, OsState::None, true},
    {"pclmul", 1, 0, ECX, 1, OsState::None, false},
    {"ssse3", 1, 0, ECX, 9, OsState::None, true},
    {"fma", 1, 0, ECX, 12, OsState::Avx, true},
    {"cx16", 1, 0, ECX, 13, OsState::None, true},
    {"sse4.1", 1, 0, ECX, 19, OsState::None, true},
    {"sse4.2", 1, 0, ECX, 20, OsState::None, true},
    {"crc32", 1, 0, ECX, 20, OsState::None, false},
    {"movbe", 1, 0, ECX, 22, OsState::None, true},
    {"popcnt", 1, 0, ECX, 23, OsState::None, true},
    {"aes", 1, 0, ECX, 25, OsState::None, false},
    {"xsave", 1, 0, ECX, 26, OsState::None, false},
    {"avx", 1, 0, ECX, 28, OsState::Avx, true},
    {"f16c", 1, 0, ECX, 29, OsState::Avx, true},
    {"rdrnd", 1, 0, ECX, 30, OsState::None, false},
    {"x87", 1, 0, EDX, 0, OsState::None, false},
    {"cx8", 1, 0, EDX, 8, OsState::None, false},
    {"cmov", 1, 0, EDX, 15, OsState::None, false},
    {"mmx", 1, 0, EDX, 23, OsState::None, false},
    {"fxsr", 1, 0, EDX, 24, OsState::None, false},
    {"sse", 1, 0, EDX, 25, OsState::None, false},
    {"sse2", 1, 0, EDX, 26, OsState::None, true},
    // CPUID.7.0
    {"fsgsbase", 7, 0, EBX, 0, OsState::None, false},
    {"sgx", 7, 0, EBX, 2, OsState::None, false},
    {"bmi", 7, 0, EBX, 3, OsState::None, true},
    {"avx2", 7, 0, EBX, 5, OsState::Avx, true},
    {"bmi2", 7, 0, EBX, 8, OsState::None, true},
    {"ermsb", 7, 0, EBX, 9, OsState::None, false},
    {"invpcid", 7, 0, EBX, 10, OsState::None, false},
    {"rtm", 7, 0, EBX, 11, OsState::None, false},
    {"avx512f", 7, 0, EBX, 16, OsState::Avx512, true},
    {"evex512", 7, 0, EBX, 16, OsState::Avx512, true},
    {"avx512dq", 7, 0, EBX, 17, OsState::Avx512, true},
    {"rdseed", 7, 0, EBX, 18, OsState::None, false},
    {"adx", 7, 0, EBX, 19, OsState::None, false},
    {"avx512ifma", 7, 0, EBX, 21, OsState::Avx512, true},
    {"clflushopt", 7, 0, EBX, 23, OsState::None, false},
    {"clwb", 7, 0, EBX, 24, OsState::None, false},
    {"avx512cd", 7, 0, EBX, 28, OsState::Avx512, true},
    {"sha", 7, 0, EBX, 29, OsState::None, false},
    {"avx512bw", 7, 0, EBX, 30, OsState::Avx512, true},
    {"avx512vl", 7, 0, EBX, 31, OsState::Avx512, true},
    {"avx512vbmi", 7, 0, ECX, 1, OsState::Avx512, true},
    {"pku", 7, 0, ECX, 4, OsState::None, false},  // OSPKE: enabled by the OS
    {"waitpkg", 7, 0, ECX, 5, OsState::None, false},
    {"avx512vbmi2", 7, 0, ECX, 6, OsState::Avx512, true},
    {"shstk", 7, 0, ECX, 7, OsState::None, false},
    {"gfni", 7, 0, ECX, 8, OsState::None, true},
    {"vaes", 7, 0, ECX, 9, OsState::Avx, true},
    {"vpclmulqdq", 7, 0, ECX, 10, OsState::Avx, true},
    {"avx512vnni", 7, 0, ECX, 11, OsState::Avx512, true},
    {"avx512bitalg", 7, 0, ECX, 12, OsState::Avx512, true},
    {"avx512vpopcntdq", 7, 0, ECX, 14, OsState::Avx512, true},
    {"rdpid", 7, 0, ECX, 22, OsState::None, false},
    {"kl", 7, 0, ECX, 23, OsState::None, false},
    {"cldemote", 7, 0, ECX, 25, OsState::None, false},
    {"movdiri", 7, 0, ECX, 27, OsState::None, false},
    {"movdir64b", 7, 0, ECX, 28, OsState::None, false},
    {"enqcmd", 7, 0, ECX, 29, OsState::None, false},
    {"fsrm", 7, 0, EDX, 4, OsState::None, false},
    {"uintr", 7, 0, EDX, 5, OsState::None, false},
    {"avx512vp2intersect", 7, 0, EDX, 8, OsState::Avx512, true},
    {"serialize", 7, 0, EDX, 14, OsState::None, false},
    {"tsxldtrk", 7, 0, EDX, 16, OsState::None, false},
    {"pconfig", 7, 0, EDX, 18, OsState::None, false},
    {"amx-bf16", 7, 0, EDX, 22, OsState::Amx, false},
    {"avx512fp16", 7, 0, EDX, 23, OsState::Avx512, true},
    {"amx-tile", 7, 0, EDX, 24, OsState::Amx, false},
    {"amx-int8", 7, 0, EDX, 25, OsState::Amx, false},
    // CPUID.7.1
    {"sha512", 7, 1, EAX, 0, OsState::Avx, false},
    {"sm3", 7, 1, EAX, 1, OsState::Avx, false},
    {"sm4", 7, 1, EAX, 2, OsState::Avx, false},
    {"raoint", 7, 1, EAX, 3, OsState::None, false},
    {"avxvnni", 7, 1, EAX, 4, OsState::Avx, true},
    {"avx512bf16", 7, 1, EAX, 5, OsState::Avx512, true},
    {"cmpccxadd", 7, 1, EAX, 7, OsState::None, false},
    {"amx-fp16", 7, 1, EAX, 21, OsState::Amx, false},
    {"hreset", 7, 1, EAX, 22, OsState::None, false},
    {"avxifma", 7, 1, EAX, 23, OsState::Avx, true},
    {"avxvnniint8", 7, 1, EDX, 4, OsState::Avx, true},
    {"avxneconvert", 7, 1, EDX, 5, OsState::Avx, true},
    {"amx-complex", 7, 1, EDX, 8, OsState::Amx, false},
    {"avxvnniint16", 7, 1, EDX, 10, OsState::Avx, true},
    {"prefetchi", 7, 1, EDX, 14, OsState::None, false},
    {"usermsr", 7, 1, EDX, 15, OsState::None, false},
    {"avx10.1-256", 7, 1, EDX, 19, OsState::Avx512, true},
    {"egpr", 7, 1, EDX, 21, OsState::Apx, true},
    {"push2pop2", 7, 1, EDX, 21, OsState::Apx, true},
    {"ppx", 7, 1, EDX, 21, OsState::Apx, true},
    {"ndd", 7, 1, EDX, 21, OsState::Apx, true},
    {"ccmp", 7, 1, EDX, 21, OsState::Apx, true},
    {"nf", 7, 1, EDX, 21, OsState::Apx, true},
    {"cf", 7, 1, EDX, 21, OsState::Apx, true},
    {"zu", 7, 1, EDX, 21, OsState::Apx, true},
    // CPUID.0xD.1 (XSAVE extensions)
    {"xsaveopt", 0xD, 1, EAX, 0, OsState::None, false},
    {"xsavec", 0xD, 1, EAX, 1, OsState::None, false},
    {"xsaves", 0xD, 1, EAX, 3, OsState::None, false},
    // CPUID.0x14.0, 0x19, 0x24
    {"ptwrite", 0x14, 0, EBX, 4, OsState::None, false},
    {"widekl", 0x19, 0, EBX, 2, OsState::None, false},
    {"avx10.1-512", 0x24, 0, EBX, 18, OsState::Avx512, true},
    // CPUID.0x80000001
    {"sahf", kExt | 1, 0, ECX, 0, OsState::None, true},
    {"lzcnt", kExt | 1, 0, ECX, 5, OsState::None, true},
    {"sse4a", kExt | 1, 0, ECX, 6, OsState::None, true},
    {"prfchw", kExt | 1, 0, ECX, 8, OsState::None, false},
    {"xop", kExt | 1, 0, ECX, 11, OsState::Avx, true},
    {"lwp", kExt | 1, 0, ECX, 15, OsState::None, false},
    {"fma4", kExt | 1, 0, ECX, 16, OsState::Avx, true},
    {"tbm", kExt | 1, 0, ECX, 21, OsState::None, true},
    {"mwaitx", kExt | 1, 0, ECX, 29, OsState::None, false},
    {"64bit", kExt | 1, 0, EDX, 29, OsState::None, false},
    // CPUID.0x80000008
    {"clzero", kExt | 8, 0, EBX, 0, OsState::None, false},
    {"rdpru", kExt | 8, 0, EBX, 4, OsState::None, false},
    {"wbnoinvd", kExt | 8, 0, EBX, 9, OsState::None, false},
};

/// The entry for `name`, or null.
constexpr const CpuFeature* find_cpu_feature(std::string_view name) {
  return find_named(kCpuFeatures, name);
}

static_assert(names_unique(kCpuFeatures), "a CPU feature name appears twice");

}  // namespace kiln::abi::x86_64
