// Bulk memory instructions, all through builtins (which bounds-check and
// trap themselves): memory.fill, memory.copy, memory.init, data.drop.
#include "abi/vm_context.h"
#include "aotc/codegen/function_translator.h"

namespace kiln::aotc {

bool FunctionTranslator::translate_bulk_memory(const Instr& in) {
  switch (in.op) {
    case Opcode::MemoryFill: {
      llvm::Value* len = pop(m_.i32);
      llvm::Value* value = pop(m_.i32);
      llvm::Value* dst = pop(m_.i32);
      call_builtin(abi::kBuiltinMemoryFill, m_.void_ty, {dst, value, len});
      return true;
    }
    case Opcode::MemoryCopy: {
      llvm::Value* len = pop(m_.i32);
      llvm::Value* src = pop(m_.i32);
      llvm::Value* dst = pop(m_.i32);
      call_builtin(abi::kBuiltinMemoryCopy, m_.void_ty, {dst, src, len});
      return true;
    }
    case Opcode::MemoryInit: {
      if (in.index >= wasm_.datas.size()) {
        fail("data segment index out of range");
        return true;
      }
      llvm::Value* len = pop(m_.i32);
      llvm::Value* src = pop(m_.i32);
      llvm::Value* dst = pop(m_.i32);
      call_builtin(abi::kBuiltinMemoryInit, m_.void_ty, {b_.getInt32(in.index), dst, src, len});
      return true;
    }
    case Opcode::DataDrop:
      if (in.index >= wasm_.datas.size()) {
        fail("data segment index out of range");
        return true;
      }
      call_builtin(abi::kBuiltinDataDrop, m_.void_ty, {b_.getInt32(in.index)});
      return true;
    default: return false;
  }
}

}  // namespace kiln::aotc
