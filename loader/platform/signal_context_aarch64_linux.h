// Reading and redirecting a signal's interrupted context: aarch64 Linux.
#pragma once
#include <signal.h>
#include <ucontext.h>

#include <cstdint>

#include "abi/trap_encoding_aarch64.h"

namespace kiln::loader {

/// The host CPU's trap-instruction encoding.
namespace trap_encoding = abi::aarch64;

namespace signal_context {

/// The signals wasm code can raise: bad accesses and stack overflow (SIGSEGV,
/// SIGBUS), trap sites (`brk`: SIGTRAP), and SIGILL for an undefined
/// instruction. Division traps are explicit checks: aarch64 never faults there.
inline constexpr int kFaultSignals[] = {SIGSEGV, SIGBUS, SIGTRAP, SIGILL};
/// The signal a trap-site instruction raises.
inline constexpr int kTrapSiteSignal = SIGTRAP;

/// Where the interrupted code was.
inline uintptr_t pc(const ucontext_t* uc) { return uintptr_t(uc->uc_mcontext.pc); }
/// Its frame pointer (x29, the start of the frame-record chain).
inline uintptr_t frame_pointer(const ucontext_t* uc) { return uintptr_t(uc->uc_mcontext.regs[29]); }
/// Its stack pointer.
inline uintptr_t stack_pointer(const ucontext_t* uc) { return uintptr_t(uc->uc_mcontext.sp); }
/// Makes the return from the handler continue at `pc` with stack pointer `sp`.
inline void resume_at(ucontext_t* uc, uintptr_t pc, uintptr_t sp) {
  uc->uc_mcontext.pc = pc;
  uc->uc_mcontext.sp = sp;
}

}  // namespace signal_context
}  // namespace kiln::loader
