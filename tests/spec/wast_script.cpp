#include "tests/spec/wast_script.h"

#include <cstdio>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace kiln::spec {
namespace {

using nlohmann::json;

/// A command the runner cannot read; the message names the field.
struct CommandError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

const json& field(const json& object, const char* name) {
  auto it = object.find(name);
  if (it == object.end()) throw CommandError(std::string("missing \"") + name + "\"");
  return *it;
}

std::string string_field(const json& object, const char* name) {
  const json& value = field(object, name);
  if (!value.is_string()) throw CommandError(std::string("\"") + name + "\" is not a string");
  return value.get<std::string>();
}

std::string optional_string(const json& object, const char* name) {
  auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

SpecValue parse_value(const json& entry) {
  if (!entry.is_object()) throw CommandError("value is not an object");
  std::string type = string_field(entry, "type");
  std::optional<std::string> lane_type;
  if (auto it = entry.find("lane_type"); it != entry.end() && it->is_string())
    lane_type = it->get<std::string>();
  std::vector<std::string> parts;
  bool has_value = false;
  if (auto it = entry.find("value"); it != entry.end()) {
    has_value = true;
    if (it->is_string()) {
      parts.push_back(it->get<std::string>());
    } else if (it->is_array()) {
      for (const json& part : *it) {
        if (!part.is_string()) throw CommandError("v128 lane is not a string");
        parts.push_back(part.get<std::string>());
      }
    } else {
      throw CommandError("\"value\" is neither a string nor a list");
    }
  }
  std::string error;
  auto value = make_spec_value(type, lane_type ? std::optional<std::string_view>(*lane_type)
                                               : std::nullopt,
                               has_value ? &parts : nullptr, error);
  if (!value) throw CommandError(error);
  return *value;
}

std::vector<SpecValue> parse_values(const json& object, const char* name) {
  std::vector<SpecValue> values;
  auto it = object.find(name);
  if (it == object.end()) return values;
  if (!it->is_array()) throw CommandError(std::string("\"") + name + "\" is not a list");
  for (const json& entry : *it) values.push_back(parse_value(entry));
  return values;
}

Action parse_action(const json& command) {
  const json& object = field(command, "action");
  Action action;
  std::string type = string_field(object, "type");
  if (type == "invoke") action.type = Action::Type::Invoke;
  else if (type == "get") action.type = Action::Type::Get;
  else throw CommandError("unknown action type '" + type + "'");
  action.module = optional_string(object, "module");
  action.field = string_field(object, "field");
  action.args = parse_values(object, "args");
  return action;
}

/// assert_invalid/malformed/unlinkable/uninstantiable and module-form assert_trap.
void parse_module_assertion(const json& object, Command& command) {
  command.filename = string_field(object, "filename");
  command.text = optional_string(object, "text");
  std::string module_type = optional_string(object, "module_type");
  command.is_text = module_type == "text";
}

void parse_command(const json& object, Command& command) {
  const std::string& type = command.type_name;
  if (type == "module") {
    command.kind = CommandKind::Module;
    command.module_name = optional_string(object, "name");
    command.filename = string_field(object, "filename");
  } else if (type == "register") {
    command.kind = CommandKind::Register;
    command.module_name = optional_string(object, "name");
    command.register_as = string_field(object, "as");
  } else if (type == "action") {
    command.kind = CommandKind::Action;
    command.action = parse_action(object);
  } else if (type == "assert_return") {
    command.kind = CommandKind::AssertReturn;
    command.action = parse_action(object);
    command.expected = parse_values(object, "expected");
  } else if (type == "assert_trap") {
    if (object.contains("filename")) {  // (assert_trap (module ...)): instantiation traps
      command.kind = CommandKind::AssertUninstantiable;
      parse_module_assertion(object, command);
    } else {
      command.kind = CommandKind::AssertTrap;
      command.action = parse_action(object);
      command.text = optional_string(object, "text");
    }
  } else if (type == "assert_exhaustion") {
    command.kind = CommandKind::AssertExhaustion;
    command.action = parse_action(object);
    command.text = optional_string(object, "text");
  } else if (type == "assert_exception") {
    command.kind = CommandKind::AssertException;
    command.action = parse_action(object);
  } else if (type == "assert_invalid") {
    command.kind = CommandKind::AssertInvalid;
    parse_module_assertion(object, command);
  } else if (type == "assert_malformed") {
    parse_module_assertion(object, command);
    command.kind = command.is_text ? CommandKind::AssertMalformedText
                                   : CommandKind::AssertMalformedBinary;
  } else if (type == "assert_unlinkable") {
    command.kind = CommandKind::AssertUnlinkable;
    parse_module_assertion(object, command);
  } else if (type == "assert_uninstantiable") {
    command.kind = CommandKind::AssertUninstantiable;
    parse_module_assertion(object, command);
  } else {
    command.kind = CommandKind::Unsupported;
    command.text = "unknown command type";
  }
}

}  // namespace

const char* command_kind_name(CommandKind kind) {
  switch (kind) {
    case CommandKind::Module: return "module";
    case CommandKind::Register: return "register";
    case CommandKind::Action: return "action";
    case CommandKind::AssertReturn: return "assert_return";
    case CommandKind::AssertTrap: return "assert_trap";
    case CommandKind::AssertExhaustion: return "assert_exhaustion";
    case CommandKind::AssertException: return "assert_exception";
    case CommandKind::AssertInvalid: return "assert_invalid";
    case CommandKind::AssertMalformedBinary: return "assert_malformed (binary)";
    case CommandKind::AssertMalformedText: return "assert_malformed (text)";
    case CommandKind::AssertUnlinkable: return "assert_unlinkable";
    case CommandKind::AssertUninstantiable: return "assert_uninstantiable";
    case CommandKind::Unsupported: return "unsupported";
  }
  return "?";
}

bool compiles_module(CommandKind kind) {
  switch (kind) {
    case CommandKind::Module:
    case CommandKind::AssertInvalid:
    case CommandKind::AssertMalformedBinary:
    case CommandKind::AssertMalformedText:
    case CommandKind::AssertUnlinkable:
    case CommandKind::AssertUninstantiable: return true;
    case CommandKind::Register:
    case CommandKind::Action:
    case CommandKind::AssertReturn:
    case CommandKind::AssertTrap:
    case CommandKind::AssertExhaustion:
    case CommandKind::AssertException:
    case CommandKind::Unsupported: return false;
  }
  return false;
}

std::optional<Script> parse_script(std::string_view json_text, std::string& error) {
  json document = json::parse(json_text.begin(), json_text.end(), nullptr, false);
  if (document.is_discarded() || !document.is_object()) {
    error = "not a JSON object";
    return std::nullopt;
  }
  auto commands = document.find("commands");
  if (commands == document.end() || !commands->is_array()) {
    error = "no \"commands\" list";
    return std::nullopt;
  }
  Script script;
  script.source_filename = optional_string(document, "source_filename");
  for (const json& object : *commands) {
    Command command;
    if (!object.is_object()) {
      error = "command " + std::to_string(script.commands.size()) + " is not an object";
      return std::nullopt;
    }
    if (auto it = object.find("line"); it != object.end() && it->is_number_unsigned())
      command.line = it->get<uint32_t>();
    command.type_name = optional_string(object, "type");
    try {
      parse_command(object, command);
    } catch (const CommandError& e) {
      // Reported as a failure of this command; the rest of the script still runs.
      command.kind = CommandKind::Unsupported;
      command.text = e.what();
    }
    script.commands.push_back(std::move(command));
  }
  return script;
}

std::string escape_name(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (c >= 0x20 && c < 0x7f && c != '\\' && c != '"') {
      out += static_cast<char>(c);
      continue;
    }
    char hex[8];
    std::snprintf(hex, sizeof hex, "\\%02x", c);
    out += hex;
  }
  return out;
}

std::string describe_action(const Action& action) {
  std::string text = action.type == Action::Type::Invoke ? "invoke " : "get ";
  if (!action.module.empty()) text += escape_name(action.module) + " ";
  text += "\"" + escape_name(action.field) + "\"";
  if (action.type == Action::Type::Invoke) text += "(" + to_string(action.args) + ")";
  return text;
}

std::string describe_command(const Command& command) {
  std::string text = command_kind_name(command.kind);
  switch (command.kind) {
    case CommandKind::Module:
      if (!command.module_name.empty()) text += " " + command.module_name;
      return text + " " + command.filename;
    case CommandKind::Register:
      return text + " \"" + escape_name(command.register_as) + "\"" +
             (command.module_name.empty() ? "" : " " + command.module_name);
    case CommandKind::Action:
    case CommandKind::AssertReturn:
    case CommandKind::AssertTrap:
    case CommandKind::AssertExhaustion:
    case CommandKind::AssertException:
      return text + " " + describe_action(command.action);
    case CommandKind::AssertInvalid:
    case CommandKind::AssertMalformedBinary:
    case CommandKind::AssertMalformedText:
    case CommandKind::AssertUnlinkable:
    case CommandKind::AssertUninstantiable:
      return text + " " + command.filename;
    case CommandKind::Unsupported:
      return text + " '" + escape_name(command.type_name) + "'";
  }
  return text;
}

}  // namespace kiln::spec
