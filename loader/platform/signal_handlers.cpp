// The process-wide fault handler: faults in registered wasm code on a thread
// inside call_guarded become traps; everything else goes to the handler that
// was installed before ours.
#include <cerrno>
#include <cstdint>
#include <iterator>
#include <mutex>

#include "abi/vm_context.h"
#include "loader/platform/code_registry.h"
#include "loader/platform/poll_pages.h"
#include "loader/platform/signal_context.h"
#include "loader/platform/trap_state.h"

namespace kiln::loader {

namespace {

constexpr const int* kSignals = signal_context::kFaultSignals;
constexpr int kSignalCount = std::size(signal_context::kFaultSignals);
struct sigaction g_previous[kSignalCount];

// Faults this far below the lowest usable stack address are still taken as
// stack overflow (guard page, or a frame that skipped past it).
constexpr uintptr_t kStackGuardSlack = 64 * 1024;

int slot_of(int sig) {
  for (int i = 0; i < kSignalCount; ++i)
    if (kSignals[i] == sig) return i;
  return -1;
}

void reset_to_default(int sig) {
  struct sigaction dfl = {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  sigaction(sig, &dfl, nullptr);
}

// Passes a fault we do not own to whoever had the signal before us.
void chain_to_previous(int sig, siginfo_t* si, void* context) {
  int slot = slot_of(sig);
  if (slot < 0) return;
  const struct sigaction& prev = g_previous[slot];
  const bool from_kernel = si && si->si_code > 0;
  if (prev.sa_handler == SIG_DFL) {
    // A hardware fault re-executes on return and now gets the default
    // action; a signal sent by a process has to be raised again.
    reset_to_default(sig);
    if (!from_kernel) raise(sig);
    return;
  }
  if (prev.sa_handler == SIG_IGN) {
    // The kernel cannot ignore a hardware fault either: it would loop forever.
    if (from_kernel) reset_to_default(sig);
    return;
  }
  if (prev.sa_flags & SA_SIGINFO)
    prev.sa_sigaction(sig, si, context);
  else
    prev.sa_handler(sig);
}

// Decodes the trap instruction at pc when the trap table has no entry; no
// read goes past the instruction the CPU just decoded.
abi::TrapCode decode_trap_instruction(uintptr_t pc) {
  const volatile uint8_t* p = reinterpret_cast<const volatile uint8_t*>(pc);
  return trap_encoding::decode_trap([p](size_t i) -> uint8_t { return p[i]; });
}

abi::TrapCode classify(int sig, const siginfo_t* si, uintptr_t pc, const PcInfo& where,
                       const ThreadTrapState& t) {
  if (sig == signal_context::kTrapSiteSignal)
    return where.trap != abi::TrapCode::None ? where.trap : decode_trap_instruction(pc);
  switch (sig) {
    case SIGFPE:
      return si->si_code == FPE_INTOVF ? abi::TrapCode::IntegerOverflow
                                       : abi::TrapCode::IntegerDivideByZero;
    case SIGSEGV: {
      uintptr_t addr = reinterpret_cast<uintptr_t>(si->si_addr);
      // Wasm code touches its own stack only through push/call/frame slots.
      if (t.stack_hi != 0 && addr < t.stack_hi && addr + kStackGuardSlack >= t.stack_lo)
        return abi::TrapCode::CallStackExhausted;
      return abi::TrapCode::OutOfBoundsMemoryAccess;
    }
    case SIGBUS:
      return abi::TrapCode::OutOfBoundsMemoryAccess;
  }
  return abi::TrapCode::None;
}

void handle_fault(int sig, siginfo_t* si, void* context) {
  const int saved_errno = errno;
  ucontext_t* uc = static_cast<ucontext_t*>(context);
  const uintptr_t pc = signal_context::pc(uc);
  ThreadTrapState& t = t_trap_state;
  PcInfo where;
  // A loop's poll of a store asked to stop, or of one whose request is gone.
  PollFault poll = PollFault::NotPoll;
  if (sig == SIGSEGV && si && si->si_code > 0)
    poll = handle_poll_fault(reinterpret_cast<uintptr_t>(si->si_addr));
  if (poll == PollFault::Resume) {
    errno = saved_errno;
    return;  // the page is readable again: the poll re-runs and passes
  }
  // si_code > 0: raised by the CPU, not sent with kill() while pc was in wasm.
  if (t.landing_sp && si && si->si_code > 0 && lookup_pc(pc, where)) {
    abi::TrapCode code = poll == PollFault::Interrupt ? abi::TrapCode::Interrupted
                                                      : classify(sig, si, pc, where, t);
    if (code != abi::TrapCode::None) {
      TrapInfo& info = *t.trap;
      info.code = code;
      info.pc = pc;
      info.fault_address =
          (sig == SIGSEGV || sig == SIGBUS) ? reinterpret_cast<uintptr_t>(si->si_addr) : 0;
      info.carries_exception = false;
      info.frames[0] = TrapFrame{where.owner, where.func_index, where.offset, where.func_name};
      const uintptr_t fp = signal_context::frame_pointer(uc);
      const uintptr_t sp = signal_context::stack_pointer(uc);
      info.frame_count =
          1 + collect_wasm_frames(fp, sp, t.stack_hi, false, info.frames + 1, TrapInfo::kMaxFrames - 1);
      // Resume at the landing point: kiln_wasm_land reloads the callee-saved
      // registers from the entry's frame. Returning (rather than jumping out)
      // lets sigreturn restore the signal mask and leave the alternate stack.
      signal_context::resume_at(uc, reinterpret_cast<uintptr_t>(&kiln_wasm_land), t.landing_sp);
      errno = saved_errno;
      return;
    }
  }
  chain_to_previous(sig, si, context);
  errno = saved_errno;
}

}  // namespace

void install_signal_handlers() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction sa = {};
    sa.sa_sigaction = handle_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    for (int i = 0; i < kSignalCount; ++i) {
      // Record the previous handler before ours can run and consult it.
      sigaction(kSignals[i], nullptr, &g_previous[i]);
      sigaction(kSignals[i], &sa, nullptr);
    }
  });
}

}  // namespace kiln::loader
