/* Offsets the assembly entry (wasm_entry_x86_64.S) relies on; wasm_entry.h
   checks them against the C++ structures. Plain #defines: the assembler
   includes this file too. */
#ifndef KILN_LOADER_PLATFORM_WASM_ENTRY_LAYOUT_H
#define KILN_LOADER_PLATFORM_WASM_ENTRY_LAYOUT_H

/* kiln::loader::ThreadTrapState (symbol kiln_thread_trap_state, initial-exec TLS) */
#define KILN_TTS_LANDING_SP 0
#define KILN_TTS_STACK_LO 16
#define KILN_TTS_READY 32

/* kiln::loader::EntryStore */
#define KILN_ES_VM 0
#define KILN_ES_DEPTH 8
#define KILN_ES_BUDGET 16
#define KILN_ES_RESERVE 24

/* kiln::abi::VMStoreContext */
#define KILN_VMS_ENTRY_LIMIT 0
#define KILN_VMS_STACK_LIMIT 8
#define KILN_VMS_INTERRUPT 16

/* loader::HostContext: the C++ direct entry kiln_direct_host_thunk jumps to */
#define KILN_HC_DIRECT_CODE 24

/* kiln::detail::NativeTarget */
#define KILN_NT_CODE 0
#define KILN_NT_VMCTX 8
#define KILN_NT_ENTRY 16

/* An entry's frame, from the landing sp up: padding, the enclosing landing
   sp, the EntryStore (or 0), r15, r14, r13, r12, rbx, rbp, return address. */
#define KILN_FRAME_PREV_LANDING 8
#define KILN_FRAME_STORE 16
#define KILN_FRAME_SIZE 80 /* landing sp to the caller's sp after return */

#endif
