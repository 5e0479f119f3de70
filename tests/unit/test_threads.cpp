// threads: shared memory limits and the 0xFE atomic instructions, as the
// decoder takes them (or refuses them with --disable-threads) and as the
// validator checks them.
#include <doctest/doctest.h>

#include <string>

#include "aotc/wasm/module.h"
#include "tests/unit/wasm_bytes.h"

using namespace kiln::aotc;
using kiln::test::append;
using kiln::test::Bytes;
using kiln::test::section;

namespace {

// A module with memory limits `limits` (flags and sizes) and one function
// () -> () whose body is `code` (without the final `end`).
Bytes module_with(const Bytes& limits, const Bytes& code) {
  Bytes out{0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
  append(out, section(1, {0x01, 0x60, 0x00, 0x00}));
  append(out, section(3, {0x01, 0x00}));
  Bytes memory{0x01};
  append(memory, limits);
  append(out, section(5, memory));
  Bytes body{0x00};  // no locals
  append(body, code);
  body.push_back(0x0B);
  Bytes code_section{0x01, uint8_t(body.size())};
  append(code_section, body);
  append(out, section(10, code_section));
  return out;
}

// "" when the module decodes (with `features`) and validates, else the error.
std::string check(const Bytes& bytes, const Features& features = {}) {
  auto m = decode_module(bytes, features);
  if (!m) return "decode: " + error_message(m.takeError());
  return error_message(validate_module(*m));
}

Features without_threads() {
  Features f;
  REQUIRE_FALSE(disable_feature("threads", f));
  return f;
}

const Bytes kShared{0x03, 0x01, 0x02};  // shared, min 1, max 2
const Bytes kPlain{0x01, 0x01, 0x02};
// i32.const 0, i32.const 1, i32.atomic.rmw.add align=2, drop
const Bytes kRmwAdd{0x41, 0x00, 0x41, 0x01, 0xFE, 0x1E, 0x02, 0x00, 0x1A};

}  // namespace

TEST_CASE("threads: a shared memory decodes, is recorded, and needs a maximum") {
  auto m = decode_module(module_with(kShared, {}));
  REQUIRE(bool(m));
  REQUIRE(m->memories.size() == 1);
  CHECK(m->memories[0].shared);
  CHECK(*m->memories[0].limits.max == 2);
  CHECK(m->features_used == kiln::abi::feature_bit(Feature::Threads));
  CHECK(error_message(validate_module(*m)) == "");

  CHECK(check(module_with({0x02, 0x01}, {})) == "memory 0: shared memory must have maximum");
  auto plain = decode_module(module_with(kPlain, {}));
  REQUIRE(bool(plain));
  CHECK_FALSE(plain->memories[0].shared);
  CHECK(plain->features_used == 0);
}

TEST_CASE("threads: atomic instructions validate with exactly natural alignment") {
  CHECK(check(module_with(kShared, kRmwAdd)) == "");
  // Atomics on a memory that is not shared validate too (wait traps at run time).
  CHECK(check(module_with(kPlain, kRmwAdd)) == "");
  // align=1 for a 4-byte access
  Bytes under{0x41, 0x00, 0x41, 0x01, 0xFE, 0x1E, 0x01, 0x00, 0x1A};
  CHECK(check(module_with(kShared, under)).find("atomic alignment must be natural") != std::string::npos);
  // atomic.fence needs no memory; memory.atomic.wait32 does.
  CHECK(check(module_with(kShared, {0xFE, 0x03, 0x00})) == "");
  Bytes wait{0x41, 0x00, 0x41, 0x00, 0x42, 0x00, 0xFE, 0x01, 0x02, 0x00, 0x1A};
  CHECK(check(module_with(kShared, wait)) == "");
  Bytes wrong_operand{0x41, 0x00, 0x42, 0x00, 0x42, 0x00, 0xFE, 0x01, 0x02, 0x00, 0x1A};
  CHECK(check(module_with(kShared, wrong_operand)).find("type mismatch") != std::string::npos);
}

TEST_CASE("threads: --disable-threads refuses shared memories and atomics naming the switch") {
  const std::string shared = check(module_with(kShared, {}), without_threads());
  CHECK(shared.find("shared memory: the threads proposal, disabled by --disable-threads") != std::string::npos);
  const std::string atomic = check(module_with(kPlain, kRmwAdd), without_threads());
  CHECK(atomic.find("i32.atomic.rmw.add") != std::string::npos);
  CHECK(atomic.find("disabled by --disable-threads") != std::string::npos);
  // Without either, the module is plain 2.0 and decodes.
  CHECK(check(module_with(kPlain, {}), without_threads()) == "");
}
