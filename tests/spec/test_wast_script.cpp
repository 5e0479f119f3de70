// Reading wast2json's JSON into commands.
#include <doctest/doctest.h>

#include "tests/spec/wast_script.h"

using namespace kiln::spec;

namespace {

Script parse_ok(const std::string& json) {
  std::string error;
  auto script = parse_script(json, error);
  REQUIRE_MESSAGE(script.has_value(), error);
  return *script;
}

}  // namespace

TEST_CASE("every command kind of the suite is read") {
  Script script = parse_ok(R"({"source_filename": "x.wast", "commands": [
    {"type": "module", "line": 1, "name": "$M", "filename": "x.0.wasm"},
    {"type": "register", "line": 2, "name": "$M", "as": "m"},
    {"type": "action", "line": 3, "action": {"type": "invoke", "field": "f", "args": []}, "expected": []},
    {"type": "assert_return", "line": 4, "action": {"type": "get", "module": "$M", "field": "g"},
     "expected": [{"type": "i32", "value": "42"}]},
    {"type": "assert_trap", "line": 5, "action": {"type": "invoke", "field": "t",
     "args": [{"type": "i64", "value": "7"}]}, "text": "unreachable", "expected": [{"type": "i32"}]},
    {"type": "assert_exhaustion", "line": 6, "action": {"type": "invoke", "field": "r", "args": []},
     "text": "call stack exhausted", "expected": []},
    {"type": "assert_invalid", "line": 7, "filename": "x.1.wasm", "text": "type mismatch", "module_type": "binary"},
    {"type": "assert_malformed", "line": 8, "filename": "x.2.wasm", "text": "bad", "module_type": "binary"},
    {"type": "assert_malformed", "line": 9, "filename": "x.3.wat", "text": "bad", "module_type": "text"},
    {"type": "assert_unlinkable", "line": 10, "filename": "x.4.wasm", "text": "unknown import", "module_type": "binary"},
    {"type": "assert_uninstantiable", "line": 11, "filename": "x.5.wasm", "text": "unreachable", "module_type": "binary"},
    {"type": "assert_future", "line": 12}
  ]})");
  CHECK(script.source_filename == "x.wast");
  REQUIRE(script.commands.size() == 12);
  const auto& c = script.commands;
  CHECK(c[0].kind == CommandKind::Module);
  CHECK(c[0].module_name == "$M");
  CHECK(c[0].filename == "x.0.wasm");
  CHECK(c[1].kind == CommandKind::Register);
  CHECK(c[1].register_as == "m");
  CHECK(c[2].kind == CommandKind::Action);
  CHECK(c[3].kind == CommandKind::AssertReturn);
  CHECK(c[3].action.type == Action::Type::Get);
  CHECK(c[3].action.module == "$M");
  REQUIRE(c[3].expected.size() == 1);
  CHECK(c[3].expected[0].bits32() == 42);
  CHECK(c[4].kind == CommandKind::AssertTrap);
  CHECK(c[4].text == "unreachable");
  REQUIRE(c[4].action.args.size() == 1);
  CHECK(c[4].action.args[0].type == SpecType::I64);
  CHECK(c[5].kind == CommandKind::AssertExhaustion);
  CHECK(c[6].kind == CommandKind::AssertInvalid);
  CHECK(c[7].kind == CommandKind::AssertMalformedBinary);
  CHECK(c[8].kind == CommandKind::AssertMalformedText);
  CHECK(c[8].is_text);
  CHECK(c[9].kind == CommandKind::AssertUnlinkable);
  CHECK(c[10].kind == CommandKind::AssertUninstantiable);
  CHECK(c[11].kind == CommandKind::Unsupported);
  CHECK(c[11].line == 12);
  // spec_compile compiles the modules of these kinds: every module file a command names.
  for (const Command& command : c) CHECK(compiles_module(command.kind) == !command.filename.empty());
}

TEST_CASE("a bad value fails its command, not the script") {
  Script script = parse_ok(R"({"commands": [
    {"type": "assert_return", "line": 3, "action": {"type": "invoke", "field": "f", "args": []},
     "expected": [{"type": "i32", "value": "x"}]},
    {"type": "module", "line": 4, "filename": "a.wasm"}]})");
  REQUIRE(script.commands.size() == 2);
  CHECK(script.commands[0].kind == CommandKind::Unsupported);
  CHECK(script.commands[0].text.find("bad i32 value") != std::string::npos);
  CHECK(script.commands[1].kind == CommandKind::Module);
}

TEST_CASE("broken JSON is an error") {
  std::string error;
  CHECK_FALSE(parse_script("{\"commands\": [", error));
  CHECK(error == "not a JSON object");
  CHECK_FALSE(parse_script("{\"x\": 1}", error));
  CHECK(error == "no \"commands\" list");
}

TEST_CASE("commands are described on one line") {
  Script script = parse_ok(R"({"commands": [
    {"type": "assert_return", "line": 1, "action": {"type": "invoke", "field": "a\nb",
     "args": [{"type": "i32", "value": "1"}, {"type": "f32", "value": "0"}]}, "expected": []}]})");
  CHECK(describe_command(script.commands[0]) ==
        "assert_return invoke \"a\\0ab\"(i32:1, f32:0 (0x00000000))");
}
