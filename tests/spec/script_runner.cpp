#include "tests/spec/script_runner.h"

#include <map>
#include <optional>

#include <kiln/kiln.h>

#include "tests/spec/kiln_values.h"
#include "tests/spec/message_match.h"
#include "tests/spec/spectest_host.h"
#include "tests/spec/superseded_assertions.h"

namespace kiln::spec {
namespace {

/// The result of one command.
struct Outcome {
  enum class Status { Pass, Fail, Skip };
  Status status = Status::Pass;
  std::string expected;
  std::string got;  // for Skip: the reason

  static Outcome pass() { return {}; }
  static Outcome fail(std::string expected, std::string got) {
    return {Status::Fail, std::move(expected), std::move(got)};
  }
  static Outcome skip(std::string reason) { return {Status::Skip, {}, std::move(reason)}; }
};

/// What performing an action gave: values, a trap, or another error.
struct ActionResult {
  enum class Kind { Values, Trap, Exception, Error };
  Kind kind = Kind::Values;
  std::vector<kiln::Value> values;
  kiln::TrapKind trap = kiln::TrapKind::Unreachable;
  std::string message;

  std::string describe() const {
    switch (kind) {
      case Kind::Values: {
        std::vector<SpecValue> shown;
        for (const kiln::Value& v : values) shown.push_back(from_kiln_value(v));
        return "returned (" + to_string(shown) + ")";
      }
      case Kind::Trap: return "trap: " + message;
      case Kind::Exception: return "exception: " + message;
      case Kind::Error: return "error: " + message;
    }
    return message;
  }
};

/// An instance, or why there is none (its module command failed).
struct InstanceSlot {
  kiln::Instance instance;
  std::string problem;
};

class ScriptExecutor {
 public:
  ScriptExecutor(const std::filesystem::path& directory, ModuleSource& modules, bool verbose,
                 ScriptResult& result)
      : directory_(directory), modules_(modules), verbose_(verbose), result_(result) {
    define_spectest(store_, imports_, verbose ? &result.log : nullptr);
  }

  void run(const Script& script) {
    for (const Command& command : script.commands) {
      Outcome outcome = run_command(command);
      Counts& counts = result_.by_kind[static_cast<size_t>(command.kind)];
      switch (outcome.status) {
        case Outcome::Status::Pass: ++counts.passed; break;
        case Outcome::Status::Fail:
          ++counts.failed;
          result_.failures.push_back(Failure{command.line, describe_command(command),
                                             std::move(outcome.expected), std::move(outcome.got)});
          break;
        case Outcome::Status::Skip:
          ++counts.skipped;
          ++result_.skip_reasons[outcome.got];
          note(command, "skipped: " + outcome.got);
          break;
      }
    }
  }

 private:
  Outcome run_command(const Command& command) {
    try {
      switch (command.kind) {
        case CommandKind::Module: return module(command);
        case CommandKind::Register: return register_instance(command);
        case CommandKind::Action: return action(command);
        case CommandKind::AssertReturn: return assert_return(command);
        case CommandKind::AssertTrap: return assert_trap(command);
        case CommandKind::AssertExhaustion: return assert_exhaustion(command);
        case CommandKind::AssertException: return assert_exception(command);
        case CommandKind::AssertInvalid:
        case CommandKind::AssertMalformedBinary: return assert_refused(command);
        case CommandKind::AssertMalformedText: return assert_malformed_text(command);
        case CommandKind::AssertUnlinkable: return assert_unlinkable(command);
        case CommandKind::AssertUninstantiable: return assert_uninstantiable(command);
        case CommandKind::Unsupported:
          return Outcome::fail("a command this runner knows", command.text);
      }
    } catch (const std::exception& e) {
      // Anything escaping the handlers (a bug in libkiln or here) fails this command only.
      return Outcome::fail("no internal error", std::string("exception: ") + e.what());
    }
    return Outcome::fail("a command this runner knows", "unknown command kind");
  }

  void note(const Command& command, const std::string& text) {
    if (verbose_)
      result_.log += "  line " + std::to_string(command.line) + ": " + text + "\n";
  }

  // --- modules -----------------------------------------------------------

  /// The command's module compiled (now or earlier), or why not. Every
  /// command kind that compiles_module() names comes here.
  CompileResult compile(const Command& command) {
    return lookup_module_file(modules_, directory_, command);
  }

  /// Compiles and loads the command's module; on failure sets `problem`.
  std::optional<kiln::Module> load(const Command& command, std::string& problem) {
    CompileResult compiled = compile(command);
    if (!compiled.compiled()) {
      problem = compiled.problem();
      return std::nullopt;
    }
    try {
      return kiln::Module::load(compiled.artifact_path);
    } catch (const kiln::Error& e) {
      // Name the module file rather than the scratch artifact, so output is the same every run.
      std::string message = e.what();
      for (size_t at; (at = message.find(compiled.artifact_path)) != std::string::npos;)
        message.replace(at, compiled.artifact_path.size(), command.filename + "'s artifact");
      problem = "load error: " + message;
      return std::nullopt;
    }
  }

  Outcome module(const Command& command) {
    InstanceSlot slot;
    if (auto loaded = load(command, slot.problem)) {
      try {
        slot.instance = kiln::Instance::create(store_, *loaded, imports_);
      } catch (const kiln::Trap& trap) {
        slot.problem = "instantiation trapped: " + trap.message();
      } catch (const kiln::Error& e) {
        slot.problem = std::string("instantiation failed: ") + e.what();
      }
    }
    std::string problem = std::move(slot.problem);
    // Later commands on this module fail too; they only point back here.
    if (!slot.instance) slot.problem = "no instance: module at line " + std::to_string(command.line) + " failed";
    current_ = slot;
    if (!command.module_name.empty()) named_[command.module_name] = slot;
    if (!slot.instance) return Outcome::fail("the module instantiates", problem);
    return Outcome::pass();
  }

  const InstanceSlot* find_slot(const std::string& name) const {
    if (name.empty()) return &current_;
    auto it = named_.find(name);
    return it == named_.end() ? nullptr : &it->second;
  }

  Outcome register_instance(const Command& command) {
    const InstanceSlot* slot = find_slot(command.module_name);
    if (!slot) return Outcome::fail("a module named " + command.module_name, "none");
    if (!slot->instance) return Outcome::fail("an instance to register", slot->problem);
    imports_.define_instance(command.register_as, slot->instance);
    return Outcome::pass();
  }

  /// Passes when the compiler refused the command's module; `if_compiled` otherwise.
  Outcome expect_refusal(const Command& command, Outcome if_compiled) {
    CompileResult compiled = compile(command);
    switch (compiled.status) {
      case CompileResult::Status::Compiled: return if_compiled;
      case CompileResult::Status::Unavailable:
        return Outcome::fail("compile error (" + command.text + ")", compiled.problem());
      case CompileResult::Status::Refused: break;
    }
    note(command, "refused as expected (" + command.text + "): " + compiled.error);
    return Outcome::pass();
  }

  Outcome assert_refused(const Command& command) {
    if (auto reason = superseded_refusal(command.text)) return expect_refusal(command, Outcome::skip(*reason));
    return expect_refusal(command, Outcome::fail("compile error (" + command.text + ")", "compiled"));
  }

  Outcome assert_malformed_text(const Command& command) {
    // aotc reads text with wabt, which accepts some text the spec calls malformed.
    return expect_refusal(command, Outcome::skip("text format not refused by wabt"));
  }

  /// Instantiates a module that should not instantiate; returns how it failed.
  Outcome instantiate_expecting_failure(const Command& command, bool expect_trap) {
    std::string expected = expect_trap ? "instantiation traps with \"" + command.text + "\""
                                       : "link error (" + command.text + ")";
    std::string problem;
    auto loaded = load(command, problem);
    if (!loaded) return Outcome::fail(expected, problem);
    try {
      kiln::Instance::create(store_, *loaded, imports_);
    } catch (const kiln::Trap& trap) {
      if (!expect_trap) return Outcome::fail(expected, "trap: " + trap.message());
      if (!trap_message_matches(trap.message(), command.text))
        return Outcome::fail(expected, "trap: " + trap.message());
      return Outcome::pass();
    } catch (const kiln::Error& e) {
      if (expect_trap) return Outcome::fail(expected, std::string("error: ") + e.what());
      note(command, std::string("unlinkable as expected: ") + e.what());
      return Outcome::pass();
    }
    return Outcome::fail(expected, "instantiated");
  }

  Outcome assert_unlinkable(const Command& command) {
    return instantiate_expecting_failure(command, false);
  }

  Outcome assert_uninstantiable(const Command& command) {
    return instantiate_expecting_failure(command, true);
  }

  // --- actions -----------------------------------------------------------

  ActionResult perform(const Action& action) {
    ActionResult result;
    result.kind = ActionResult::Kind::Error;
    const InstanceSlot* slot = find_slot(action.module);
    if (!slot) {
      result.message = "no module named " + action.module;
      return result;
    }
    if (!slot->instance) {
      result.message = slot->problem.empty() ? "no module instantiated yet" : slot->problem;
      return result;
    }
    try {
      if (action.type == Action::Type::Get) {
        result.values.push_back(slot->instance.global(action.field).get());
      } else {
        kiln::Func function = slot->instance.func(action.field);
        std::vector<kiln::Value> args;
        for (const SpecValue& arg : action.args) {
          std::string error;
          auto value = to_kiln_value(arg, error);
          if (!value) {
            result.message = error;
            return result;
          }
          args.push_back(*value);
        }
        result.values = function.call(args);
      }
      result.kind = ActionResult::Kind::Values;
    } catch (const kiln::Trap& trap) {
      result.kind = ActionResult::Kind::Trap;
      result.trap = trap.kind();
      result.message = trap.message();
    } catch (const kiln::Exception& e) {
      result.kind = ActionResult::Kind::Exception;
      result.message = e.what();
    } catch (const kiln::Error& e) {
      result.message = e.what();
    }
    return result;
  }

  Outcome action(const Command& command) {
    ActionResult result = perform(command.action);
    if (result.kind != ActionResult::Kind::Values)
      return Outcome::fail("completes", result.describe());
    return Outcome::pass();
  }

  Outcome assert_return(const Command& command) {
    std::string expected = "(" + to_string(command.expected) + ")";
    ActionResult result = perform(command.action);
    if (result.kind != ActionResult::Kind::Values) return Outcome::fail(expected, result.describe());
    bool same = result.values.size() == command.expected.size();
    std::vector<SpecValue> actual;
    for (size_t i = 0; i < result.values.size(); ++i) {
      LaneType lanes = i < command.expected.size() ? command.expected[i].lane_type : LaneType::I32;
      actual.push_back(from_kiln_value(result.values[i], lanes));
      if (same && !matches(command.expected[i], actual.back())) same = false;
    }
    if (!same) return Outcome::fail(expected, "(" + to_string(actual) + ")");
    return Outcome::pass();
  }

  Outcome assert_trap(const Command& command) {
    std::string expected = "trap \"" + command.text + "\"";
    ActionResult result = perform(command.action);
    if (result.kind != ActionResult::Kind::Trap ||
        !trap_message_matches(result.message, command.text))
      return Outcome::fail(expected, result.describe());
    return Outcome::pass();
  }

  Outcome assert_exhaustion(const Command& command) {
    std::string expected = "trap \"" + command.text + "\"";
    ActionResult result = perform(command.action);
    if (result.kind != ActionResult::Kind::Trap ||
        result.trap != kiln::TrapKind::CallStackExhausted)
      return Outcome::fail(expected, result.describe());
    return Outcome::pass();
  }

  Outcome assert_exception(const Command& command) {
    ActionResult result = perform(command.action);
    if (result.kind != ActionResult::Kind::Exception) return Outcome::fail("uncaught exception", result.describe());
    return Outcome::pass();
  }

  const std::filesystem::path& directory_;
  ModuleSource& modules_;
  bool verbose_;
  ScriptResult& result_;
  kiln::Store store_;
  kiln::Imports imports_;
  InstanceSlot current_{{}, "no module instantiated yet"};
  std::map<std::string, InstanceSlot> named_;
};

}  // namespace

void run_script(const Script& script, const std::filesystem::path& directory, ModuleSource& modules,
                bool verbose, ScriptResult& result) {
  ScriptExecutor executor(directory, modules, verbose, result);
  executor.run(script);
}

}  // namespace kiln::spec
