// Handles and unloading: every destruction order of Store, Module, Instance,
// Func and Memory handles is safe and unregisters the code exactly when
// the last handle goes; and code loaded at the address of unloaded code is
// reported as itself (the Wasmer #2434 lesson: a stale registry entry would
// attribute the new code's traps to the old module).
#include <sys/mman.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <optional>
#include <vector>

#include "loader/platform/code_registry.h"
#include "tests/safety/safety_support.h"

using kiln::TrapKind;
using kiln::safety::artifact;
using kiln::safety::expect_trap;
namespace fs = std::filesystem;

namespace {

class TempDir {
 public:
  TempDir() {
    char templ[] = "/tmp/kiln-safety-XXXXXX";
    REQUIRE(mkdtemp(templ) != nullptr);
    path_ = templ;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  // A copy of artifact `name` under a new file name.
  std::string copy(const std::string& name, const std::string& as) const {
    std::string to = path_ + "/" + as;
    fs::copy_file(artifact(name), to, fs::copy_options::overwrite_existing);
    return to;
  }

 private:
  std::string path_;
};

struct CodeRange {
  uintptr_t start, end;
};

CodeRange code_range(const kiln::Module& module) {
  const auto& code = kiln::loader::HandleAccess::state(module)->code;
  return {code->code_start(), code->code_end()};
}

// Loads `path` until its code overlaps `old` (at most `attempts` times);
// the module that landed there, if any.
std::optional<kiln::Module> load_over(const std::string& path, CodeRange old, int attempts) {
  for (int i = 0; i < attempts; ++i) {
    kiln::Module m = kiln::Module::load(path);
    CodeRange r = code_range(m);
    if (r.start < old.end && old.start < r.end) return m;
  }
  return std::nullopt;
}

// Whether this process's mmap ever hands out an address just unmapped (the
// kernel's allocator does at once; qemu-user's moves on): without that, no
// module can be made to land where another was.
bool mmap_reuses_addresses(size_t size) {
  for (int i = 0; i < 20; ++i) {
    void* a = mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (a == MAP_FAILED) return false;
    munmap(a, size);
    void* b = mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (b == MAP_FAILED) return false;
    munmap(b, size);
    if (a == b) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("every destruction order of store, module, instance, function and memory handles") {
  const size_t registered_before = kiln::loader::registered_code_count();
  std::array<int, 5> order = {0, 1, 2, 3, 4};
  int permutations = 0;
  do {
    INFO("destruction order " << order[0] << order[1] << order[2] << order[3] << order[4]
                              << " (0 store, 1 module, 2 instance, 3 function, 4 memory)");
    std::optional<kiln::Store> store(std::in_place);
    std::optional<kiln::Module> module(kiln::Module::load(artifact("traps_O0")));
    std::optional<kiln::Instance> instance(kiln::Instance::create(*store, *module, {}));
    std::optional<kiln::Func> function(instance->func("bump"));
    std::optional<kiln::Memory> memory(instance->memory("memory"));
    CHECK(kiln::loader::registered_code_count() == registered_before + 1);
    memory->write<int32_t>(16, 99);
    CHECK(function->call({})[0].as_i32() == 1);
    CHECK(expect_trap([&] { instance->func("unreachable").call({}); }).kind() == TrapKind::Unreachable);

    int32_t calls = 1;
    for (int victim : order) {
      switch (victim) {
        case 0: store.reset(); break;
        case 1: module.reset(); break;
        case 2: instance.reset(); break;
        case 3: function.reset(); break;
        case 4: memory.reset(); break;
      }
      // Whatever is left still works, and the code stays registered while
      // any handle can reach it.
      if (function) CHECK(function->call({})[0].as_i32() == ++calls);
      if (memory) CHECK(memory->read<int32_t>(16) == 99);
      if (instance) CHECK(instance->typed_func<int32_t()>("ok")() == 7);
      if (instance && store) {
        kiln::Instance again = kiln::Instance::create(*store, instance->module(), {});
        CHECK(again.typed_func<int32_t()>("ok")() == 7);
      }
      // The store's instances hold the module too.
      const bool any_left = store || module || instance || function || memory;
      if (any_left) CHECK(kiln::loader::registered_code_count() == registered_before + 1);
    }
    CHECK(kiln::loader::registered_code_count() == registered_before);
    ++permutations;
  } while (std::next_permutation(order.begin(), order.end()));
  CHECK(permutations == 120);
}

TEST_CASE("code loaded where unloaded code was is reported as the new module's") {
  TempDir dir;
  const std::string a_path = dir.copy("tiny", "a.so");
  const std::string b_path = dir.copy("tiny", "b.so");
  const size_t registered_before = kiln::loader::registered_code_count();

  CodeRange old{};
  {
    kiln::Module a = kiln::Module::load(a_path);
    old = code_range(a);
    REQUIRE(old.start != 0);
    kiln::Store store;
    kiln::Instance inst = kiln::Instance::create(store, a, {});
    kiln::Trap trap = expect_trap([&] { inst.func("boom").call({}); });
    REQUIRE(!trap.trace().empty());
    CHECK(trap.trace()[0].module == a_path);
  }
  CHECK(kiln::loader::registered_code_count() == registered_before);
  kiln::loader::PcInfo info;
  CHECK(!kiln::loader::lookup_pc(old.start, info));

  // The same bytes under another name: ld.so maps them where a.so was.
  if (!mmap_reuses_addresses(old.end - old.start)) {
    WARN("skipped: mmap here never reuses an unmapped address (qemu-user), so no module can land on old code");
    return;
  }
  std::optional<kiln::Module> b = load_over(b_path, old, 200);
  REQUIRE_MESSAGE(b.has_value(), "b.so never reused a.so's addresses");
  REQUIRE(kiln::loader::lookup_pc(code_range(*b).start, info));
  CHECK(info.owner == kiln::loader::HandleAccess::state(*b).get());
  {
    kiln::Store store;
    kiln::Instance inst = kiln::Instance::create(store, *b, {});
    for (int i = 0; i < 3; ++i) {
      kiln::Trap trap = expect_trap([&] { inst.func("boom").call({}); });
      CHECK(trap.kind() == TrapKind::Unreachable);
      REQUIRE(!trap.trace().empty());
      CHECK(trap.trace()[0].module == b_path);
      CHECK(trap.trace()[0].func_name == "boom");
    }
    CHECK(inst.typed_func<int32_t()>("ok")() == 7);
  }
  CodeRange b_range = code_range(*b);
  b.reset();

  // A different module over the same addresses: its own trap kind and name.
  std::optional<kiln::Module> c = load_over(artifact("divider"), b_range, 200);
  if (!c) {
    WARN("divider.so never overlapped the unloaded code; the different-module case was not exercised");
    return;
  }
  kiln::Store store;
  kiln::Instance inst = kiln::Instance::create(store, *c, {});
  kiln::Trap trap = expect_trap([&] { inst.typed_func<int32_t(int32_t)>("divide")(0); });
  CHECK(trap.kind() == TrapKind::IntegerDivideByZero);
  REQUIRE(!trap.trace().empty());
  CHECK(trap.trace()[0].module == artifact("divider"));
  CHECK(trap.trace()[0].func_name == "divide");
}

TEST_CASE("modules loaded one after another while earlier ones stay loaded are each their own") {
  // Each load maps a fresh sealed copy; a loader that let ld.so mistake the
  // new copy for an earlier one (same path string) would hand back the
  // earlier module's code here.
  const char* names[] = {"tiny", "divider", "limits", "anonymous"};
  const char* first_export[] = {"boom", "divide", "memory", "seven"};
  std::vector<kiln::Module> loaded;
  for (int i = 0; i < 40; ++i) loaded.push_back(kiln::Module::load(artifact(names[i % 4])));
  for (size_t i = 0; i < loaded.size(); ++i) {
    INFO("load " << i << " of " << names[i % 4]);
    REQUIRE(!loaded[i].exports().empty());
    CHECK(loaded[i].exports()[0].name == first_export[i % 4]);
    if (i >= 4) CHECK(code_range(loaded[i]).start != code_range(loaded[i - 4]).start);
  }
}
