// Validation: modules that must pass, and the spec's assert_invalid wording
// (with function index and offset) for modules that must not.
#include <doctest/doctest.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "aotc/wasm/module.h"
#include "tests/unit/wasm_bytes.h"

using namespace kiln::aotc;

namespace {

using kiln::test::append;
using kiln::test::Bytes;
using kiln::test::leb;
using kiln::test::section;

struct Spec {
  Bytes params;           // value type bytes
  Bytes results;
  Bytes locals;           // local declarations (count of groups first)
  Bytes body;             // instructions including the final end
  Bytes before_function;  // sections with ids < 3 (type section is generated)
  Bytes after_function;   // sections with ids 4..9 (table, memory, global, export, start, elem)
  Bytes after_code;       // data section
};

// A module with one function of type (params) -> (results).
Bytes one_function(const Spec& s) {
  Bytes out{0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
  Bytes type{0x01, 0x60};
  append(type, leb(uint32_t(s.params.size())));
  append(type, s.params);
  append(type, leb(uint32_t(s.results.size())));
  append(type, s.results);
  append(out, section(1, type));
  append(out, s.before_function);
  append(out, section(3, {0x01, 0x00}));
  append(out, s.after_function);
  Bytes body = s.locals.empty() ? Bytes{0x00} : s.locals;
  append(body, s.body);
  Bytes code{0x01};
  append(code, leb(uint32_t(body.size())));
  append(code, body);
  append(out, section(10, code));
  append(out, s.after_code);
  return out;
}

// "" when the module decodes and validates, otherwise the error message.
std::string check(const Bytes& bytes) {
  auto m = decode_module(bytes);
  if (!m) return "decode: " + error_message(m.takeError());
  return error_message(validate_module(*m));
}

constexpr uint8_t I32 = 0x7F, I64 = 0x7E, F32 = 0x7D, V128 = 0x7B, FUNCREF = 0x70;
const Bytes kMemory = section(5, {0x01, 0x00, 0x01});

}  // namespace

TEST_CASE("validator: valid functions") {
  // (i32, i32) -> i32: local.get 0, local.get 1, i32.add
  CHECK(check(one_function({.params = {I32, I32}, .results = {I32}, .body = {0x20, 0, 0x20, 1, 0x6A, 0x0B}})) == "");
  // unreachable makes the stack polymorphic: i32.add on nothing is fine.
  CHECK(check(one_function({.results = {I32}, .body = {0x00, 0x6A, 0x0B}})) == "");
  // multi-value block with a type-index block type: (i32) -> (i32) via type 0.
  CHECK(check(one_function({.params = {I32}, .results = {I32}, .body = {0x20, 0, 0x02, 0x00, 0x0B, 0x0B}})) == "");
  // br_table to two labels of the same arity.
  CHECK(check(one_function({.results = {I32},
                            .body = {0x02, 0x7F, 0x41, 1, 0x41, 0, 0x0E, 0x01, 0x00, 0x01, 0x0B, 0x0B}})) == "");
  // typed select on funcref values.
  CHECK(check(one_function({.results = {FUNCREF},
                            .body = {0xD0, 0x70, 0xD0, 0x70, 0x41, 0, 0x1C, 0x01, 0x70, 0x0B}})) == "");
  // memory access with natural alignment, and SIMD with a valid lane.
  CHECK(check(one_function({.results = {I32}, .body = {0x41, 0, 0x28, 0x02, 0x00, 0x0B},
                            .after_function = kMemory})) == "");
  CHECK(check(one_function({.results = {I32},
                            .body = {0x41, 0, 0xFD, 0x0F, 0xFD, 0x15, 15, 0x0B}})) == "");
}

TEST_CASE("validator: type mismatch names function, instruction and offset") {
  // local.get 0 (i64), i32.const 1, i32.add
  const std::string msg =
      check(one_function({.params = {I64}, .results = {I32}, .body = {0x20, 0, 0x41, 1, 0x6A, 0x0B}}));
  CHECK(msg.find("function 0: type mismatch in i32.add") == 0);
  CHECK(msg.find("expected i32 but got i64") != std::string::npos);
  CHECK(msg.find(" at offset 0x") != std::string::npos);
}

TEST_CASE("validator: spec assert_invalid messages") {
  struct Case {
    const char* expected;
    Bytes module;
  };
  Bytes dup_exports{0x02, 0x01, 'a', 0x00, 0x00, 0x01, 'a', 0x00, 0x00};
  Bytes mutable_import{0x01, 0x01, 'm', 0x01, 'g', 0x03, I32, 0x01};
  Bytes defined_global{0x01, I32, 0x00, 0x41, 0x00, 0x0B};
  const Case cases[] = {
      {"type mismatch", one_function({.results = {I32}, .body = {0x0B}})},
      {"type mismatch", one_function({.body = {0x41, 0, 0x0B}})},  // value left over
      {"type mismatch",  // if without else must not produce a value
       one_function({.results = {I32}, .body = {0x41, 0, 0x04, 0x7F, 0x41, 1, 0x0B, 0x0B}})},
      {"type mismatch",  // br_table targets of different arity
       one_function({.body = {0x02, 0x7F, 0x41, 0, 0x0E, 0x01, 0x00, 0x01, 0x0B, 0x1A, 0x0B}})},
      {"type mismatch",  // untyped select on references
       one_function({.body = {0xD0, 0x70, 0xD0, 0x70, 0x41, 0, 0x1B, 0x1A, 0x0B}})},
      {"unknown local 1", one_function({.params = {I32}, .body = {0x20, 1, 0x1A, 0x0B}})},
      {"unknown function 5", one_function({.body = {0x10, 5, 0x0B}})},
      {"unknown global 0", one_function({.body = {0x23, 0, 0x1A, 0x0B}})},
      {"unknown label", one_function({.body = {0x0C, 1, 0x0B}})},
      {"unknown type", one_function({.body = {0x02, 0x07, 0x0B, 0x0B}})},
      {"unknown memory 0", one_function({.results = {I32}, .body = {0x3F, 0x00, 0x0B}})},
      {"unknown table 0", one_function({.body = {0xFC, 0x10, 0x00, 0x1A, 0x0B}})},
      {"alignment must not be larger than natural",
       one_function({.results = {I32}, .body = {0x41, 0, 0x28, 0x03, 0x00, 0x0B}, .after_function = kMemory})},
      {"global is immutable",
       one_function({.body = {0x41, 0, 0x24, 0, 0x0B}, .after_function = section(6, defined_global)})},
      {"undeclared function reference", one_function({.body = {0xD2, 0x00, 0x1A, 0x0B}})},
      {"invalid lane index", one_function({.results = {I32}, .body = {0x41, 0, 0xFD, 0x0F, 0xFD, 0x15, 16, 0x0B}})},
      {"memory size must be at most 65536 pages (4GiB)",
       one_function({.body = {0x0B}, .after_function = section(5, {0x01, 0x00, 0x81, 0x80, 0x04})})},
      {"unknown memory 1",
       one_function({.results = {I32}, .body = {0x3F, 0x01, 0x0B}, .after_function = kMemory})},
      {"size minimum must not be greater than maximum",
       one_function({.body = {0x0B}, .after_function = section(5, {0x01, 0x01, 0x02, 0x01})})},
      {"duplicate export name", one_function({.body = {0x0B}, .after_function = section(7, dup_exports)})},
      {"start function",
       one_function({.params = {I32}, .body = {0x0B}, .after_function = section(8, {0x00})})},
      {"unknown global 0",  // 2.0: initializers may read imported globals only
       one_function({.body = {0x0B},
                     .after_function = section(6, {0x02, I32, 0x00, 0x41, 0x00, 0x0B, I32, 0x00, 0x23, 0x00, 0x0B})})},
      {"constant expression required",  // ... and only immutable ones
       one_function({.body = {0x0B}, .before_function = section(2, mutable_import),
                     .after_function = section(6, {0x01, I32, 0x00, 0x23, 0x00, 0x0B})})},
      {"type mismatch",  // initializer type differs from the global's
       one_function({.body = {0x0B}, .after_function = section(6, {0x01, F32, 0x00, 0x41, 0x00, 0x0B})})},
      {"unknown data segment 0",
       one_function({.body = {0xFC, 0x09, 0x00, 0x0B}, .after_function = section(12, {0x00})})},
      {"unknown elem segment 0", one_function({.body = {0xFC, 0x0D, 0x00, 0x0B}})},
  };
  for (const Case& c : cases) {
    const std::string msg = check(c.module);
    INFO("expected: " << c.expected << ", got: " << msg);
    CHECK(msg.find(c.expected) != std::string::npos);
    CHECK(msg.find("decode:") == std::string::npos);
  }
  (void)I64;
  (void)V128;
}

TEST_CASE("validator: ref.func is allowed once the function is declared") {
  // An export of function 0 declares it.
  const Bytes exports{0x01, 0x01, 'f', 0x00, 0x00};
  CHECK(check(one_function({.body = {0xD2, 0x00, 0x1A, 0x0B}, .after_function = section(7, exports)})) == "");
}
