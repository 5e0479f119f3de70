// The aarch64 host, as test_artifact_file.cpp checks the loader against it.
#pragma once
#include <elf.h>

#include <cstdint>

namespace kiln::test::host_target {

inline constexpr char kTriple[] = "aarch64-unknown-linux-gnu";
inline constexpr char kVendorlessTriple[] = "aarch64-linux-gnu";
inline constexpr char kCpu[] = "generic";
/// Features every aarch64 Linux host has (the ABI requires FP and Advanced SIMD).
inline constexpr char kFeatures[] = "+fp-armv8,+neon";
inline constexpr uint16_t kElfMachine = EM_AARCH64;

/// An ELF machine of another CPU, and the refusal naming both.
inline constexpr uint16_t kForeignElfMachine = EM_X86_64;
inline constexpr char kForeignMachineRefusal[] = "built for x86_64, this machine runs aarch64";
/// Triples this host does not run.
inline constexpr const char* kForeignTriples[] = {"x86_64-pc-linux-gnu", "aarch64_be-unknown-linux-gnu",
                                                  "aarch64-apple-darwin", "arm-unknown-linux-gnueabihf", ""};

/// The host's own libc: a real shared object without a descriptor.
inline constexpr char kLibc[] = "/lib/aarch64-linux-gnu/libc.so.6";

/// Feature lists every aarch64 host accepts (aotc records no tuning names here).
inline constexpr const char* kAcceptedFeatureLists[] = {"+neon", "+fp-armv8,+neon,-sve"};
/// Real features some hosts lack (the test uses the first this one lacks).
inline constexpr const char* kRareFeatures[] = {"sve2p1", "mops", "cssc", "hbc", "wfxt", "sme", "mte"};

}  // namespace kiln::test::host_target
