// The artifact's integrity hash (abi::Descriptor::artifact_hash), written into
// the linked file once its bytes are final.
#pragma once
#include <cstdint>
#include <vector>

#include "abi/artifact_hash.h"
#include "aotc/wasm/error.h"

namespace kiln::aotc {

/// Finds `.kiln_descriptor` through the ELF section headers of the linked
/// shared object `artifact` and stores there the XXH3-128 (canonical bytes)
/// of the whole file, computed with the hash field itself zero; returns it.
Expected<abi::ArtifactHash> seal_artifact_hash(std::vector<uint8_t>& artifact);

/// Stores `hash` into the descriptor of the ELF file `file` (a relocatable
/// object holding one descriptor at the start of its `.kiln_descriptor`).
Error store_artifact_hash(std::vector<uint8_t>& file, const abi::ArtifactHash& hash);

}  // namespace kiln::aotc
