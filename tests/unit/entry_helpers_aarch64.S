// Helpers for the entry tests (test_trap_handling.cpp), aarch64: callee-saved
// registers are x19-x29 and d8-d15 (the low halves of v8-v15).

        .text

// xN's sentinel repeats the byte 0xN (x19: 0x1919...); dN's is 0x8N (d8: 0x8888...).
.macro SENTINEL reg, byte
        movz    \reg, #((\byte) * 0x101)
        movk    \reg, #((\byte) * 0x101), lsl #16
        movk    \reg, #((\byte) * 0x101), lsl #32
        movk    \reg, #((\byte) * 0x101), lsl #48
.endm

// int kiln_test_call_with_sentinels(GuardedFn guarded [x0], fn [x1], data [x2])
// Calls guarded(fn, data, nullptr) with a sentinel in each callee-saved
// register; returns how many no longer hold it.
        .p2align 4
        .globl  kiln_test_call_with_sentinels
        .hidden kiln_test_call_with_sentinels
        .type   kiln_test_call_with_sentinels, %function
kiln_test_call_with_sentinels:
        stp     x29, x30, [sp, #-160]!
        mov     x29, sp
        stp     x19, x20, [sp, #16]
        stp     x21, x22, [sp, #32]
        stp     x23, x24, [sp, #48]
        stp     x25, x26, [sp, #64]
        stp     x27, x28, [sp, #80]
        stp     d8, d9, [sp, #96]
        stp     d10, d11, [sp, #112]
        stp     d12, d13, [sp, #128]
        stp     d14, d15, [sp, #144]
        mov     x9, x0
        mov     x0, x1
        mov     x1, x2
        mov     x2, #0
        .irp    n, 8, 9, 10, 11, 12, 13, 14, 15
        SENTINEL x10, 0x80 + \n
        fmov    d\n, x10
        .endr
        .irp    n, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29
        SENTINEL x\n, 0x\n
        .endr
        blr     x9
        mov     w0, #0
        .irp    n, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29
        SENTINEL x10, 0x\n
        cmp     x\n, x10
        cinc    w0, w0, ne
        .endr
        .irp    n, 8, 9, 10, 11, 12, 13, 14, 15
        SENTINEL x10, 0x80 + \n
        fmov    x11, d\n
        cmp     x11, x10
        cinc    w0, w0, ne
        .endr
        ldp     d14, d15, [sp, #144]
        ldp     d12, d13, [sp, #128]
        ldp     d10, d11, [sp, #112]
        ldp     d8, d9, [sp, #96]
        ldp     x27, x28, [sp, #80]
        ldp     x25, x26, [sp, #64]
        ldp     x23, x24, [sp, #48]
        ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #160
        ret
        .size   kiln_test_call_with_sentinels, .-kiln_test_call_with_sentinels

// void kiln_test_clobber_then_call(void* data [x0])
// Overwrites the callee-saved registers (zeroes, and x29 = its own sp), then
// calls target(arg) from data = {target, arg}; that call must not return.
        .p2align 4
        .globl  kiln_test_clobber_then_call
        .hidden kiln_test_clobber_then_call
        .type   kiln_test_clobber_then_call, %function
kiln_test_clobber_then_call:
        ldp     x9, x0, [x0]
        .irp    n, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28
        mov     x\n, #0
        .endr
        .irp    n, 8, 9, 10, 11, 12, 13, 14, 15
        fmov    d\n, xzr
        .endr
        mov     x29, sp
        blr     x9
        udf     #0
        .size   kiln_test_clobber_then_call, .-kiln_test_clobber_then_call

        .section .note.GNU-stack, "", %progbits
