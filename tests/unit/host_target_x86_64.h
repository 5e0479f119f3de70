// The x86-64 host, as test_artifact_file.cpp checks the loader against it.
#pragma once
#include <elf.h>

#include <cstdint>

namespace kiln::test::host_target {

inline constexpr char kTriple[] = "x86_64-pc-linux-gnu";
inline constexpr char kVendorlessTriple[] = "x86_64-linux-gnu";
inline constexpr char kCpu[] = "x86-64";
/// Features every x86-64 host has.
inline constexpr char kFeatures[] = "+sse2,+cx8,+64bit";
inline constexpr uint16_t kElfMachine = EM_X86_64;

/// An ELF machine of another CPU, and the refusal naming both.
inline constexpr uint16_t kForeignElfMachine = EM_AARCH64;
inline constexpr char kForeignMachineRefusal[] = "built for aarch64, this machine runs x86_64";
/// Triples this host does not run.
inline constexpr const char* kForeignTriples[] = {"aarch64-unknown-linux-gnu", "x86_64-pc-windows-msvc",
                                                  "x86_64-apple-darwin", "i686-pc-linux-gnu", ""};

/// The host's own libc: a real shared object without a descriptor.
inline constexpr char kLibc[] = "/lib/x86_64-linux-gnu/libc.so.6";

/// Feature lists every x86-64 host accepts: more baseline features, and
/// tuning-only names, which need nothing.
inline constexpr const char* kAcceptedFeatureLists[] = {"+sse2,+cx8,+64bit,+x87,+fxsr",
                                                        "+fast-gather,+slow-3ops-lea,+retpoline"};
/// Real features some hosts lack (the test uses the first this one lacks).
inline constexpr const char* kRareFeatures[] = {"xop",         "fma4",   "tbm",          "lwp",
                                                "amx-complex", "usermsr", "avx10.1-512", "avx512vp2intersect",
                                                "avx512fp16",  "egpr"};

}  // namespace kiln::test::host_target
