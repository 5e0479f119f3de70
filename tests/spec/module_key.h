// The name a module goes by in the compile cache and the precompiled
// manifest: a content hash, so the build machine and the target agree on it.
#pragma once
#include <cstdint>
#include <span>
#include <string>

namespace kiln::spec {

/// 32 hex digits: XXH3-128 of the module's bytes, seeded with the format
/// (text or binary), so the same bytes read as text and as binary differ.
std::string module_key(std::span<const uint8_t> bytes, bool is_text);

}  // namespace kiln::spec
