// Names and switches of the post-2.0 proposals.
#include "aotc/wasm/feature_set.h"

namespace kiln::aotc {

std::optional<Feature> feature_named(std::string_view name) {
  for (unsigned i = 0; i < abi::kFeatureCount; ++i)
    if (name == abi::kFeatureNames[i]) return Feature(i);
  return std::nullopt;
}

namespace {

std::string unknown(std::string_view name) {
  std::string known;
  for (const char* n : abi::kFeatureNames) known += (known.empty() ? "" : ", ") + std::string(n);
  return "unknown feature '" + std::string(name) + "' (known: " + known + ")";
}

}  // namespace

std::optional<std::string> disable_feature(std::string_view name, Features& features) {
  auto f = feature_named(name);
  if (!f) return unknown(name);
  features.enabled &= ~abi::feature_bit(*f);
  return std::nullopt;
}

std::optional<std::string> apply_feature_list(std::string_view list, Features& features) {
  while (!list.empty()) {
    const size_t comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    if (item.starts_with('-')) {
      if (auto problem = disable_feature(item.substr(1), features)) return problem;
      continue;
    }
    auto f = feature_named(item);
    if (!f) return unknown(item);
    if (!(Features::kImplemented & abi::feature_bit(*f)))
      return "feature '" + std::string(item) + "': aotc does not support this proposal yet";
    features.enabled |= abi::feature_bit(*f);
  }
  return std::nullopt;
}

std::string disabled_note(const char* what, Feature f) {
  const std::string name = abi::kFeatureNames[unsigned(f)];
  return std::string(" (") + what + ": the " + name + " proposal, disabled by --disable-" + name + ")";
}

}  // namespace kiln::aotc
