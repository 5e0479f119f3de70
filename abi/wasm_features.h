// Post-2.0 WebAssembly proposals, as bits of Descriptor::features: the ones
// an artifact uses, so that a loader refuses what it cannot run and `kiln
// inspect` can show them.
#pragma once
#include <cstdint>
#include <string>

namespace kiln::abi {

enum class Feature : uint8_t {
  ExtendedConst = 0,
  TailCall,
  MultiMemory,
  Memory64,
  ExceptionHandling,
  Threads,
};
constexpr unsigned kFeatureCount = 6;

/// The proposals' own names, by Feature (aotc --disable-NAME uses them).
constexpr const char* kFeatureNames[kFeatureCount] = {
    "extended-const", "tail-call", "multi-memory", "memory64", "exception-handling", "threads",
};

constexpr uint32_t feature_bit(Feature f) { return uint32_t(1) << unsigned(f); }

/// The names of the proposals in `bits`, comma-separated ("" for none);
/// unknown bits as "bit N".
inline std::string feature_list(uint32_t bits) {
  std::string out;
  for (unsigned i = 0; i < 32; ++i) {
    if (!(bits & (uint32_t(1) << i))) continue;
    if (!out.empty()) out += ',';
    out += i < kFeatureCount ? std::string(kFeatureNames[i]) : "bit " + std::to_string(i);
  }
  return out;
}

/// What this ABI's loader runs: extended constant expressions need only
/// its evaluator (ABI v8); threads need shared memories and the wait/notify
/// builtins (ABI v9); several memories need VMContext::memories and the
/// builtins that name a memory, 64-bit memories Limits::address64 and
/// reservations of their own (ABI v10); exception handling its tags and
/// exception records (ABI v12); tail calls, VMFuncRef::tail_code (ABI v13).
constexpr uint32_t kLoaderFeatures = feature_bit(Feature::ExtendedConst) | feature_bit(Feature::Threads) |
                                     feature_bit(Feature::MultiMemory) |
                                     feature_bit(Feature::Memory64) |
                                     feature_bit(Feature::ExceptionHandling) |
                                     feature_bit(Feature::TailCall);

}  // namespace kiln::abi
