// tail-call: return_call and return_call_indirect as the validator takes them
// (callee results must be the caller's), refuses them when the proposal is
// disabled, and records the feature in the module.
#include <doctest/doctest.h>

#include <string>

#include "aotc/wasm/module.h"

using namespace kiln::aotc;

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
  CHECK(check("(module (func $g (result i64) (i64.const 0)) (func (result i32) (return_call $g)))")
            .error.find("type mismatch in return_call: the callee's results must be the function's "
                        "results") != std::string::npos);
  CHECK(check("(module (func $g) (func (result i32) (return_call $g)))")
            .error.find("type mismatch in return_call") != std::string::npos);
  CHECK(check("(module (type $t (func (result i32))) (table 1 funcref)"
              " (func (return_call_indirect (type $t) (i32.const 0))))")
            .error.find("type mismatch in return_call_indirect") != std::string::npos);
  // Arguments are checked like a call's.
  CHECK(check("(module (func $g (param i32)) (func (return_call $g (i64.const 1))))")
            .error.find("type mismatch in return_call: expected i32 but got i64") != std::string::npos);
  CHECK(check("(module (func (return_call 7)))").error.find("unknown function") != std::string::npos);
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
