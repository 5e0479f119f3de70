// The landing point of host->wasm calls, x86-64 System V (see wasm_entry.h).
//
// kiln_wasm_enter saves the callee-saved registers in its own frame, stores
// the stack pointer below them in *landing_sp, calls fn(data) and returns 0.
// A trap continues at kiln_wasm_land with %rsp set to that stored value: the
// registers are reloaded from the same frame and kiln_wasm_enter returns 1.
// Frame, from the landing sp up:
//   0: padding (keeps the call to fn 16-byte aligned)
//   8: r15  16: r14  24: r13  32: r12  40: rbx  48: rbp  56: return address

#if !defined(__x86_64__)
#error "wasm_entry_x86_64.S is for x86-64 only"
#endif

        .text

// int kiln_wasm_enter(void (*fn)(void*) [rdi], void* data [rsi], uintptr_t* landing_sp [rdx])
        .globl  kiln_wasm_enter
        .hidden kiln_wasm_enter
        .type   kiln_wasm_enter, @function
        .p2align 4
kiln_wasm_enter:
        .cfi_startproc
        pushq   %rbp
        .cfi_def_cfa_offset 16
        .cfi_offset %rbp, -16
        movq    %rsp, %rbp              // a frame-pointer chain through the entry
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
        subq    $8, %rsp
        movq    %rsp, (%rdx)
        movq    %rdi, %rax
        movq    %rsi, %rdi
        callq   *%rax
        xorl    %eax, %eax
        addq    $8, %rsp
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %rbx
        popq    %rbp
        .cfi_def_cfa %rsp, 8
        ret
        .cfi_endproc
        .size   kiln_wasm_enter, .-kiln_wasm_enter

// Entered by a jump (kiln_wasm_unwind) or from a signal handler's edited
// context, with %rsp = a landing sp stored by kiln_wasm_enter.
        .globl  kiln_wasm_land
        .hidden kiln_wasm_land
        .type   kiln_wasm_land, @function
        .p2align 4
kiln_wasm_land:
        .cfi_startproc
        // The frame is kiln_wasm_enter's: describe it for unwinders.
        .cfi_def_cfa %rsp, 64
        .cfi_offset %rbp, -16
        .cfi_offset %rbx, -24
        .cfi_offset %r12, -32
        .cfi_offset %r13, -40
        .cfi_offset %r14, -48
        .cfi_offset %r15, -56
        movl    $1, %eax
        addq    $8, %rsp
        .cfi_def_cfa_offset 56
        popq    %r15
        .cfi_def_cfa_offset 48
        .cfi_restore %r15
        popq    %r14
        .cfi_def_cfa_offset 40
        .cfi_restore %r14
        popq    %r13
        .cfi_def_cfa_offset 32
        .cfi_restore %r13
        popq    %r12
        .cfi_def_cfa_offset 24
        .cfi_restore %r12
        popq    %rbx
        .cfi_def_cfa_offset 16
        .cfi_restore %rbx
        popq    %rbp
        .cfi_def_cfa_offset 8
        .cfi_restore %rbp
        ret
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
        .cfi_def_cfa %rsp, 64           // from here on, kiln_wasm_enter's frame
        .cfi_offset %rbp, -16
        .cfi_offset %rbx, -24
        .cfi_offset %r12, -32
        .cfi_offset %r13, -40
        .cfi_offset %r14, -48
        .cfi_offset %r15, -56
        jmp     kiln_wasm_land
        .cfi_endproc
        .size   kiln_wasm_unwind, .-kiln_wasm_unwind

        .section .note.GNU-stack, "", @progbits
