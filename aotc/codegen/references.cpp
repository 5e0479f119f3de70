// Reference instructions. A funcref is a VMFuncRef* (null = ref.null); an
// externref is an opaque host pointer.
#include <llvm/IR/Constants.h>

#include "aotc/codegen/function_translator.h"

namespace kiln::aotc {

bool FunctionTranslator::translate_reference(const Instr& in) {
  switch (in.op) {
    case Opcode::RefNull: push(llvm::ConstantPointerNull::get(m_.ptr)); return true;
    case Opcode::RefIsNull: {
      llvm::Value* ref = pop(m_.ptr);
      push(b_.CreateZExt(b_.CreateIsNull(ref), m_.i32));
      return true;
    }
    case Opcode::RefFunc:
      if (in.index >= wasm_.total_funcs()) {
        fail("ref.func index out of range");
        return true;
      }
      push(func_ref(in.index));
      return true;
    default: return false;
  }
}

}  // namespace kiln::aotc
