// Per-store limits: memory.grow and table.grow past the store's limit return
// -1 (the spec lets growth fail) and change nothing, growth within the limit
// works, and the limits are per store.
#include "tests/safety/safety_support.h"

using kiln::safety::artifact;
using kiln::safety::expect_trap;

namespace {

kiln::StoreConfig limited(uint64_t pages, uint32_t elements) {
  kiln::StoreConfig config;
  config.max_memory_pages = pages;
  config.max_table_elements = elements;
  return config;
}

}  // namespace

TEST_CASE("memory.grow stops at the store's page limit") {
  kiln::Module module = kiln::Module::load(artifact("limits"));
  kiln::Store store(limited(4, 10));
  kiln::Instance inst = kiln::Instance::create(store, module, {});
  auto grow = inst.typed_func<int32_t(int32_t)>("grow_memory");
  auto pages = inst.typed_func<int32_t()>("memory_pages");
  auto load = inst.typed_func<int32_t(int32_t)>("load");

  CHECK(grow(1) == 1);
  CHECK(grow(2) == 2);
  CHECK(pages() == 4);
  CHECK(grow(1) == -1);
  CHECK(grow(100) == -1);
  CHECK(grow(0) == 4);
  CHECK(pages() == 4);
  CHECK(inst.memory("memory").size_pages() == 4);
  CHECK(inst.memory("memory").grow(1) == -1);
  // Every granted page is usable; the first page past the limit is not.
  CHECK(load(4 * 65536 - 4) == 0);
  kiln::Trap trap = expect_trap([&] { load(4 * 65536); });
  CHECK(trap.kind() == kiln::TrapKind::OutOfBoundsMemoryAccess);

  // Another store with the default limit grows the same module further.
  kiln::Store roomy;
  kiln::Instance other = kiln::Instance::create(roomy, module, {});
  CHECK(other.typed_func<int32_t(int32_t)>("grow_memory")(20) == 1);
  CHECK(other.typed_func<int32_t()>("memory_pages")() == 21);
  CHECK(pages() == 4);

  // A raised limit applies to later growth.
  store.set_config(limited(6, 10));
  CHECK(grow(2) == 4);
  CHECK(grow(1) == -1);
}

TEST_CASE("table.grow stops at the store's element limit") {
  kiln::Store store(limited(4, 10));
  kiln::Instance inst = kiln::Instance::create(store, kiln::Module::load(artifact("limits")), {});
  auto grow = inst.typed_func<int32_t(int32_t)>("grow_table");
  auto size = inst.typed_func<int32_t()>("table_size");
  CHECK(grow(5) == 1);
  CHECK(grow(4) == 6);
  CHECK(size() == 10);
  CHECK(grow(1) == -1);
  CHECK(grow(1000) == -1);
  CHECK(size() == 10);
  CHECK(inst.table("table").size() == 10);
  CHECK(grow(0) == 10);
}

TEST_CASE("a module whose initial memory exceeds the store's limit is not instantiated") {
  kiln::Module module = kiln::Module::load(artifact("big_memory"));
  kiln::Store store(limited(4, 10));
  CHECK_THROWS_AS(kiln::Instance::create(store, module, {}), kiln::Error);
  kiln::Store enough(limited(8, 10));
  CHECK(kiln::Instance::create(enough, module, {}).typed_func<int32_t()>("ok")() == 7);
  // 32-bit memories stop at 65536 pages; a store may allow 64-bit ones up to 262144.
  CHECK_NOTHROW(kiln::Store(limited(65537, 10)));
  CHECK_THROWS_AS(kiln::Store(limited(262145, 10)), kiln::Error);
}
