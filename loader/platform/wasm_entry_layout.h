/* Offsets the assembly entries (wasm_entry_<cpu>.S) rely on; the C++ files
   that define the structures check them. Plain #defines: the assembler
   includes this file too. Each entry's own frame layout is in its .S file. */
#ifndef KILN_LOADER_PLATFORM_WASM_ENTRY_LAYOUT_H
#define KILN_LOADER_PLATFORM_WASM_ENTRY_LAYOUT_H

/* kiln::loader::ThreadTrapState (symbol kiln_thread_trap_state, initial-exec TLS) */
#define KILN_TTS_LANDING_SP 0
#define KILN_TTS_STACK_LO 16
#define KILN_TTS_READY 32
#define KILN_TTS_EXCEPTION_VM 40

/* kiln::loader::EntryStore */
#define KILN_ES_VM 0
#define KILN_ES_DEPTH 8
#define KILN_ES_BUDGET 16
#define KILN_ES_RESERVE 24

/* kiln::abi::VMStoreContext */
#define KILN_VMS_ENTRY_LIMIT 0
#define KILN_VMS_STACK_LIMIT 8
#define KILN_VMS_INTERRUPT 16
#define KILN_VMS_PENDING_EXCEPTION 24

/* loader::HostContext: the C++ direct entry kiln_direct_host_thunk jumps to */
#define KILN_HC_DIRECT_CODE 24

/* kiln::detail::NativeTarget */
#define KILN_NT_CODE 0
#define KILN_NT_VMCTX 8
#define KILN_NT_ENTRY 16

#endif
