// What `aotc --emit=static` writes: the artifact's code and descriptor as one
// relocatable object (or an ar archive of it) that links into a host program
// beside any number of other modules.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "abi/artifact_hash.h"
#include "aotc/wasm/error.h"

namespace kiln::aotc {

/// Turns `object`, the code and descriptor merged by `ld -r`, into a static
/// library member: its descriptor gets `hash` (that of the shared object the
/// same compile links, so both forms carry one content hash), every symbol
/// but the descriptor becomes local, and the descriptor is renamed
/// `prefix` + abi::kLinkedDescriptorSuffix. With `archive`, the result is an
/// ar archive (GNU format, symbol index, no timestamps) holding it as
/// `member_name`; otherwise the object itself.
Expected<std::vector<uint8_t>> make_static_library(const std::vector<uint8_t>& object,
                                                   const abi::ArtifactHash& hash,
                                                   const std::string& prefix, bool archive,
                                                   const std::string& member_name);

/// True if `prefix` can start a C identifier's symbol: [A-Za-z_][A-Za-z0-9_]*.
bool valid_symbol_prefix(const std::string& prefix);

/// A valid prefix made from a file name: its stem without a leading "lib",
/// every other character turned into '_', and '_' first if it starts with a
/// digit ("libmy-mod.a" -> "my_mod").
std::string prefix_from_path(const std::string& path);

}  // namespace kiln::aotc
