// Wasm exceptions through the public API (tests/e2e/api/thrower.wat,
// relay.wat and catcher.wat): across instances, through a module without
// handlers, from host functions into wasm, and out of wasm into the host as
// kiln::Exception.
#include <cstdlib>
#include <stdexcept>
#include <string>

#include <doctest/doctest.h>
#include <kiln/kiln.h>

namespace {

std::string artifact(const char* name) {
  const char* dir = std::getenv("KILN_E2E_ARTIFACTS");
  REQUIRE_MESSAGE(dir != nullptr, "KILN_E2E_ARTIFACTS is not set");
  return std::string(dir) + "/" + name + ".so";
}

kiln::Instance make_relay(kiln::Store& store, kiln::Instance& thrower) {
  kiln::Imports imports;
  imports.define_instance("thrower", thrower);
  return kiln::Instance::create(store, kiln::Module::load(artifact("relay")), imports);
}

struct Fixture {
  kiln::Store store;
  kiln::Instance thrower = kiln::Instance::create(store, kiln::Module::load(artifact("thrower")), {});
  kiln::Tag oops = thrower.get_export("oops")->tag();
  kiln::Instance relay = make_relay(store, thrower);
  kiln::Instance catcher = make_catcher();

  kiln::Instance make_catcher() {
    kiln::Imports imports;
    imports.define_instance("thrower", thrower);
    imports.define_instance("relay", relay);
    kiln::Tag tag = oops;
    // Typed: x86-64 calls it through its direct entry.
    imports.func("host", "typed_throw", [tag](int32_t x) -> int32_t {
      throw kiln::Exception(tag, {kiln::Value::i32(x * 2), kiln::Value::i64(0)});
    });
    kiln::FuncType type{{kiln::ValType::I32}, {kiln::ValType::I32}};
    imports.func("host", "generic_throw", type,
                 [tag](kiln::Caller&, std::span<const kiln::Value> args, std::span<kiln::Value>) {
                   throw kiln::Exception(tag, {kiln::Value::i32(args[0].as_i32() * 3), kiln::Value::i64(0)});
                 });
    return kiln::Instance::create(store, kiln::Module::load(artifact("catcher")), imports);
  }
};

}  // namespace

TEST_CASE("a tag is exported as kiln::Tag with its type, and an importer sees the same tag") {
  Fixture f;
  REQUIRE(f.oops);
  CHECK(f.oops.type() == kiln::TagType{{kiln::ValType::I32, kiln::ValType::I64}});
  CHECK(f.oops.type().to_string() == "tag (param i32 i64)");
  kiln::Tag other = kiln::Tag::create(f.store, f.oops.type());
  CHECK_FALSE(other == f.oops);  // same type, different tag
}

TEST_CASE("module A throws, module B catches through an import") {
  Fixture f;
  auto catch_cross = f.catcher.typed_func<int32_t(int32_t)>("catch_cross");
  CHECK(catch_cross(41) == 42);
  CHECK(catch_cross(-1) == 0);
}

TEST_CASE("a host function throws kiln::Exception and wasm catches it") {
  Fixture f;
  CHECK(f.catcher.typed_func<int32_t(int32_t)>("catch_typed_host")(5) == 10);
  CHECK(f.catcher.typed_func<int32_t(int32_t)>("catch_generic_host")(5) == 15);
  auto results = f.catcher.func("catch_generic_host").call({kiln::Value::i32(7)});
  CHECK(results.at(0).as_i32() == 21);
}

TEST_CASE("an uncaught wasm exception reaches the host with its tag and payload") {
  Fixture f;
  try {
    f.catcher.typed_func<void(int32_t)>("pass_through")(9);
    FAIL("no exception");
  } catch (const kiln::Exception& e) {
    CHECK(e.tag() == f.oops);
    REQUIRE(e.values().size() == 2);
    CHECK(e.values()[0].as_i32() == 9);
    CHECK(e.values()[1].as_i64() == 1234567890123);
  }
  try {
    f.catcher.func("throw_local").call({kiln::Value::f64(1.5)});
    FAIL("no exception");
  } catch (const kiln::Exception& e) {
    CHECK_FALSE(e.tag() == f.oops);
    CHECK(e.tag().type() == kiln::TagType{{kiln::ValType::F64}});
    CHECK(e.values().at(0).as_f64() == 1.5);
  }
  // The store keeps working after an uncaught exception.
  CHECK(f.catcher.typed_func<int32_t(int32_t)>("catch_cross")(1) == 2);
}

TEST_CASE("an exception passes through a module without handlers, ending its frames") {
  Fixture f;
  kiln::Global returned = f.relay.get_export("returned")->global();
  CHECK(f.catcher.typed_func<int32_t(int32_t)>("catch_through_relay")(6) == 6);
  try {
    f.relay.typed_func<void(int32_t)>("relay_direct")(8);
    FAIL("no exception");
  } catch (const kiln::Exception& e) {
    CHECK(e.tag() == f.oops);
    CHECK(e.values().at(0).as_i32() == 8);
  }
  CHECK_THROWS_AS(f.relay.func("relay_table").call({kiln::Value::i32(1)}), kiln::Exception);
  // Neither call went on after the throwing callee.
  CHECK(returned.get().as_i32() == 0);
}

TEST_CASE("rethrow and delegate") {
  Fixture f;
  CHECK(f.catcher.typed_func<int32_t(int32_t)>("rethrow_twice")(4) == 40);
  CHECK(f.catcher.typed_func<int32_t()>("delegate_out")() == 2);
}

TEST_CASE("traps are not wasm exceptions: catch_all does not catch them") {
  Fixture f;
  CHECK_THROWS_AS(f.catcher.typed_func<int32_t()>("trap_not_caught")(), kiln::Trap);
  CHECK_THROWS_AS(f.catcher.typed_func<int32_t()>("callee_trap_not_caught")(), kiln::Trap);
}

TEST_CASE("a host exception that is not kiln::Exception passes through wasm handlers unchanged") {
  kiln::Store store;
  kiln::Instance thrower = kiln::Instance::create(store, kiln::Module::load(artifact("thrower")), {});
  kiln::Imports imports;
  kiln::Instance relay = make_relay(store, thrower);
  imports.define_instance("thrower", thrower);
  imports.define_instance("relay", relay);
  imports.func("host", "typed_throw", [](int32_t) -> int32_t { throw std::runtime_error("plain"); });
  kiln::FuncType type{{kiln::ValType::I32}, {kiln::ValType::I32}};
  imports.func("host", "generic_throw", type,
               [](kiln::Caller&, std::span<const kiln::Value>, std::span<kiln::Value>) {
                 throw std::runtime_error("plain too");
               });
  kiln::Instance catcher = kiln::Instance::create(store, kiln::Module::load(artifact("catcher")), imports);
  CHECK_THROWS_WITH_AS(catcher.typed_func<int32_t(int32_t)>("catch_typed_host")(1), "plain", std::runtime_error);
  CHECK_THROWS_WITH_AS(catcher.typed_func<int32_t(int32_t)>("catch_generic_host")(1), "plain too",
                       std::runtime_error);
}
