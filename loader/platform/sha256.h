// SHA-256 (FIPS 180-4) for the loader, which links no crypto library: used to
// recompute an artifact's integrity hash before the artifact is mapped.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace kiln::loader {

using Sha256Digest = std::array<uint8_t, 32>;

/// Incremental SHA-256: update() any number of times, then finish() once.
class Sha256 {
 public:
  Sha256();
  void update(std::span<const uint8_t> bytes);
  /// Appends the padding and returns the digest; the object is then spent.
  Sha256Digest finish();

 private:
  void compress(const uint8_t* block);
  uint32_t state_[8];
  uint8_t buffer_[64];
  size_t buffered_ = 0;
  uint64_t total_bytes_ = 0;
};

/// One-shot digest of `bytes`.
Sha256Digest sha256(std::span<const uint8_t> bytes);

}  // namespace kiln::loader
