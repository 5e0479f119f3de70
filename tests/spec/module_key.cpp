#include "tests/spec/module_key.h"

#include <xxhash.h>

namespace kiln::spec {

std::string module_key(std::span<const uint8_t> bytes, bool is_text) {
  XXH128_canonical_t canonical;
  XXH128_canonicalFromHash(&canonical,
                           XXH3_128bits_withSeed(bytes.data(), bytes.size(), is_text ? 't' : 'b'));
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string key;
  for (unsigned char byte : canonical.digest) {
    key += kDigits[byte >> 4];
    key += kDigits[byte & 15];
  }
  return key;
}

}  // namespace kiln::spec
