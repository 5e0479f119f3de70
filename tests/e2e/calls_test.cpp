// The call paths between host and wasm on real artifacts (tests/e2e/api/calls.wat):
// typed host functions called directly by wasm code, their Caller, host
// functions in tables, exceptions, and the generic paths with Values.
#include <cstdlib>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include <doctest/doctest.h>
#include <kiln/kiln.h>

namespace {

std::string artifact(const char* name) {
  const char* dir = std::getenv("KILN_E2E_ARTIFACTS");
  REQUIRE_MESSAGE(dir != nullptr, "KILN_E2E_ARTIFACTS is not set");
  return std::string(dir) + "/" + name + ".so";
}

struct Thrown {
  int64_t payload;
};

struct Seen {
  kiln::Instance instance;
  bool had_instance = false;
};

kiln::Imports calls_imports(Seen& seen) {
  kiln::Imports imports;
  imports.func("host", "mix", [](int32_t a, int64_t b, float c, double d) {
    return double(a) + double(b) + double(c) + d;
  });
  imports.func("host", "next", [](uint32_t x) -> uint32_t { return x + 1; });
  imports.func("host", "poke", [&seen](kiln::Caller& caller, uint32_t addr, int32_t value) {
    seen.instance = caller.instance();
    seen.had_instance = static_cast<bool>(caller.instance());
    std::memcpy(caller.memory().data() + addr, &value, sizeof value);
    caller.store();  // a handle can be taken
  });
  imports.func("host", "widen", [](int64_t x) -> int64_t {
    if (x < 0) throw Thrown{x};
    return x * 2;
  });
  imports.func("host", "reenter", [](kiln::Caller& caller, int32_t x) -> int32_t {
    if (x < 0) throw std::logic_error("negative depth");
    if (x == 0) return 0;
    return caller.instance().typed_func<int32_t(int32_t)>("call_reenter")(x - 1) + 1;
  });
  imports.func("host", "many", [](int32_t a, int32_t b, int32_t c, int32_t d, int32_t e, int32_t f) {
    return std::tuple<int32_t, int32_t, int32_t, int32_t, int32_t>(a + f, b, c, d, e);
  });
  imports.func("host", "fsum9", [](double a, double b, double c, double d, double e, double f,
                                   double g, double h, double i) {
    return a * 1000 + b + c + d + e + f + g + h + i;
  });
  return imports;
}

}  // namespace

TEST_CASE("typed host functions called from wasm receive and return every value type exactly") {
  kiln::Store store;
  Seen seen;
  auto instance = kiln::Instance::create(store, kiln::Module::load(artifact("calls")), calls_imports(seen));
  auto mix = instance.typed_func<double(int32_t, int64_t, float, double)>("call_mix");
  CHECK(mix(-7, -(int64_t(1) << 40), 0.5f, 0.25) == -7.0 - double(int64_t(1) << 40) + 0.75);
  CHECK(mix(INT32_MIN, INT64_MAX / 2, -1.5f, 1e300) == double(INT32_MIN) + double(INT64_MAX / 2) - 1.5 + 1e300);
  auto next = instance.typed_func<uint32_t(uint32_t)>("call_next");
  CHECK(next(41) == 42);
  CHECK(next(UINT32_MAX) == 0);
  CHECK(instance.typed_func<int64_t(int64_t)>("call_widen")(int64_t(1) << 40) == int64_t(1) << 41);
  // The same through Values.
  auto results = instance.func("call_mix").call(
      {kiln::Value::i32(1), kiln::Value::i64(2), kiln::Value::f32(3.0f), kiln::Value::f64(4.0)});
  REQUIRE(results.size() == 1);
  CHECK(results[0].as_f64() == 10.0);
}

TEST_CASE("a typed host function's Caller is the calling instance, with its memory and store") {
  kiln::Store store;
  Seen seen;
  auto instance = kiln::Instance::create(store, kiln::Module::load(artifact("calls")), calls_imports(seen));
  CHECK(instance.typed_func<int32_t(uint32_t, int32_t)>("poke_load")(64, -12345) == -12345);
  CHECK(seen.had_instance);
  CHECK(seen.instance == instance);
  // Re-entry through the Caller's instance, nested a few levels.
  CHECK(instance.typed_func<int32_t(int32_t)>("call_reenter")(5) == 5);
}

TEST_CASE("host functions in a table are called directly, and call_indirect still checks their type") {
  kiln::Store store;
  Seen seen;
  auto instance = kiln::Instance::create(store, kiln::Module::load(artifact("calls")), calls_imports(seen));
  auto slot = instance.typed_func<int32_t(int32_t, int32_t)>("call_slot");
  CHECK(slot(0, 5) == 6);    // host function
  CHECK(slot(2, 5) == 105);  // wasm function
  try {
    slot(1, 5);  // host function of another type
    FAIL("expected a trap");
  } catch (const kiln::Trap& trap) {
    CHECK(trap.kind() == kiln::TrapKind::IndirectCallTypeMismatch);
  }
  CHECK(slot(0, -1) == 0);
}

TEST_CASE("exceptions from typed host functions reach the host unchanged, also through re-entry") {
  kiln::Store store;
  Seen seen;
  auto instance = kiln::Instance::create(store, kiln::Module::load(artifact("calls")), calls_imports(seen));
  auto widen = instance.typed_func<int64_t(int64_t)>("call_widen");
  auto reenter = instance.typed_func<int32_t(int32_t)>("call_reenter");
  for (int i = 0; i < 2000; ++i) {
    try {
      widen(-i - 1);
      FAIL("expected an exception");
    } catch (const Thrown& t) {
      CHECK(t.payload == -i - 1);
    }
  }
  CHECK_THROWS_WITH_AS(reenter(-1), "negative depth", std::logic_error);
  CHECK_THROWS_AS(instance.func("call_widen").call({kiln::Value::i64(-5)}), Thrown);
  // The store and its stack budget are as before.
  CHECK(widen(21) == 42);
  CHECK(reenter(50) == 50);
}

TEST_CASE("a typed body declared with another type runs through Values, which check the types") {
  kiln::Store store;
  Seen seen;
  kiln::Imports imports = calls_imports(seen);
  // Its direct entry would take an i64, but the import is (i32) -> i32.
  auto wide = [](int64_t x) -> int64_t { return x; };
  kiln::FuncType unary{{kiln::ValType::I32}, {kiln::ValType::I32}};
  imports.func("host", "next", unary, kiln::detail::HostCallable<decltype(wide)>::wrap(wide));
  auto instance = kiln::Instance::create(store, kiln::Module::load(artifact("calls")), imports);
  CHECK_THROWS_AS(instance.typed_func<int32_t(int32_t)>("call_next")(1), kiln::Error);
  CHECK(instance.typed_func<int32_t(int32_t)>("leaf")(1) == 101);
}

TEST_CASE("generic host bodies: results are checked, and the Caller of a host call has no instance") {
  kiln::Store store;
  Seen seen;
  kiln::Imports imports = calls_imports(seen);
  kiln::FuncType unary{{kiln::ValType::I32}, {kiln::ValType::I32}};
  bool had_instance = true;
  imports.func("host", "next", unary,
               [&had_instance](kiln::Caller& caller, std::span<const kiln::Value> args, std::span<kiln::Value> results) {
                 had_instance = static_cast<bool>(caller.instance());
                 CHECK_FALSE(caller.get_export("nothing").has_value());
                 if (args[0].as_i32() < 0) results[0] = kiln::Value::i64(1);  // wrong type
                 else results[0] = kiln::Value::i32(args[0].as_i32() * 3);
               });
  auto instance = kiln::Instance::create(store, kiln::Module::load(artifact("calls")), imports);
  auto next = instance.typed_func<int32_t(int32_t)>("call_next");
  CHECK(next(7) == 21);
  CHECK(had_instance);
  CHECK_THROWS_AS(next(-1), kiln::Error);
  CHECK(next(2) == 6);
  CHECK(instance.typed_func<int32_t(int32_t, int32_t)>("call_slot")(0, 4) == 12);

  // Called from the host: no calling instance.
  kiln::Func tripled = kiln::Func::create(store, unary, [&had_instance](kiln::Caller& caller, std::span<const kiln::Value> args, std::span<kiln::Value> results) {
    had_instance = static_cast<bool>(caller.instance());
    CHECK_THROWS_AS(caller.memory(), kiln::Error);
    results[0] = kiln::Value::i32(args[0].as_i32() * 3);
  });
  CHECK(tripled.call({kiln::Value::i32(5)})[0].as_i32() == 15);
  CHECK_FALSE(had_instance);
}

TEST_CASE("typed host functions can be called from the host too") {
  kiln::Store store;
  kiln::Func add = kiln::wrap_function(store, [](int32_t a, double b) { return double(a) + b; });
  CHECK(add.is_host());
  CHECK(add.type() == kiln::FuncType{{kiln::ValType::I32, kiln::ValType::F64}, {kiln::ValType::F64}});
  CHECK(add.call({kiln::Value::i32(2), kiln::Value::f64(0.5)})[0].as_f64() == 2.5);
  CHECK(kiln::TypedFunc<double(int32_t, double)>(add)(3, 0.25) == 3.25);
  kiln::Func fails = kiln::wrap_function(store, [](int32_t) -> int32_t { throw std::runtime_error("no"); });
  CHECK_THROWS_WITH_AS(fails.call({kiln::Value::i32(1)}), "no", std::runtime_error);
  // A Caller made from handles, as before.
  kiln::Caller caller(store, kiln::Instance());
  CHECK_FALSE(caller.instance());
  CHECK(caller.store() == store);
}

TEST_CASE("calls with Values into the caller's results") {
  kiln::Store store;
  Seen seen;
  auto instance = kiln::Instance::create(store, kiln::Module::load(artifact("calls")), calls_imports(seen));
  kiln::Func mix = instance.func("call_mix");
  kiln::Value args[4] = {kiln::Value::i32(1), kiln::Value::i64(2), kiln::Value::f32(3.0f), kiln::Value::f64(4.0)};
  kiln::Value results[1] = {kiln::Value::externref(&seen)};
  mix.call(args, results);
  CHECK(results[0].type() == kiln::ValType::F64);
  CHECK(results[0].as_f64() == 10.0);
  // Wrong result count, overlapping spans and bad arguments are errors.
  kiln::Value two[2];
  CHECK_THROWS_AS(mix.call(args, two), kiln::Error);
  CHECK_THROWS_AS(mix.call(args, std::span<kiln::Value>(args, 1)), kiln::Error);
  CHECK_THROWS_AS(mix.call(std::span<const kiln::Value>(args, 3), results), kiln::Error);
  // Host functions, and their exceptions.
  kiln::Func next = kiln::wrap_function(store, [](int32_t x) -> int32_t {
    if (x < 0) throw std::runtime_error("negative");
    return x + 1;
  });
  kiln::Value one[1] = {kiln::Value::i32(41)};
  next.call(one, results);
  CHECK(results[0].as_i32() == 42);
  one[0] = kiln::Value::i32(-1);
  CHECK_THROWS_WITH_AS(next.call(one, results), "negative", std::runtime_error);
  // Traps.
  kiln::Value slot_args[2] = {kiln::Value::i32(1), kiln::Value::i32(0)};
  CHECK_THROWS_AS(instance.func("call_slot").call(slot_args, results), kiln::Trap);
  kiln::Func widen = instance.func("call_widen");
  kiln::Value wide[1] = {kiln::Value::i64(-3)};
  CHECK_THROWS_AS(widen.call(wide, results), Thrown);
}

TEST_CASE("calls with more values than the call paths keep in place") {
  kiln::Store store;
  Seen seen;
  auto instance = kiln::Instance::create(store, kiln::Module::load(artifact("calls")), calls_imports(seen));
  auto many = instance.typed_func<int32_t(int32_t, int32_t, int32_t, int32_t, int32_t, int32_t, int32_t,
                                              int32_t, int32_t)>("call_many");
  // many returns (1 + 6, 2, 3, 4, 5): 7 + 20 + 300 + 4000 + 50000, plus 7 + 8 + 9.
  CHECK(many(1, 2, 3, 4, 5, 6, 7, 8, 9) == 54327 + 24);
  std::vector<kiln::Value> args;
  for (int32_t i = 1; i <= 9; ++i) args.push_back(kiln::Value::i32(i));
  CHECK(instance.func("call_many").call(args)[0].as_i32() == 54327 + 24);
  kiln::Value result[1];
  instance.func("call_many").call(args, result);
  CHECK(result[0].as_i32() == 54327 + 24);
}

TEST_CASE("typed calls pass every argument register, and report traps") {
  kiln::Store store;
  Seen seen;
  auto instance = kiln::Instance::create(store, kiln::Module::load(artifact("calls")), calls_imports(seen));
  auto weigh4 = instance.typed_func<int64_t(int32_t, int64_t, int32_t, int64_t)>("weigh4");
  CHECK(weigh4(1, 2, 3, int64_t(4) << 32) == 1 + 20 + 300 + (int64_t(4000) << 32));
  CHECK(weigh4(-1, -2, -3, -4) == -4321);
  auto weigh5 = instance.typed_func<int32_t(int32_t, int32_t, int32_t, int32_t, int32_t)>("weigh5");
  CHECK(weigh5(1, 2, 3, 4, 5) == 54321);
  auto fweigh =
      instance.typed_func<float(float, double, float, double, float, double, float, double, int32_t)>("fweigh");
  CHECK(fweigh(1.0f, 2.0, 3.0f, 4.0, 5.0f, 6.0, 7.0f, 8.0, 100) == 136.0f);
  auto interleaved = instance.typed_func<double(double, int32_t, float, int64_t)>("interleaved");
  CHECK(interleaved(0.5, 2, 0.25f, int64_t(1) << 40) == 0.5 + 2 + 0.25 + double(int64_t(1) << 40));
  auto divide = instance.typed_func<int32_t(int32_t, int32_t)>("divide");
  CHECK(divide(42, 6) == 7);
  for (int i = 0; i < 3; ++i) {
    try {
      divide(1, 0);
      FAIL("no trap");
    } catch (const kiln::Trap& trap) {
      CHECK(trap.kind() == kiln::TrapKind::IntegerDivideByZero);
    }
  }
  CHECK(divide(-42, 6) == -7);  // the store is usable after traps
  CHECK(weigh5(5, 4, 3, 2, 1) == 12345);
}

TEST_CASE("tail calls of host functions: a normal call of the host function, then a return") {
  kiln::Store store;
  Seen seen;
  auto instance = kiln::Instance::create(store, kiln::Module::load(artifact("calls")), calls_imports(seen));
  CHECK(instance.typed_func<uint32_t(uint32_t)>("tail_next")(41) == 42);
  auto many = instance.func("tail_many").call({kiln::Value::i32(10)});
  REQUIRE(many.size() == 5);
  CHECK(many[0].as_i32() == 16);
  CHECK(many[4].as_i32() == 5);
  // Nine f64 arguments, one on the stack, called and tail-called.
  CHECK(instance.typed_func<double(double)>("call_fsum9")(2.0) == 2 * (2000.0 + 36.0));
  auto slot = instance.typed_func<int32_t(int32_t, int32_t)>("tail_slot");
  CHECK(slot(0, 5) == 6);    // host function
  CHECK(slot(2, 5) == 105);  // wasm function
  CHECK_THROWS_AS(slot(1, 5), kiln::Trap);
  auto widen = instance.typed_func<int64_t(int64_t)>("tail_widen");
  CHECK(widen(21) == 42);
  try {
    widen(-3);
    FAIL("expected the host exception");
  } catch (const Thrown& t) {
    CHECK(t.payload == -3);
  }
  // Ordinary calls work after all that.
  CHECK(instance.typed_func<uint32_t(uint32_t)>("call_next")(1) == 2);
}

TEST_CASE("tail calls through a table shared by two instances: each callee gets its own instance") {
  kiln::Store store;
  kiln::Table table = kiln::Table::create(store, {kiln::ValType::FuncRef, {4, 4}},
                                          kiln::Value::null(kiln::ValType::FuncRef));
  kiln::Imports imports;
  imports.define("env", "table", table);
  const kiln::Module module = kiln::Module::load(artifact("tail_table"));
  auto a = kiln::Instance::create(store, module, imports);
  auto b = kiln::Instance::create(store, module, imports);
  a.typed_func<void(int32_t)>("set_id")(1);
  b.typed_func<void(int32_t)>("set_id")(2);
  // Element n-1 runs next: a, b, b, a. From a: a -> a (same instance),
  // a -> b, b -> b, b -> a; each hop appends its instance's id.
  const kiln::Value ha = kiln::Value::funcref(a.func("hop"));
  const kiln::Value hb = kiln::Value::funcref(b.func("hop"));
  table.set(0, ha);
  table.set(1, hb);
  table.set(2, hb);
  table.set(3, ha);
  CHECK(a.typed_func<int64_t(int32_t, int64_t)>("hop")(4, 0) == 11221);
  CHECK(b.typed_func<int64_t(int32_t, int64_t)>("hop")(4, 0) == 21221);
  CHECK(b.typed_func<int64_t(int32_t, int64_t)>("hop")(2, 7) == 7221);
  // All elements one instance's: the same-instance path only.
  for (uint32_t i = 0; i < 4; ++i) table.set(i, hb);
  CHECK(a.typed_func<int64_t(int32_t, int64_t)>("hop")(4, 0) == 12222);
}

TEST_CASE("calls through a table reach each element's current function, however it was set") {
  kiln::Store store;
  kiln::Table table = kiln::Table::create(store, {kiln::ValType::FuncRef, {1, 16}},
                                          kiln::Value::null(kiln::ValType::FuncRef));
  kiln::Imports imports;
  imports.define("env", "table", table);
  const kiln::Module module = kiln::Module::load(artifact("table_elements"));
  auto a = kiln::Instance::create(store, module, imports);
  auto b = kiln::Instance::create(store, module, imports);  // its segment set element 0
  a.typed_func<void(int32_t)>("set_id")(100);
  b.typed_func<void(int32_t)>("set_id")(200);
  auto a_call = a.typed_func<int32_t(int32_t, int32_t)>("call_at");
  auto a_tail = a.typed_func<int32_t(int32_t, int32_t)>("tail_at");
  auto b_call = b.typed_func<int32_t(int32_t, int32_t)>("call_at");
  auto b_tail = b.typed_func<int32_t(int32_t, int32_t)>("tail_at");
  auto trap_kind = [](auto&& f) {
    try {
      f();
    } catch (const kiln::Trap& trap) {
      return trap.kind();
    }
    FAIL("expected a trap");
    return kiln::TrapKind::HostError;
  };
  CHECK(a_call(0, 1) == 201);  // active segment
  CHECK(a_tail(0, 1) == 201);

  CHECK(b.typed_func<int32_t(int32_t)>("grow_own")(2) == 1);  // table.grow with an init
  CHECK(table.size() == 3);
  CHECK(a_call(2, 1) == 201);
  CHECK(a_tail(1, 2) == 202);

  a.typed_func<void(int32_t)>("set_own")(0);  // table.set
  CHECK(b_call(0, 5) == 105);
  CHECK(b_tail(0, 5) == 105);

  a.typed_func<void(int32_t, int32_t)>("fill_own")(1, 2);  // table.fill
  CHECK(b_call(2, 1) == 101);
  table.set(2, kiln::Value::funcref(b.func("id")));  // the host API
  CHECK(a_call(2, 1) == 201);
  b.typed_func<void(int32_t, int32_t, int32_t)>("copy")(0, 2, 1);  // table.copy
  CHECK(a_call(0, 3) == 203);
  a.typed_func<void(int32_t, int32_t)>("move")(1, 0);  // table.get, then table.set
  CHECK(a_tail(1, 4) == 204);

  a.typed_func<void(int32_t)>("set_null")(1);
  CHECK(a.typed_func<int32_t(int32_t)>("is_null")(1) == 1);
  CHECK(trap_kind([&] { a_call(1, 1); }) == kiln::TrapKind::UninitializedElement);
  CHECK(trap_kind([&] { b_tail(1, 1); }) == kiln::TrapKind::UninitializedElement);
  table.set(0, kiln::Value::null(kiln::ValType::FuncRef));
  CHECK(trap_kind([&] { b_call(0, 1); }) == kiln::TrapKind::UninitializedElement);
  a.typed_func<void(int32_t)>("set_other")(0);
  CHECK(trap_kind([&] { b_call(0, 1); }) == kiln::TrapKind::IndirectCallTypeMismatch);
  CHECK(trap_kind([&] { a_call(3, 1); }) == kiln::TrapKind::UndefinedElement);

  // Grown by the host, the elements move: calls find them at the new place.
  CHECK(table.grow(13, kiln::Value::funcref(a.func("id"))) == 3);
  CHECK(b_call(15, 7) == 107);
  CHECK(b_tail(2, 7) == 207);
  CHECK(trap_kind([&] { a_call(16, 1); }) == kiln::TrapKind::UndefinedElement);
}

TEST_CASE("a sealed table's imported elements run with their own context") {
  kiln::Store store;
  const kiln::Module module = kiln::Module::load(artifact("sealed_imports"));
  kiln::Imports first_imports;
  std::optional<kiln::Tag> oops;
  auto add7 = [&oops](int32_t x) {
    if (x < 0) throw kiln::Exception(*oops, {kiln::Value::i32(x)});
    return x + 7;
  };
  first_imports.func("host", "add7", add7);
  first_imports.func("other", "add_id", [](int32_t x) { return x; });
  auto first = kiln::Instance::create(store, module, first_imports);
  oops = first.get_export("oops")->tag();
  first.typed_func<void(int32_t)>("set_id")(100);
  kiln::Imports second_imports;
  second_imports.func("host", "add7", add7);
  second_imports.define("other", "add_id", first.func("add_id"));
  auto second = kiln::Instance::create(store, module, second_imports);
  second.typed_func<void(int32_t)>("set_id")(200);
  for (const char* how : {"call", "tail"}) {
    INFO(how);
    auto call = second.typed_func<int32_t(int32_t, int32_t)>(how);
    CHECK(call(0, 1) == 8);    // the host function
    CHECK(call(1, 1) == 101);  // the first instance's function, with its memory
    CHECK(call(2, 1) == 201);  // its own
    CHECK(call(5, 1) == 1008);  // its own, calling the host
    const int32_t returned = second.typed_func<int32_t()>("returned")();
    CHECK_THROWS_AS(call(5, -1), kiln::Exception);
    CHECK(second.typed_func<int32_t()>("returned")() == returned);  // stopped at the call
    CHECK(call(2, 1) == 201);  // no exception left over
    try {
      call(3, 1);
      FAIL("expected a trap");
    } catch (const kiln::Trap& trap) {
      CHECK(trap.kind() == kiln::TrapKind::UninitializedElement);
    }
  }
}
