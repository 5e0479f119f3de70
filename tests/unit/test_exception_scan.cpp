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

// Whether table_module's call_indirect (the type of $a) is followed by a test.
bool table_calls_throw(const Module& m) { return m.table_call_may_throw_for(m.functions.at(0)); }

}  // namespace

TEST_CASE("exception scan: a closed module's table calls need no test") {
  Module m = decode_wat(table_module("") + ")");
  CHECK_FALSE(table_calls_throw(m));
  CHECK(m.may_throw == std::vector<bool>{false, false, false});
}

TEST_CASE("exception scan: a function of the call's type a table may hold that throws makes it throw") {
  Module m = decode_wat(table_module("(tag $e)") + " (func $d (type $t) (throw $e)) (elem declare func $d))");
  CHECK(table_calls_throw(m));
  CHECK(m.may_throw == std::vector<bool>{true, false, true, true});
}

TEST_CASE("exception scan: functions that throw and no table holds, or of another type, do not") {
  // As in a WASI program: an import called directly, and through a table by
  // functions of another type than the hot table calls'.
  SUBCASE("not in a table") {
    Module m = decode_wat(table_module(R"((import "env" "f" (func $f)))") + " (func $d (call $f)))");
    CHECK_FALSE(table_calls_throw(m));
    CHECK(m.may_throw == std::vector<bool>{false, false, false, true});
  }
  SUBCASE("another type") {
    Module m = decode_wat(table_module(R"((import "env" "f" (func $f)))") +
                          " (func $d (call $f)) (elem declare func $d)"
                          " (func $e (call_indirect (i32.const 0))))");
    CHECK_FALSE(table_calls_throw(m));
    CHECK(m.may_throw == std::vector<bool>{false, false, false, true, true});
  }
}

TEST_CASE("exception scan: a table call that makes a function of its type throw reaches a fixed point") {
  // $x (type $u) calls through the table with type $t; $y (type $t) throws
  // only by calling $x directly ... which throws once $t's calls do.
  Module m = decode_wat(R"((module
    (import "env" "f" (func $f))
    (type $t (func (result i32)))
    (type $u (func))
    (table 2 funcref)
    (elem (i32.const 0) func $y $z)
    (func $x (type $u) (drop (call_indirect (type $t) (i32.const 0))))
    (func $y (type $t) (call $x) (i32.const 1))
    (func $z (type $u) (call_indirect (type $u) (i32.const 1)))
    (func $w (type $u) (call $f))))");
  // Nothing of type $t or $u that a table holds throws: no test anywhere.
  CHECK(m.may_throw == std::vector<bool>{false, false, false, true});
  Module n = decode_wat(R"((module
    (import "env" "f" (func $f))
    (type $t (func (result i32)))
    (type $u (func))
    (table 2 funcref)
    (elem (i32.const 0) func $y $w)
    (func $x (type $u) (drop (call_indirect (type $t) (i32.const 0))))
    (func $y (type $t) (call $x) (i32.const 1))
    (func $v (type $u) (call_indirect (type $u) (i32.const 1)))
    (func $w (type $u) (call $f))))");
  // $w (type $u) throws and is in the table: $v's call throws, and $x's
  // does not ($y, type $t, throws only if it does).
  CHECK(n.may_throw == std::vector<bool>{false, false, true, true});
}

TEST_CASE("exception scan: foreign functions may reach a table") {
  SUBCASE("an import named by ref.func") {
    Module m = decode_wat(table_module(R"((import "env" "f" (func $f)))") +
                          " (func (drop (ref.func $f))) (elem declare func $f))");
    CHECK(table_calls_throw(m));
    CHECK(m.may_throw == std::vector<bool>{true, false, true, false});
  }
  SUBCASE("an imported table") {
    CHECK(table_calls_throw(decode_wat(table_module(R"((import "env" "t" (table 1 funcref)))") + ")")));
  }
  SUBCASE("an imported funcref global") {
    CHECK(table_calls_throw(decode_wat(table_module(R"((import "env" "g" (global funcref)))") + ")")));
  }
  SUBCASE("an import returning a funcref") {
    CHECK(table_calls_throw(decode_wat(table_module(R"((import "env" "f" (func (result funcref))))") + ")")));
  }
  SUBCASE("an exported table") {
    CHECK(table_calls_throw(decode_wat(table_module("") + R"( (export "t" (table $tab))))")));
  }
  SUBCASE("an exported mutable funcref global") {
    CHECK(table_calls_throw(decode_wat(table_module("") + R"( (global (export "g") (mut funcref) (ref.null func))))")));
  }
  SUBCASE("an exported function taking a funcref") {
    CHECK(table_calls_throw(decode_wat(table_module("") + R"( (func (export "f") (param funcref))))")));
  }
  SUBCASE("a tag carrying a funcref") {
    CHECK(table_calls_throw(decode_wat(table_module("(tag (param funcref))") + ")")));
  }
  SUBCASE("an imported i32 global or an exported function without references does not") {
    CHECK_FALSE(table_calls_throw(decode_wat(table_module(R"((import "env" "g" (global i32)))") + R"( (export "c" (func $c))))")));
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
