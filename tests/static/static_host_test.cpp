// A host program with three statically linked modules (aotc --emit=static):
// adder at -O2, the same adder at -O0 under another prefix, and trapper. It
// reaches them only through their generated headers and checks that
// everything works as for a loaded .so: typed calls, typed imports, memory
// and globals, traps with backtraces, interrupts, and one registration per
// module however often it is asked for.
#include <doctest/doctest.h>

#include <cstring>
#include <vector>

#include "adder.h"
#include "adder_o0.h"
#include "trapper.h"

namespace {

struct Logged {
  int32_t a;
  int64_t b;
};

template <class Exports, class Imports>
void check_adder(Exports (*instantiate)(kiln::Store&, const Imports&)) {
  kiln::Store store;
  std::vector<Logged> log;
  Imports imports;
  imports.env_log([&](int32_t a, int64_t b) { log.push_back({a, b}); });
  Exports adder = instantiate(store, imports);
  CHECK(adder.add(2, 40) == 42);
  CHECK(adder.add(-5, 3) == -2);
  REQUIRE(log.size() == 2);
  CHECK(log[1].a == -5);
  CHECK(log[1].b == 3);
  CHECK(adder.count().get().as_i32() == 2);
  auto [sum, product] = adder.sum_and_product(6, 7);
  CHECK(sum == 13);
  CHECK(product == 42);
  adder.store(8, 2.5);
  double stored = 0;
  std::memcpy(&stored, adder.memory().data() + 8, sizeof stored);
  CHECK(stored == 2.5);
  // v128 has no typed form: the header gives the kiln::Func.
  kiln::Func splat = adder.splat();
  CHECK(splat.type().results == std::vector<kiln::ValType>{kiln::ValType::V128});
}

}  // namespace

TEST_CASE("two builds of one module, linked side by side, run through their headers") {
  check_adder<adder::Exports, adder::Imports>(&adder::instantiate);
  check_adder<adder_o0::Exports, adder_o0::Imports>(&adder_o0::instantiate);
  CHECK(adder::module().name() == "adder");
  CHECK(adder_o0::module().name() == "adder_o0");
  CHECK(adder::module().exports().size() == 6);
}

TEST_CASE("a linked module is registered once and is the same module every time") {
  kiln::Module first = adder::module();
  kiln::Module again = kiln::Module::linked(adder_kiln_descriptor, "another name");
  CHECK(again.name() == "adder");  // the first registration's name stays
  kiln::Store store;
  adder::Imports imports;
  imports.env_log([](int32_t, int64_t) {});
  // Instances of both handles work, in one store.
  adder::Exports a(kiln::Instance::create(store, first, imports.get()));
  adder::Exports b(kiln::Instance::create(store, again, imports.get()));
  CHECK(a.add(1, 1) == 2);
  CHECK(b.add(2, 2) == 4);
}

TEST_CASE("traps in statically linked code come back as kiln::Trap with a backtrace") {
  kiln::Store store;
  trapper::Imports imports;
  imports.host_stop([&] { store.interrupt(); });
  trapper::Exports t = trapper::instantiate(store, imports);
  CHECK(t.divide(7, 2) == 3);
  try {
    t.outer(0);
    FAIL("outer(0) did not trap");
  } catch (const kiln::Trap& trap) {
    CHECK(trap.kind() == kiln::TrapKind::IntegerDivideByZero);
    REQUIRE(trap.trace().size() >= 2);
    CHECK(trap.trace()[0].func_name == "divide");
    CHECK(trap.trace()[0].module == "trapper");
    CHECK(trap.trace()[1].func_name == "outer");
  }
  try {
    t.recurse(1);
    FAIL("recurse did not trap");
  } catch (const kiln::Trap& trap) {
    CHECK(trap.kind() == kiln::TrapKind::CallStackExhausted);
  }
  try {
    t.spin();
    FAIL("spin was not interrupted");
  } catch (const kiln::Trap& trap) {
    CHECK(trap.kind() == kiln::TrapKind::Interrupted);
  }
  // The store still works after each trap.
  CHECK(t.outer(4) == 26);
  // An exported tag comes back as a kiln::Tag; its exception reaches the host.
  kiln::Tag oops = t.oops();
  try {
    t.throw_oops(42);
    FAIL("throw_oops did not throw");
  } catch (const kiln::Exception& e) {
    CHECK(e.tag() == oops);
    REQUIRE(e.values().size() == 1);
    CHECK(e.values()[0].as_i32() == 42);
  }
}

TEST_CASE("a typed export whose type does not match the header's is refused") {
  // trapper's exports through adder's header: add is not there.
  kiln::Store store;
  trapper::Imports imports;
  imports.host_stop([] {});
  kiln::Instance instance = kiln::Instance::create(store, trapper::module(), imports.get());
  CHECK_THROWS_AS(adder::Exports{instance}, kiln::Error);
}
