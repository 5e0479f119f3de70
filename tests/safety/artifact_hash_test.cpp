// The artifact hash (XXH3-128, canonical bytes, with the descriptor's hash
// field read as zeros): the loader's streaming computation against known
// answers and against libxxhash's one-shot hash of a zeroed copy, wherever the
// field lies; and on real artifacts, the hash aotc stored equals the loader's.
#include <doctest/doctest.h>
#include <xxhash.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "abi/descriptor.h"
#include "abi/version.h"
#include "loader/platform/artifact_file.h"

using kiln::loader::artifact_hash;
using kiln::loader::ArtifactHash;

namespace {

constexpr size_t kField = offsetof(kiln::abi::Descriptor, artifact_hash);
constexpr size_t kFieldSize = sizeof(kiln::abi::Descriptor::artifact_hash);

std::string hex(const ArtifactHash& d) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (uint8_t b : d) {
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return out;
}

std::span<const uint8_t> bytes(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

// libxxhash's one-shot XXH3-128 in canonical byte order.
ArtifactHash one_shot(std::span<const uint8_t> data) {
  XXH128_canonical_t c;
  XXH128_canonicalFromHash(&c, XXH3_128bits(data.data(), data.size()));
  ArtifactHash out;
  std::memcpy(out.data(), c.digest, out.size());
  return out;
}

// What the field-zeroing hash must equal: the one-shot hash of a copy with
// the field cleared.
ArtifactHash reference(std::vector<uint8_t> file, size_t descriptor_offset) {
  std::memset(file.data() + descriptor_offset + kField, 0, kFieldSize);
  return one_shot(file);
}

}  // namespace

TEST_CASE("artifact hash: XXH3-128 known answers, in canonical byte order") {
  // A file too short to hold the field is hashed as it is.
  CHECK(hex(artifact_hash(bytes(""), 0)) == "99aa06d3014798d86001c324468d497f");
  CHECK(hex(artifact_hash(bytes("abc"), 0)) == "06b05ab6733a618578af5f94892f3950");
  // Zero bytes: clearing the (already zero) field changes nothing.
  std::vector<uint8_t> zeros(5000, 0);
  CHECK(hex(artifact_hash(zeros, 0)) == "4f64c6c36836832295929931b75a6d9f");
  CHECK(hex(artifact_hash(zeros, 1000)) == "4f64c6c36836832295929931b75a6d9f");
}

TEST_CASE("artifact hash: equals the one-shot hash of a zeroed copy wherever the field lies") {
  std::mt19937 rng(7);
  for (size_t size : {size_t(kField + kFieldSize), size_t(1000), size_t(4096), size_t(70000), size_t(1 << 20)}) {
    std::vector<uint8_t> file(size);
    for (uint8_t& b : file) b = uint8_t(rng());
    for (size_t at : {size_t(0), size_t(1), size_t(63), size_t(64), size / 3, size - kField - kFieldSize}) {
      if (at + kField + kFieldSize > size) continue;
      INFO("size " << size << ", descriptor at " << at);
      ArtifactHash expected = reference(file, at);
      REQUIRE(artifact_hash(file, at) == expected);
      // The field's own contents never matter.
      std::vector<uint8_t> other = file;
      other[at + kField] ^= 0xFF;
      other[at + kField + kFieldSize - 1] ^= 0x01;
      CHECK(artifact_hash(other, at) == expected);
      // Any other byte does (the one before the field always exists).
      other[at + kField - 1] ^= 0x01;
      CHECK(artifact_hash(other, at) != expected);
    }
  }
}

TEST_CASE("artifact hash: the hash aotc stored matches the loader's") {
  const char* dir = std::getenv("KILN_SAFETY_ARTIFACTS");
  REQUIRE(dir != nullptr);
  for (const char* name : {"tiny", "traps_O0", "traps_O2", "stack_O2", "big_frame_O0"}) {
    INFO("artifact " << name);
    std::ifstream in(std::string(dir) + "/" + name + ".so", std::ios::binary);
    REQUIRE(in.good());
    std::vector<uint8_t> file((std::istreambuf_iterator<char>(in)), {});
    // Find the stored hash: the descriptor is the only place with the magic
    // followed by this ABI's version and descriptor size.
    const uint32_t ident[3] = {kiln::abi::kDescriptorMagic, kiln::abi::kAbiVersion, sizeof(kiln::abi::Descriptor)};
    size_t at = 0;
    int found = 0;
    for (size_t i = 0; i + sizeof ident <= file.size(); i += 8)
      if (std::memcmp(file.data() + i, ident, sizeof ident) == 0) at = i, ++found;
    REQUIRE(found == 1);
    ArtifactHash stored;
    std::memcpy(stored.data(), file.data() + at + kField, kFieldSize);
    CHECK(artifact_hash(file, at) == stored);
    CHECK(reference(file, at) == stored);
    // The padding after the field is zero.
    for (size_t i = 0; i < sizeof(kiln::abi::Descriptor::pad_hash); ++i)
      CHECK(file[at + offsetof(kiln::abi::Descriptor, pad_hash) + i] == 0);
  }
}
