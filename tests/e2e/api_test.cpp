// End-to-end tests of the public C++ API on artifacts that aotc compiled from
// tests/e2e/api/*.wat during the build (directory in KILN_E2E_ARTIFACTS).
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>

#include <doctest/doctest.h>
#include <kiln/kiln.h>

namespace {

// The handles open only from inside libkiln: a user cannot make one from a
// null internal state (issue 14: `kiln::Module m{nullptr}` compiled and crashed).
static_assert(!std::is_constructible_v<kiln::Store, std::nullptr_t>);
static_assert(!std::is_constructible_v<kiln::Module, std::nullptr_t>);
static_assert(!std::is_constructible_v<kiln::Instance, std::nullptr_t>);
static_assert(!std::is_constructible_v<kiln::Func, std::nullptr_t>);
static_assert(!std::is_constructible_v<kiln::Memory, std::nullptr_t>);
static_assert(!std::is_constructible_v<kiln::Table, std::nullptr_t>);
static_assert(!std::is_constructible_v<kiln::Global, std::nullptr_t>);
static_assert(!std::is_constructible_v<kiln::Caller, std::nullptr_t>);

std::string artifact(const char* name) {
  const char* dir = std::getenv("KILN_E2E_ARTIFACTS");
  REQUIRE_MESSAGE(dir != nullptr, "KILN_E2E_ARTIFACTS is not set");
  return std::string(dir) + "/" + name + ".so";
}

kiln::Imports host_imports() {
  kiln::Imports imports;
  imports.func("host", "mul", [](int32_t a, int32_t b) { return a * b; });
  imports.func("host", "pair", [](int64_t x) { return std::tuple<int64_t, double>(x + 1, 0.5); });
  imports.func("host", "fail", []() { throw std::runtime_error("host says no"); });
  imports.func("host", "reenter", [](kiln::Caller& caller, int32_t x) -> int32_t {
    auto twice = caller.instance().typed_func<int32_t(int32_t)>("double");
    return twice(x) + 1;
  });
  return imports;
}

}  // namespace

TEST_CASE("every extern kind can be exported by one module and imported by another") {
  kiln::Store store;
  kiln::Instance a = kiln::Instance::create(store, kiln::Module::load(artifact("exporter")), {});
  kiln::Imports imports;
  imports.define_instance("a", a);
  kiln::Instance b = kiln::Instance::create(store, kiln::Module::load(artifact("importer")), imports);

  // inc(42) + 5 + inc(100) = 43 + 5 + 101
  CHECK(b.typed_func<int32_t()>("use_all")() == 149);
  // A global written by the importer is seen by the exporter.
  b.typed_func<void(int32_t)>("set_g")(9);
  CHECK(a.typed_func<int32_t()>("get_g")() == 9);
  CHECK(a.global("g").get().as_i32() == 9);
  // Memory is shared.
  b.typed_func<void(int32_t, int32_t)>("store")(0, 1000);
  CHECK(a.typed_func<int32_t(int32_t)>("read")(0) == 1000);
  CHECK(a.memory("mem").read<int32_t>(0) == 1000);
  // Host-side views of table, memory and immutable global.
  CHECK(a.table("tab").size() == 2);
  CHECK(!a.table("tab").get(0).is_null_ref());
  CHECK(a.table("tab").get(1).is_null_ref());
  CHECK(a.global("c").get().as_i64() == 7);
  CHECK_THROWS_AS(a.global("c").set(kiln::Value::i64(1)), kiln::Error);
  CHECK(a.memory("mem").size_pages() == 1);
  CHECK(a.memory("mem").grow(1) == 1);
  CHECK(a.memory("mem").size_pages() == 2);
}

TEST_CASE("imports are checked by name and type") {
  kiln::Store store;
  kiln::Module importer = kiln::Module::load(artifact("importer"));
  try {
    kiln::Instance::create(store, importer, {});
    FAIL("instantiation without imports succeeded");
  } catch (const kiln::Error& e) {
    CHECK(std::string(e.what()).find("unknown import") != std::string::npos);
    CHECK(std::string(e.what()).find("a.inc") != std::string::npos);
  }
  kiln::Imports wrong;
  wrong.func("a", "inc", [](int64_t x) { return x; });
  try {
    kiln::Instance::create(store, importer, wrong);
    FAIL("instantiation with a wrongly typed import succeeded");
  } catch (const kiln::Error& e) {
    CHECK(std::string(e.what()).find("incompatible import type") != std::string::npos);
  }
}

TEST_CASE("host functions: values, multi-value, re-entry and exceptions") {
  kiln::Store store;
  kiln::Instance host = kiln::Instance::create(store, kiln::Module::load(artifact("host")), host_imports());
  CHECK(host.typed_func<int32_t(int32_t, int32_t)>("call_mul")(6, 7) == 42);
  CHECK(host.func("call_mul").call({kiln::Value::i32(-3), kiln::Value::i32(5)})[0].as_i32() == -15);
  CHECK(host.typed_func<double(int64_t)>("call_pair")(10) == doctest::Approx(11.5));
  CHECK(host.typed_func<int32_t(int32_t)>("call_reenter")(20) == 41);
  // The host's exception reaches the caller unchanged, and the store keeps working.
  CHECK_THROWS_WITH_AS(host.typed_func<int32_t()>("call_fail")(), "host says no", std::runtime_error);
  CHECK_THROWS_WITH_AS(host.func("call_fail").call({}), "host says no", std::runtime_error);
  CHECK(host.typed_func<int32_t(int32_t, int32_t)>("call_mul")(2, 3) == 6);
  // Generic calls check their arguments.
  CHECK_THROWS_AS(host.func("call_mul").call({kiln::Value::i32(1)}), kiln::Error);
  CHECK_THROWS_AS(host.func("call_mul").call({kiln::Value::i64(1), kiln::Value::i32(1)}), kiln::Error);
  CHECK_THROWS_AS(host.typed_func<int64_t(int32_t, int32_t)>("call_mul"), kiln::Error);
}

TEST_CASE("traps come back as kiln::Trap with kind and backtrace, and the store survives") {
  kiln::Store store;
  kiln::Instance inst = kiln::Instance::create(store, kiln::Module::load(artifact("traps")), {});
  try {
    inst.typed_func<int32_t(int32_t)>("outer")(0);
    FAIL("no trap");
  } catch (const kiln::Trap& trap) {
    CHECK(trap.kind() == kiln::TrapKind::IntegerDivideByZero);
    CHECK(trap.message() == "integer divide by zero");
    REQUIRE(trap.trace().size() >= 1);
  }
  try {
    inst.func("oob").call({kiln::Value::i32(70000)});
    FAIL("no trap");
  } catch (const kiln::Trap& trap) {
    CHECK(trap.kind() == kiln::TrapKind::OutOfBoundsMemoryAccess);
  }
  CHECK(inst.typed_func<int32_t(int32_t)>("outer")(1) == 2);
  CHECK(inst.typed_func<int32_t()>("ok")() == 7);
}

TEST_CASE("traps on a thread with a 256 KiB stack") {
  kiln::Module module = kiln::Module::load(artifact("traps"));
  bool trapped = false;
  int32_t after = 0;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 256 * 1024);
  struct Ctx { kiln::Module* module; bool* trapped; int32_t* after; } ctx{&module, &trapped, &after};
  pthread_t thread;
  REQUIRE(pthread_create(&thread, &attr, [](void* p) -> void* {
    auto* c = static_cast<Ctx*>(p);
    kiln::Store store;
    kiln::Instance inst = kiln::Instance::create(store, *c->module, {});
    try {
      inst.typed_func<int32_t(int32_t)>("outer")(0);
    } catch (const kiln::Trap& trap) {
      *c->trapped = trap.kind() == kiln::TrapKind::IntegerDivideByZero;
    }
    *c->after = inst.typed_func<int32_t()>("ok")();
    return nullptr;
  }, &ctx) == 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
  CHECK(trapped);
  CHECK(after == 7);
}

TEST_CASE("objects keep what they need alive, whatever order they are destroyed in") {
  kiln::Func f;
  kiln::Memory m;
  {
    kiln::Store store;
    kiln::Module module = kiln::Module::load(artifact("exporter"));
    kiln::Instance inst = kiln::Instance::create(store, module, {});
    f = inst.func("inc");
    m = inst.memory("mem");
  }  // store, module and instance handles are gone
  CHECK(f.call({kiln::Value::i32(1)})[0].as_i32() == 2);
  CHECK(m.read<int32_t>(0) == 5);
}

TEST_CASE("loading refuses files that are not Kiln artifacts") {
  CHECK_THROWS_AS(kiln::Module::load("/nonexistent/x.so"), kiln::Error);
  CHECK_THROWS_AS(kiln::Module::load("/lib/x86_64-linux-gnu/libc.so.6"), kiln::Error);
  CHECK_THROWS_AS(kiln::Module::load("/etc/passwd"), kiln::Error);
}

TEST_CASE("failures inside libkiln reach the API as one-line kiln::Error messages") {
  CHECK_THROWS_WITH_AS(kiln::Module::load("/nonexistent/x.so"),
                       "/nonexistent/x.so: cannot open: No such file or directory", kiln::Error);
  CHECK_THROWS_WITH_AS(kiln::Module::load("/etc/passwd"), "/etc/passwd: not an ELF file", kiln::Error);

  kiln::StoreConfig config;
  config.max_memory_pages = 4;
  config.max_table_elements = 8;
  kiln::Store store(config);
  CHECK_THROWS_WITH_AS(kiln::Memory::create(store, kiln::MemoryType{kiln::Limits{5, {}}}),
                       "memory of 5 pages exceeds the store's limit of 4 pages", kiln::Error);
  const kiln::Value null_func = kiln::Value::null(kiln::ValType::FuncRef);
  const kiln::TableType nine{kiln::ValType::FuncRef, kiln::Limits{9, {}}};
  CHECK_THROWS_WITH_AS(kiln::Table::create(store, nine, null_func),
                       "table of 9 elements exceeds the store's limit of 8 elements", kiln::Error);
  CHECK_THROWS_WITH_AS(kiln::Func::create(store, kiln::FuncType{}, kiln::HostCallback()),
                       "host function without a body", kiln::Error);

  // A funcref of another store, wherever it is handed in.
  kiln::Store other;
  kiln::Func foreign = kiln::Func::create(other, kiln::FuncType{}, [](kiln::Caller&, auto, auto) {});
  const kiln::Value ref = kiln::Value::funcref(foreign);
  const char* const another_store = "funcref belongs to another store";
  kiln::Table table = kiln::Table::create(store, kiln::TableType{kiln::ValType::FuncRef, kiln::Limits{1, {}}},
                                          null_func);
  CHECK_THROWS_WITH_AS(table.set(0, ref), another_store, kiln::Error);
  CHECK(table.get(0).is_null_ref());
  CHECK_THROWS_WITH_AS(kiln::Global::create(store, kiln::GlobalType{kiln::ValType::FuncRef, true}, ref), another_store,
                       kiln::Error);
  // A refused set leaves the global's value as it was.
  kiln::Func own = kiln::Func::create(store, kiln::FuncType{}, [](kiln::Caller&, auto, auto) {});
  kiln::Global global = kiln::Global::create(store, kiln::GlobalType{kiln::ValType::FuncRef, true},
                                             kiln::Value::funcref(own));
  CHECK_THROWS_WITH_AS(global.set(ref), another_store, kiln::Error);
  CHECK(!global.get().is_null_ref());
  kiln::Func takes_ref = kiln::Func::create(store, kiln::FuncType{{kiln::ValType::FuncRef}, {}},
                                            [](kiln::Caller&, auto, auto) {});
  CHECK_THROWS_WITH_AS(takes_ref.call({ref}), another_store, kiln::Error);
}

TEST_CASE("ExternType holds exactly one of the four types") {
  kiln::ExternType t = kiln::FuncType{{kiln::ValType::I32}, {kiln::ValType::I64}};
  CHECK(t.kind() == kiln::ExternKind::Func);
  CHECK(t.func().params.size() == 1);
  CHECK_THROWS_AS(t.memory(), kiln::Error);
  kiln::ExternType m = kiln::MemoryType{kiln::Limits{1, 2}};
  CHECK(m.kind() == kiln::ExternKind::Memory);
  CHECK(m.memory().limits.min == 1);
  CHECK_THROWS_AS(m.func(), kiln::Error);
  CHECK(m.to_string() == kiln::MemoryType{kiln::Limits{1, 2}}.to_string());
}
