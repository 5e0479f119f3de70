// Which calls aotc follows with a pending-exception test: the scan that
// decides it (aotc/wasm/exception_scan.cpp), on small modules.
#include <doctest/doctest.h>

#include <span>
#include <string>
#include <vector>

#include "aotc/wasm/module.h"

using namespace kiln::aotc;

namespace {

Module decode_wat(const std::string& text) {
  auto bytes = wat_to_wasm(std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()), "scan.wat");
  REQUIRE_MESSAGE(bool(bytes), error_message(bytes.takeError()));
  auto m = decode_module(std::move(*bytes));
  REQUIRE_MESSAGE(bool(m), error_message(m.takeError()));
  REQUIRE(error_message(validate_module(*m)) == "");
  return std::move(*m);
}

// Two functions that call each other through a table, and a third that
// calls the first directly; `extra` adds fields to the module.
std::string table_module(const std::string& extra) {
  return "(module " + extra + R"(
    (type $t (func (result i32)))
    (table $tab 2 funcref)
    (elem (table $tab) (i32.const 0) func $a $b)
    (func $a (type $t) (call_indirect (type $t) (i32.const 1)))
    (func $b (type $t) (i32.const 7))
    (func $c (type $t) (call $a)))";
}

}  // namespace

TEST_CASE("exception scan: a closed module's table calls need no test") {
  Module m = decode_wat(table_module("") + ")");
  CHECK_FALSE(m.table_calls_may_throw);
  CHECK(m.may_throw == std::vector<bool>{false, false, false});
}

TEST_CASE("exception scan: a throw anywhere makes table calls and their callers throw") {
  Module m = decode_wat(table_module("(tag $e)") + " (func $d (throw $e)))");
  CHECK(m.table_calls_may_throw);
  CHECK(m.may_throw == std::vector<bool>{true, false, true, true});
}

TEST_CASE("exception scan: foreign functions may reach a table") {
  SUBCASE("an import") {
    Module m = decode_wat(table_module(R"((import "env" "g" (global i32)))") + ")");
    CHECK(m.table_calls_may_throw);
    CHECK(m.may_throw == std::vector<bool>{true, false, true});
  }
  SUBCASE("an exported table") {
    CHECK(decode_wat(table_module("") + R"( (export "t" (table $tab))))").table_calls_may_throw);
  }
  SUBCASE("an exported mutable funcref global") {
    CHECK(decode_wat(table_module("") + R"( (global (export "g") (mut funcref) (ref.null func))))")
              .table_calls_may_throw);
  }
  SUBCASE("an exported function taking a funcref") {
    CHECK(decode_wat(table_module("") + R"( (func (export "f") (param funcref))))").table_calls_may_throw);
  }
  SUBCASE("an exported function without references does not") {
    CHECK_FALSE(decode_wat(table_module("") + R"( (export "c" (func $c))))").table_calls_may_throw);
  }
}

TEST_CASE("exception scan: calls to imports throw, and so do their callers only") {
  Module m = decode_wat(R"((module
    (import "env" "f" (func $f))
    (func $a (call $f))
    (func $b (call $a))
    (func $c (call $c))))");
  CHECK(m.may_throw == std::vector<bool>{true, true, false});
}
