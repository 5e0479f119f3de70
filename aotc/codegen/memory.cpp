// Linear memory loads and stores, memory.size and memory.grow.
//
// With BoundsCheck::GuardRegion an access is base + zext(addr) + offset with
// no check: every such address lies in the reserved region, and one outside
// the committed pages faults; the loader turns the fault into a trap. With
// BoundsCheck::Explicit the end of the access is compared with the size.
#include <bit>

#include "abi/vm_context.h"
#include "aotc/codegen/function_translator.h"

namespace kiln::aotc {

namespace {

struct LoadKind {
  Opcode op;
  uint8_t bytes;   // access width
  bool is_float;
  bool sign;       // sign-extend a narrow load
  uint8_t result;  // result width in bits (32/64)
};

constexpr LoadKind kLoads[] = {
    {Opcode::I32Load, 4, false, false, 32},    {Opcode::I64Load, 8, false, false, 64},
    {Opcode::F32Load, 4, true, false, 32},     {Opcode::F64Load, 8, true, false, 64},
    {Opcode::I32Load8S, 1, false, true, 32},   {Opcode::I32Load8U, 1, false, false, 32},
    {Opcode::I32Load16S, 2, false, true, 32},  {Opcode::I32Load16U, 2, false, false, 32},
    {Opcode::I64Load8S, 1, false, true, 64},   {Opcode::I64Load8U, 1, false, false, 64},
    {Opcode::I64Load16S, 2, false, true, 64},  {Opcode::I64Load16U, 2, false, false, 64},
    {Opcode::I64Load32S, 4, false, true, 64},  {Opcode::I64Load32U, 4, false, false, 64},
};

struct StoreKind {
  Opcode op;
  uint8_t bytes;
  bool is_float;
  uint8_t operand;  // operand width in bits
};

constexpr StoreKind kStores[] = {
    {Opcode::I32Store, 4, false, 32},  {Opcode::I64Store, 8, false, 64},
    {Opcode::F32Store, 4, true, 32},   {Opcode::F64Store, 8, true, 64},
    {Opcode::I32Store8, 1, false, 32}, {Opcode::I32Store16, 2, false, 32},
    {Opcode::I64Store8, 1, false, 64}, {Opcode::I64Store16, 2, false, 64},
    {Opcode::I64Store32, 4, false, 64},
};

}  // namespace

llvm::Value* FunctionTranslator::memory_address(llvm::Value* addr, uint64_t offset,
                                                uint32_t size) {
  llvm::Value* index = b_.CreateZExt(addr, m_.i64);
  // Both terms are below 2^32, so the sum cannot wrap.
  if (offset) index = b_.CreateAdd(index, b_.getInt64(offset), "", /*HasNUW=*/true, true);
  if (m_.options.bounds_check == abi::BoundsCheck::Explicit) {
    llvm::Value* end = b_.CreateAdd(index, b_.getInt64(size), "", true, true);
    llvm::LoadInst* bytes = load_field(b_, m_.i64, vm_memory(), offsetof(abi::VMMemory, size),
                                       MemKind::MemoryHeader, "memory_size");
    trap_if(b_.CreateICmpUGT(end, bytes), TrapCode::OutOfBoundsMemoryAccess);
  }
  return b_.CreateGEP(m_.i8, memory_base(), index);
}

llvm::LoadInst* FunctionTranslator::load_linear(llvm::Type* type, llvm::Value* addr) {
  // Align 1: wasm alignment is only a hint, and x86 loads do not care.
  llvm::LoadInst* load = b_.CreateAlignedLoad(type, addr, llvm::Align(1));
  load->setMetadata(llvm::LLVMContext::MD_tbaa, m_.tbaa(MemKind::LinearMemory));
  // With guard regions the trap is the fault, which LLVM does not model: a
  // load whose value ends up unused (after any optimization, even instruction
  // selection at -O0) would vanish with its trap. Volatile keeps every one.
  // Explicit mode traps on its own compare, so its loads stay plain.
  if (m_.options.bounds_check == abi::BoundsCheck::GuardRegion) load->setVolatile(true);
  return load;
}

void FunctionTranslator::store_linear(llvm::Value* value, llvm::Value* addr) {
  llvm::StoreInst* store = b_.CreateAlignedStore(value, addr, llvm::Align(1));
  store->setMetadata(llvm::LLVMContext::MD_tbaa, m_.tbaa(MemKind::LinearMemory));
}

void FunctionTranslator::push_loaded(llvm::Value* value, llvm::LoadInst* load) {
  memory_loads_[value] = load;
  push(value);
}

bool FunctionTranslator::translate_memory(const Instr& in) {
  auto offset_ok = [&] {
    if (in.mem_offset <= UINT32_MAX) return true;
    fail("memory offset exceeds 32 bits");
    return false;
  };
  for (const LoadKind& k : kLoads) {
    if (k.op != in.op) continue;
    if (!offset_ok()) return true;
    llvm::Value* addr = memory_address(pop(m_.i32), in.mem_offset, k.bytes);
    llvm::Type* mem_type = k.is_float ? (k.bytes == 4 ? m_.f32 : m_.f64)
                                      : static_cast<llvm::Type*>(b_.getIntNTy(k.bytes * 8));
    llvm::LoadInst* load = load_linear(mem_type, addr);
    llvm::Value* value = load;
    if (!k.is_float && k.bytes * 8u != k.result) {
      llvm::Type* to = b_.getIntNTy(k.result);
      value = k.sign ? b_.CreateSExt(load, to) : b_.CreateZExt(load, to);
    }
    push_loaded(value, load);
    return true;
  }
  for (const StoreKind& k : kStores) {
    if (k.op != in.op) continue;
    if (!offset_ok()) return true;
    llvm::Type* operand_type =
        k.is_float ? (k.bytes == 4 ? m_.f32 : m_.f64) : static_cast<llvm::Type*>(b_.getIntNTy(k.operand));
    llvm::Value* value = pop(operand_type);
    llvm::Value* addr = memory_address(pop(m_.i32), in.mem_offset, k.bytes);
    if (!k.is_float && k.bytes * 8u != k.operand) value = b_.CreateTrunc(value, b_.getIntNTy(k.bytes * 8));
    store_linear(value, addr);
    return true;
  }
  switch (in.op) {
    case Opcode::MemorySize: {
      llvm::LoadInst* bytes = load_field(b_, m_.i64, vm_memory(), offsetof(abi::VMMemory, size),
                                         MemKind::MemoryHeader, "memory_size");
      constexpr unsigned kPageShift = std::countr_zero(abi::kWasmPageSize);
      llvm::Value* pages = b_.CreateLShr(bytes, kPageShift);
      push(b_.CreateTrunc(pages, m_.i32));
      return true;
    }
    case Opcode::MemoryGrow: {
      llvm::Value* delta = pop(m_.i32);
      push(call_builtin(abi::kBuiltinMemoryGrow, m_.i32, {delta}));
      return true;
    }
    default: return false;
  }
}

}  // namespace kiln::aotc
