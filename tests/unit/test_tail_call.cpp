// tail-call: return_call and return_call_indirect as the validator takes them
// (callee results must be the caller's), refuses them when the proposal is
// disabled, and records the feature in the module.
#include <doctest/doctest.h>

#include <string>

#include "aotc/wasm/module.h"
#include "tests/unit/wasm_bytes.h"

using namespace kiln::aotc;
using kiln::test::append;
using kiln::test::Bytes;
using kiln::test::leb;
using kiln::test::section;

namespace {

struct Checked {
  std::string error;   // "" when the module validates
  uint32_t used = 0;   // its features_used afterwards
};

Checked check(const std::string& wat, const Features& features = {}) {
  Checked out;
  std::span<const uint8_t> text(reinterpret_cast<const uint8_t*>(wat.data()), wat.size());
  auto bytes = wat_to_wasm(text, "test.wat");
  if (!bytes) {
    out.error = "wat: " + error_message(bytes.takeError());
    return out;
  }
  auto m = decode_module(std::move(*bytes), features);
  if (!m) {
    out.error = "decode: " + error_message(m.takeError());
    return out;
  }
  out.error = error_message(validate_module(*m, features));
  out.used = m->features_used;
  return out;
}

// WABT's text validation would refuse what these test, so they are binary:
// function 0 of type 0 (body `unreachable`), function 1 of type 1 with
// `caller_body`, and one funcref table. Types are given as their encodings.
std::string invalid(const Bytes& type0, const Bytes& type1, const Bytes& caller_body) {
  Bytes out{0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
  Bytes types{0x02};
  append(types, type0);
  append(types, type1);
  append(out, section(1, types));
  append(out, section(3, {0x02, 0x00, 0x01}));
  append(out, section(4, {0x01, 0x70, 0x00, 0x01}));
  Bytes body1{0x00};
  append(body1, caller_body);
  Bytes code{0x02, 0x03, 0x00, 0x00, 0x0B};
  append(code, leb(uint32_t(body1.size())));
  append(code, body1);
  append(out, section(10, code));
  auto m = decode_module(out);
  if (!m) return "decode: " + error_message(m.takeError());
  return error_message(validate_module(*m));
}

constexpr uint8_t I32 = 0x7F, I64 = 0x7E;
const Bytes kReturnsI32{0x60, 0x00, 0x01, I32};

constexpr const char* kMutual = R"((module
  (type $t (func (param i64) (result i32)))
  (table funcref (elem $odd))
  (func $even (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 1))
      (else (return_call_indirect (type $t) (i64.sub (local.get 0) (i64.const 1)) (i32.const 0)))))
  (func $odd (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 0))
      (else (return_call $even (i64.sub (local.get 0) (i64.const 1)))))))
)";

const uint32_t kTailCallBit = kiln::abi::feature_bit(Feature::TailCall);

}  // namespace

TEST_CASE("tail-call: return_call and return_call_indirect validate and record the feature") {
  Checked c = check(kMutual);
  CHECK(c.error == "");
  CHECK(c.used == kTailCallBit);
  // Code after a tail call is unreachable, as after return.
  CHECK(check("(module (func $f (result i32) (return_call $f) (i64.const 0) (drop)))").error == "");

  Checked plain = check("(module (func $f (call $f)))");
  CHECK(plain.error == "");
  CHECK(plain.used == 0);
}

TEST_CASE("tail-call: the callee's results must be the caller's") {
  const Bytes return_call_0{0x12, 0x00, 0x0B};
  CHECK(invalid({0x60, 0x00, 0x01, I64}, kReturnsI32, return_call_0)
            .find("type mismatch in return_call: the callee's results must be the function's "
                  "results") != std::string::npos);
  CHECK(invalid({0x60, 0x00, 0x00}, kReturnsI32, return_call_0).find("type mismatch in return_call") !=
        std::string::npos);
  // return_call_indirect (type 0) from a function returning nothing.
  CHECK(invalid(kReturnsI32, {0x60, 0x00, 0x00}, {0x41, 0x00, 0x13, 0x00, 0x00, 0x0B})
            .find("type mismatch in return_call_indirect") != std::string::npos);
  // Arguments are checked like a call's: type 0 takes an i32.
  CHECK(invalid({0x60, 0x01, I32, 0x01, I32}, kReturnsI32, {0x42, 0x01, 0x12, 0x00, 0x0B})
            .find("type mismatch in return_call: expected i32 but got i64") != std::string::npos);
  CHECK(invalid(kReturnsI32, kReturnsI32, {0x12, 0x07, 0x0B}).find("unknown function 7") !=
        std::string::npos);
  CHECK(invalid(kReturnsI32, kReturnsI32, return_call_0) == "");
}

TEST_CASE("tail-call: --disable-tail-call refuses it naming the proposal and the switch") {
  Features off;
  REQUIRE_FALSE(disable_feature("tail-call", off));
  Checked c = check(kMutual, off);
  CHECK(c.error.find("illegal opcode 0x13 (return_call_indirect: the tail-call proposal, disabled by "
                     "--disable-tail-call)") != std::string::npos);
  Checked direct = check("(module (func $f (return_call $f)))", off);
  CHECK(direct.error.find("illegal opcode 0x12 (return_call: the tail-call proposal, disabled by "
                          "--disable-tail-call)") != std::string::npos);
  // A module without tail calls is unaffected.
  CHECK(check("(module (func $f (call $f)))", off).error == "");
}
