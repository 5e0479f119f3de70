// Linear memory loads and stores, memory.size and memory.grow.
//
// With BoundsCheck::GuardRegion an access is base + zext(addr) + offset with
// no check: every such address lies in the reserved region, and one outside
// the committed pages faults; the loader turns the fault into a trap. With
// BoundsCheck::Explicit the end of the access is compared with the size.
//
// A 64-bit memory (memory64) is always checked explicitly: no reservation
// can cover a 64-bit index plus a 64-bit offset. The check is one add with
// overflow, one compare with the current size (loaded from the VMMemory:
// it changes with memory.grow) and one branch to the trap site; README
// ("WebAssembly 3.0 proposals") gives what it costs on a load-bound loop.
#include <bit>

#include "abi/vm_context.h"
#include "aotc/codegen/function_translator.h"

namespace kiln::aotc {

llvm::Value* FunctionTranslator::memory_address(uint32_t memory, llvm::Value* addr,
                                                uint64_t offset, uint32_t size) {
  if (wasm_.memory_type(memory).address64) return memory64_address(memory, addr, offset, size);
  llvm::Value* index = b_.CreateZExt(addr, m_.i64);
  // Both terms are below 2^32, so the sum cannot wrap.
  if (offset) index = b_.CreateAdd(index, b_.getInt64(offset), "", /*HasNUW=*/true, true);
  if (m_.options.bounds_check == abi::BoundsCheck::Explicit) {
    llvm::Value* end = b_.CreateAdd(index, b_.getInt64(size), "", true, true);
    trap_if(b_.CreateICmpUGT(end, memory_bytes(memory)), TrapCode::OutOfBoundsMemoryAccess);
  }
  return b_.CreateGEP(m_.i8, memory_base(memory), index);
}

llvm::IntegerType* FunctionTranslator::address_type(uint32_t memory) const {
  return wasm_.memory_type(memory).address64 ? m_.i64 : m_.i32;
}

llvm::Value* FunctionTranslator::memory64_address(uint32_t memory, llvm::Value* addr,
                                                  uint64_t offset, uint32_t size) {
  // addr + offset + size <= memory size, in unbounded arithmetic. A constant
  // part past 2^64 - 1 is clamped to it: no memory is that large, so the
  // access traps either way.
  const uint64_t tail = offset > UINT64_MAX - size ? UINT64_MAX : offset + size;
  llvm::Value* sum = b_.CreateBinaryIntrinsic(llvm::Intrinsic::uadd_with_overflow, addr,
                                              b_.getInt64(tail));
  llvm::Value* end = b_.CreateExtractValue(sum, 0);
  llvm::Value* wrapped = b_.CreateExtractValue(sum, 1);
  llvm::Value* outside = b_.CreateOr(wrapped, b_.CreateICmpUGT(end, memory_bytes(memory)));
  trap_if(outside, TrapCode::OutOfBoundsMemoryAccess);
  // In bounds, so addr + offset did not wrap.
  llvm::Value* index = offset ? b_.CreateAdd(addr, b_.getInt64(offset), "", true, true) : addr;
  return b_.CreateGEP(m_.i8, memory_base(memory), index);
}

llvm::LoadInst* FunctionTranslator::memory_bytes(uint32_t memory) {
  return load_field(b_, m_.i64, vm_memory(memory), offsetof(abi::VMMemory, size),
                    MemKind::MemoryHeader, "memory_size");
}

llvm::LoadInst* FunctionTranslator::load_linear(llvm::Type* type, llvm::Value* addr,
                                                uint32_t memory) {
  // Align 1: wasm alignment is only a hint, and x86 loads do not care.
  llvm::LoadInst* load = b_.CreateAlignedLoad(type, addr, llvm::Align(1));
  load->setMetadata(llvm::LLVMContext::MD_tbaa, m_.tbaa(MemKind::LinearMemory));
  // With guard regions the trap is the fault, which LLVM does not model: a
  // load whose value ends up unused (after any optimization, even instruction
  // selection at -O0) would vanish with its trap. Volatile keeps every one.
  // Explicit checks (that mode, or a 64-bit memory) trap on their own
  // compare, so their loads stay plain.
  if (faults_at_guard(memory)) mark_guarded(load, memory);
  return load;
}

void FunctionTranslator::store_linear(llvm::Value* value, llvm::Value* addr, uint32_t memory) {
  llvm::StoreInst* store = b_.CreateAlignedStore(value, addr, llvm::Align(1));
  store->setMetadata(llvm::LLVMContext::MD_tbaa, m_.tbaa(MemKind::LinearMemory));
  // Likewise for stores: LLVM would merge neighbours into one wider store
  // (vectorizers, memset idioms, the DAG's store merging), and where the wider
  // store reaches the guard region it faults before writing the in-bounds
  // part that wasm says is written before the trap.
  if (faults_at_guard(memory)) mark_guarded(store, memory);
}

void FunctionTranslator::mark_guarded(llvm::Instruction* access, uint32_t memory) {
  if (auto* load = llvm::dyn_cast<llvm::LoadInst>(access)) load->setVolatile(true);
  if (auto* store = llvm::dyn_cast<llvm::StoreInst>(access)) store->setVolatile(true);
  // Lets loop versioning find them (and make them plain where a range check
  // has shown that none of them can fault).
  access->setMetadata(kGuardedAccessMetadata,
                      llvm::MDNode::get(m_.ctx, {llvm::ConstantAsMetadata::get(b_.getInt32(memory))}));
}

bool FunctionTranslator::faults_at_guard(uint32_t memory) const {
  return m_.options.bounds_check == abi::BoundsCheck::GuardRegion &&
         !wasm_.memory_type(memory).address64;
}

void FunctionTranslator::push_loaded(llvm::Value* value, llvm::LoadInst* load) {
  memory_loads_[value] = load;
  push(value);
}

llvm::Value* FunctionTranslator::pop_address(const Instr& in) {
  const bool address64 = wasm_.memory_type(in.index).address64;
  if (!address64 && in.mem_offset > UINT32_MAX) fail("memory offset exceeds 32 bits");
  llvm::Value* addr = pop(address64 ? m_.i64 : m_.i32);
  return memory_address(in.index, addr, in.mem_offset, opcode_info(in.op).access);
}

// A narrow integer access reads or writes fewer bits than its value type has.
void FunctionTranslator::scalar_load(const Instr& in, bool sign_extend) {
  const OpcodeInfo& info = opcode_info(in.op);
  llvm::Value* addr = pop_address(in);
  llvm::Type* type = m_.val_type(info.sig.result);
  llvm::Type* mem_type = type->isFloatingPointTy() ? type : b_.getIntNTy(info.access * 8);
  llvm::LoadInst* load = load_linear(mem_type, addr, in.index);
  llvm::Value* value = load;
  if (mem_type != type) value = sign_extend ? b_.CreateSExt(load, type) : b_.CreateZExt(load, type);
  push_loaded(value, load);
}

void FunctionTranslator::scalar_store(const Instr& in) {
  const OpcodeInfo& info = opcode_info(in.op);
  llvm::Type* type = m_.val_type(info.sig.params[1]);
  llvm::Value* value = pop(type);
  llvm::Value* addr = pop_address(in);
  llvm::Type* mem_type = type->isFloatingPointTy() ? type : b_.getIntNTy(info.access * 8);
  if (mem_type != type) value = b_.CreateTrunc(value, mem_type);
  store_linear(value, addr, in.index);
}

void FunctionTranslator::translate_memory(const Instr& in) {
  const MemoryOp op = as_family<OpFamily::Memory>(in.op);
  using O = MemoryOp;
  switch (op) {
    case O::I32Load8S: case O::I32Load16S: case O::I64Load8S: case O::I64Load16S:
    case O::I64Load32S:
      scalar_load(in, /*sign_extend=*/true);
      return;
    case O::I32Load: case O::I64Load: case O::F32Load: case O::F64Load: case O::I32Load8U:
    case O::I32Load16U: case O::I64Load8U: case O::I64Load16U: case O::I64Load32U:
      scalar_load(in, /*sign_extend=*/false);
      return;
    case O::I32Store: case O::I64Store: case O::F32Store: case O::F64Store: case O::I32Store8:
    case O::I32Store16: case O::I64Store8: case O::I64Store16: case O::I64Store32:
      scalar_store(in);
      return;
    case O::MemorySize: {
      constexpr unsigned kPageShift = std::countr_zero(abi::kWasmPageSize);
      llvm::Value* pages = b_.CreateLShr(memory_bytes(in.index), kPageShift);
      push(b_.CreateZExtOrTrunc(pages, address_type(in.index)));
      return;
    }
    case O::MemoryGrow: {
      // The builtin's -1 is UINT64_MAX, whose low half is a 32-bit memory's -1.
      llvm::Value* delta = b_.CreateZExt(pop(address_type(in.index)), m_.i64);
      llvm::Value* old = call_builtin(abi::kBuiltinMemoryGrow, m_.i64, {b_.getInt32(in.index), delta});
      push(b_.CreateZExtOrTrunc(old, address_type(in.index)));
      return;
    }
  }
}

}  // namespace kiln::aotc
