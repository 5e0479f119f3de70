// Load/unload stress in the spirit of Wasmer #2434: one thread loads,
// instantiates, traps in and unloads small artifacts 10,000 times (under
// four file names, so consecutive loads are different libraries), while two
// other threads trap continuously in modules of their own. Every trap must
// name the right kind, function and module: a registry that let a lookup see
// a stale or half-updated entry would misreport one of them, or crash.
#include <atomic>
#include <filesystem>
#include <thread>
#include <vector>

#include "loader/platform/code_registry.h"
#include "tests/safety/safety_support.h"

using kiln::TrapKind;
using kiln::safety::artifact;
namespace fs = std::filesystem;

namespace {

constexpr int kLoads = 10'000;

struct Tally {
  std::atomic<long> traps{0};
  std::atomic<long> wrong{0};
};

// Traps in `module` until `stop`, checking each report.
void trap_until(const kiln::Module& module, std::atomic<bool>& stop, Tally& tally) {
  kiln::Store store;
  kiln::Instance inst = kiln::Instance::create(store, module, {});
  auto divide = inst.typed_func<int32_t(int32_t)>("divide");
  while (!stop.load()) {
    try {
      divide(0);
      ++tally.wrong;  // no trap at all
    } catch (const kiln::Trap& trap) {
      bool right = trap.kind() == TrapKind::IntegerDivideByZero && !trap.trace().empty() &&
                   trap.trace()[0].module == module.name() && trap.trace()[0].func_name == "divide";
      ++(right ? tally.traps : tally.wrong);
    }
    if (divide(1) != 1) ++tally.wrong;
  }
}

}  // namespace

TEST_CASE("10,000 loads and unloads while other threads trap in other modules") {
  char templ[] = "/tmp/kiln-stress-XXXXXX";
  REQUIRE(mkdtemp(templ) != nullptr);
  const std::string dir = templ;
  std::vector<std::string> paths;
  for (int i = 0; i < 4; ++i) {
    paths.push_back(dir + "/tiny" + std::to_string(i) + ".so");
    fs::copy_file(artifact("tiny"), paths.back());
  }
  const std::string divider_a = dir + "/divider_a.so", divider_b = dir + "/divider_b.so";
  fs::copy_file(artifact("divider"), divider_a);
  fs::copy_file(artifact("divider"), divider_b);

  const size_t registered_before = kiln::loader::registered_code_count();
  std::atomic<bool> stop{false};
  Tally tally_a, tally_b;
  {
    kiln::Module module_a = kiln::Module::load(divider_a);
    kiln::Module module_b = kiln::Module::load(divider_b);
    std::thread a([&] { trap_until(module_a, stop, tally_a); });
    std::thread b([&] { trap_until(module_b, stop, tally_b); });

    long loader_traps = 0, loader_wrong = 0;
    for (int i = 0; i < kLoads; ++i) {
      const std::string& path = paths[size_t(i) % paths.size()];
      kiln::Module module = kiln::Module::load(path);
      kiln::Store store;
      kiln::Instance inst = kiln::Instance::create(store, module, {});
      try {
        inst.typed_func<void()>("boom")();
        ++loader_wrong;
      } catch (const kiln::Trap& trap) {
        bool right = trap.kind() == TrapKind::Unreachable && !trap.trace().empty() &&
                     trap.trace()[0].module == path && trap.trace()[0].func_name == "boom";
        ++(right ? loader_traps : loader_wrong);
      }
      if (inst.typed_func<int32_t()>("ok")() != 7) ++loader_wrong;
    }
    stop = true;
    a.join();
    b.join();
    CHECK(loader_traps == kLoads);
    CHECK(loader_wrong == 0);
  }
  CHECK(tally_a.wrong.load() == 0);
  CHECK(tally_b.wrong.load() == 0);
  CHECK(tally_a.traps.load() > 0);
  CHECK(tally_b.traps.load() > 0);
  MESSAGE("traps beside the loads: " << tally_a.traps.load() << " + " << tally_b.traps.load());
  CHECK(kiln::loader::registered_code_count() == registered_before);
  std::error_code ec;
  fs::remove_all(dir, ec);
}
