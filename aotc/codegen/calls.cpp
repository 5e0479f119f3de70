// call and call_indirect, and the tail-call proposal's return_call and
// return_call_indirect. Defined functions are called directly (LLVM may
// inline them); imports and table entries go through a VMFuncRef:
// code(ref->vmctx, this vmctx, args...), all in the wasm calling convention.
// A tail call is a `musttail` call followed by `ret`: the convention is
// swifttailcc, so LLVM must reuse the caller's frame (callee-pops stack
// arguments, any prototypes), at every optimization level. Only results
// returned through memory stop it (see results_in_registers).
#include <llvm/IR/Constants.h>

#include "abi/vm_context.h"
#include "aotc/codegen/function_translator.h"

namespace kiln::aotc {

void FunctionTranslator::emit_wasm_call(uint32_t type_index, llvm::FunctionCallee callee,
                                        llvm::Value* callee_vmctx, bool tail) {
  const FuncType& type = wasm_.types[type_index];
  std::vector<llvm::Type*> param_types;
  for (ValType p : type.params) param_types.push_back(m_.val_type(p));
  std::vector<llvm::Value*> args = {callee_vmctx, vmctx_};
  for (llvm::Value* v : pop_all(param_types)) args.push_back(v);
  llvm::CallInst* call = b_.CreateCall(callee, args);
  ModuleContext::use_wasm_convention(*call);
  calls_.push_back(call);
  if (tail) {
    // Validation made the callee's results the caller's: same return type.
    if (ModuleContext::results_in_registers(type)) call->setTailCallKind(llvm::CallInst::TCK_MustTail);
    if (type.results.empty())
      b_.CreateRetVoid();
    else
      b_.CreateRet(call);
    become_dead(0);
    return;
  }
  if (type.results.size() == 1) {
    push(call);
  } else {
    for (unsigned i = 0; i < type.results.size(); ++i) push(b_.CreateExtractValue(call, {i}));
  }
}

void FunctionTranslator::translate_call(const Instr& in) {
  const CallOp op = as_family<OpFamily::Call>(in.op);
  const bool tail = op == CallOp::ReturnCall || op == CallOp::ReturnCallIndirect;
  switch (op) {
    case CallOp::Call:
    case CallOp::ReturnCall: {
      if (in.index >= wasm_.total_funcs()) {
        fail("call to a function index out of range");
        return;
      }
      uint32_t type_index = wasm_.func_type_index(in.index);
      if (in.index >= wasm_.imported_funcs) {
        llvm::Function* callee = m_.defined_function(in.index - wasm_.imported_funcs);
        emit_wasm_call(type_index, callee, vmctx_, tail);
        return;
      }
      // An import's VMFuncRef is fixed at instantiation. A tail call to a
      // host function jumps to its adapter or direct thunk, which calls the
      // host normally: the wasm frame is gone, the host's is an ordinary one.
      emit_call_through_ref(type_index, func_ref(in.index), tail);
      return;
    }
    case CallOp::CallIndirect:
    case CallOp::ReturnCallIndirect: {
      uint32_t type_index = in.index;
      uint32_t table = in.index2;
      if (type_index >= wasm_.types.size() || table >= wasm_.total_tables()) {
        fail("call_indirect type or table index out of range");
        return;
      }
      llvm::Value* index = pop(m_.i32);
      llvm::Value* slot = table_slot(table, index, TrapCode::UndefinedElement);
      llvm::LoadInst* ref = b_.CreateAlignedLoad(m_.ptr, slot, llvm::Align(alignof(void*)), "ref");
      ref->setMetadata(llvm::LLVMContext::MD_tbaa, m_.tbaa(MemKind::TableElement));
      trap_if(b_.CreateIsNull(ref), TrapCode::UninitializedElement);
      // A VMFuncRef never changes once created.
      llvm::LoadInst* actual = load_field(b_, m_.i32, ref, offsetof(abi::VMFuncRef, type_id),
                                          MemKind::VMStructure, "type_id");
      mark_invariant(actual);
      trap_if(b_.CreateICmpNE(actual, type_id(type_index)), TrapCode::IndirectCallTypeMismatch);
      emit_call_through_ref(type_index, ref, tail);
      return;
    }
  }
}

void FunctionTranslator::emit_call_through_ref(uint32_t type_index, llvm::Value* ref, bool tail) {
  // A VMFuncRef never changes once created.
  llvm::LoadInst* code = load_field(b_, m_.ptr, ref, offsetof(abi::VMFuncRef, code),
                                    MemKind::VMStructure, "code");
  llvm::LoadInst* ctx = load_field(b_, m_.ptr, ref, offsetof(abi::VMFuncRef, vmctx),
                                   MemKind::VMStructure, "callee_vmctx");
  mark_invariant(code);
  mark_invariant(ctx);
  emit_wasm_call(type_index, {m_.signature(type_index), code}, ctx, tail);
}

}  // namespace kiln::aotc
