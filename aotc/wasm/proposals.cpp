// Which later proposal an encoding belongs to, named in aotc's refusals.
#include "aotc/wasm/proposals.h"

namespace kiln::aotc {

namespace {

std::string needs(const char* what, const char* proposal) {
  return std::string(" (") + what + ": the " + proposal +
         " proposal, which aotc does not support yet)";
}

// What aotc refuses of exception handling is its final form (try_table,
// throw_ref, exnref); the 2022 form's try/catch/throw are implemented.
constexpr const char* kExceptions = "exception-handling (final form with exnref)";
constexpr const char* kFunctionReferences = "function-references";
constexpr const char* kGc = "GC";
constexpr const char* kRelaxedSimd = "relaxed-SIMD";

}  // namespace

std::string unsupported_opcode(uint8_t first, uint32_t sub) {
  switch (first) {
    case 0x0A: return needs("throw_ref", kExceptions);
    case 0x1F: return needs("try_table", kExceptions);
    case 0x14: return needs("call_ref", kFunctionReferences);
    case 0x15: return needs("return_call_ref", kFunctionReferences);
    case 0xD3: return needs("ref.as_non_null", kFunctionReferences);
    case 0xD4: return needs("br_on_null", kFunctionReferences);
    case 0xD5: return needs("ref.eq", kGc);
    case 0xD6: return needs("br_on_non_null", kFunctionReferences);
    case 0xFB: return needs("a GC instruction", kGc);
    case 0xFD:
      if (sub >= 0x100 && sub <= 0x113) return needs("a relaxed SIMD instruction", kRelaxedSimd);
      return "";
    default: return "";
  }
}

std::string unsupported_type_form(uint8_t form) {
  switch (form) {
    case 0x5F: return needs("a struct type", kGc);
    case 0x5E: return needs("an array type", kGc);
    case 0x4E: return needs("a recursive type group", kGc);
    case 0x50: case 0x4F: return needs("a subtype", kGc);
    default: return "";
  }
}

std::string unsupported_value_type(uint8_t byte) {
  switch (byte) {
    case 0x63: case 0x64: return needs("a typed reference", kFunctionReferences);
    case 0x69: return needs("exnref", kExceptions);
    case 0x6E: case 0x6D: case 0x6C: case 0x6B: case 0x6A: case 0x71: case 0x72: case 0x73:
      return needs("a GC reference type", kGc);
    default: return "";
  }
}

std::string unsupported_limits_flags(uint8_t flags) {
  if (flags & 0x04) return needs("a 64-bit table", "table64");
  return "";
}

}  // namespace kiln::aotc
