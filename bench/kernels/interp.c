// A stack-machine bytecode interpreter: one big switch in a loop, running
// programs assembled at startup (Collatz lengths, a sieve in VM memory).
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

static int64_t run(const Program* p, int64_t* locals) {
  int64_t stack[STACK_MAX];
  int sp = 0;
  uint32_t pc = 0;
  for (;;) {
    int32_t op = p->code[pc++];
    switch (op) {
      case OP_HALT: return sp ? stack[sp - 1] : 0;
      case OP_PUSH: stack[sp++] = p->code[pc++]; break;
      case OP_LOAD: stack[sp++] = locals[p->code[pc++]]; break;
      case OP_STORE: locals[p->code[pc++]] = stack[--sp]; break;
      case OP_INC: locals[p->code[pc++]]++; break;
      case OP_ADD: --sp; stack[sp - 1] += stack[sp]; break;
      case OP_SUB: --sp; stack[sp - 1] -= stack[sp]; break;
      case OP_MUL: --sp; stack[sp - 1] *= stack[sp]; break;
      case OP_DIV: --sp; stack[sp - 1] = stack[sp] ? stack[sp - 1] / stack[sp] : 0; break;
      case OP_MOD: --sp; stack[sp - 1] = stack[sp] ? stack[sp - 1] % stack[sp] : 0; break;
      case OP_AND: --sp; stack[sp - 1] &= stack[sp]; break;
      case OP_OR: --sp; stack[sp - 1] |= stack[sp]; break;
      case OP_XOR: --sp; stack[sp - 1] ^= stack[sp]; break;
      case OP_SHL: --sp; stack[sp - 1] = (int64_t)((uint64_t)stack[sp - 1] << (stack[sp] & 63)); break;
      case OP_SHR: --sp; stack[sp - 1] = (int64_t)((uint64_t)stack[sp - 1] >> (stack[sp] & 63)); break;
      case OP_NEG: stack[sp - 1] = -stack[sp - 1]; break;
      case OP_NOT: stack[sp - 1] = !stack[sp - 1]; break;
      case OP_EQ: --sp; stack[sp - 1] = stack[sp - 1] == stack[sp]; break;
      case OP_NE: --sp; stack[sp - 1] = stack[sp - 1] != stack[sp]; break;
      case OP_LT: --sp; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
      case OP_LE: --sp; stack[sp - 1] = stack[sp - 1] <= stack[sp]; break;
      case OP_GT: --sp; stack[sp - 1] = stack[sp - 1] > stack[sp]; break;
      case OP_GE: --sp; stack[sp - 1] = stack[sp - 1] >= stack[sp]; break;
      case OP_JMP: pc = (uint32_t)p->code[pc]; break;
      case OP_JZ: pc = stack[--sp] ? pc + 1 : (uint32_t)p->code[pc]; break;
      case OP_JNZ: pc = stack[--sp] ? (uint32_t)p->code[pc] : pc + 1; break;
      case OP_DUP: stack[sp] = stack[sp - 1]; ++sp; break;
      case OP_DROP: --sp; break;
      case OP_SWAP: { int64_t t = stack[sp - 1]; stack[sp - 1] = stack[sp - 2]; stack[sp - 2] = t; } break;
      case OP_OVER: stack[sp] = stack[sp - 2]; ++sp; break;
      case OP_LOADM: stack[sp - 1] = vm_memory[(uint64_t)stack[sp - 1] & (VM_MEMORY - 1)]; break;
      case OP_STOREM: sp -= 2; vm_memory[(uint64_t)stack[sp] & (VM_MEMORY - 1)] = stack[sp + 1]; break;
      case OP_NOP: break;
      default: return -1;
    }
  }
}

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

int main(int argc, char** argv) {
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
