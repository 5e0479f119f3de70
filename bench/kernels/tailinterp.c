// The interp kernel's bytecode and programs, run by threaded code: one
// function per opcode, each ending in a guaranteed tail call of the next
// opcode's function through a table (native: an indirect jump; wasm, built
// with -mtail-call: return_call_indirect). A tail call that grew the stack
// would overflow it within the first program.
#include "interp_programs.h"

#if !__has_attribute(musttail)
#error "tailinterp.c needs clang's musttail attribute"
#endif

typedef struct {
  const int32_t* code;
  int64_t* locals;
} Vm;

// pc: the next code word; sp: one past the top of the operand stack.
typedef int64_t (*Handler)(const Vm* vm, const int32_t* pc, int64_t* sp, int64_t* base);

static const Handler handlers[OP_NOP + 1];

#define HANDLER(name) static int64_t name(const Vm* vm, const int32_t* pc, int64_t* sp, int64_t* base)
#define NEXT() __attribute__((musttail)) return handlers[*pc](vm, pc + 1, sp, base)
#define BINARY(name, expr)            \
  HANDLER(name) {                     \
    int64_t b = *--sp, a = sp[-1];    \
    sp[-1] = (expr);                  \
    NEXT();                           \
  }

HANDLER(op_halt) { return sp > base ? sp[-1] : 0; }
HANDLER(op_push) { *sp++ = *pc++; NEXT(); }
HANDLER(op_load) { *sp++ = vm->locals[*pc++]; NEXT(); }
HANDLER(op_store) { vm->locals[*pc++] = *--sp; NEXT(); }
HANDLER(op_inc) { vm->locals[*pc++]++; NEXT(); }
BINARY(op_add, a + b)
BINARY(op_sub, a - b)
BINARY(op_mul, a * b)
BINARY(op_div, b ? a / b : 0)
BINARY(op_mod, b ? a % b : 0)
BINARY(op_and, a & b)
BINARY(op_or, a | b)
BINARY(op_xor, a ^ b)
BINARY(op_shl, (int64_t)((uint64_t)a << (b & 63)))
BINARY(op_shr, (int64_t)((uint64_t)a >> (b & 63)))
HANDLER(op_neg) { sp[-1] = -sp[-1]; NEXT(); }
HANDLER(op_not) { sp[-1] = !sp[-1]; NEXT(); }
BINARY(op_eq, a == b)
BINARY(op_ne, a != b)
BINARY(op_lt, a < b)
BINARY(op_le, a <= b)
BINARY(op_gt, a > b)
BINARY(op_ge, a >= b)
HANDLER(op_jmp) { pc = vm->code + *pc; NEXT(); }
HANDLER(op_jz) { pc = *--sp ? pc + 1 : vm->code + *pc; NEXT(); }
HANDLER(op_jnz) { pc = *--sp ? vm->code + *pc : pc + 1; NEXT(); }
HANDLER(op_dup) { *sp = sp[-1]; ++sp; NEXT(); }
HANDLER(op_drop) { --sp; NEXT(); }
HANDLER(op_swap) { int64_t t = sp[-1]; sp[-1] = sp[-2]; sp[-2] = t; NEXT(); }
HANDLER(op_over) { *sp = sp[-2]; ++sp; NEXT(); }
HANDLER(op_loadm) { sp[-1] = vm_memory[(uint64_t)sp[-1] & (VM_MEMORY - 1)]; NEXT(); }
HANDLER(op_storem) { sp -= 2; vm_memory[(uint64_t)sp[0] & (VM_MEMORY - 1)] = sp[1]; NEXT(); }
HANDLER(op_nop) { NEXT(); }

static const Handler handlers[OP_NOP + 1] = {
    op_halt, op_push, op_load, op_store, op_inc, op_add, op_sub, op_mul, op_div, op_mod,
    op_and,  op_or,   op_xor,  op_shl,   op_shr, op_neg, op_not, op_eq,  op_ne,  op_lt,
    op_le,   op_gt,   op_ge,   op_jmp,   op_jz,  op_jnz, op_dup, op_drop, op_swap, op_over,
    op_loadm, op_storem, op_nop,
};

static int64_t run(const Program* p, int64_t* locals) {
  int64_t stack[STACK_MAX];
  const Vm vm = {p->code, locals};
  return handlers[p->code[0]](&vm, p->code + 1, stack, stack);
}

int main(int argc, char** argv) { return interp_kernel_main(argc, argv, run); }
