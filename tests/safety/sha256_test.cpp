// The loader's own SHA-256 (loader/platform/sha256.cpp, compiled in here)
// against the FIPS 180-4 / NIST example vectors, against llvm::SHA256 (what
// aotc uses) on many lengths and split points, and on real artifacts: the
// hash aotc stored equals both computations of the file's artifact hash.
#include <doctest/doctest.h>
#include <llvm/ADT/ArrayRef.h>
#include <llvm/Support/SHA256.h>

#include <algorithm>
#include <array>
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
#include "loader/platform/sha256.h"

using kiln::loader::Sha256;
using kiln::loader::Sha256Digest;

namespace {

std::string hex(const Sha256Digest& d) {
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

Sha256Digest llvm_sha256(std::span<const uint8_t> data) {
  std::array<uint8_t, 32> d = llvm::SHA256::hash(llvm::ArrayRef<uint8_t>(data.data(), data.size()));
  Sha256Digest out;
  std::memcpy(out.data(), d.data(), 32);
  return out;
}

}  // namespace

TEST_CASE("sha256: known answers") {
  CHECK(hex(kiln::loader::sha256(bytes(""))) ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(hex(kiln::loader::sha256(bytes("abc"))) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(hex(kiln::loader::sha256(bytes("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))) ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(hex(kiln::loader::sha256(bytes("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
                                       "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"))) ==
        "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  CHECK(hex(kiln::loader::sha256(bytes(std::string(1'000'000, 'a')))) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  CHECK(hex(kiln::loader::sha256(bytes("The quick brown fox jumps over the lazy dog"))) ==
        "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592");
}

TEST_CASE("sha256: agrees with llvm::SHA256 on every length around block boundaries") {
  std::mt19937 rng(2434);
  std::vector<uint8_t> data(1200);
  for (uint8_t& b : data) b = uint8_t(rng());
  for (size_t n = 0; n <= data.size(); ++n) {
    std::span<const uint8_t> part(data.data(), n);
    INFO("length " << n);
    REQUIRE(kiln::loader::sha256(part) == llvm_sha256(part));
  }
}

TEST_CASE("sha256: incremental updates give the one-shot digest wherever the input is split") {
  std::mt19937 rng(7);
  std::vector<uint8_t> data(777);
  for (uint8_t& b : data) b = uint8_t(rng());
  const Sha256Digest expected = llvm_sha256(data);
  for (size_t first = 0; first <= data.size(); first += 13) {
    for (size_t second : {size_t(0), size_t(1), size_t(63), size_t(64), size_t(65), size_t(200)}) {
      size_t a = first, b = std::min(data.size(), first + second);
      Sha256 hasher;
      hasher.update({data.data(), a});
      hasher.update({data.data() + a, b - a});
      hasher.update({data.data() + b, data.size() - b});
      INFO("split at " << a << " and " << b);
      REQUIRE(hasher.finish() == expected);
    }
  }
}

TEST_CASE("sha256: the artifact hash aotc stored matches both implementations") {
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
    const size_t field = at + offsetof(kiln::abi::Descriptor, artifact_hash);
    Sha256Digest stored;
    std::memcpy(stored.data(), file.data() + field, 32);
    std::memset(file.data() + field, 0, 32);
    CHECK(kiln::loader::sha256(file) == stored);
    CHECK(llvm_sha256(file) == stored);
  }
}
