// Which post-2.0 proposals aotc accepts: all it implements by default, less
// those a user disables (aotc --disable-NAME, --features=a,-b).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "abi/wasm_features.h"

namespace kiln::aotc {

using abi::Feature;

struct Features {
  /// The proposals aotc implements: the only ones that can be enabled.
  static constexpr uint32_t kImplemented =
      abi::feature_bit(Feature::ExtendedConst) | abi::feature_bit(Feature::Threads) |
      abi::feature_bit(Feature::MultiMemory) | abi::feature_bit(Feature::Memory64) |
      abi::feature_bit(Feature::ExceptionHandling) | abi::feature_bit(Feature::TailCall);

  uint32_t enabled = kImplemented;  // abi::feature_bit()s

  bool has(Feature f) const { return enabled & abi::feature_bit(f); }
  bool operator==(const Features&) const = default;
};

/// The proposal named `name` ("extended-const"), if any.
std::optional<Feature> feature_named(std::string_view name);

/// Applies "--disable-NAME" or a --features= list ("a,b,-c": enable a and b,
/// disable c) to `features`; returns why not (an unknown name, or enabling
/// a proposal aotc does not implement).
std::optional<std::string> disable_feature(std::string_view name, Features& features);
std::optional<std::string> apply_feature_list(std::string_view list, Features& features);

/// " (WHAT: the NAME proposal, disabled by --disable-NAME)", appended to the
/// refusal of a disabled proposal's construct.
std::string disabled_note(const char* what, Feature f);

}  // namespace kiln::aotc
