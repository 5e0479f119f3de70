// Landing points for traps: call_guarded, raise_trap and the per-thread
// state (stack bounds, alternate signal stack, trap record) the signal
// handler relies on.
#include "loader/platform/trap_handling.h"

#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <cstdlib>

#include "loader/platform/code_registry.h"
#include "loader/platform/trap_state.h"

// glibc's: the top of the main thread's stack, as the kernel set it up.
extern "C" void* __libc_stack_end;

#if defined(__SANITIZE_ADDRESS__)
#define KILN_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KILN_ASAN 1
#endif
#endif
#ifdef KILN_ASAN
extern "C" void __asan_handle_no_return();
#endif

namespace kiln::loader {

constinit thread_local ThreadTrapState t_trap_state = {};

// What the assembly entries assume (wasm_entry_layout.h).
static_assert(offsetof(ThreadTrapState, landing_sp) == KILN_TTS_LANDING_SP);
static_assert(offsetof(ThreadTrapState, stack_lo) == KILN_TTS_STACK_LO);
static_assert(offsetof(ThreadTrapState, ready) == KILN_TTS_READY && sizeof(bool) == 1);
static_assert(offsetof(ThreadTrapState, exception_vm) == KILN_TTS_EXCEPTION_VM);
static_assert(offsetof(EntryStore, vm) == KILN_ES_VM);
static_assert(offsetof(EntryStore, depth) == KILN_ES_DEPTH && sizeof(EntryStore::depth) == 4);
static_assert(offsetof(EntryStore, budget) == KILN_ES_BUDGET);
static_assert(offsetof(EntryStore, reserve) == KILN_ES_RESERVE);
static_assert(offsetof(abi::VMStoreContext, entry_limit) == KILN_VMS_ENTRY_LIMIT);
static_assert(offsetof(abi::VMStoreContext, stack_limit) == KILN_VMS_STACK_LIMIT);
static_assert(offsetof(abi::VMStoreContext, interrupt) == KILN_VMS_INTERRUPT);
static_assert(offsetof(abi::VMStoreContext, pending_exception) == KILN_VMS_PENDING_EXCEPTION);

namespace {

// The trap record and the exception a trap carries. Reached through
// __tls_get_addr, so the handler uses t_trap_state.trap instead, set up
// before any guarded call of the thread; the exception only on slow paths
// outside the handler.
constinit thread_local TrapInfo t_trap_info = {};
thread_local std::exception_ptr t_host_exception;

constexpr size_t kAltStackSize = 64 * 1024;
// Runtime frames (raise_trap, a builtin, a host adapter) skipped before the
// first wasm frame when a trap is raised from C++.
constexpr int kMaxLeadingHostFrames = 64;

// Owns this thread's alternate signal stack; freed when the thread exits.
struct AltStack {
  void* mem = nullptr;
  size_t size = 0;
  ~AltStack() {
    if (!mem) return;
    stack_t off = {};
    off.ss_flags = SS_DISABLE;
    sigaltstack(&off, nullptr);
    munmap(mem, size);
  }
};
thread_local AltStack t_alt_stack;

void install_alt_stack() {
  stack_t current = {};
  if (sigaltstack(nullptr, &current) != 0) return;
  if (current.ss_flags & SS_ONSTACK) return;  // called from a handler: leave it alone
  // Keep an existing stack that is large enough (e.g. the embedder's).
  if (!(current.ss_flags & SS_DISABLE) && current.ss_size >= kAltStackSize) return;
  size_t page = size_t(sysconf(_SC_PAGESIZE));
  size_t usable = std::max<size_t>(kAltStackSize, SIGSTKSZ);
  usable = (usable + page - 1) / page * page;
  size_t total = usable + page;  // plus a guard page below
  void* mem = mmap(nullptr, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK,
                   -1, 0);
  if (mem == MAP_FAILED) return;  // traps still work; only a stack overflow would kill
  mprotect(mem, page, PROT_NONE);
  stack_t ss = {};
  ss.ss_sp = static_cast<char*>(mem) + page;
  ss.ss_size = usable;
  if (sigaltstack(&ss, nullptr) != 0) {
    munmap(mem, total);
    return;
  }
  t_alt_stack.mem = mem;
  t_alt_stack.size = total;
}

}  // namespace

void main_thread_stack_bounds(ThreadTrapState& t) {
  if (::getpid() != ::gettid() || !__libc_stack_end) return;  // threads always have attributes
  const uintptr_t page = uintptr_t(sysconf(_SC_PAGESIZE));
  // glibc's top: the page above __libc_stack_end (below argv and the
  // environment, so a little under the mapping's end).
  const uintptr_t hi = (reinterpret_cast<uintptr_t>(__libc_stack_end) & ~(page - 1)) + page;
  constexpr uintptr_t kDefault = uintptr_t(8) << 20;
  struct rlimit limit;
  uintptr_t size = kDefault;
  if (getrlimit(RLIMIT_STACK, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) size = limit.rlim_cur;
  size = std::min<uintptr_t>(size, hi - page);  // never below address 0
  const auto here = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  if (here >= hi || here < hi - size) return;  // not where it should be: leave the bounds unknown
  t.stack_lo = hi - size + page;  // the lowest page is the kernel's guard gap
  t.stack_hi = hi;
}

namespace {

void read_stack_bounds(ThreadTrapState& t) {
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return main_thread_stack_bounds(t);
  void* addr = nullptr;
  size_t size = 0;
  // For the main thread glibc derives the size from RLIMIT_STACK.
  if (pthread_attr_getstack(&attr, &addr, &size) == 0) {
    t.stack_lo = reinterpret_cast<uintptr_t>(addr);
    t.stack_hi = t.stack_lo + size;
  }
  pthread_attr_destroy(&attr);
}

[[noreturn]] void no_landing_point(abi::TrapCode code) {
  std::fprintf(stderr, "kiln: trap '%s' raised outside any guarded wasm call\n",
               abi::trap_message(code));
  std::abort();
}

// Fills this thread's trap record for a trap raised by the runtime; returns
// the landing point to unwind to.
uintptr_t prepare_raise(abi::TrapCode code, uintptr_t fp) {
  ThreadTrapState& t = t_trap_state;
  if (!t.landing_sp) no_landing_point(code);
  TrapInfo& info = *t.trap;
  info.code = code;
  info.pc = 0;
  info.fault_address = 0;
  info.carries_exception = false;
  info.frame_count = collect_wasm_frames(fp, fp, t.stack_hi, true, info.frames, TrapInfo::kMaxFrames);
  return t.landing_sp;
}

}  // namespace

void prepare_thread(ThreadTrapState& t) {
  install_signal_handlers();
  read_stack_bounds(t);
  install_alt_stack();
  t.trap = &t_trap_info;
  t.ready = true;
}

extern "C" void kiln_prepare_thread() { prepare_thread(t_trap_state); }

void after_landing() {
#ifdef KILN_ASAN
  // The abandoned frames below this one may still be poisoned.
  __asan_handle_no_return();
#endif
}

int collect_wasm_frames(uintptr_t fp, uintptr_t low, uintptr_t high, bool skip_host_frames,
                        TrapFrame* out, int capacity) {
  int count = 0;
  int skipped = 0;
  while (count < capacity) {
    if (fp % sizeof(uintptr_t) != 0 || fp < low || high < 2 * sizeof(uintptr_t) ||
        fp > high - 2 * sizeof(uintptr_t))
      break;
    const uintptr_t* frame = reinterpret_cast<const uintptr_t*>(fp);
    uintptr_t ret = frame[1];
    PcInfo where;
    // ret - 1 lies inside the call instruction, even for a call ending a function.
    if (ret != 0 && lookup_pc(ret - 1, where)) {
      out[count++] = TrapFrame{where.owner, where.func_index, where.offset + 1, where.func_name};
    } else if (ret != 0 && in_artifact_code(ret - 1)) {
      // Not a function but the artifact's: the swiftcc entry of a module
      // using tail calls, a trampoline or an adapter (whose callers, the
      // runtime's, end the walk or are skipped as host frames).
    } else if (count > 0 || !skip_host_frames || ++skipped > kMaxLeadingHostFrames) {
      break;
    }
    uintptr_t next = frame[0];
    if (next <= fp) break;  // frames must move up the stack
    low = fp + 2 * sizeof(uintptr_t);
    fp = next;
  }
  return count;
}

void ensure_trap_handling() { ready_state(); }

namespace {

// call_guarded's fn, run as an entry trampoline: code = fn, vmctx = data.
void run_as_trampoline(void* fn, void* data, void*, void*) noexcept {
  reinterpret_cast<void (*)(void*) noexcept>(fn)(data);
}

// The bookkeeping of calls made without a store goes here, where nothing reads it.
thread_local abi::VMStoreContext t_unowned_vm{};
thread_local EntryStore t_unowned_store{&t_unowned_vm};

}  // namespace

bool call_guarded(void (*fn)(void*) noexcept, void* data, EntryStore* store) {
  // The same assembly entry as Func::call, so what the tests check is what runs.
  if (kiln_wasm_call_trampoline(reinterpret_cast<void*>(&run_as_trampoline),
                                reinterpret_cast<void*>(fn), data, nullptr,
                                store ? store : &t_unowned_store) == 0) [[likely]]
    return true;
  after_landing();
  return false;
}

const TrapInfo& last_trap() { return t_trap_info; }

std::exception_ptr take_host_exception() {
  TrapInfo& info = t_trap_info;
  if (!info.carries_exception) return nullptr;
  info.carries_exception = false;
  return std::move(t_host_exception);
}

[[gnu::noinline]] void raise_trap(abi::TrapCode code) {
  kiln_wasm_unwind(prepare_raise(code, reinterpret_cast<uintptr_t>(__builtin_frame_address(0))));
}

[[gnu::noinline]] void raise_host_exception(std::exception_ptr exception) {
  uintptr_t landing = prepare_raise(abi::TrapCode::HostError,
                                    reinterpret_cast<uintptr_t>(__builtin_frame_address(0)));
  // Moved out, so nothing is left to destroy in the frames the jump abandons.
  t_host_exception = std::move(exception);
  t_trap_info.carries_exception = true;
  kiln_wasm_unwind(landing);
}

}  // namespace kiln::loader
