// Reference instructions. A funcref is a VMFuncRef* (null = ref.null); an
// externref is an opaque host pointer.
#include <llvm/IR/Constants.h>

#include "aotc/codegen/function_translator.h"

namespace kiln::aotc {

void FunctionTranslator::translate_reference(const Instr& in) {
  const ReferenceOp op = as_family<OpFamily::Reference>(in.op);
  switch (op) {
    case ReferenceOp::RefNull: push(llvm::ConstantPointerNull::get(m_.ptr)); return;
    case ReferenceOp::RefIsNull: {
      llvm::Value* ref = pop(m_.ptr);
      push(b_.CreateZExt(b_.CreateIsNull(ref), m_.i32));
      return;
    }
    case ReferenceOp::RefFunc:
      if (in.index >= wasm_.total_funcs()) {
        fail("ref.func index out of range");
        return;
      }
      push(func_ref(in.index));
      return;
  }
}

}  // namespace kiln::aotc
