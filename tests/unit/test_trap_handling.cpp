// Traps in real machine code: the fake artifact fixture's functions fault in
// every way generated code can, under call_guarded, nested, on small thread
// stacks, and next to another signal handler that was installed first.
#include <doctest/doctest.h>

#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include "abi/descriptor.h"
#include "loader/platform/linear_memory.h"
#include "loader/platform/signal_context.h"
#include "loader/platform/trap_handling.h"
#include "loader/platform/trap_state.h"
#include "trap_fixture.h"

using namespace kiln::loader;
using namespace kiln::test;
using namespace kiln::test::fake_code;
namespace abi = kiln::abi;

namespace {

// --- a SIGSEGV handler installed before kiln's (at static initialization) ---

sigjmp_buf g_foreign_jump;
volatile sig_atomic_t g_expect_foreign = 0;
volatile sig_atomic_t g_foreign_hits = 0;

void foreign_handler(int sig, siginfo_t*, void*) {
  if (g_expect_foreign) {
    g_expect_foreign = 0;
    g_foreign_hits = g_foreign_hits + 1;
    siglongjmp(g_foreign_jump, 1);
  }
  signal(sig, SIG_DFL);  // unexpected: let the fault take its default course
}

struct InstallForeignHandler {
  InstallForeignHandler() {
    struct sigaction sa = {};
    sa.sa_sigaction = foreign_handler;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, nullptr);
  }
} g_install_foreign_handler;

// --- guarded calls of the fixture's functions ---

struct Call {
  void* code;
  uintptr_t a = 0, b = 0;
  uint32_t result = 0;
};

void invoke(void* data) noexcept {
  Call* call = static_cast<Call*>(data);
  call->result = reinterpret_cast<WasmFn>(call->code)(nullptr, call->a, call->b);
}

// How one guarded call ended: a copy of the thread's trap record (cleared
// after a normal return) and the host exception the trap carried.
struct Outcome : TrapInfo {
  std::exception_ptr host_exception;
};

// The stack limit the assembly entry sets for an outermost entry with this
// budget and reserve, read from inside the call.
uintptr_t entry_stack_limit(size_t budget, size_t reserve) {
  abi::VMStoreContext vm{};
  EntryStore entry{&vm, 0, 0, budget, reserve};
  struct Read {
    abi::VMStoreContext* vm;
    uintptr_t limit = 0;
  } read{&vm};
  bool ok = call_guarded([](void* p) noexcept {
    auto* r = static_cast<Read*>(p);
    r->limit = r->vm->stack_limit;
  }, &read, &entry);
  REQUIRE(ok);
  return read.limit;
}

bool run(void* code, uintptr_t a, uintptr_t b, Outcome& out, uint32_t* result = nullptr) {
  Call call{code, a, b};
  bool ok = call_guarded(invoke, &call);
  static_cast<TrapInfo&>(out) = ok ? TrapInfo{} : last_trap();
  out.host_exception = ok ? nullptr : take_host_exception();
  if (result) *result = call.result;
  return ok;
}

// Host functions called by fixture function 3. They keep frame pointers, as
// libkiln's host adapters do, so traps raised in them can walk into wasm.
struct NestedState {
  const FakeArtifact* artifact;
  Outcome inner;
  bool inner_ok = true;
};

__attribute__((optimize("no-omit-frame-pointer"), noinline)) void host_nested_then_return(void* arg) {
  auto* state = static_cast<NestedState*>(arg);
  state->inner_ok = run(state->artifact->code(kTrapSite), 0, 0, state->inner);
}

__attribute__((optimize("no-omit-frame-pointer"), noinline)) void host_nested_then_trap(void* arg) {
  auto* state = static_cast<NestedState*>(arg);
  state->inner_ok = run(state->artifact->code(kTrapSite), 0, 0, state->inner);
  raise_trap(abi::TrapCode::IntegerOverflow);
}

__attribute__((noinline)) std::exception_ptr host_error() {
  return std::make_exception_ptr(std::runtime_error("host failed"));
}

// Only the (moved-from) exception_ptr lives in this frame when it is skipped.
__attribute__((optimize("no-omit-frame-pointer"), noinline)) void host_throws(void*) {
  raise_host_exception(host_error());
}

uint8_t* inaccessible_page() {
  static void* page = mmap(nullptr, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  return static_cast<uint8_t*>(page);
}

}  // namespace

TEST_CASE("traps: normal returns and the trap-site table") {
  ensure_trap_handling();
  ensure_trap_handling();  // idempotent
  check_kiln_handler_installed();
  FakeArtifact artifact;

  Outcome info;
  uint32_t value = 0x12345678, result = 0;
  CHECK(run(artifact.code(kLoad), reinterpret_cast<uintptr_t>(&value), 0, info, &result));
  CHECK(result == 0x12345678);
  CHECK(info.code == abi::TrapCode::None);
  CHECK(run(artifact.code(kDivide), 7, 2, info, &result));
  CHECK(result == 3);

  CHECK_FALSE(run(artifact.code(kTrapSite), 0, 0, info));
  CHECK(info.code == kFixtureTrap);
  CHECK(info.pc == artifact.address(kTrapSite, kTrapSiteOffset));
  CHECK(info.fault_address == 0);
  CHECK(!info.host_exception);
  REQUIRE(info.frame_count == 1);
  CHECK(info.frames[0].owner == artifact.owner());
  CHECK(info.frames[0].func_index == kTrapSite);
  CHECK(info.frames[0].offset == kTrapSiteOffset);
  CHECK(std::string(info.frames[0].func_name) == "trap_site");

  // Handling a trap leaves everything ready for the next call.
  CHECK(run(artifact.code(kDivide), 9, 3, info, &result));
  CHECK(result == 3);
  CHECK(info.code == abi::TrapCode::None);
}

TEST_CASE("traps: backtrace through wasm callers") {
  FakeArtifact artifact;
  Outcome info;
  CHECK_FALSE(run(artifact.code(kCallTrap), 0, 0, info));
  CHECK(info.code == kFixtureTrap);
  REQUIRE(info.frame_count == 2);
  CHECK(info.frames[0].func_index == kTrapSite);
  CHECK(info.frames[1].func_index == kCallTrap);
  CHECK(info.frames[1].offset == kAfterCallOffset);
  CHECK(std::string(info.frames[1].func_name) == "call_trap");
}

TEST_CASE("traps: memory faults and division by zero") {
  FakeArtifact artifact;
  auto memory = MemoryReservation::create(abi::kWasmPageSize).or_throw();
  const uintptr_t base = reinterpret_cast<uintptr_t>(memory->base());

  Outcome info;
  uint32_t result = 1;
  CHECK(run(artifact.code(kLoad), base + abi::kWasmPageSize - 4, 0, info, &result));
  CHECK(result == 0);

  CHECK_FALSE(run(artifact.code(kLoad), base + abi::kWasmPageSize, 0, info));
  CHECK(info.code == abi::TrapCode::OutOfBoundsMemoryAccess);
  CHECK(info.fault_address == base + abi::kWasmPageSize);
  CHECK(info.pc > artifact.address(kLoad));
  CHECK(info.frames[0].func_index == kLoad);

  CHECK_FALSE(run(artifact.code(kLoad), base + (4ull << 30), 0, info));
  CHECK(info.code == abi::TrapCode::OutOfBoundsMemoryAccess);
  CHECK(info.fault_address == base + (4ull << 30));

  CHECK_FALSE(run(artifact.code(kDivide), 1, 0, info));
  CHECK(info.code == abi::TrapCode::IntegerDivideByZero);
  CHECK(info.frames[0].func_index == kDivide);
}

TEST_CASE("traps: nested call_guarded and traps raised by the runtime") {
  FakeArtifact artifact;
  NestedState state{&artifact};
  Outcome outer;

  // wasm -> host -> wasm (traps) -> back in host, which returns normally.
  CHECK(run(artifact.code(kCallHost), reinterpret_cast<uintptr_t>(&host_nested_then_return),
            reinterpret_cast<uintptr_t>(&state), outer));
  CHECK(outer.code == abi::TrapCode::None);
  CHECK_FALSE(state.inner_ok);
  CHECK(state.inner.code == kFixtureTrap);
  CHECK(state.inner.frame_count == 1);

  // The host then raises a trap itself: it unwinds to the outer call.
  state = NestedState{&artifact};
  CHECK_FALSE(run(artifact.code(kCallHost), reinterpret_cast<uintptr_t>(&host_nested_then_trap),
                  reinterpret_cast<uintptr_t>(&state), outer));
  CHECK_FALSE(state.inner_ok);
  CHECK(state.inner.code == kFixtureTrap);
  CHECK(outer.code == abi::TrapCode::IntegerOverflow);
  CHECK(outer.pc == 0);
  REQUIRE(outer.frame_count == 1);
  CHECK(outer.frames[0].func_index == kCallHost);
  CHECK(outer.frames[0].offset == kAfterHostCallOffset);

  // A host exception travels to call_guarded's caller.
  CHECK_FALSE(run(artifact.code(kCallHost), reinterpret_cast<uintptr_t>(&host_throws), 0, outer));
  CHECK(outer.code == abi::TrapCode::HostError);
  REQUIRE(outer.host_exception);
  try {
    std::rethrow_exception(outer.host_exception);
  } catch (const std::runtime_error& e) {
    CHECK(std::string(e.what()) == "host failed");
  }

  // And the landing points are all popped: a plain trap still lands here.
  Outcome info;
  CHECK_FALSE(run(artifact.code(kTrapSite), 0, 0, info));
  CHECK(info.code == kFixtureTrap);
  CHECK(!info.host_exception);
}

TEST_CASE("traps: faults that are not wasm traps reach the previous handler") {
  ensure_trap_handling();
  check_kiln_handler_installed();
  FakeArtifact artifact;

  // A fault in host code.
  g_foreign_hits = 0;
  if (sigsetjmp(g_foreign_jump, 1) == 0) {
    g_expect_foreign = 1;
    volatile uint8_t* bad = inaccessible_page();
    (void)*bad;
    g_expect_foreign = 0;
  }
  CHECK(g_foreign_hits == 1);

  // A fault in wasm code without any call_guarded on this thread.
  if (sigsetjmp(g_foreign_jump, 1) == 0) {
    g_expect_foreign = 1;
    reinterpret_cast<WasmFn>(artifact.code(kLoad))(nullptr, 0, 0);
    g_expect_foreign = 0;
  }
  CHECK(g_foreign_hits == 2);

  // Trap handling still works afterwards.
  Outcome info;
  CHECK_FALSE(run(artifact.code(kLoad), 0, 0, info));
  CHECK(info.code == abi::TrapCode::OutOfBoundsMemoryAccess);
  CHECK(g_foreign_hits == 2);
}

TEST_CASE("traps: unhandled faults still terminate the process with their signal") {
  ensure_trap_handling();
  // SIGSEGV goes to the foreign handler, which falls back to the default action.
  CHECK(death_signal_of([] { (void)*reinterpret_cast<volatile uint8_t*>(inaccessible_page()); }) ==
        SIGSEGV);
  // A trap instruction in wasm code with no call_guarded active: its signal
  // had no handler before kiln, so the default action.
  CHECK(death_signal_of([] {
          FakeArtifact artifact;
          reinterpret_cast<WasmFn>(artifact.code(kTrapSite))(nullptr, 0, 0);
        }) == signal_context::kTrapSiteSignal);
}

namespace {

struct SmallStackResult {
  bool setup_failed = false;
  bool alt_stack_ok = false;
  bool trap_ok = false;
  bool overflow_ok = false;
  bool after_ok = false;
  int overflow_frames = 0;
  bool limit_ok = false;
};

void small_stack_body(SmallStackResult* out) {
  FakeArtifact artifact;
  ensure_trap_handling();
  stack_t ss = {};
  out->alt_stack_ok = sigaltstack(nullptr, &ss) == 0 && !(ss.ss_flags & SS_DISABLE) &&
                      ss.ss_size >= 64 * 1024;

  Outcome info;
  out->trap_ok = !run(artifact.code(kTrapSite), 0, 0, info) && info.code == kFixtureTrap;
  out->overflow_ok = !run(artifact.code(kRecurse), 0, 0, info) &&
                     info.code == abi::TrapCode::CallStackExhausted;
  out->overflow_frames = info.frame_count;
  for (int i = 0; i < info.frame_count; ++i)
    if (info.frames[i].func_index != kRecurse) out->overflow_ok = false;
  uint32_t result = 0;
  out->after_ok = run(artifact.code(kDivide), 10, 5, info, &result) && result == 2;

  int here = 0;
  const uintptr_t sp = reinterpret_cast<uintptr_t>(&here);
  const uintptr_t limit = entry_stack_limit(1 << 20, 16 * 1024);
  out->limit_ok = limit < sp && sp - limit < 256 * 1024;
}

void* small_stack_thread(void* arg) {
  auto* out = static_cast<SmallStackResult*>(arg);
  try {
    small_stack_body(out);
  } catch (...) {
    out->setup_failed = true;  // a REQUIRE failed; it must not escape the thread
  }
  return nullptr;
}

}  // namespace

TEST_CASE("traps: a thread with a 256 KiB stack, including stack overflow") {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  REQUIRE(pthread_attr_setstacksize(&attr, 256 * 1024) == 0);
  SmallStackResult result;
  pthread_t thread;
  REQUIRE(pthread_create(&thread, &attr, small_stack_thread, &result) == 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
  REQUIRE_FALSE(result.setup_failed);
  CHECK(result.alt_stack_ok);
  CHECK(result.trap_ok);
  CHECK(result.overflow_ok);
  CHECK(result.overflow_frames == TrapInfo::kMaxFrames);
  CHECK(result.after_ok);
  CHECK(result.limit_ok);
}

TEST_CASE("traps: stack overflow on the main thread") {
  struct rlimit limit = {};
  getrlimit(RLIMIT_STACK, &limit);
  if (limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur > (64u << 20)) {
    MESSAGE("stack rlimit too large to overflow quickly; skipped");
    return;
  }
  FakeArtifact artifact;
  Outcome info;
  CHECK_FALSE(run(artifact.code(kRecurse), 0, 0, info));
  CHECK(info.code == abi::TrapCode::CallStackExhausted);
  CHECK(info.frame_count == TrapInfo::kMaxFrames);
  uint32_t result = 0;
  CHECK(run(artifact.code(kDivide), 8, 2, info, &result));
  CHECK(result == 4);
}

TEST_CASE("traps: the stack limit the entry sets for the current thread") {
  int here = 0;
  const uintptr_t sp = reinterpret_cast<uintptr_t>(&here);
  const uintptr_t small = entry_stack_limit(64 * 1024, 32 * 1024);
  CHECK(small < sp);
  CHECK(sp - small <= 64 * 1024 + 4096);  // the budget bounds it
  CHECK(sp - small >= 60 * 1024);
  // An unbounded budget stops at the reserve above the stack's lowest address.
  const uintptr_t deepest = entry_stack_limit(SIZE_MAX / 2, 32 * 1024);
  CHECK(deepest < small);
  const uintptr_t tighter = entry_stack_limit(SIZE_MAX / 2, 64 * 1024);
  CHECK(tighter == deepest + 32 * 1024);
}

// --- the assembly entry: registers, bookkeeping, nesting, threads ---

namespace {

// Calls guarded(fn, data, nullptr) with a sentinel in every callee-saved
// register; returns how many lost it (entry_helpers_<cpu>.S).
using GuardedFn = bool (*)(void (*)(void*) noexcept, void*, EntryStore*);
extern "C" int kiln_test_call_with_sentinels(GuardedFn guarded, void (*fn)(void*) noexcept, void* data);
// fn for the above: overwrites every callee-saved register, then calls
// target(arg) (data points to {target, arg}), which is not expected to return.
extern "C" void kiln_test_clobber_then_call(void* data) noexcept;

struct Target {
  void* fn;
  uintptr_t arg;
};

void raise_overflow(uintptr_t) { raise_trap(abi::TrapCode::IntegerOverflow); }

// Calls the fixture's trap site (never returns).
void call_trap_site(uintptr_t code) {
  reinterpret_cast<WasmFn>(code)(nullptr, 0, 0);
}

}  // namespace

TEST_CASE("entry: callee-saved registers survive normal returns and both kinds of trap") {
  FakeArtifact artifact;
  // A normal return through a C++ function.
  Call divide{artifact.code(kDivide), 8, 2};
  CHECK(kiln_test_call_with_sentinels(call_guarded, invoke, &divide) == 0);
  CHECK(divide.result == 4);
  // raise_trap after every callee-saved register was overwritten.
  Target raiser{reinterpret_cast<void*>(&raise_overflow), 0};
  CHECK(kiln_test_call_with_sentinels(call_guarded, kiln_test_clobber_then_call, &raiser) == 0);
  CHECK(last_trap().code == abi::TrapCode::IntegerOverflow);
  // A fault in wasm code: the signal handler resumes at the landing point.
  Target fault{reinterpret_cast<void*>(&call_trap_site), artifact.address(kTrapSite)};
  CHECK(kiln_test_call_with_sentinels(call_guarded, kiln_test_clobber_then_call, &fault) == 0);
  CHECK(last_trap().code == kFixtureTrap);
  CHECK(last_trap().pc == artifact.address(kTrapSite, kTrapSiteOffset));
}

namespace {

struct NestedStores {
  const FakeArtifact* artifact;
  StoreFixture* outer;
  StoreFixture* inner;
  uint32_t outer_depth_inside = 0;
  uintptr_t outer_limit_at_entry = 0;
  uintptr_t outer_entry_limit_at_entry = 0;
  uintptr_t outer_limit_inside = 0;
  bool inner_ok = true;
  Outcome inner_outcome;
};

struct StoreCall {
  Call call;
  NestedStores* nested;
};

// Runs the fixture's call_host function under `store`.
bool run_in(StoreFixture& store, void* code, uintptr_t a, uintptr_t b, Outcome& out) {
  Call call{code, a, b};
  bool ok = call_guarded(invoke, &call, &store.entry);
  static_cast<TrapInfo&>(out) = ok ? TrapInfo{} : last_trap();
  out.host_exception = ok ? nullptr : take_host_exception();
  return ok;
}

// Host function called from the outer store's wasm code: enters the inner
// store (its trap site) and the outer store again (nested, so its limit
// must not change), then traps itself.
__attribute__((optimize("no-omit-frame-pointer"), noinline)) void host_enter_stores(void* arg) {
  auto* n = static_cast<NestedStores*>(arg);
  n->outer_depth_inside = n->outer->entry.depth;
  n->outer_limit_at_entry = n->outer->vm.stack_limit;
  n->outer_entry_limit_at_entry = n->outer->vm.entry_limit;
  n->inner_ok = run_in(*n->inner, n->artifact->code(kTrapSite), 0, 0, n->inner_outcome);
  Outcome ignored;
  n->outer->vm.stack_limit = 12345;  // a nested entry leaves the limit alone
  run_in(*n->outer, n->artifact->code(kDivide), 6, 3, ignored);
  n->outer_limit_inside = n->outer->vm.stack_limit;
  raise_trap(abi::TrapCode::Unreachable);
}

// Re-raises the exception its inner call carried, as a host adapter does.
struct Relay {
  const FakeArtifact* artifact;
  int levels;  // wasm -> host levels below this one
};

__attribute__((optimize("no-omit-frame-pointer"), noinline)) void host_relay(void* arg) {
  auto* r = static_cast<Relay*>(arg);
  std::exception_ptr error;
  {
    Relay deeper{r->artifact, r->levels - 1};
    Outcome out;
    if (r->levels > 0)
      run(r->artifact->code(kCallHost), reinterpret_cast<uintptr_t>(&host_relay),
          reinterpret_cast<uintptr_t>(&deeper), out);
    else
      run(r->artifact->code(kCallHost), reinterpret_cast<uintptr_t>(&host_throws), 0, out);
    error = std::move(out.host_exception);
  }
  raise_host_exception(std::move(error));
}

}  // namespace

TEST_CASE("entry: store bookkeeping of nested entries into two stores") {
  FakeArtifact artifact;
  StoreFixture outer, inner;
  outer.vm.interrupt = 1;
  NestedStores n{&artifact, &outer, &inner};
  Outcome out;
  int here = 0;
  const uintptr_t sp = reinterpret_cast<uintptr_t>(&here);
  CHECK_FALSE(run_in(outer, artifact.code(kCallHost), reinterpret_cast<uintptr_t>(&host_enter_stores),
                     reinterpret_cast<uintptr_t>(&n), out));
  CHECK(out.code == abi::TrapCode::Unreachable);
  REQUIRE(out.frame_count == 1);
  CHECK(out.frames[0].func_index == kCallHost);
  // The outermost entry cleared the interrupt request and set the limit
  // from its own sp and the budget.
  CHECK(outer.vm.interrupt == 0);
  CHECK(n.outer_entry_limit_at_entry == n.outer_limit_at_entry);
  CHECK(n.outer_limit_at_entry < sp);
  CHECK(sp - n.outer_limit_at_entry < 64 * 1024 + 4096);
  CHECK(n.outer_limit_inside == 12345);
  CHECK(n.outer_depth_inside == 1);
  CHECK(outer.entry.depth == 0);
  CHECK(inner.entry.depth == 0);
  // The inner store's first entry set its own limit, deeper in the stack.
  CHECK_FALSE(n.inner_ok);
  CHECK(n.inner_outcome.code == kFixtureTrap);
  CHECK(inner.vm.stack_limit != 0);
  CHECK(inner.vm.stack_limit < sp);
  // Stack limit of a later outermost entry: sp - budget (far above stack_lo).
  CHECK(run_in(outer, artifact.code(kDivide), 4, 2, out));
  CHECK(outer.vm.stack_limit < sp);
  CHECK(sp - outer.vm.stack_limit < 64 * 1024 + 4096);
}

TEST_CASE("entry: a host exception relayed through two wasm->host levels") {
  FakeArtifact artifact;
  Relay top{&artifact, 1};
  Outcome out;
  CHECK_FALSE(run(artifact.code(kCallHost), reinterpret_cast<uintptr_t>(&host_relay),
                  reinterpret_cast<uintptr_t>(&top), out));
  CHECK(out.code == abi::TrapCode::HostError);
  REQUIRE(out.host_exception);
  try {
    std::rethrow_exception(out.host_exception);
  } catch (const std::runtime_error& e) {
    CHECK(std::string(e.what()) == "host failed");
  }
  CHECK(!take_host_exception());  // taken once
}

TEST_CASE("entry: the landing points are popped after traps") {
  // A trap raised outside any guarded call, after guarded calls that trapped,
  // must not find a stale landing point: it aborts.
  CHECK(death_signal_of([] {
          FakeArtifact artifact;
          Outcome out;
          run(artifact.code(kTrapSite), 0, 0, out);
          Target raiser{reinterpret_cast<void*>(&raise_overflow), 0};
          call_guarded(kiln_test_clobber_then_call, &raiser);
          (void)std::freopen("/dev/null", "w", stderr);  // keep the expected message out of the log
          raise_trap(abi::TrapCode::Unreachable);
        }) == SIGABRT);
}

namespace {

struct ThreadRun {
  const FakeArtifact* artifact;
  int rounds;
  int failures = 0;
};

void* entry_thread(void* arg) {
  auto* t = static_cast<ThreadRun*>(arg);
  StoreFixture store;  // one store per thread
  Outcome out;
  for (int i = 0; i < t->rounds; ++i) {
    Call call{t->artifact->code(kDivide), uintptr_t(100 + i), 5};
    if (!call_guarded(invoke, &call, &store.entry) || call.result != uint32_t((100 + i) / 5)) ++t->failures;
    if (run(t->artifact->code(kTrapSite), 0, 0, out) || out.code != kFixtureTrap) ++t->failures;
    NestedState nested{t->artifact};
    if (!run(t->artifact->code(kCallHost), reinterpret_cast<uintptr_t>(&host_nested_then_return),
             reinterpret_cast<uintptr_t>(&nested), out) ||
        nested.inner_ok || nested.inner.code != kFixtureTrap)
      ++t->failures;
    if (run(t->artifact->code(kCallHost), reinterpret_cast<uintptr_t>(&host_throws), 0, out) ||
        !out.host_exception)
      ++t->failures;
    if (store.entry.depth != 0) ++t->failures;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("entry: several threads enter, trap and nest at once") {
  FakeArtifact artifact;
  constexpr int kThreads = 4;
  ThreadRun runs[kThreads];
  pthread_t threads[kThreads];
  for (int i = 0; i < kThreads; ++i) {
    runs[i] = ThreadRun{&artifact, 2000};
    REQUIRE(pthread_create(&threads[i], nullptr, entry_thread, &runs[i]) == 0);
  }
  for (int i = 0; i < kThreads; ++i) pthread_join(threads[i], nullptr);
  for (int i = 0; i < kThreads; ++i) CHECK(runs[i].failures == 0);
}

TEST_CASE("traps: the main thread's stack bounds without pthread_getattr_np") {
  REQUIRE(::getpid() == ::gettid());  // doctest runs cases on the main thread
  pthread_attr_t attr;
  REQUIRE(pthread_getattr_np(pthread_self(), &attr) == 0);
  void* addr = nullptr;
  size_t size = 0;
  REQUIRE(pthread_attr_getstack(&attr, &addr, &size) == 0);
  pthread_attr_destroy(&attr);
  const auto glibc_hi = reinterpret_cast<uintptr_t>(addr) + size;

  kiln::loader::ThreadTrapState t{};
  kiln::loader::main_thread_stack_bounds(t);
  const auto here = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  INFO("glibc: " << std::hex << glibc_hi << ", fallback: " << t.stack_hi);
  CHECK(t.stack_hi == glibc_hi);
  CHECK(t.stack_lo < here);
  CHECK(here < t.stack_hi);
  CHECK(t.stack_hi - t.stack_lo >= size_t(64) << 10);

  // Another thread is left alone: its attributes never fail.
  kiln::loader::ThreadTrapState other{};
  std::thread([&] { kiln::loader::main_thread_stack_bounds(other); }).join();
  CHECK(other.stack_lo == 0);
  CHECK(other.stack_hi == 0);
}
