// Helpers for the entry tests (test_trap_handling.cpp), x86-64: callee-saved
// registers are rbx, rbp and r12-r15.

        .text
// int kiln_test_call_with_sentinels(GuardedFn guarded [rdi], fn [rsi], data [rdx])
// Calls guarded(fn, data, nullptr) with a sentinel in each callee-saved
// register; returns how many no longer hold it.
        .p2align 4
        .globl  kiln_test_call_with_sentinels
        .hidden kiln_test_call_with_sentinels
        .type   kiln_test_call_with_sentinels, @function
kiln_test_call_with_sentinels:
        pushq   %rbp
        pushq   %rbx
        pushq   %r12
        pushq   %r13
        pushq   %r14
        pushq   %r15
        subq    $8, %rsp
        movq    %rdi, %rax
        movq    %rsi, %rdi
        movq    %rdx, %rsi
        xorl    %edx, %edx
        movabsq $0x1111111111111111, %rbx
        movabsq $0x2222222222222222, %rbp
        movabsq $0x3333333333333333, %r12
        movabsq $0x4444444444444444, %r13
        movabsq $0x5555555555555555, %r14
        movabsq $0x6666666666666666, %r15
        callq   *%rax
        xorl    %eax, %eax
        movabsq $0x1111111111111111, %rcx
        cmpq    %rcx, %rbx
        setne   %cl
        movzbl  %cl, %ecx
        addl    %ecx, %eax
        movabsq $0x2222222222222222, %rcx
        cmpq    %rcx, %rbp
        setne   %cl
        movzbl  %cl, %ecx
        addl    %ecx, %eax
        movabsq $0x3333333333333333, %rcx
        cmpq    %rcx, %r12
        setne   %cl
        movzbl  %cl, %ecx
        addl    %ecx, %eax
        movabsq $0x4444444444444444, %rcx
        cmpq    %rcx, %r13
        setne   %cl
        movzbl  %cl, %ecx
        addl    %ecx, %eax
        movabsq $0x5555555555555555, %rcx
        cmpq    %rcx, %r14
        setne   %cl
        movzbl  %cl, %ecx
        addl    %ecx, %eax
        movabsq $0x6666666666666666, %rcx
        cmpq    %rcx, %r15
        setne   %cl
        movzbl  %cl, %ecx
        addl    %ecx, %eax
        addq    $8, %rsp
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %rbx
        popq    %rbp
        ret
        .size   kiln_test_call_with_sentinels, .-kiln_test_call_with_sentinels

// void kiln_test_clobber_then_call(void* data [rdi])
// Overwrites the callee-saved registers (zeroes, and rbp = its own sp), then
// calls target(arg) from data = {target, arg}; that call must not return.
        .p2align 4
        .globl  kiln_test_clobber_then_call
        .hidden kiln_test_clobber_then_call
        .type   kiln_test_clobber_then_call, @function
kiln_test_clobber_then_call:
        subq    $8, %rsp
        movq    (%rdi), %rax
        movq    8(%rdi), %rdi
        xorl    %ebx, %ebx
        xorl    %r12d, %r12d
        xorl    %r13d, %r13d
        xorl    %r14d, %r14d
        xorl    %r15d, %r15d
        movq    %rsp, %rbp
        callq   *%rax
        ud2
        .size   kiln_test_clobber_then_call, .-kiln_test_clobber_then_call

        .section .note.GNU-stack, "", @progbits
