// The AArch64 CPU feature vocabulary both sides use: aotc records in
// Descriptor::cpu_features the `recorded` features its target CPU has, by
// LLVM's name; a loader on aarch64 Linux finds each name here and checks the
// bit the kernel reports for it in AT_HWCAP or AT_HWCAP2 (user space cannot
// read the ID registers reliably). One table, so a name aotc writes is
// always one the loader can check.
#pragma once
#include <cstdint>
#include <string_view>

#include "abi/named_table.h"

namespace kiln::abi::aarch64 {

/// The auxiliary vector word that reports a feature.
enum class HwcapWord : uint8_t { Hwcap, Hwcap2 };

/// One feature: LLVM's name, its HWCAP bit, and whether aotc records it.
/// Recorded are the features LLVM may select instructions from for plain IR
/// (atomics, vector and scalar patterns, memcpy lowering); features only
/// reachable through intrinsics (aes, crc, rdm, ...) are not, so hosts
/// without them still load.
struct CpuFeature {
  const char* name;
  HwcapWord word;
  uint8_t bit;
  bool recorded;
};

// Bit positions from Linux's arch/arm64/include/uapi/asm/hwcap.h.
inline constexpr CpuFeature kCpuFeatures[] = {
    {"fp-armv8", HwcapWord::Hwcap, 0, true},    // FP
    {"neon", HwcapWord::Hwcap, 1, true},        // ASIMD
    {"aes", HwcapWord::Hwcap, 3, false},        // AES
    {"sha2", HwcapWord::Hwcap, 6, false},       // SHA2
    {"crc", HwcapWord::Hwcap, 7, false},        // CRC32
    {"lse", HwcapWord::Hwcap, 8, true},         // ATOMICS: wasm atomics become cas/ldadd
    {"fullfp16", HwcapWord::Hwcap, 9, false},   // FPHP
    {"rdm", HwcapWord::Hwcap, 12, false},       // ASIMDRDM
    {"jsconv", HwcapWord::Hwcap, 13, false},    // JSCVT
    {"complxnum", HwcapWord::Hwcap, 14, true},  // FCMA: complex multiplies are matched
    {"rcpc", HwcapWord::Hwcap, 15, true},       // LRCPC
    {"ccpp", HwcapWord::Hwcap, 16, false},      // DCPOP
    {"sha3", HwcapWord::Hwcap, 17, true},       // SHA3: eor3/bcax are matched from xors
    {"sm4", HwcapWord::Hwcap, 19, false},       // SM4
    {"dotprod", HwcapWord::Hwcap, 20, true},    // ASIMDDP: dot products are matched
    {"sve", HwcapWord::Hwcap, 22, true},        // SVE
    {"fp16fml", HwcapWord::Hwcap, 23, false},   // ASIMDFHM
    {"dit", HwcapWord::Hwcap, 24, false},       // DIT
    {"lse2", HwcapWord::Hwcap, 25, false},      // USCAT
    {"rcpc-immo", HwcapWord::Hwcap, 26, true},  // ILRCPC
    {"flagm", HwcapWord::Hwcap, 27, false},     // FLAGM
    {"ssbs", HwcapWord::Hwcap, 28, false},      // SSBS
    {"sb", HwcapWord::Hwcap, 29, false},        // SB
    {"pauth", HwcapWord::Hwcap, 30, false},     // PACA
    {"sve2", HwcapWord::Hwcap2, 1, true},       // SVE2
    {"altnzcv", HwcapWord::Hwcap2, 7, false},   // FLAGM2
    {"fptoint", HwcapWord::Hwcap2, 8, false},   // FRINT
    {"i8mm", HwcapWord::Hwcap2, 13, true},      // I8MM: usdot is matched
    {"bf16", HwcapWord::Hwcap2, 14, false},     // BF16
    {"rand", HwcapWord::Hwcap2, 16, false},     // RNG
    {"bti", HwcapWord::Hwcap2, 17, false},      // BTI
    {"mte", HwcapWord::Hwcap2, 18, false},      // MTE
    {"sme", HwcapWord::Hwcap2, 23, false},      // SME
    {"wfxt", HwcapWord::Hwcap2, 31, false},     // WFXT
    {"cssc", HwcapWord::Hwcap2, 34, true},      // CSSC: scalar abs/cnt/ctz/min/max
    {"sve2p1", HwcapWord::Hwcap2, 36, true},    // SVE2P1
    {"mops", HwcapWord::Hwcap2, 43, true},      // MOPS: memcpy/memset lowering
    {"hbc", HwcapWord::Hwcap2, 44, false},      // HBC
};

/// The entry for `name`, or null.
constexpr const CpuFeature* find_cpu_feature(std::string_view name) {
  return find_named(kCpuFeatures, name);
}

static_assert(names_unique(kCpuFeatures), "a CPU feature name appears twice");

}  // namespace kiln::abi::aarch64
