// Trap handling on x86-64 only: the typed entries (KILN_WASM_CALL_INT/SSE
// exist on this CPU only, kiln/detail/typed_call.h) and SIGFPE, which only
// x86-64 division raises.
#include <doctest/doctest.h>

#include <signal.h>

#include <cstdint>

#include "kiln/function.h"
#include "loader/platform/trap_handling.h"
#include "trap_fixture.h"

using namespace kiln::loader;
using namespace kiln::test;
namespace abi = kiln::abi;

namespace {

// The typed entries with the fixture's (vmctx, vmctx, a, b) functions.
struct IntResult {
  uint32_t value;
  uint64_t trapped;
};
using TypedIntEntry = IntResult (*)(const kiln::detail::NativeTarget*, uintptr_t, uintptr_t);

}  // namespace

TEST_CASE("entry: typed entries call native code with register arguments") {
  FakeArtifact artifact;
  StoreFixture store;
  auto entry = reinterpret_cast<TypedIntEntry>(&KILN_WASM_CALL_INT);
  kiln::detail::NativeTarget divide{artifact.code(kDivide), nullptr, &store.entry};
  IntResult r = entry(&divide, 42, 6);
  CHECK(r.trapped == 0);
  CHECK(r.value == 7);
  CHECK(store.entry.depth == 0);
  kiln::detail::NativeTarget trap{artifact.code(kTrapSite), nullptr, &store.entry};
  r = entry(&trap, 0, 0);
  CHECK(r.trapped != 0);
  CHECK(last_trap().code == kFixtureTrap);
  CHECK(store.entry.depth == 0);
  r = entry(&divide, 1, 0);
  CHECK(r.trapped != 0);
  CHECK(last_trap().code == abi::TrapCode::IntegerDivideByZero);
  auto sse = reinterpret_cast<uint64_t (*)(const kiln::detail::NativeTarget*, uintptr_t, uintptr_t)>(
      &KILN_WASM_CALL_SSE);
  CHECK(sse(&divide, 9, 3) == 0);
  CHECK(sse(&trap, 0, 0) != 0);
}

TEST_CASE("traps: a division fault in host code keeps SIGFPE's default action") {
  ensure_trap_handling();
  // SIGFPE had no handler before kiln: the default action.
  CHECK(death_signal_of([] {
          __asm__ volatile("xor %%ecx, %%ecx\n\tmov $7, %%eax\n\tcltd\n\tidivl %%ecx" ::: "eax",
                           "ecx", "edx");
        }) == SIGFPE);
}
