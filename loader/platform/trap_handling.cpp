// Landing points for traps: call_guarded, raise_trap and the per-thread
// state (stack bounds, alternate signal stack) the signal handler relies on.
#include "loader/platform/trap_handling.h"

#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>

#include "loader/platform/code_registry.h"
#include "loader/platform/trap_state.h"

namespace kiln::loader {

namespace {

// initial-exec: the handler must reach it without __tls_get_addr.
constinit thread_local ThreadTrapState t_state __attribute__((tls_model("initial-exec"))) = {};

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

void read_stack_bounds(ThreadTrapState& t) {
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return;
  void* addr = nullptr;
  size_t size = 0;
  // For the main thread glibc derives the size from RLIMIT_STACK.
  if (pthread_attr_getstack(&attr, &addr, &size) == 0) {
    t.stack_lo = reinterpret_cast<uintptr_t>(addr);
    t.stack_hi = t.stack_lo + size;
  }
  pthread_attr_destroy(&attr);
}

// The first guarded call of each thread: the process-wide handlers (so that
// a ready thread implies installed handlers), this thread's stack bounds and
// its alternate signal stack.
[[gnu::noinline, gnu::cold]] void prepare_thread(ThreadTrapState& t) {
  install_signal_handlers();
  read_stack_bounds(t);
  install_alt_stack();
  t.ready = true;
}

// This thread's state, set up on first use. The hot path is one TLS load and
// a branch: no call_once (whose libstdc++ form reaches TLS through
// __tls_get_addr) and no pthread_getattr_np.
inline ThreadTrapState& ready_state() {
  ThreadTrapState& t = t_state;
  if (!t.ready) [[unlikely]] prepare_thread(t);
  return t;
}

// The bounds were read once per thread; only the current sp varies.
inline uintptr_t stack_limit(const ThreadTrapState& t, size_t budget, size_t reserve) {
  uintptr_t sp = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  uintptr_t by_budget = sp > budget ? sp - budget : 0;
  if (t.stack_lo == 0) return by_budget;  // bounds unknown: the budget alone
  return std::max(t.stack_lo + reserve, by_budget);
}

[[noreturn]] void no_landing_point(abi::TrapCode code) {
  std::fprintf(stderr, "kiln: trap '%s' raised outside any guarded wasm call\n",
               abi::trap_message(code));
  std::abort();
}

// Fills the common part of the innermost landing point's TrapInfo.
LandingPoint* prepare_raise(abi::TrapCode code, uintptr_t fp) {
  ThreadTrapState& t = t_state;
  LandingPoint* landing = t.landing;
  if (!landing) no_landing_point(code);
  TrapInfo& info = *landing->info;
  info.code = code;
  info.pc = 0;
  info.fault_address = 0;
  info.frame_count = collect_wasm_frames(fp, fp, t.stack_hi, true, info.frames, TrapInfo::kMaxFrames);
  return landing;
}

}  // namespace

ThreadTrapState& thread_trap_state() { return t_state; }

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

bool call_guarded(void (*fn)(void*), void* data, TrapInfo& info, const StoreEntry* entry) {
  ThreadTrapState& t = ready_state();
  info.code = abi::TrapCode::None;
  info.pc = 0;
  info.fault_address = 0;
  if (info.host_exception) info.host_exception = nullptr;
  info.frame_count = 0;

  if (entry) {
    if (*entry->depth == 0) {
      uintptr_t limit = stack_limit(t, entry->budget, entry->reserve);
      std::atomic_ref<uint64_t>(entry->store->interrupt).store(0, std::memory_order_relaxed);
      entry->store->stack_limit = limit;
      // Racing with interrupt() leaves entry_limit raised with the flag clear
      // at worst: entries then take the slow path, find no request, go on.
      std::atomic_ref<uintptr_t>(entry->store->entry_limit).store(limit, std::memory_order_relaxed);
    }
    ++*entry->depth;
  }

  LandingPoint landing;
  landing.info = &info;
  landing.prev = t.landing;
  // Pops this landing point (and the entry's depth) on every exit: normal
  // return, trap, or a C++ exception thrown by fn.
  struct Pop {
    ThreadTrapState& state;
    LandingPoint* prev;
    uint32_t* depth;
    ~Pop() {
      state.landing = prev;
      if (depth) --*depth;
    }
  } pop{t, landing.prev, entry ? entry->depth : nullptr};

  if (sigsetjmp(landing.buf, 0) != 0) return false;
  t.landing = &landing;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  fn(data);
  return true;
}

[[gnu::noinline]] void raise_trap(abi::TrapCode code) {
  LandingPoint* landing =
      prepare_raise(code, reinterpret_cast<uintptr_t>(__builtin_frame_address(0)));
  siglongjmp(landing->buf, 1);
}

[[gnu::noinline]] void raise_host_exception(std::exception_ptr exception) {
  LandingPoint* landing = prepare_raise(abi::TrapCode::HostError,
                                        reinterpret_cast<uintptr_t>(__builtin_frame_address(0)));
  // Moved out, so nothing is left to destroy in the frames longjmp skips.
  landing->info->host_exception = std::move(exception);
  siglongjmp(landing->buf, 1);
}

uintptr_t stack_limit_for_current_thread(size_t budget, size_t reserve) {
  return stack_limit(ready_state(), budget, reserve);
}

}  // namespace kiln::loader
