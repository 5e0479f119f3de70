// Locals (allocas), globals (through vmctx->globals), drop and select.
#include "aotc/codegen/function_translator.h"

namespace kiln::aotc {

void FunctionTranslator::translate_variable(const Instr& in) {
  const VariableOp op = as_family<OpFamily::Variable>(in.op);
  switch (op) {
    case VariableOp::LocalGet:
    case VariableOp::LocalSet:
    case VariableOp::LocalTee: {
      if (in.index >= locals_.size()) {
        fail("local index out of range");
        return;
      }
      llvm::AllocaInst* slot = locals_[in.index];
      llvm::Type* type = slot->getAllocatedType();
      if (op == VariableOp::LocalGet) {
        push(b_.CreateLoad(type, slot));
        return;
      }
      llvm::Value* value = pop(type);
      b_.CreateStore(value, slot);
      if (op == VariableOp::LocalTee) push(value);
      return;
    }
    case VariableOp::GlobalGet:
    case VariableOp::GlobalSet: {
      if (in.index >= wasm_.total_globals()) {
        fail("global index out of range");
        return;
      }
      GlobalType gt = wasm_.global_type(in.index);
      llvm::Type* type = m_.val_type(gt.type);
      llvm::Value* storage = global_storage(in.index);
      if (op == VariableOp::GlobalGet) {
        llvm::LoadInst* load = load_field(b_, type, storage, 0, MemKind::GlobalValue);
        // An immutable global is set before any code of the instance runs.
        if (!gt.is_mutable) mark_invariant(load);
        push(load);
        return;
      }
      if (!gt.is_mutable) {
        fail("global.set of an immutable global");
        return;
      }
      llvm::Value* value = pop(type);
      llvm::Align align = m_.llvm_module.getDataLayout().getABITypeAlign(type);
      b_.CreateAlignedStore(value, storage, align)
          ->setMetadata(llvm::LLVMContext::MD_tbaa, m_.tbaa(MemKind::GlobalValue));
      return;
    }
    case VariableOp::Drop: keep_load(pop_any()); return;
    case VariableOp::Select:
    case VariableOp::SelectT: {
      llvm::Value* cond = pop(m_.i32);
      llvm::Value* if_false = pop_any();
      llvm::Value* if_true = pop(if_false->getType());
      if (op == VariableOp::SelectT && if_true->getType() != m_.val_type(in.ref_type)) {
        fail("select operand type mismatch");
        return;
      }
      push(b_.CreateSelect(b_.CreateICmpNE(cond, b_.getInt32(0)), if_true, if_false));
      return;
    }
  }
}

}  // namespace kiln::aotc
