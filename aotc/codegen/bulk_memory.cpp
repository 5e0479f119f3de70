// Bulk memory instructions. memory.fill and memory.copy check their bounds
// inline and call the C library's memset/memmove through the builtins table;
// memory.init and data.drop are builtins that check and trap themselves.
#include "abi/vm_context.h"
#include "aotc/codegen/function_translator.h"

namespace kiln::aotc {

llvm::Value* FunctionTranslator::checked_range(uint32_t memory, llvm::Value* start,
                                               llvm::Value* len64) {
  // Both terms are below 2^32, so the sum cannot wrap.
  llvm::Value* begin = b_.CreateZExt(start, m_.i64);
  llvm::Value* end = b_.CreateAdd(begin, len64, "", /*HasNUW=*/true, true);
  trap_if(b_.CreateICmpUGT(end, memory_bytes(memory)), TrapCode::OutOfBoundsMemoryAccess);
  return b_.CreateGEP(m_.i8, memory_base(memory), begin);
}

void FunctionTranslator::translate_bulk_memory(const Instr& in) {
  const BulkMemoryOp op = as_family<OpFamily::BulkMemory>(in.op);
  switch (op) {
    case BulkMemoryOp::MemoryFill: {
      llvm::Value* len = pop(m_.i32);
      llvm::Value* value = pop(m_.i32);
      llvm::Value* dst = pop(m_.i32);
      llvm::Value* len64 = b_.CreateZExt(len, m_.i64);
      llvm::Value* at = checked_range(in.index, dst, len64);
      call_runtime(abi::kBuiltinMemset, m_.ptr, {at, value, len64});
      return;
    }
    case BulkMemoryOp::MemoryCopy: {
      llvm::Value* len = pop(m_.i32);
      llvm::Value* src = pop(m_.i32);
      llvm::Value* dst = pop(m_.i32);
      llvm::Value* len64 = b_.CreateZExt(len, m_.i64);
      llvm::Value* to = checked_range(in.index, dst, len64);
      llvm::Value* from = checked_range(in.index2, src, len64);
      call_runtime(abi::kBuiltinMemmove, m_.ptr, {to, from, len64});
      return;
    }
    case BulkMemoryOp::MemoryInit: {
      if (in.index >= wasm_.datas.size()) {
        fail("data segment index out of range");
        return;
      }
      llvm::Value* len = pop(m_.i32);
      llvm::Value* src = pop(m_.i32);
      llvm::Value* dst = pop(m_.i32);
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
