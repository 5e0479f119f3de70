// Traps in real machine code: the fake artifact fixture's functions fault in
// every way generated code can, under call_guarded, nested, on small thread
// stacks, and next to another signal handler that was installed first.
#include <doctest/doctest.h>

#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <climits>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

#include "abi/descriptor.h"
#include "abi/version.h"
#include "fixtures/fixture_path.h"
#include "loader/platform/artifact_file.h"
#include "loader/platform/code_registry.h"
#include "loader/platform/linear_memory.h"
#include "loader/platform/shared_library.h"
#include "loader/platform/trap_handling.h"

using namespace kiln::loader;
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

// --- the fixture artifact ---

enum FakeFunction { kTrapSite = 0, kLoad = 1, kDivide = 2, kCallHost = 3, kRecurse = 4, kCallTrap = 5 };
constexpr uint32_t kTrapSiteOffset = 4;     // after push %rbp; mov %rsp,%rbp
constexpr uint32_t kAfterCallOffset = 9;    // push (1) + mov (3) + call rel32 (5)
constexpr abi::TrapCode kFixtureTrap = abi::TrapCode::OutOfBoundsTableAccess;  // ud1 6(%eax)

void check_kiln_handler_installed();

class FakeArtifact {
 public:
  FakeArtifact() {
    ensure_trap_handling();
    check_kiln_handler_installed();
    const std::string path = kiln::test::fake_artifact_path();
    ArtifactHeader header;
    std::string problem = check_artifact_file(path, header);
    REQUIRE_MESSAGE(problem.empty(), problem);
    std::string error;
    auto lib = SharedLibrary::open(path, error);
    REQUIRE_MESSAGE(lib, error);
    desc_ = static_cast<const abi::Descriptor*>(lib->symbol(abi::kDescriptorSymbol));
    REQUIRE(desc_ != nullptr);
    REQUIRE(desc_->function_count == 6);
    code_ = std::make_unique<RegisteredCode>(std::move(lib), desc_, &owner_);
  }
  void* code(FakeFunction f) const { return desc_->code_at(desc_->at<abi::Function>(desc_->functions)[f].code); }
  uintptr_t address(FakeFunction f, uint32_t offset = 0) const {
    return reinterpret_cast<uintptr_t>(code(f)) + offset;
  }
  const void* owner() const { return &owner_; }

 private:
  int owner_ = 0;
  const abi::Descriptor* desc_ = nullptr;
  std::unique_ptr<RegisteredCode> code_;
};

using WasmFn = uint32_t (*)(abi::VMContext*, abi::VMContext*, uintptr_t, uintptr_t);

struct Call {
  void* code;
  uintptr_t a = 0, b = 0;
  uint32_t result = 0;
};

void invoke(void* data) {
  Call* call = static_cast<Call*>(data);
  call->result = reinterpret_cast<WasmFn>(call->code)(nullptr, nullptr, call->a, call->b);
}

bool run(void* code, uintptr_t a, uintptr_t b, TrapInfo& info, uint32_t* result = nullptr) {
  Call call{code, a, b};
  bool ok = call_guarded(invoke, &call, info);
  if (result) *result = call.result;
  return ok;
}

void check_kiln_handler_installed() {
  struct sigaction current = {};
  sigaction(SIGSEGV, nullptr, &current);
  const int ours = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
  REQUIRE_MESSAGE((current.sa_flags & ours) == ours,
                  "kiln's SIGSEGV handler was replaced; doctest's own signal handling must be "
                  "off (DOCTEST_CONFIG_NO_POSIX_SIGNALS in test_main.cpp)");
}

// Host functions called by fixture function 3. They keep frame pointers, as
// libkiln's host adapters do, so traps raised in them can walk into wasm.
struct NestedState {
  const FakeArtifact* artifact;
  TrapInfo inner;
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

// Runs fn in a child process and returns the signal that killed it (0 if none).
int death_signal_of(void (*fn)()) {
  pid_t pid = fork();
  if (pid == 0) {
    struct rlimit no_core = {0, 0};
    setrlimit(RLIMIT_CORE, &no_core);
    fn();
    _exit(0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
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

  TrapInfo info;
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
  TrapInfo info;
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
  std::string error;
  auto memory = MemoryReservation::create(abi::kWasmPageSize, error);
  REQUIRE_MESSAGE(memory, error);
  const uintptr_t base = reinterpret_cast<uintptr_t>(memory->base());

  TrapInfo info;
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

  CHECK_FALSE(run(artifact.code(kLoad), 0, 0, info));
  CHECK(info.code == abi::TrapCode::OutOfBoundsMemoryAccess);
  CHECK(info.fault_address == 0);

  CHECK_FALSE(run(artifact.code(kDivide), 1, 0, info));
  CHECK(info.code == abi::TrapCode::IntegerDivideByZero);
  CHECK(info.frames[0].func_index == kDivide);
}

TEST_CASE("traps: nested call_guarded and traps raised by the runtime") {
  FakeArtifact artifact;
  NestedState state{&artifact};
  TrapInfo outer;

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
  CHECK(outer.frames[0].offset == 12);  // push, mov, mov, mov (1+3+3+3), call *%rax (2)

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
  TrapInfo info;
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
    reinterpret_cast<WasmFn>(artifact.code(kLoad))(nullptr, nullptr, 0, 0);
    g_expect_foreign = 0;
  }
  CHECK(g_foreign_hits == 2);

  // Trap handling still works afterwards.
  TrapInfo info;
  CHECK_FALSE(run(artifact.code(kLoad), 0, 0, info));
  CHECK(info.code == abi::TrapCode::OutOfBoundsMemoryAccess);
  CHECK(g_foreign_hits == 2);
}

TEST_CASE("traps: unhandled faults still terminate the process with their signal") {
  ensure_trap_handling();
  // SIGSEGV goes to the foreign handler, which falls back to the default action.
  CHECK(death_signal_of([] { (void)*reinterpret_cast<volatile uint8_t*>(inaccessible_page()); }) ==
        SIGSEGV);
  // SIGFPE had no handler before kiln: the default action.
  CHECK(death_signal_of([] {
          __asm__ volatile("xor %%ecx, %%ecx\n\tmov $7, %%eax\n\tcltd\n\tidivl %%ecx" ::: "eax",
                           "ecx", "edx");
        }) == SIGFPE);
  // A trap instruction in wasm code with no call_guarded active.
  CHECK(death_signal_of([] {
          FakeArtifact artifact;
          reinterpret_cast<WasmFn>(artifact.code(kTrapSite))(nullptr, nullptr, 0, 0);
        }) == SIGILL);
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

  TrapInfo info;
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
  const uintptr_t limit = stack_limit_for_current_thread(1 << 20, 16 * 1024);
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
  TrapInfo info;
  CHECK_FALSE(run(artifact.code(kRecurse), 0, 0, info));
  CHECK(info.code == abi::TrapCode::CallStackExhausted);
  CHECK(info.frame_count == TrapInfo::kMaxFrames);
  uint32_t result = 0;
  CHECK(run(artifact.code(kDivide), 8, 2, info, &result));
  CHECK(result == 4);
}

TEST_CASE("traps: stack limit for the current thread") {
  int here = 0;
  const uintptr_t sp = reinterpret_cast<uintptr_t>(&here);
  const uintptr_t small = stack_limit_for_current_thread(64 * 1024, 32 * 1024);
  CHECK(small < sp);
  CHECK(sp - small <= 64 * 1024 + 4096);  // the budget bounds it
  CHECK(sp - small >= 60 * 1024);
  // An unbounded budget stops at the reserve above the stack's lowest address.
  const uintptr_t deepest = stack_limit_for_current_thread(SIZE_MAX / 2, 32 * 1024);
  CHECK(deepest < small);
  const uintptr_t tighter = stack_limit_for_current_thread(SIZE_MAX / 2, 64 * 1024);
  CHECK(tighter == deepest + 32 * 1024);
}
