// The content-addressed compile cache behind `aotc --cache-dir`: an artifact
// is stored under a key naming everything that shapes its bytes, so a hit
// gives exactly what compiling again would (aotc's output is reproducible).
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "aotc/wasm/error.h"

namespace kiln::aotc {

struct CompileOptions;
struct Target;

/// The key of one compile: SHA-256 (hex) over the build ids of the running
/// aotc and of the LLVM library it uses, the input's bytes and form, and
/// every option that shapes the output (the resolved CPU and its features
/// included; the thread count is not, since it does not change the output).
std::string compile_cache_key(std::span<const uint8_t> input, bool is_text,
                              const CompileOptions& options, const Target& target);

/// The cached output for `key` in `dir`, or nullopt on a miss (absent,
/// unreadable, or not an artifact of the requested kind: then recompiling
/// replaces it).
std::optional<std::vector<uint8_t>> compile_cache_lookup(const std::string& dir,
                                                         const std::string& key,
                                                         const CompileOptions& options);

/// Stores `bytes` under `key` in `dir` (created if absent), atomically:
/// readers see the whole entry or none.
Error compile_cache_store(const std::string& dir, const std::string& key,
                          const std::vector<uint8_t>& bytes);

/// The build id that identifies this aotc (its executable's and libLLVM's
/// GNU build-id notes; a hash of the executable's bytes when absent).
const std::string& compiler_build_id();

}  // namespace kiln::aotc
