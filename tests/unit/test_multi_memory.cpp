// multi-memory: memory indices in memargs and in memory.size, grow, fill,
// copy and init, several memory declarations and data segments naming a
// memory, as the decoder reads them (or refuses them with the proposal
// disabled) and the validator checks them.
#include <doctest/doctest.h>

#include <string>

#include "aotc/wasm/module.h"
#include "tests/unit/wasm_bytes.h"

using namespace kiln::aotc;
using kiln::test::append;
using kiln::test::Bytes;
using kiln::test::section;

namespace {

// Two memories of one page; one function () -> i32 with `body` (without its
// end); a data count section when `data` (a data section) is given.
Bytes two_memories(const Bytes& body, const Bytes& data = {}) {
  Bytes out{0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
  append(out, section(1, {0x01, 0x60, 0x00, 0x01, 0x7F}));
  append(out, section(3, {0x01, 0x00}));
  append(out, section(5, {0x02, 0x00, 0x01, 0x00, 0x01}));
  if (!data.empty()) append(out, section(12, {0x01}));
  append(out, kiln::test::one_body_code_section(body));
  if (!data.empty()) append(out, section(11, data));
  return out;
}

std::string check(const Bytes& bytes, const Features& features = {}) {
  auto m = decode_module(bytes, features);
  if (!m) return "decode: " + error_message(m.takeError());
  return error_message(validate_module(*m));
}

Features without_multi_memory() {
  Features f;
  REQUIRE_FALSE(disable_feature("multi-memory", f));
  return f;
}

}  // namespace

TEST_CASE("multi-memory: memargs and bulk instructions carry their memory") {
  // i32.const 0, i32.load align=2 memory 1 offset 8
  const Bytes load{0x41, 0x00, 0x28, 0x42, 0x01, 0x08};
  InstrReader reader(std::span<const uint8_t>(load).subspan(2), 0);
  Instr in;
  REQUIRE(error_message(reader.next(in)) == "");
  CHECK(in.op == Opcode::I32Load);
  CHECK(in.align == 2);
  CHECK(in.index == 1);
  CHECK(in.mem_offset == 8);

  // memory.copy 1 0 (destination first), memory.init 0 1 (segment, memory)
  const Bytes bulk{0xFC, 0x0A, 0x01, 0x00, 0xFC, 0x08, 0x00, 0x01};
  InstrReader bulk_reader(bulk, 0);
  REQUIRE(error_message(bulk_reader.next(in)) == "");
  CHECK(in.op == Opcode::MemoryCopy);
  CHECK(in.index == 1);
  CHECK(in.index2 == 0);
  REQUIRE(error_message(bulk_reader.next(in)) == "");
  CHECK(in.op == Opcode::MemoryInit);
  CHECK(in.index == 0);
  CHECK(in.index2 == 1);
}

TEST_CASE("multi-memory: two memories decode, validate and are recorded") {
  auto m = decode_module(two_memories({0x41, 0x00, 0x28, 0x42, 0x01, 0x00}));
  REQUIRE(bool(m));
  CHECK(m->memories.size() == 2);
  CHECK(m->features_used == kiln::abi::feature_bit(Feature::MultiMemory));
  CHECK(error_message(validate_module(*m)) == "");
  // memory.size 1, memory.grow 1 (of memory 1)
  CHECK(check(two_memories({0x3F, 0x01, 0x40, 0x01})) == "");
  // A data segment for memory 1 (flags 2), and memory.init of it into memory 1.
  const Bytes data{0x01, 0x02, 0x01, 0x41, 0x00, 0x0B, 0x01, 'x'};
  CHECK(check(two_memories({0x41, 0, 0x41, 0, 0x41, 1, 0xFC, 0x08, 0x00, 0x01, 0x41, 0}, data)) == "");
}

TEST_CASE("multi-memory: indices past the memories are invalid") {
  CHECK(check(two_memories({0x41, 0x00, 0x28, 0x42, 0x02, 0x00})).find("unknown memory 2") !=
        std::string::npos);
  CHECK(check(two_memories({0x3F, 0x02})).find("unknown memory 2") != std::string::npos);
  CHECK(check(two_memories({0x41, 0, 0x41, 0, 0x41, 0, 0xFC, 0x0A, 0x00, 0x02, 0x41, 0}))
            .find("unknown memory 2") != std::string::npos);
  const Bytes data{0x01, 0x02, 0x02, 0x41, 0x00, 0x0B, 0x00};
  CHECK(check(two_memories({0x41, 0}, data)).find("unknown memory 2") != std::string::npos);
}

TEST_CASE("multi-memory: disabled, every construct is refused naming the switch") {
  const Features off = without_multi_memory();
  const std::string note = "the multi-memory proposal, disabled by --disable-multi-memory";
  CHECK(check(two_memories({0x41, 0x00}), off).find("multiple memories (2) (more than one memory: " +
                                                     note) != std::string::npos);
  // One memory: a memarg naming memory 0 explicitly, and memory.size's index byte.
  Bytes one{0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
  append(one, section(1, {0x01, 0x60, 0x00, 0x01, 0x7F}));
  append(one, section(3, {0x01, 0x00}));
  append(one, section(5, {0x01, 0x00, 0x01}));
  Bytes with_memarg = one, with_size = one;
  append(with_memarg, section(10, {0x01, 0x08, 0x00, 0x41, 0x00, 0x28, 0x42, 0x00, 0x00, 0x0B}));
  append(with_size, section(10, {0x01, 0x05, 0x00, 0x3F, 0x80, 0x00, 0x0B}));
  CHECK(check(with_memarg, off).find(note) != std::string::npos);
  CHECK(check(with_memarg) == "");
  CHECK(check(with_size, off).find("zero byte expected") != std::string::npos);
  CHECK(check(with_size) == "");  // a u32 LEB memory index, 0
}
