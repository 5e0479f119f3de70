// Every trap kind a guest can cause, from the same .wat compiled at -O0 and
// -O2: kind, the spec's message, and a backtrace whose innermost frame names
// the trapping function (index, name-section name, code offset inside it,
// module), also in a module using tail calls. After each trap the instance,
// the other instances of the store, other stores and the process keep working.
#include <cmath>
#include <limits>
#include <vector>

#include "tests/safety/safety_support.h"

using kiln::TrapKind;
using kiln::Value;
using kiln::safety::artifact;
using kiln::safety::expect_trap;

namespace {

// Where the trapping pc lies: a trap-table entry of wasm code (ud1), or any
// instruction of the function (a fault, or the return address of a call to
// a runtime helper that raised the trap).
enum class Site { TrapTable, InFunction };

struct Case {
  const char* function;  // export name, also its name-section name
  std::vector<Value> args;
  TrapKind kind;
  const char* message;   // the spec test suite's wording
  Site site;
};

std::vector<Case> cases() {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  return {
      {"unreachable", {}, TrapKind::Unreachable, "unreachable", Site::TrapTable},
      {"div_by_zero", {Value::i32(0)}, TrapKind::IntegerDivideByZero, "integer divide by zero", Site::TrapTable},
      {"rem_by_zero", {Value::i64(0)}, TrapKind::IntegerDivideByZero, "integer divide by zero", Site::TrapTable},
      {"div_overflow", {Value::i32(INT32_MIN), Value::i32(-1)}, TrapKind::IntegerOverflow, "integer overflow",
       Site::TrapTable},
      {"trunc_overflow", {Value::f64(1e10)}, TrapKind::IntegerOverflow, "integer overflow", Site::TrapTable},
      {"trunc_nan", {Value::f32(nan)}, TrapKind::InvalidConversionToInteger, "invalid conversion to integer",
       Site::TrapTable},
      {"load_oob", {Value::i32(65536)}, TrapKind::OutOfBoundsMemoryAccess, "out of bounds memory access",
       Site::InFunction},
      {"store_oob", {Value::i32(65530)}, TrapKind::OutOfBoundsMemoryAccess, "out of bounds memory access",
       Site::InFunction},
      {"fill_oob", {Value::i32(65530)}, TrapKind::OutOfBoundsMemoryAccess, "out of bounds memory access",
       Site::InFunction},
      {"init_oob", {Value::i32(65534)}, TrapKind::OutOfBoundsMemoryAccess, "out of bounds memory access",
       Site::InFunction},
      {"table_get_oob", {Value::i32(4)}, TrapKind::OutOfBoundsTableAccess, "out of bounds table access",
       Site::InFunction},
      {"table_fill_oob", {Value::i32(3)}, TrapKind::OutOfBoundsTableAccess, "out of bounds table access",
       Site::InFunction},
      {"call_indirect", {Value::i32(1)}, TrapKind::IndirectCallTypeMismatch, "indirect call type mismatch",
       Site::TrapTable},
      // A null element: type_id 0 matches no type; the mismatch path tells it apart.
      {"call_indirect", {Value::i32(2)}, TrapKind::UninitializedElement, "uninitialized element",
       Site::TrapTable},
      {"call_indirect", {Value::i32(4)}, TrapKind::UndefinedElement, "undefined element", Site::TrapTable},
      {"recurse", {Value::i32(0)}, TrapKind::CallStackExhausted, "call stack exhausted", Site::TrapTable},
  };
}

// outer(5) is 100 / 5 + 2; outer(0) divides by zero two calls further down
// (traps.wat and tail_traps.wat): returns that trap.
kiln::Trap trap_of_outer(kiln::Instance& inst) {
  auto outer = inst.typed_func<int32_t(int32_t)>("outer");
  CHECK(outer(5) == 100 / 5 + 2);
  kiln::Trap trap = expect_trap([&] { outer(0); });
  CHECK(trap.kind() == TrapKind::IntegerDivideByZero);
  return trap;
}

// The function names of a trap's backtrace, innermost first.
std::vector<std::string> trace_names(const kiln::Trap& trap) {
  std::vector<std::string> names;
  for (const kiln::TrapFrame& f : trap.trace()) names.push_back(f.func_name);
  return names;
}

// The innermost frame names the trapping function of `module`.
void check_innermost_frame(const kiln::Trap& trap, const kiln::Module& module, const Case& c) {
  REQUIRE(!trap.trace().empty());
  const kiln::TrapFrame& f = trap.trace()[0];
  std::optional<uint32_t> index = kiln::safety::export_func_index(module, c.function);
  REQUIRE(index.has_value());
  CHECK(f.func_index == *index);
  CHECK(f.func_name == c.function);
  CHECK(f.module == module.name());
  CHECK(f.offset > 0);
  CHECK(f.offset < kiln::safety::code_size(module, f.func_index));
  if (c.site == Site::TrapTable) CHECK(kiln::safety::is_trap_site(module, f.func_index, f.offset, c.kind));
}

}  // namespace

TEST_CASE("every trap kind is reported with kind, message and backtrace, and nothing else is harmed") {
  for (const char* level : {"O0", "O2"}) {
    INFO("artifact traps_" << level);
    kiln::Module module = kiln::Module::load(artifact(std::string("traps_") + level));
    kiln::Module bystander_module = kiln::Module::load(artifact("divider"));
    kiln::Store store;
    kiln::Instance inst = kiln::Instance::create(store, module, {});
    kiln::Instance sibling = kiln::Instance::create(store, module, {});
    kiln::Instance bystander = kiln::Instance::create(store, bystander_module, {});
    kiln::Store other_store;
    kiln::Instance elsewhere = kiln::Instance::create(other_store, module, {});

    inst.memory("memory").write<int32_t>(8, 1234);
    sibling.memory("memory").write<int32_t>(8, 5678);
    auto bump = inst.typed_func<int32_t()>("bump");
    int32_t expected_count = 0;

    for (const Case& c : cases()) {
      INFO("function " << c.function << ", expected trap: " << c.message);
      kiln::Trap trap = expect_trap([&] { inst.func(c.function).call(c.args); });
      CHECK(trap.kind() == c.kind);
      CHECK(trap.message() == c.message);
      CHECK(std::string(trap.what()) == std::string("wasm trap: ") + c.message);
      check_innermost_frame(trap, module, c);

      // The same instance, its store, the store's other instances, another
      // store and a fresh instance all still work.
      CHECK(inst.typed_func<int32_t()>("ok")() == 7);
      CHECK(bump() == ++expected_count);
      CHECK(inst.memory("memory").read<int32_t>(8) == 1234);
      CHECK(sibling.memory("memory").read<int32_t>(8) == 5678);
      CHECK(sibling.typed_func<int32_t(int32_t)>("div_by_zero")(1) == 1);
      CHECK(bystander.typed_func<int32_t(int32_t)>("divide")(1) == 1);
      CHECK(elsewhere.typed_func<int32_t()>("ok")() == 7);
      CHECK(kiln::Instance::create(store, module, {}).typed_func<int32_t()>("ok")() == 7);
    }
  }
}

TEST_CASE("a trap raised three calls deep lists every frame, innermost first") {
  for (const char* level : {"O0", "O2"}) {
    INFO("artifact traps_" << level);
    kiln::Module module = kiln::Module::load(artifact(std::string("traps_") + level));
    kiln::Store store;
    kiln::Instance inst = kiln::Instance::create(store, module, {});
    kiln::Trap trap = trap_of_outer(inst);
    REQUIRE(trap.trace().size() == 3);
    // Function indices of traps.wat: $inner 16, $middle 17, $outer 18.
    const char* names[] = {"inner", "middle", "outer"};
    const uint32_t indices[] = {16, 17, 18};
    for (size_t i = 0; i < 3; ++i) {
      const kiln::TrapFrame& f = trap.trace()[i];
      INFO("frame " << i);
      CHECK(f.func_name == names[i]);
      CHECK(f.func_index == indices[i]);
      CHECK(f.module == module.name());
      CHECK(f.offset > 0);
      // Outer frames are return addresses: at most the end of the function.
      CHECK(f.offset <= kiln::safety::code_size(module, f.func_index));
    }
    CHECK(kiln::safety::is_trap_site(module, 16, trap.trace()[0].offset, TrapKind::IntegerDivideByZero));
    CHECK(inst.typed_func<int32_t(int32_t)>("outer")(4) == 100 / 4 + 2);
  }
}

TEST_CASE("with tail calls in the module, the backtrace passes over the entries of functions") {
  for (const char* level : {"O0", "O2"}) {
    INFO("artifact tail_traps_" << level);
    kiln::Module module = kiln::Module::load(artifact(std::string("tail_traps_") + level));
    kiln::Store store;
    kiln::Instance inst = kiln::Instance::create(store, module, {});
    kiln::Trap trap = trap_of_outer(inst);
    CHECK(trace_names(trap) == std::vector<std::string>{"inner", "middle", "outer"});
    CHECK(kiln::safety::is_trap_site(module, 0, trap.trace()[0].offset, TrapKind::IntegerDivideByZero));
    // A tail call leaves no frame of the caller...
    trap = expect_trap([&] { inst.typed_func<int32_t(int32_t)>("tail_outer")(0); });
    CHECK(trace_names(trap) == std::vector<std::string>{"inner", "tail_middle"});
    CHECK(inst.typed_func<int32_t(int32_t)>("tail_outer")(7) == 100 / 7);
    // ...unless the callee has no return_call*: then it is called and
    // returned from, and the caller's frame stays.
    trap = expect_trap([&] { inst.typed_func<int32_t(int32_t)>("tail_plain")(0); });
    CHECK(trace_names(trap) == std::vector<std::string>{"inner", "middle", "tail_plain"});
    CHECK(inst.typed_func<int32_t(int32_t)>("tail_plain")(5) == 100 / 5 + 1);
  }
}

TEST_CASE("a trap in a module whose functions have no names reports their indices") {
  kiln::Module module = kiln::Module::load(artifact("anonymous"));
  kiln::Store store;
  kiln::Instance inst = kiln::Instance::create(store, module, {});
  kiln::Trap trap = expect_trap([&] { inst.func("crash").call({}); });
  CHECK(trap.kind() == TrapKind::Unreachable);
  REQUIRE(trap.trace().size() == 1);
  CHECK(trap.trace()[0].func_index == 1);
  CHECK(trap.trace()[0].func_name.empty());
  CHECK(inst.typed_func<int32_t()>("seven")() == 7);
}

TEST_CASE("thousands of traps in a row leave nothing behind") {
  kiln::Module module = kiln::Module::load(artifact("traps_O2"));
  kiln::Store store;
  kiln::Instance inst = kiln::Instance::create(store, module, {});
  auto div = inst.typed_func<int32_t(int32_t)>("div_by_zero");
  auto recurse = inst.typed_func<int32_t(int32_t)>("recurse");
  int trapped = 0;
  for (int i = 0; i < 5000; ++i) {
    try {
      if (i % 100 == 0) recurse(0);
      else div(0);
    } catch (const kiln::Trap& trap) {
      trapped += trap.kind() == (i % 100 == 0 ? TrapKind::CallStackExhausted : TrapKind::IntegerDivideByZero);
    }
  }
  CHECK(trapped == 5000);
  CHECK(div(1) == 1);
}
