// memory64: 64-bit memory types (limits flags 4 and 5, u64 limits), u64
// memarg offsets, and the i64 operands and results the validator then
// requires; refused naming the switch when disabled.
#include <doctest/doctest.h>

#include <string>

#include "aotc/wasm/module.h"
#include "tests/unit/wasm_bytes.h"

using namespace kiln::aotc;
using kiln::test::append;
using kiln::test::Bytes;
using kiln::test::section;

namespace {

constexpr uint8_t I32 = 0x7F, I64 = 0x7E;

// One memory of type `memory` (a memory section entry) and one function
// (param `param`) -> i32 with `body` (without its end).
Bytes one_memory(const Bytes& memory, uint8_t param, const Bytes& body) {
  Bytes out{0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
  append(out, section(1, {0x01, 0x60, 0x01, param, 0x01, I32}));
  append(out, section(3, {0x01, 0x00}));
  Bytes memories{0x01};
  append(memories, memory);
  append(out, section(5, memories));
  append(out, kiln::test::one_body_code_section(body));
  return out;
}

std::string check(const Bytes& bytes, const Features& features = {}) {
  auto m = decode_module(bytes, features);
  if (!m) return "decode: " + error_message(m.takeError());
  return error_message(validate_module(*m));
}

const Bytes kMemory64{0x05, 0x01, 0x80, 0x80, 0x80, 0x80, 0x20};  // i64, min 1, max 2^33
const Bytes kMemory32{0x00, 0x01};
// local.get 0, i32.load offset=2^32 (a u64 offset)
const Bytes kLoadHighOffset{0x20, 0x00, 0x28, 0x02, 0x80, 0x80, 0x80, 0x80, 0x10};

}  // namespace

TEST_CASE("memory64: 64-bit limits decode as u64 and are recorded") {
  auto m = decode_module(one_memory(kMemory64, I64, {0x20, 0x00, 0x28, 0x02, 0x00}));
  REQUIRE(bool(m));
  REQUIRE(m->memories.size() == 1);
  CHECK(m->memories[0].address64);
  CHECK(m->memories[0].limits.min == 1);
  CHECK(m->memories[0].limits.max == (uint64_t(1) << 33));
  CHECK(m->address_type(0) == ValType::I64);
  CHECK(m->features_used == kiln::abi::feature_bit(Feature::Memory64));
  CHECK(error_message(validate_module(*m)) == "");
}

TEST_CASE("memory64: addresses, sizes and offsets follow the memory's address type") {
  // An i32 address into a 64-bit memory, and an i64 one into a 32-bit memory.
  CHECK(check(one_memory(kMemory64, I32, {0x20, 0x00, 0x28, 0x02, 0x00})).find("type mismatch") !=
        std::string::npos);
  CHECK(check(one_memory(kMemory32, I64, {0x20, 0x00, 0x28, 0x02, 0x00})).find("type mismatch") !=
        std::string::npos);
  // memory.size is i64: wrapped to the i32 result it validates, bare it does not.
  CHECK(check(one_memory(kMemory64, I64, {0x3F, 0x00, 0xA7})) == "");
  CHECK(check(one_memory(kMemory64, I64, {0x3F, 0x00})).find("type mismatch") != std::string::npos);
  // An offset past 32 bits: fine for a 64-bit memory, out of range for a 32-bit one.
  CHECK(check(one_memory(kMemory64, I64, kLoadHighOffset)) == "");
  CHECK(check(one_memory(kMemory32, I32, {0x41, 0x00, 0x28, 0x02, 0x80, 0x80, 0x80, 0x80, 0x10}))
            .find("offset out of range") != std::string::npos);
  // The 2^48-page bound of 64-bit limits.
  CHECK(check(one_memory({0x04, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}, I64, {0x41, 0x00}))
            .find("at most 2^48 pages") != std::string::npos);
}

TEST_CASE("memory64: disabled, a 64-bit memory is refused naming the switch") {
  Features off;
  REQUIRE_FALSE(disable_feature("memory64", off));
  CHECK(check(one_memory(kMemory64, I64, {0x41, 0x00}), off)
            .find("(a 64-bit memory: the memory64 proposal, disabled by --disable-memory64)") !=
        std::string::npos);
  // And memarg offsets are u32 again: 2^32 does not decode.
  CHECK(check(one_memory(kMemory32, I32, {0x41, 0x00, 0x28, 0x02, 0x80, 0x80, 0x80, 0x80, 0x10}), off)
            .find("decode: integer too large") == 0);
}
