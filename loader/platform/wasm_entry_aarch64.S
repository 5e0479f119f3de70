// Entries from the host into wasm code, AArch64 AAPCS64 (see wasm_entry.h).
//
// The same protocol as wasm_entry_x86_64.S: the entry saves the callee-saved
// registers (x19-x30, d8-d15) in its own frame, does the store's entry
// bookkeeping, records the thread's enclosing landing sp in the frame and
// makes its own stack pointer the thread's landing sp, then calls into wasm.
// A trap continues at kiln_wasm_land with sp = that landing sp: it undoes the
// bookkeeping, reloads the registers from the same frame and returns 1.
// Only the trampoline entry exists here: typed calls (KILN_WASM_CALL_*) go
// through it on this CPU (kiln/detail/typed_call.h, kDirectEntry).

#include "loader/platform/wasm_entry_layout.h"

#if !defined(__aarch64__)
#error "wasm_entry_aarch64.S is for aarch64 only"
#endif

/* An entry's frame, from the landing sp L up: the enclosing landing sp, the
   EntryStore, d8-d15, x19-x28, then the frame record x29, x30 at L + 160. */
#define KILN_FRAME_PREV_LANDING 0
#define KILN_FRAME_STORE 8
#define KILN_FRAME_RECORD 160
#define KILN_FRAME_SIZE 176 /* landing sp to the caller's sp after return */

        .text

// Where the entry frame keeps each register, relative to the CFA (L + 176).
.macro ENTRY_FRAME_CFI
        .cfi_offset x29, -16
        .cfi_offset x30, -8
        .cfi_offset x19, -96
        .cfi_offset x20, -88
        .cfi_offset x21, -80
        .cfi_offset x22, -72
        .cfi_offset x23, -64
        .cfi_offset x24, -56
        .cfi_offset x25, -48
        .cfi_offset x26, -40
        .cfi_offset x27, -32
        .cfi_offset x28, -24
        .cfi_offset d8, -160
        .cfi_offset d9, -152
        .cfi_offset d10, -144
        .cfi_offset d11, -136
        .cfi_offset d12, -128
        .cfi_offset d13, -120
        .cfi_offset d14, -112
        .cfi_offset d15, -104
.endm

// Builds the entry frame (sp = L afterwards) with a frame record in it.
.macro SAVE_REGISTERS
        sub     sp, sp, #KILN_FRAME_SIZE
        .cfi_def_cfa_offset KILN_FRAME_SIZE
        stp     x29, x30, [sp, #KILN_FRAME_RECORD]
        add     x29, sp, #KILN_FRAME_RECORD
        .cfi_def_cfa x29, 16
        stp     d8, d9, [sp, #16]
        stp     d10, d11, [sp, #32]
        stp     d12, d13, [sp, #48]
        stp     d14, d15, [sp, #64]
        stp     x19, x20, [sp, #80]
        stp     x21, x22, [sp, #96]
        stp     x23, x24, [sp, #112]
        stp     x25, x26, [sp, #128]
        stp     x27, x28, [sp, #144]
        ENTRY_FRAME_CFI
.endm

// x21 = the address of this thread's kiln_thread_trap_state (initial-exec TLS).
.macro LOAD_TRAP_STATE
        mrs     x9, tpidr_el0
        adrp    x21, :gottprel:kiln_thread_trap_state
        ldr     x21, [x21, #:gottprel_lo12:kiln_thread_trap_state]
        add     x21, x21, x9
.endm

// With the EntryStore in x19: prepares the thread on its first entry, does
// the store's entry bookkeeping (the outermost entry clears the interrupt
// request and sets the stack limit), and opens the landing point. Leaves the
// trap state's address in x21. Clobbers x9-x12 only: x0-x8 and v0-v7 pass
// through.
.macro OPEN_LANDING
        LOAD_TRAP_STATE
        ldrb    w9, [x21, #KILN_TTS_READY]
        cbnz    w9, 1f
        bl      kiln_entry_prepare_thread
1:
        ldr     w9, [x19, #KILN_ES_DEPTH]
        cbnz    w9, 2f
        // limit = max(stack_lo + reserve, sp - budget), sp - budget clamped at 0
        mov     x10, sp
        ldr     x11, [x19, #KILN_ES_BUDGET]
        subs    x10, x10, x11
        csel    x10, xzr, x10, lo
        ldr     x11, [x21, #KILN_TTS_STACK_LO]
        cbz     x11, 4f                     // bounds unknown: the budget alone
        ldr     x12, [x19, #KILN_ES_RESERVE]
        add     x11, x11, x12
        cmp     x10, x11
        csel    x10, x11, x10, lo
4:      ldr     x11, [x19, #KILN_ES_VM]
        // Same order as on x86-64: a racing interrupt() leaves entry_limit
        // raised with the flag clear at worst (the slow path then goes on).
        str     xzr, [x11, #KILN_VMS_INTERRUPT]
        str     x10, [x11, #KILN_VMS_STACK_LIMIT]
        str     x10, [x11, #KILN_VMS_ENTRY_LIMIT]
2:      ldr     w9, [x19, #KILN_ES_DEPTH]
        add     w9, w9, #1
        str     w9, [x19, #KILN_ES_DEPTH]
        ldr     x9, [x21, #KILN_TTS_LANDING_SP]
        stp     x9, x19, [sp, #KILN_FRAME_PREV_LANDING]
        mov     x9, sp
        str     x9, [x21, #KILN_TTS_LANDING_SP]
.endm

// Closes the landing point, undoes the bookkeeping and returns, with sp = L,
// the trap state's address in x21 and the EntryStore in x19, as OPEN_LANDING
// left them (wasm code keeps callee-saved registers). Keeps x0.
.macro CLOSE_LANDING_AND_RETURN
        ldr     x9, [sp, #KILN_FRAME_PREV_LANDING]
        str     x9, [x21, #KILN_TTS_LANDING_SP]
        ldr     w9, [x19, #KILN_ES_DEPTH]
        sub     w9, w9, #1
        str     w9, [x19, #KILN_ES_DEPTH]
        ldp     d8, d9, [sp, #16]
        ldp     d10, d11, [sp, #32]
        ldp     d12, d13, [sp, #48]
        ldp     d14, d15, [sp, #64]
        ldp     x19, x20, [sp, #80]
        ldp     x21, x22, [sp, #96]
        ldp     x23, x24, [sp, #112]
        ldp     x25, x26, [sp, #128]
        ldp     x27, x28, [sp, #144]
        ldp     x29, x30, [sp, #KILN_FRAME_RECORD]
        add     sp, sp, #KILN_FRAME_SIZE
        .cfi_def_cfa sp, 0
        ret
.endm

// int kiln_wasm_call_trampoline(EntryTrampoline trampoline [x0], void* code [x1],
//     VMContext* vmctx [x2], ValSlot* slots [x3], EntryStore* store [x4])
// Calls trampoline(code, vmctx, vmctx, slots).
        .globl  kiln_wasm_call_trampoline
        .hidden kiln_wasm_call_trampoline
        .type   kiln_wasm_call_trampoline, %function
        .p2align 4
kiln_wasm_call_trampoline:
        .cfi_startproc
        SAVE_REGISTERS
        mov     x19, x4
        OPEN_LANDING
        mov     x9, x0
        mov     x0, x1
        mov     x1, x2
        blr     x9
        mov     w0, #0
        CLOSE_LANDING_AND_RETURN
        .cfi_endproc
        .size   kiln_wasm_call_trampoline, .-kiln_wasm_call_trampoline

// Entered by a branch (kiln_wasm_unwind) or from a signal handler's edited
// context, with sp = a landing sp: the rest of the frame is an entry's.
        .globl  kiln_wasm_land
        .hidden kiln_wasm_land
        .type   kiln_wasm_land, %function
        .p2align 4
kiln_wasm_land:
        .cfi_startproc
        .cfi_def_cfa sp, KILN_FRAME_SIZE
        ENTRY_FRAME_CFI
        LOAD_TRAP_STATE
        ldr     x19, [sp, #KILN_FRAME_STORE]
        mov     w0, #1
        CLOSE_LANDING_AND_RETURN
        .cfi_endproc
        .size   kiln_wasm_land, .-kiln_wasm_land

// [[noreturn]] void kiln_wasm_unwind(uintptr_t landing_sp [x0])
        .globl  kiln_wasm_unwind
        .hidden kiln_wasm_unwind
        .type   kiln_wasm_unwind, %function
        .p2align 4
kiln_wasm_unwind:
        .cfi_startproc
        mov     sp, x0
        .cfi_def_cfa sp, KILN_FRAME_SIZE  // from here on, an entry's frame
        ENTRY_FRAME_CFI
        b       kiln_wasm_land
        .cfi_endproc
        .size   kiln_wasm_unwind, .-kiln_wasm_unwind

// VMFuncRef::code of a typed host function's direct entry: wasm code calls
// it in the wasm calling convention (host context in x20, caller vmctx in
// x0, parameters from x1 on); the C++ entry takes (context, caller vmctx,
// parameters...) in the C convention. The integer registers move up one,
// floating-point ones stay, and the branch leaves x20, x30 and the stack as
// the caller made them. Only for entries with at most 4 integer parameters
// (the same limit as on x86-64; x5 is the last register written).
        .globl  kiln_direct_host_thunk
        .hidden kiln_direct_host_thunk
        .type   kiln_direct_host_thunk, %function
        .p2align 4
kiln_direct_host_thunk:
        .cfi_startproc
        mov     x5, x4
        mov     x4, x3
        mov     x3, x2
        mov     x2, x1
        mov     x1, x0
        mov     x0, x20
        ldr     x16, [x20, #KILN_HC_DIRECT_CODE]
        br      x16
        .cfi_endproc
        .size   kiln_direct_host_thunk, .-kiln_direct_host_thunk

// The first entry on a thread: kiln_prepare_thread, keeping every argument
// register of the entry (x0-x8, q0-q7).
        .type   kiln_entry_prepare_thread, %function
        .p2align 4
kiln_entry_prepare_thread:
        .cfi_startproc
        stp     x29, x30, [sp, #-16]!
        .cfi_def_cfa_offset 16
        .cfi_offset x29, -16
        .cfi_offset x30, -8
        mov     x29, sp
        sub     sp, sp, #208
        stp     x0, x1, [sp, #0]
        stp     x2, x3, [sp, #16]
        stp     x4, x5, [sp, #32]
        stp     x6, x7, [sp, #48]
        str     x8, [sp, #64]
        stp     q0, q1, [sp, #80]
        stp     q2, q3, [sp, #112]
        stp     q4, q5, [sp, #144]
        stp     q6, q7, [sp, #176]
        bl      kiln_prepare_thread
        ldp     x0, x1, [sp, #0]
        ldp     x2, x3, [sp, #16]
        ldp     x4, x5, [sp, #32]
        ldp     x6, x7, [sp, #48]
        ldr     x8, [sp, #64]
        ldp     q0, q1, [sp, #80]
        ldp     q2, q3, [sp, #112]
        ldp     q4, q5, [sp, #144]
        ldp     q6, q7, [sp, #176]
        add     sp, sp, #208
        ldp     x29, x30, [sp], #16
        .cfi_def_cfa_offset 0
        ret
        .cfi_endproc
        .size   kiln_entry_prepare_thread, .-kiln_entry_prepare_thread

        .section .note.GNU-stack, "", %progbits
