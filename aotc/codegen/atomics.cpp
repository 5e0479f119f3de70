// The threads proposal's atomic instructions: sequentially consistent LLVM
// atomics on linear memory, atomic.fence, and memory.atomic.wait/notify
// through the loader's builtins.
//
// An atomic access must be aligned to its size: the effective address is
// checked explicitly (hardware would not trap on x86-64) and a misaligned one
// traps with UnalignedAtomic before the bounds are looked at. Bounds are
// then checked as for any access (guard region or explicit compare).
#include "abi/vm_context.h"
#include "aotc/codegen/function_translator.h"

namespace kiln::aotc {

namespace {

constexpr auto kSeqCst = llvm::AtomicOrdering::SequentiallyConsistent;

}  // namespace

// zext(addr) + offset, after trapping unless it is a multiple of the access
// size. (A 64-bit memory's sum may wrap; its bounds check then traps.)
llvm::Value* FunctionTranslator::aligned_effective_address(llvm::Value* addr, const Instr& in) {
  const bool address64 = wasm_.memory_type(in.index).address64;
  if (!address64 && in.mem_offset > UINT32_MAX) fail("memory offset exceeds 32 bits");
  const uint32_t size = opcode_info(in.op).access;
  llvm::Value* effective = address64 ? addr : b_.CreateZExt(addr, m_.i64);
  if (in.mem_offset)
    effective = b_.CreateAdd(effective, b_.getInt64(in.mem_offset), "", !address64, !address64);
  if (size > 1) {
    llvm::Value* misaligned = b_.CreateAnd(effective, b_.getInt64(size - 1));
    trap_if(b_.CreateICmpNE(misaligned, b_.getInt64(0)), TrapCode::UnalignedAtomic);
  }
  return effective;
}

llvm::Value* FunctionTranslator::atomic_address(const Instr& in) {
  llvm::Value* addr = pop_atomic_operand_address(in);
  aligned_effective_address(addr, in);
  return memory_address(in.index, addr, in.mem_offset, opcode_info(in.op).access);
}

// The address operand, i64 for a 64-bit memory.
llvm::Value* FunctionTranslator::pop_atomic_operand_address(const Instr& in) {
  return pop(wasm_.memory_type(in.index).address64 ? m_.i64 : m_.i32);
}

// The integer type of the access (i8 for rmw8) and of the value (i32 / i64).
std::pair<llvm::IntegerType*, llvm::Type*> FunctionTranslator::atomic_types(const Instr& in) {
  const OpcodeInfo& info = opcode_info(in.op);
  const ValType value = info.sig.result != kNoType ? info.sig.result : info.sig.params[1];
  return {b_.getIntNTy(info.access * 8), m_.val_type(value)};
}

void FunctionTranslator::atomic_load(const Instr& in) {
  auto [mem_type, type] = atomic_types(in);
  llvm::Value* ptr = atomic_address(in);
  llvm::LoadInst* load = b_.CreateAlignedLoad(mem_type, ptr, llvm::Align(mem_type->getBitWidth() / 8));
  load->setAtomic(kSeqCst);
  load->setMetadata(llvm::LLVMContext::MD_tbaa, m_.tbaa(MemKind::LinearMemory));
  // As for plain loads: with guard regions the fault is the bounds check.
  if (faults_at_guard(in.index)) load->setVolatile(true);
  push(mem_type == type ? static_cast<llvm::Value*>(load) : b_.CreateZExt(load, type));
}

void FunctionTranslator::atomic_store(const Instr& in) {
  auto [mem_type, type] = atomic_types(in);
  llvm::Value* value = pop(type);
  llvm::Value* ptr = atomic_address(in);
  if (mem_type != type) value = b_.CreateTrunc(value, mem_type);
  llvm::StoreInst* store = b_.CreateAlignedStore(value, ptr, llvm::Align(mem_type->getBitWidth() / 8));
  store->setAtomic(kSeqCst);
  store->setMetadata(llvm::LLVMContext::MD_tbaa, m_.tbaa(MemKind::LinearMemory));
}

void FunctionTranslator::atomic_rmw(const Instr& in, llvm::AtomicRMWInst::BinOp op) {
  auto [mem_type, type] = atomic_types(in);
  llvm::Value* value = pop(type);
  llvm::Value* ptr = atomic_address(in);
  if (mem_type != type) value = b_.CreateTrunc(value, mem_type);
  llvm::AtomicRMWInst* rmw =
      b_.CreateAtomicRMW(op, ptr, value, llvm::Align(mem_type->getBitWidth() / 8), kSeqCst);
  rmw->setMetadata(llvm::LLVMContext::MD_tbaa, m_.tbaa(MemKind::LinearMemory));
  push(mem_type == type ? static_cast<llvm::Value*>(rmw) : b_.CreateZExt(rmw, type));
}

// The narrow forms compare and store the low bits of their operands.
void FunctionTranslator::atomic_cmpxchg(const Instr& in) {
  auto [mem_type, type] = atomic_types(in);
  llvm::Value* replacement = pop(type);
  llvm::Value* expected = pop(type);
  llvm::Value* ptr = atomic_address(in);
  if (mem_type != type) {
    replacement = b_.CreateTrunc(replacement, mem_type);
    expected = b_.CreateTrunc(expected, mem_type);
  }
  llvm::AtomicCmpXchgInst* cx = b_.CreateAtomicCmpXchg(
      ptr, expected, replacement, llvm::Align(mem_type->getBitWidth() / 8), kSeqCst, kSeqCst);
  cx->setMetadata(llvm::LLVMContext::MD_tbaa, m_.tbaa(MemKind::LinearMemory));
  llvm::Value* old = b_.CreateExtractValue(cx, 0);
  push(mem_type == type ? old : b_.CreateZExt(old, type));
}

void FunctionTranslator::translate_atomic(const Instr& in) {
  const AtomicOp op = as_family<OpFamily::Atomic>(in.op);
  using O = AtomicOp;
  using R = llvm::AtomicRMWInst;
  switch (op) {
    case O::MemoryAtomicNotify: {
      llvm::Value* count = pop(m_.i32);
      // The builtin checks the bounds against the memory's current size.
      llvm::Value* at = aligned_effective_address(pop_atomic_operand_address(in), in);
      push(call_builtin(abi::kBuiltinMemoryAtomicNotify, m_.i32, {b_.getInt32(in.index), at, count}));
      return;
    }
    case O::MemoryAtomicWait32:
    case O::MemoryAtomicWait64: {
      llvm::Value* timeout = pop(m_.i64);
      llvm::Value* expected = pop(op == O::MemoryAtomicWait32 ? m_.i32 : m_.i64);
      llvm::Value* at = aligned_effective_address(pop_atomic_operand_address(in), in);
      const uint64_t builtin =
          op == O::MemoryAtomicWait32 ? abi::kBuiltinMemoryAtomicWait32 : abi::kBuiltinMemoryAtomicWait64;
      push(call_builtin(builtin, m_.i32, {b_.getInt32(in.index), at, expected, timeout}));
      return;
    }
    case O::AtomicFence:
      b_.CreateFence(kSeqCst);
      return;
    case O::I32AtomicLoad: case O::I64AtomicLoad: case O::I32AtomicLoad8U: case O::I32AtomicLoad16U:
    case O::I64AtomicLoad8U: case O::I64AtomicLoad16U: case O::I64AtomicLoad32U:
      atomic_load(in);
      return;
    case O::I32AtomicStore: case O::I64AtomicStore: case O::I32AtomicStore8: case O::I32AtomicStore16:
    case O::I64AtomicStore8: case O::I64AtomicStore16: case O::I64AtomicStore32:
      atomic_store(in);
      return;
    case O::I32AtomicRmwAdd: case O::I64AtomicRmwAdd: case O::I32AtomicRmw8AddU:
    case O::I32AtomicRmw16AddU: case O::I64AtomicRmw8AddU: case O::I64AtomicRmw16AddU:
    case O::I64AtomicRmw32AddU:
      atomic_rmw(in, R::Add);
      return;
    case O::I32AtomicRmwSub: case O::I64AtomicRmwSub: case O::I32AtomicRmw8SubU:
    case O::I32AtomicRmw16SubU: case O::I64AtomicRmw8SubU: case O::I64AtomicRmw16SubU:
    case O::I64AtomicRmw32SubU:
      atomic_rmw(in, R::Sub);
      return;
    case O::I32AtomicRmwAnd: case O::I64AtomicRmwAnd: case O::I32AtomicRmw8AndU:
    case O::I32AtomicRmw16AndU: case O::I64AtomicRmw8AndU: case O::I64AtomicRmw16AndU:
    case O::I64AtomicRmw32AndU:
      atomic_rmw(in, R::And);
      return;
    case O::I32AtomicRmwOr: case O::I64AtomicRmwOr: case O::I32AtomicRmw8OrU:
    case O::I32AtomicRmw16OrU: case O::I64AtomicRmw8OrU: case O::I64AtomicRmw16OrU:
    case O::I64AtomicRmw32OrU:
      atomic_rmw(in, R::Or);
      return;
    case O::I32AtomicRmwXor: case O::I64AtomicRmwXor: case O::I32AtomicRmw8XorU:
    case O::I32AtomicRmw16XorU: case O::I64AtomicRmw8XorU: case O::I64AtomicRmw16XorU:
    case O::I64AtomicRmw32XorU:
      atomic_rmw(in, R::Xor);
      return;
    case O::I32AtomicRmwXchg: case O::I64AtomicRmwXchg: case O::I32AtomicRmw8XchgU:
    case O::I32AtomicRmw16XchgU: case O::I64AtomicRmw8XchgU: case O::I64AtomicRmw16XchgU:
    case O::I64AtomicRmw32XchgU:
      atomic_rmw(in, R::Xchg);
      return;
    case O::I32AtomicRmwCmpxchg: case O::I64AtomicRmwCmpxchg: case O::I32AtomicRmw8CmpxchgU:
    case O::I32AtomicRmw16CmpxchgU: case O::I64AtomicRmw8CmpxchgU: case O::I64AtomicRmw16CmpxchgU:
    case O::I64AtomicRmw32CmpxchgU:
      atomic_cmpxchg(in);
      return;
  }
}

}  // namespace kiln::aotc
