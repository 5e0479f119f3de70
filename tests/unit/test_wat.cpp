// The text format reader (WABT): valid modules become binaries the decoder
// accepts; errors are one "FILE:LINE:COL: message" line.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "aotc/wasm/module.h"

using namespace kiln::aotc;

namespace {

Expected<std::vector<uint8_t>> wat(const std::string& text) {
  return wat_to_wasm(std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()), "t.wat");
}

}  // namespace

TEST_CASE("wat: a module round-trips through the binary decoder") {
  auto bin = wat(R"((module
    (import "env" "log" (func $log (param i32)))
    (memory (export "mem") 1 2)
    (global $g (mut i64) (i64.const 7))
    (func $add (export "add") (param i32 i32) (result i32)
      local.get 0 local.get 1 i32.add)
    (func $simd (result i32)
      v128.const i32x4 1 2 3 4 i32x4.extract_lane 3)
    (data (i32.const 16) "hello"))
  )");
  REQUIRE_MESSAGE(bool(bin), error_message(bin.takeError()));
  auto m = decode_module(std::move(*bin));
  REQUIRE_MESSAGE(bool(m), error_message(m.takeError()));
  CHECK(error_message(validate_module(*m)) == "");
  CHECK(m->imported_funcs == 1);
  CHECK(m->functions.size() == 2);
  CHECK(m->memories.size() == 1);
  CHECK(m->memories[0].limits.max == 2u);
  REQUIRE(m->exports.size() == 2);
  CHECK(m->exports[0].name == "mem");
  CHECK(m->exports[1].name == "add");
  CHECK(m->exports[1].index == 1);
  REQUIRE(m->datas.size() == 1);
  CHECK(m->datas[0].bytes.size() == 5);
  // The debug names survive in the name section.
  REQUIRE(m->function_names.size() == 3);
  CHECK(m->function_names[1] == "add");
}

TEST_CASE("wat: syntax errors name file, line and column") {
  auto bin = wat("(module\n  (func (result i32)\n    i32.const))\n");
  REQUIRE_FALSE(bool(bin));
  const std::string msg = error_message(bin.takeError());
  CHECK(msg.find("t.wat:3:") == 0);
  CHECK(msg.find('\n') == std::string::npos);
}

TEST_CASE("wat: validation errors are reported too") {
  auto bin = wat("(module (func (result i32) i64.const 1))");
  REQUIRE_FALSE(bool(bin));
  const std::string msg = error_message(bin.takeError());
  CHECK(msg.find("t.wat:1:") == 0);
  CHECK(msg.find("type mismatch") != std::string::npos);
}

TEST_CASE("wat: atomics and splat/zero loads name their memory by $name (WABT leaves it to us)") {
  auto bin = wat(R"((module
    (memory $a 1)
    (memory $b i64 1 2 shared)
    (func (result i32)
      (drop (memory.atomic.notify $b (i64.const 8) (i32.const 1)))
      (drop (memory.atomic.wait32 $b (i64.const 8) (i32.const 0) (i64.const 0)))
      (drop (i32.atomic.rmw.cmpxchg $b (i64.const 8) (i32.const 1) (i32.const 2)))
      (drop (v128.load32_zero $b (i64.const 8)))
      (i32.atomic.load $b (i64.const 8))))
  )");
  REQUIRE_MESSAGE(bool(bin), error_message(bin.takeError()));
  auto m = decode_module(std::move(*bin));
  REQUIRE_MESSAGE(bool(m), error_message(m.takeError()));
  CHECK(error_message(validate_module(*m)) == "");

  auto unknown = wat("(module (memory 1 1 shared)\n (func (drop (i32.atomic.load $nope (i32.const 0)))))");
  REQUIRE_FALSE(bool(unknown));
  const std::string msg = error_message(unknown.takeError());
  CHECK(msg.find("t.wat:2:") == 0);
  CHECK(msg.find("undefined memory variable \"$nope\"") != std::string::npos);
}
