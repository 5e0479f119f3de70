// Helpers for tests that build WebAssembly binaries byte by byte.
#pragma once
#include <cstdint>
#include <vector>

namespace kiln::test {

using Bytes = std::vector<uint8_t>;

inline void append(Bytes& out, const Bytes& more) { out.insert(out.end(), more.begin(), more.end()); }

/// Unsigned LEB128.
inline Bytes leb(uint32_t v) {
  Bytes out;
  do {
    uint8_t b = v & 0x7F;
    v >>= 7;
    if (v) b |= 0x80;
    out.push_back(b);
  } while (v);
  return out;
}

/// A section: id, size, content.
inline Bytes section(uint8_t id, const Bytes& content) {
  Bytes out{id};
  append(out, leb(uint32_t(content.size())));
  append(out, content);
  return out;
}

/// A code section of one function without locals: `body` and its `end`.
inline Bytes one_body_code_section(const Bytes& body) {
  Bytes code{0x00};
  append(code, body);
  code.push_back(0x0B);
  Bytes bodies{0x01};
  append(bodies, leb(uint32_t(code.size())));
  append(bodies, code);
  return section(10, bodies);
}

}  // namespace kiln::test
