// The artifact's integrity hash (abi::Descriptor::artifact_hash), written into
// the linked file once its bytes are final.
#pragma once
#include <cstdint>
#include <vector>

#include "aotc/wasm/error.h"

namespace kiln::aotc {

/// Finds `.kiln_descriptor` through the ELF section headers of the linked
/// shared object `artifact` and stores there the XXH3-128 (canonical bytes)
/// of the whole file, computed with the hash field itself zero.
Error seal_artifact_hash(std::vector<uint8_t>& artifact);

}  // namespace kiln::aotc
