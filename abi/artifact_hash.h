// The artifact hash, computed the same way by aotc (which writes it) and by
// the loader (which checks it): XXH3-128 of every byte of the file, with the
// 16 bytes of Descriptor::artifact_hash read as zeros, stored in XXH's
// canonical (big-endian) byte order.
#pragma once
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

#include "abi/descriptor.h"

// XXH3 through libxxhash's x86 dispatcher (AVX-512/AVX2/SSE2, picked once
// per process); the streaming state lives on the stack.
#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>
#if defined(__x86_64__)
#include <xxh_x86dispatch.h>
#endif

namespace kiln::abi {

/// An artifact hash in canonical byte order.
using ArtifactHash = std::array<uint8_t, sizeof(Descriptor::artifact_hash)>;

/// Where the hash field is in a file whose descriptor section starts at
/// `descriptor_offset`.
inline constexpr uint64_t kArtifactHashField = offsetof(Descriptor, artifact_hash);

/// The artifact hash of a file of `file_size` bytes fed in order, in pieces
/// of any size. A file too short to hold the field is hashed as it is.
class ArtifactHasher {
 public:
  ArtifactHasher(uint64_t file_size, uint64_t descriptor_offset) {
    if (descriptor_offset <= file_size && file_size - descriptor_offset >= kField + kFieldSize)
      field_ = descriptor_offset + kField;
    XXH3_INITSTATE(&state_);
    XXH3_128bits_reset(&state_);
  }

  /// Feeds the next `size` bytes of the file.
  void update(const uint8_t* bytes, size_t size) {
    const uint64_t begin = done_, end = done_ + size;
    done_ = end;
    const uint64_t zero_from = std::max(begin, field_), zero_to = std::min(end, field_ + kFieldSize);
    if (zero_from >= zero_to) {
      XXH3_128bits_update(&state_, bytes, size);
      return;
    }
    static constexpr uint8_t kZeros[kFieldSize] = {};
    XXH3_128bits_update(&state_, bytes, zero_from - begin);
    XXH3_128bits_update(&state_, kZeros, zero_to - zero_from);
    XXH3_128bits_update(&state_, bytes + (zero_to - begin), end - zero_to);
  }

  /// The hash of everything fed so far.
  ArtifactHash finish() {
    XXH128_canonical_t canonical;
    XXH128_canonicalFromHash(&canonical, XXH3_128bits_digest(&state_));
    ArtifactHash out;
    static_assert(sizeof canonical.digest == sizeof(ArtifactHash));
    std::memcpy(out.data(), canonical.digest, out.size());
    return out;
  }

 private:
  static constexpr uint64_t kField = kArtifactHashField;
  static constexpr uint64_t kFieldSize = sizeof(Descriptor::artifact_hash);
  XXH3_state_t state_;
  uint64_t field_ = UINT64_MAX - kFieldSize;  // no field
  uint64_t done_ = 0;
};

/// The artifact hash of a whole file held in memory.
inline ArtifactHash artifact_hash(std::span<const uint8_t> file, uint64_t descriptor_offset) {
  ArtifactHasher hasher(file.size(), descriptor_offset);
  hasher.update(file.data(), file.size());
  return hasher.finish();
}

}  // namespace kiln::abi
