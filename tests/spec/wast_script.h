// A spec script as wast2json writes it: the list of commands of one .wast.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tests/spec/spec_value.h"

namespace kiln::spec {

enum class CommandKind : uint8_t {
  Module,
  Register,
  Action,
  AssertReturn,
  AssertTrap,
  AssertExhaustion,
  AssertException,  // exception handling: the action ends with an uncaught wasm exception
  AssertInvalid,
  AssertMalformedBinary,
  AssertMalformedText,
  AssertUnlinkable,
  AssertUninstantiable,
  Unsupported,  // a command type this runner does not know: always a failure
};
constexpr size_t kCommandKindCount = 13;

/// "module", "assert_return", "assert_malformed (binary)", ...
const char* command_kind_name(CommandKind kind);

/// True for the kinds whose module file the runner compiles (all of them
/// run through ScriptExecutor::compile); spec_compile compiles the same.
bool compiles_module(CommandKind kind);

struct Action {
  enum class Type : uint8_t { Invoke, Get };
  Type type = Type::Invoke;
  std::string module;  // "$name" of a module command, or empty: the current module
  std::string field;
  std::vector<SpecValue> args;
};

struct Command {
  CommandKind kind = CommandKind::Unsupported;
  uint32_t line = 0;
  /// module: its "$name" (may be empty); register: the instance (empty: current).
  std::string module_name;
  std::string register_as;  // register
  /// The module file (next to the JSON) of module and module assertions.
  std::string filename;
  bool is_text = false;  // filename holds the text format
  Action action;         // action, assert_return, assert_trap, assert_exhaustion
  std::vector<SpecValue> expected;  // assert_return
  std::string text;                 // the expected message of assertions
  std::string type_name;            // the JSON "type" (for Unsupported)
};

struct Script {
  std::string source_filename;
  std::vector<Command> commands;
};

/// Parses wast2json's JSON. On failure returns nothing and sets `error` to a
/// one-line description (with the command's line when known).
std::optional<Script> parse_script(std::string_view json_text, std::string& error);

/// `text` with control characters and non-ASCII bytes as \xx, for one-line messages.
std::string escape_name(std::string_view text);

/// The command in short form, e.g. `invoke "add"(i32:1, i32:2)` or
/// `module foo.3.wasm`.
std::string describe_action(const Action& action);
std::string describe_command(const Command& command);

}  // namespace kiln::spec
