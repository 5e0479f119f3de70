// extended-const: constant expressions with integer add, sub and mul, as the
// decoder takes them (or refuses them when the proposal is disabled), as the
// validator types them, and as the descriptor records them.
#include <doctest/doctest.h>

#include <string>

#include "aotc/backend/descriptor_emitter.h"
#include "aotc/wasm/module.h"
#include "tests/unit/wasm_bytes.h"

using namespace kiln::aotc;
using kiln::test::append;
using kiln::test::Bytes;
using kiln::test::section;

namespace {

// A module with one imported immutable i32 global ("env" "g") and one
// defined global of type `type` initialized by `expr` (without its `end`).
Bytes module_with_global(uint8_t type, const Bytes& expr) {
  Bytes out{0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
  append(out, section(2, {0x01, 0x03, 'e', 'n', 'v', 0x01, 'g', 0x03, 0x7F, 0x00}));
  Bytes global{0x01, type, 0x00};
  append(global, expr);
  global.push_back(0x0B);
  append(out, section(6, global));
  return out;
}

// "" when the module decodes (with `features`) and validates, else the error.
std::string check(const Bytes& bytes, const Features& features = {}) {
  auto m = decode_module(bytes, features);
  if (!m) return "decode: " + error_message(m.takeError());
  return error_message(validate_module(*m));
}

constexpr uint8_t I32 = 0x7F, I64 = 0x7E;
// i32.const 2, global.get 0, i32.add, i32.const 3, i32.mul: (2 + g) * 3
const Bytes kArithmetic{0x41, 2, 0x23, 0, 0x6A, 0x41, 3, 0x6C};

}  // namespace

TEST_CASE("extended-const: the decoder keeps every instruction and records the feature") {
  auto m = decode_module(module_with_global(I32, kArithmetic));
  REQUIRE(bool(m));
  REQUIRE(m->globals.size() == 1);
  const ConstExpr& init = m->globals[0].init;
  CHECK(init.instr.op == Opcode::I32Const);
  REQUIRE(init.rest.size() == 4);
  CHECK(init.rest[1].op == Opcode::I32Add);
  CHECK(init.rest[3].op == Opcode::I32Mul);
  CHECK(m->features_used == kiln::abi::feature_bit(Feature::ExtendedConst));
  CHECK(error_message(validate_module(*m)) == "");

  auto plain = decode_module(module_with_global(I32, {0x41, 5}));
  REQUIRE(bool(plain));
  CHECK(plain->features_used == 0);
  CHECK(plain->globals[0].init.rest.empty());
}

TEST_CASE("extended-const: disabled, arithmetic is refused naming the proposal and the switch") {
  Features off;
  REQUIRE_FALSE(disable_feature("extended-const", off));
  CHECK_FALSE(off.has(Feature::ExtendedConst));
  const std::string error = check(module_with_global(I32, kArithmetic), off);
  CHECK(error.find("constant expression required") != std::string::npos);
  CHECK(error.find("the extended-const proposal, disabled by --disable-extended-const") !=
        std::string::npos);
  // A WebAssembly 2.0 constant expression is still fine.
  CHECK(check(module_with_global(I32, {0x41, 5}), off) == "");
  // Other instructions stay non-constant whatever the features.
  CHECK(check(module_with_global(I32, {0x41, 1, 0x41, 2, 0x6D})).find("constant expression required") !=
        std::string::npos);  // i32.div_s
}

TEST_CASE("extended-const: the validator types the operand stack") {
  CHECK(check(module_with_global(I64, {0x42, 7, 0x42, 6, 0x7E, 0x42, 1, 0x7D})) == "");
  // Too few operands, mixed types, a value left over, the wrong result type.
  CHECK(check(module_with_global(I32, {0x41, 1, 0x6A})).find("type mismatch") != std::string::npos);
  CHECK(check(module_with_global(I32, {0x41, 1, 0x42, 1, 0x6A})).find("type mismatch") !=
        std::string::npos);
  CHECK(check(module_with_global(I32, {0x41, 1, 0x41, 2, 0x41, 3, 0x6A}))
            .find("exactly one value") != std::string::npos);
  CHECK(check(module_with_global(I64, kArithmetic)).find("type mismatch") != std::string::npos);
  // Only imported globals may be read, as in WebAssembly 2.0 (global 1 is the defined one).
  CHECK(check(module_with_global(I32, {0x23, 1, 0x41, 1, 0x6A})).find("unknown global 1") !=
        std::string::npos);
}

TEST_CASE("extended-const: each instruction has a descriptor form") {
  auto m = decode_module(module_with_global(I32, kArithmetic));
  REQUIRE(bool(m));
  const ConstExpr& init = m->globals[0].init;
  auto add = descriptor_const_instr(*m, init.rest[1]);
  REQUIRE(bool(add));
  CHECK(add->kind == kiln::abi::ConstKind::I32Add);
  CHECK(add->type == ValType::I32);
  auto get = descriptor_const_instr(*m, init.rest[0]);
  REQUIRE(bool(get));
  CHECK(get->kind == kiln::abi::ConstKind::GlobalGet);
  // The one-instruction translation refuses a sequence: it needs the builder's array.
  auto whole = descriptor_const_expr(*m, init);
  REQUIRE_FALSE(bool(whole));
  CHECK(error_message(whole.takeError()).find("constant expression") != std::string::npos);
}

TEST_CASE("feature switches: --disable-NAME and --features=") {
  Features f;
  // Every proposal aotc knows is implemented and on by default.
  for (unsigned i = 0; i < kiln::abi::kFeatureCount; ++i) CHECK(f.has(Feature(i)));
  REQUIRE_FALSE(apply_feature_list("-extended-const", f));
  CHECK_FALSE(f.has(Feature::ExtendedConst));
  REQUIRE_FALSE(apply_feature_list("extended-const", f));
  CHECK(f.has(Feature::ExtendedConst));
  REQUIRE_FALSE(disable_feature("threads", f));
  CHECK_FALSE(f.has(Feature::Threads));
  REQUIRE_FALSE(apply_feature_list("-tail-call,-exception-handling", f));
  CHECK_FALSE(f.has(Feature::TailCall));
  CHECK_FALSE(f.has(Feature::ExceptionHandling));
  CHECK(f.has(Feature::MultiMemory));
  auto unknown = apply_feature_list("extended-const,gc", f);
  REQUIRE(unknown);
  CHECK(unknown->find("unknown feature 'gc'") != std::string::npos);
  CHECK(kiln::abi::feature_list(kiln::abi::feature_bit(Feature::ExtendedConst) |
                                kiln::abi::feature_bit(Feature::Threads)) == "extended-const,threads");
}
