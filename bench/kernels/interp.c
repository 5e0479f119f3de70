// A stack-machine bytecode interpreter: one big switch in a loop, running
// programs assembled at startup (Collatz lengths, a sieve in VM memory).
#include "interp_programs.h"

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

int main(int argc, char** argv) { return interp_kernel_main(argc, argv, run); }
