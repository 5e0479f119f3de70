// How the compile fuzzer picks compiler options from its input, so a crash
// input reproduces with the same options. run_regressions.py mirrors this
// (keep the two in step).
#pragma once
#include <cstdint>
#include <span>

#include "aotc/backend/compiler.h"

namespace kiln::fuzz {

/// FNV-1a over all input bytes: any mutation may change the options, while
/// the bytes handed to the decoder stay exactly the input.
inline uint32_t input_hash(std::span<const uint8_t> input) {
  uint32_t h = 2166136261u;
  for (uint8_t b : input) h = (h ^ b) * 16777619u;
  return h;
}

/// Mostly -O0 (fast, so more inputs per second); sometimes -O1..-O3,
/// explicit bounds checks, or interrupt polling.
inline aotc::CompileOptions options_for_input(std::span<const uint8_t> input) {
  uint32_t h = input_hash(input);
  aotc::CompileOptions options;
  static const unsigned kLevels[8] = {0, 0, 0, 0, 0, 1, 2, 3};
  options.opt_level = kLevels[h & 7];
  if (((h >> 3) & 3) == 0) options.codegen.bounds_check = abi::BoundsCheck::Explicit;
  if (((h >> 5) & 3) == 0) options.codegen.interruptible = true;
  return options;
}

}  // namespace kiln::fuzz
