// Bulk memory instructions. memory.fill and memory.copy check their bounds
// inline and call the C library's memset/memmove through the builtins table;
// memory.init and data.drop are builtins that check and trap themselves.
#include "abi/vm_context.h"
#include "aotc/codegen/function_translator.h"

namespace kiln::aotc {

llvm::Value* FunctionTranslator::checked_range(uint32_t memory, llvm::Value* start,
                                               llvm::Value* len64) {
  llvm::Value* begin = b_.CreateZExt(start, m_.i64);
  llvm::Value* outside;
  if (wasm_.memory_type(memory).address64) {
    // 64-bit operands: the end may wrap past 2^64, which is out of bounds.
    llvm::Value* sum = b_.CreateBinaryIntrinsic(llvm::Intrinsic::uadd_with_overflow, begin, len64);
    llvm::Value* too_far = b_.CreateICmpUGT(b_.CreateExtractValue(sum, 0), memory_bytes(memory));
    outside = b_.CreateOr(b_.CreateExtractValue(sum, 1), too_far);
  } else {
    // Both terms are below 2^32, so the sum cannot wrap.
    llvm::Value* end = b_.CreateAdd(begin, len64, "", /*HasNUW=*/true, true);
    outside = b_.CreateICmpUGT(end, memory_bytes(memory));
  }
  trap_if(outside, TrapCode::OutOfBoundsMemoryAccess);
  return b_.CreateGEP(m_.i8, memory_base(memory), begin);
}

// memset and memmove touch only the guest bytes their arguments point to and
// always return: telling LLVM so keeps memory sizes, globals and table
// headers in registers across them (a loop of memcpy calls no longer
// reloads its bounds).
void FunctionTranslator::mark_libc_memory_call(llvm::CallInst* call) {
  call->setDoesNotThrow();
  call->addFnAttr(llvm::Attribute::WillReturn);
  call->addFnAttr(llvm::Attribute::NoSync);
  call->addFnAttr(llvm::Attribute::NoFree);
  call->setMemoryEffects(llvm::MemoryEffects::argMemOnly());
  call->setMetadata(llvm::LLVMContext::MD_tbaa, m_.tbaa(MemKind::LinearMemory));
}

void FunctionTranslator::translate_bulk_memory(const Instr& in) {
  const BulkMemoryOp op = as_family<OpFamily::BulkMemory>(in.op);
  switch (op) {
    case BulkMemoryOp::MemoryFill: {
      llvm::Value* len = pop(address_type(in.index));
      llvm::Value* value = pop(m_.i32);
      llvm::Value* dst = pop(address_type(in.index));
      llvm::Value* len64 = b_.CreateZExt(len, m_.i64);
      llvm::Value* at = checked_range(in.index, dst, len64);
      mark_libc_memory_call(call_runtime(abi::kBuiltinMemset, m_.ptr, {at, value, len64}));
      return;
    }
    case BulkMemoryOp::MemoryCopy: {
      // memory64: the length is i64 only between two 64-bit memories.
      llvm::IntegerType* dst_type = address_type(in.index);
      llvm::IntegerType* src_type = address_type(in.index2);
      llvm::Value* len = pop(dst_type == m_.i64 && src_type == m_.i64 ? m_.i64 : m_.i32);
      llvm::Value* src = pop(src_type);
      llvm::Value* dst = pop(dst_type);
      llvm::Value* len64 = b_.CreateZExt(len, m_.i64);
      llvm::Value* to = checked_range(in.index, dst, len64);
      llvm::Value* from = checked_range(in.index2, src, len64);
      mark_libc_memory_call(call_runtime(abi::kBuiltinMemmove, m_.ptr, {to, from, len64}));
      return;
    }
    case BulkMemoryOp::MemoryInit: {
      if (in.index >= wasm_.datas.size()) {
        fail("data segment index out of range");
        return;
      }
      llvm::Value* len = pop(m_.i32);
      llvm::Value* src = pop(m_.i32);
      llvm::Value* dst = pop(address_type(in.index2));
      call_builtin(abi::kBuiltinMemoryInit, m_.void_ty,
                   {b_.getInt32(in.index2), b_.getInt32(in.index), b_.CreateZExt(dst, m_.i64), src,
                    len});
      return;
    }
    case BulkMemoryOp::DataDrop:
      if (in.index >= wasm_.datas.size()) {
        fail("data segment index out of range");
        return;
      }
      call_builtin(abi::kBuiltinDataDrop, m_.void_ty, {b_.getInt32(in.index)});
      return;
  }
}

}  // namespace kiln::aotc
