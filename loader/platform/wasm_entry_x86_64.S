// Entries from the host into wasm code, x86-64 System V (see wasm_entry.h).
//
// Each entry saves the callee-saved registers in its own frame, does the
// store's entry bookkeeping, pushes the thread's enclosing landing sp and
// makes its own stack pointer the thread's landing sp, then calls into wasm.
// A trap continues at kiln_wasm_land with %rsp = that landing sp: it undoes
// the bookkeeping, reloads the registers from the same frame and returns
// from the entry with %eax = %edx = 1 (the "trapped" result of every entry).

#include "kiln/detail/call_abi_version.h"
#include "loader/platform/wasm_entry_layout.h"

#if !defined(__x86_64__)
#error "wasm_entry_x86_64.S is for x86-64 only"
#endif

/* An entry's frame, from the landing sp up: padding, the enclosing landing
   sp, the EntryStore (or 0), r15, r14, r13, r12, rbx, rbp, return address. */
#define KILN_FRAME_PREV_LANDING 8
#define KILN_FRAME_STORE 16
#define KILN_FRAME_SIZE 80 /* landing sp to the caller's sp after return */

        .text

// Pushes %rbp (a frame-pointer chain through the entry) and rbx, r12-r15.
.macro SAVE_REGISTERS
        pushq   %rbp
        .cfi_def_cfa_offset 16
        .cfi_offset %rbp, -16
        movq    %rsp, %rbp
        .cfi_def_cfa_register %rbp
        pushq   %rbx
        .cfi_offset %rbx, -24
        pushq   %r12
        .cfi_offset %r12, -32
        pushq   %r13
        .cfi_offset %r13, -40
        pushq   %r14
        .cfi_offset %r14, -48
        pushq   %r15
        .cfi_offset %r15, -56
.endm

// Where SAVE_REGISTERS left the callee-saved registers, relative to the CFA,
// for code that runs on an entry's frame without having built it.
.macro ENTRY_FRAME_CFI
        .cfi_offset %rbp, -16
        .cfi_offset %rbx, -24
        .cfi_offset %r12, -32
        .cfi_offset %r13, -40
        .cfi_offset %r14, -48
        .cfi_offset %r15, -56
.endm

// With the EntryStore in %rbx: prepares the thread on
// its first entry, does the store's entry bookkeeping (the outermost entry
// clears the interrupt request and sets the stack limit), and opens the
// landing point. Leaves the TLS offset of kiln_thread_trap_state in %r12.
// Clobbers r12-r14 only (saved above): the argument registers pass through.
.macro OPEN_LANDING
        movq    kiln_thread_trap_state@gottpoff(%rip), %r12
        cmpb    $0, %fs:KILN_TTS_READY(%r12)
        jne     1f
        callq   kiln_entry_prepare_thread
1:
        cmpl    $0, KILN_ES_DEPTH(%rbx)
        jne     2f
        // limit = max(stack_lo + reserve, sp - budget), sp - budget clamped at 0
        xorl    %r14d, %r14d
        movq    %rsp, %r13
        subq    KILN_ES_BUDGET(%rbx), %r13
        cmovbq  %r14, %r13
        movq    %fs:KILN_TTS_STACK_LO(%r12), %r14
        testq   %r14, %r14
        jz      4f                          // bounds unknown: the budget alone
        addq    KILN_ES_RESERVE(%rbx), %r14
        cmpq    %r14, %r13
        cmovbq  %r14, %r13
4:      movq    KILN_ES_VM(%rbx), %r14
        // Same order as before: a racing interrupt() leaves entry_limit
        // raised with the flag clear at worst (the slow path then goes on).
        movq    $0, KILN_VMS_INTERRUPT(%r14)
        movq    %r13, KILN_VMS_STACK_LIMIT(%r14)
        movq    %r13, KILN_VMS_ENTRY_LIMIT(%r14)
2:      incl    KILN_ES_DEPTH(%rbx)
        pushq   %rbx
        pushq   %fs:KILN_TTS_LANDING_SP(%r12)
        subq    $8, %rsp
        movq    %rsp, %fs:KILN_TTS_LANDING_SP(%r12)
.endm

// Closes the landing point, undoes the bookkeeping and returns, with the
// TLS offset in %r12 and the EntryStore in %rbx, as
// OPEN_LANDING left them (wasm code keeps callee-saved registers). Keeps
// rax, rdx and xmm0 (the results); clobbers rcx. Expects the CFA in %rbp.
.macro CLOSE_LANDING_AND_RETURN
        movq    KILN_FRAME_PREV_LANDING(%rsp), %rcx
        movq    %rcx, %fs:KILN_TTS_LANDING_SP(%r12)
        decl    KILN_ES_DEPTH(%rbx)
        addq    $24, %rsp
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %rbx
        popq    %rbp
        .cfi_def_cfa %rsp, 8
        ret
.endm

// int kiln_wasm_call_trampoline(EntryTrampoline trampoline [rdi], void* code [rsi],
//     VMContext* vmctx [rdx], ValSlot* slots [rcx], EntryStore* store [r8])
// Calls trampoline(code, vmctx, vmctx, slots): arguments in place but one.
        .globl  kiln_wasm_call_trampoline
        .hidden kiln_wasm_call_trampoline
        .type   kiln_wasm_call_trampoline, @function
        .p2align 4
kiln_wasm_call_trampoline:
        .cfi_startproc
        SAVE_REGISTERS
        movq    %r8, %rbx
        OPEN_LANDING
        movq    %rdi, %rax
        movq    %rsi, %rdi
        movq    %rdx, %rsi
        callq   *%rax
        xorl    %eax, %eax
        CLOSE_LANDING_AND_RETURN
        .cfi_endproc
        .size   kiln_wasm_call_trampoline, .-kiln_wasm_call_trampoline

// Typed calls: (const NativeTarget* target [rdi], up to 4 integer arguments
// [rsi rdx rcx r8], up to 8 floating-point arguments [xmm0-7]) calls
// target->code(vmctx, vmctx, arguments...) in the wasm calling convention:
// the callee vmctx in r13 (saved by SAVE_REGISTERS), the caller vmctx in
// rdi, and the arguments where they already are.
.macro TYPED_CALL
        movq    KILN_NT_ENTRY(%rdi), %rbx
        OPEN_LANDING
        movq    %rdi, %rax
        movq    KILN_NT_VMCTX(%rax), %r13
        movq    %r13, %rdi
        callq   *KILN_NT_CODE(%rax)
.endm

// After a typed call: a pending wasm exception (VMStoreContext::
// pending_exception) ends the call like a trap, `flag` = 1, and leaves the
// store's context in the thread's state for throw_last_trap, which throws
// it as a kiln::Exception; `flag` = 0 otherwise. Clobbers rcx.
.macro NOTE_PENDING_EXCEPTION flag
        movq    KILN_ES_VM(%rbx), %rcx
        xorl    \flag, \flag
        cmpq    $0, KILN_VMS_PENDING_EXCEPTION(%rcx)
        je      5f
        movq    %rcx, %fs:KILN_TTS_EXCEPTION_VM(%r12)
        movl    $1, \flag
5:
.endm

// Integer or no result in rax; returns {result, trapped} in rax:rdx.
        .globl  KILN_WASM_CALL_INT
        .type   KILN_WASM_CALL_INT, @function
        .p2align 4
KILN_WASM_CALL_INT:
        .cfi_startproc
        SAVE_REGISTERS
        TYPED_CALL
        NOTE_PENDING_EXCEPTION %edx
        CLOSE_LANDING_AND_RETURN
        .cfi_endproc
        .size   KILN_WASM_CALL_INT, .-KILN_WASM_CALL_INT

// Floating-point or no result; returns {result, trapped} in xmm0:rax.
        .globl  KILN_WASM_CALL_SSE
        .type   KILN_WASM_CALL_SSE, @function
        .p2align 4
KILN_WASM_CALL_SSE:
        .cfi_startproc
        SAVE_REGISTERS
        TYPED_CALL
        NOTE_PENDING_EXCEPTION %eax
        CLOSE_LANDING_AND_RETURN
        .cfi_endproc
        .size   KILN_WASM_CALL_SSE, .-KILN_WASM_CALL_SSE

// Entered by a jump (kiln_wasm_unwind) or from a signal handler's edited
// context, with %rsp = a landing sp: the rest of the frame is an entry's.
        .globl  kiln_wasm_land
        .hidden kiln_wasm_land
        .type   kiln_wasm_land, @function
        .p2align 4
kiln_wasm_land:
        .cfi_startproc
        .cfi_def_cfa %rsp, KILN_FRAME_SIZE
        ENTRY_FRAME_CFI
        leaq    (KILN_FRAME_SIZE - 16)(%rsp), %rbp  // as the entry had it
        .cfi_def_cfa %rbp, 16
        movq    kiln_thread_trap_state@gottpoff(%rip), %r12
        movq    KILN_FRAME_STORE(%rsp), %rbx
        movl    $1, %eax
        movl    $1, %edx
        CLOSE_LANDING_AND_RETURN
        .cfi_endproc
        .size   kiln_wasm_land, .-kiln_wasm_land

// [[noreturn]] void kiln_wasm_unwind(uintptr_t landing_sp [rdi])
        .globl  kiln_wasm_unwind
        .hidden kiln_wasm_unwind
        .type   kiln_wasm_unwind, @function
        .p2align 4
kiln_wasm_unwind:
        .cfi_startproc
        movq    %rdi, %rsp
        .cfi_def_cfa %rsp, KILN_FRAME_SIZE  // from here on, an entry's frame
        ENTRY_FRAME_CFI
        jmp     kiln_wasm_land
        .cfi_endproc
        .size   kiln_wasm_unwind, .-kiln_wasm_unwind

// VMFuncRef::code of a typed host function's direct entry: wasm code calls
// it in the wasm calling convention (host context in r13, caller vmctx in
// rdi, parameters from rsi on); the C++ entry takes (context, caller vmctx,
// parameters...) in the C convention. The integer registers move up one,
// floating-point ones stay, and the jump leaves r13 and the stack as the
// caller made them. Only for entries with at most 4 integer parameters, so
// that none moves onto the stack.
        .globl  kiln_direct_host_thunk
        .hidden kiln_direct_host_thunk
        .type   kiln_direct_host_thunk, @function
        .p2align 4
kiln_direct_host_thunk:
        .cfi_startproc
        movq    %r8, %r9
        movq    %rcx, %r8
        movq    %rdx, %rcx
        movq    %rsi, %rdx
        movq    %rdi, %rsi
        movq    %r13, %rdi
        jmp     *KILN_HC_DIRECT_CODE(%r13)
        .cfi_endproc
        .size   kiln_direct_host_thunk, .-kiln_direct_host_thunk

// The first entry on a thread: kiln_prepare_thread, keeping every argument
// register of the entry. Called with %rsp = 8 mod 16.
        .type   kiln_entry_prepare_thread, @function
        .p2align 4
kiln_entry_prepare_thread:
        .cfi_startproc
        pushq   %rdi
        .cfi_adjust_cfa_offset 8
        pushq   %rsi
        .cfi_adjust_cfa_offset 8
        pushq   %rdx
        .cfi_adjust_cfa_offset 8
        pushq   %rcx
        .cfi_adjust_cfa_offset 8
        pushq   %r8
        .cfi_adjust_cfa_offset 8
        pushq   %r9
        .cfi_adjust_cfa_offset 8
        subq    $128, %rsp
        .cfi_adjust_cfa_offset 128
        movdqu  %xmm0, 0(%rsp)
        movdqu  %xmm1, 16(%rsp)
        movdqu  %xmm2, 32(%rsp)
        movdqu  %xmm3, 48(%rsp)
        movdqu  %xmm4, 64(%rsp)
        movdqu  %xmm5, 80(%rsp)
        movdqu  %xmm6, 96(%rsp)
        movdqu  %xmm7, 112(%rsp)
        callq   kiln_prepare_thread
        movdqu  0(%rsp), %xmm0
        movdqu  16(%rsp), %xmm1
        movdqu  32(%rsp), %xmm2
        movdqu  48(%rsp), %xmm3
        movdqu  64(%rsp), %xmm4
        movdqu  80(%rsp), %xmm5
        movdqu  96(%rsp), %xmm6
        movdqu  112(%rsp), %xmm7
        addq    $128, %rsp
        .cfi_adjust_cfa_offset -128
        popq    %r9
        .cfi_adjust_cfa_offset -8
        popq    %r8
        .cfi_adjust_cfa_offset -8
        popq    %rcx
        .cfi_adjust_cfa_offset -8
        popq    %rdx
        .cfi_adjust_cfa_offset -8
        popq    %rsi
        .cfi_adjust_cfa_offset -8
        popq    %rdi
        .cfi_adjust_cfa_offset -8
        ret
        .cfi_endproc
        .size   kiln_entry_prepare_thread, .-kiln_entry_prepare_thread

        .section .note.GNU-stack, "", @progbits
