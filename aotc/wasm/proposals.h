// Post-2.0 proposals aotc does not implement, recognized by the encodings
// they add, so that a module using one is refused with the proposal's name
// rather than as merely malformed.
#pragma once
#include <cstdint>
#include <string>

namespace kiln::aotc {

/// " (WHAT: the NAME proposal, which aotc does not support yet)" for an opcode: its first byte, and for the 0xFD prefix its
/// sub-opcode (relaxed SIMD).
std::string unsupported_opcode(uint8_t first, uint32_t sub = 0);
/// The same for a type-section form byte (GC's struct, array, rec, sub).
std::string unsupported_type_form(uint8_t form);
/// The same for a value or reference type byte (typed and GC references, exnref).
std::string unsupported_value_type(uint8_t byte);
/// The same for limits flags (shared: threads; 64-bit: a table's, table64;
/// a 64-bit memory's are read by the decoder with memory64).
std::string unsupported_limits_flags(uint8_t flags);

}  // namespace kiln::aotc
