// Reading and redirecting a signal's interrupted context: x86-64 Linux.
#pragma once
#include <signal.h>
#include <ucontext.h>

#include <cstdint>

#include "abi/trap_encoding_x86_64.h"

namespace kiln::loader {

/// The host CPU's trap-instruction encoding.
namespace trap_encoding = abi::x86_64;

namespace signal_context {

/// The signals wasm code can raise: bad accesses and stack overflow (SIGSEGV,
/// SIGBUS), trap sites (`ud2`: SIGILL) and integer division (SIGFPE).
inline constexpr int kFaultSignals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE};
/// The signal a trap-site instruction raises.
inline constexpr int kTrapSiteSignal = SIGILL;

/// Where the interrupted code was.
inline uintptr_t pc(const ucontext_t* uc) { return uintptr_t(uc->uc_mcontext.gregs[REG_RIP]); }
/// Its frame pointer (the start of the frame-record chain).
inline uintptr_t frame_pointer(const ucontext_t* uc) {
  return uintptr_t(uc->uc_mcontext.gregs[REG_RBP]);
}
/// Its stack pointer.
inline uintptr_t stack_pointer(const ucontext_t* uc) {
  return uintptr_t(uc->uc_mcontext.gregs[REG_RSP]);
}
/// Makes the return from the handler continue at `pc` with stack pointer `sp`.
inline void resume_at(ucontext_t* uc, uintptr_t pc, uintptr_t sp) {
  uc->uc_mcontext.gregs[REG_RIP] = greg_t(pc);
  uc->uc_mcontext.gregs[REG_RSP] = greg_t(sp);
}

}  // namespace signal_context
}  // namespace kiln::loader
