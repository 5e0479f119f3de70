// The bytecode and the two programs of the interpreter kernels (interp.c:
// a switch in a loop; tailinterp.c: one function per opcode, tail-calling
// the next): Collatz lengths, and a sieve in VM memory.
#pragma once
#include "bench_common.h"

enum Op {
  OP_HALT, OP_PUSH, OP_LOAD, OP_STORE, OP_INC, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD,
  OP_AND, OP_OR, OP_XOR, OP_SHL, OP_SHR, OP_NEG, OP_NOT, OP_EQ, OP_NE, OP_LT, OP_LE,
  OP_GT, OP_GE, OP_JMP, OP_JZ, OP_JNZ, OP_DUP, OP_DROP, OP_SWAP, OP_OVER, OP_LOADM,
  OP_STOREM, OP_NOP,
};

enum { CODE_MAX = 512, STACK_MAX = 64, LOCALS = 16, VM_MEMORY = 1 << 18 };

typedef struct {
  int32_t code[CODE_MAX];
  uint32_t size;
} Program;

static int64_t vm_memory[VM_MEMORY];

static void emit(Program* p, int32_t op) { p->code[p->size++] = op; }
static void emit2(Program* p, int32_t op, int32_t arg) {
  emit(p, op);
  emit(p, arg);
}
// Jumps are emitted with a placeholder and patched when the target is known.
static uint32_t emit_jump(Program* p, int32_t op) {
  emit2(p, op, -1);
  return p->size - 1;
}
static void patch(Program* p, uint32_t at, uint32_t target) { p->code[at] = (int32_t)target; }

// Sum of Collatz sequence lengths for 1..limit-1 (locals: 0 i, 1 n, 2 total, 3 limit).
static void build_collatz(Program* p, int32_t limit) {
  p->size = 0;
  emit2(p, OP_PUSH, limit); emit2(p, OP_STORE, 3);
  emit2(p, OP_PUSH, 1); emit2(p, OP_STORE, 0);
  uint32_t loop_i = p->size;
  emit2(p, OP_LOAD, 0); emit2(p, OP_STORE, 1);
  uint32_t loop_n = p->size;
  emit2(p, OP_LOAD, 1); emit2(p, OP_PUSH, 1); emit(p, OP_EQ);
  uint32_t to_done = emit_jump(p, OP_JNZ);
  emit2(p, OP_LOAD, 1); emit2(p, OP_PUSH, 1); emit(p, OP_AND);
  uint32_t to_even = emit_jump(p, OP_JZ);
  emit2(p, OP_LOAD, 1); emit(p, OP_DUP); emit(p, OP_DUP); emit(p, OP_ADD); emit(p, OP_ADD);
  emit2(p, OP_PUSH, 1); emit(p, OP_ADD); emit2(p, OP_STORE, 1);
  uint32_t to_cont = emit_jump(p, OP_JMP);
  patch(p, to_even, p->size);
  emit2(p, OP_LOAD, 1); emit2(p, OP_PUSH, 1); emit(p, OP_SHR); emit2(p, OP_STORE, 1);
  patch(p, to_cont, p->size);
  emit2(p, OP_INC, 2);
  emit2(p, OP_JMP, (int32_t)loop_n);
  patch(p, to_done, p->size);
  emit2(p, OP_INC, 0);
  emit2(p, OP_LOAD, 0); emit2(p, OP_LOAD, 3); emit(p, OP_LT);
  emit2(p, OP_JNZ, (int32_t)loop_i);
  emit2(p, OP_LOAD, 2); emit(p, OP_HALT);
}

// Sieve in VM memory; returns the prime count (locals: 0 i, 1 j, 2 count, 3 limit).
static void build_sieve(Program* p, int32_t limit) {
  p->size = 0;
  emit2(p, OP_PUSH, limit); emit2(p, OP_STORE, 3);
  // clear memory[0..limit)
  emit2(p, OP_PUSH, 0); emit2(p, OP_STORE, 0);
  uint32_t clear = p->size;
  emit2(p, OP_LOAD, 0); emit2(p, OP_PUSH, 0); emit(p, OP_STOREM);
  emit2(p, OP_INC, 0); emit2(p, OP_LOAD, 0); emit2(p, OP_LOAD, 3); emit(p, OP_LT);
  emit2(p, OP_JNZ, (int32_t)clear);
  emit2(p, OP_PUSH, 2); emit2(p, OP_STORE, 0);
  uint32_t outer = p->size;
  emit2(p, OP_LOAD, 0); emit(p, OP_LOADM);
  uint32_t to_next = emit_jump(p, OP_JNZ);
  emit2(p, OP_INC, 2);
  emit2(p, OP_LOAD, 0); emit(p, OP_DUP); emit(p, OP_MUL); emit2(p, OP_STORE, 1);
  uint32_t inner = p->size;
  emit2(p, OP_LOAD, 1); emit2(p, OP_LOAD, 3); emit(p, OP_GE);
  uint32_t to_next2 = emit_jump(p, OP_JNZ);
  emit2(p, OP_LOAD, 1); emit2(p, OP_PUSH, 1); emit(p, OP_STOREM);
  emit2(p, OP_LOAD, 1); emit2(p, OP_LOAD, 0); emit(p, OP_ADD); emit2(p, OP_STORE, 1);
  emit2(p, OP_JMP, (int32_t)inner);
  patch(p, to_next, p->size);
  patch(p, to_next2, p->size);
  emit2(p, OP_INC, 0);
  emit2(p, OP_LOAD, 0); emit2(p, OP_LOAD, 3); emit(p, OP_LT);
  emit2(p, OP_JNZ, (int32_t)outer);
  emit2(p, OP_LOAD, 2); emit(p, OP_HALT);
}

typedef int64_t (*Interpreter)(const Program* p, int64_t* locals);

// The kernel's work: both programs, `reps` times at slightly varying sizes.
static inline int interp_kernel_main(int argc, char** argv, Interpreter run) {
  uint64_t start = bench_now_ns();
  uint32_t percent = bench_percent(argc, argv);
  uint32_t reps = bench_reps(8, percent);
  Program prog;
  uint64_t sum = 0;
  for (uint32_t r = 0; r < reps; ++r) {
    int64_t locals[LOCALS] = {0};
    build_collatz(&prog, 10000 + (int32_t)r);
    sum = bench_mix(sum, (uint64_t)run(&prog, locals));
    int64_t locals2[LOCALS] = {0};
    build_sieve(&prog, VM_MEMORY - 1 - (int32_t)r);
    sum = bench_mix(sum, (uint64_t)run(&prog, locals2));
  }
  bench_report(sum, start);
  return 0;
}
