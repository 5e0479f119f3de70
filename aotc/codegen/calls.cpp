// call and call_indirect, and the tail-call proposal's return_call and
// return_call_indirect. Defined functions are called directly (LLVM may
// inline them); imports and table entries go through a VMFuncRef:
// code(ref->vmctx, this vmctx, args...), all in the wasm calling convention.
// A tail call is a `musttail` call followed by `ret`. Functions using them
// have swifttailcc bodies (see ModuleContext::tail_body), so LLVM must
// reuse the caller's frame (callee-pops stack arguments, any prototypes) at
// every optimization level, when the callee has one too. Only results
// returned through memory stop it (see results_in_registers). Through a
// VMFuncRef, the musttail call goes to tail_code when the callee has one. A call that may leave an exception
// pending (see scan_exception_use) is followed by a test of it; a tail call
// needs none: its results, and any pending exception, go straight to the
// caller's caller, past this function's handlers, whose frame is gone.
//
// A table entry's callee is nearly always a function of this instance, but
// its vmctx is loaded from the entry, so the callee's memory accesses wait
// for that load, itself waiting for the element index. Passed on by tail
// calls (threaded code: handlers tail-calling each other through a table)
// that makes a chain of loads through every handler (measured 3x slower).
// So a tail call through a table puts the loaded vmctx through
// own_vmctx_asm: a predicted compare with this function's vmctx, passing
// this one's register when they are equal. Ordinary calls do not: there
// the vmctx does not chain, and it measured 7-10 % slower on the fptr
// kernel (whose callees never read it) against 2-3 % faster on CPython.
#include <llvm/IR/Constants.h>
#include <llvm/IR/MDBuilder.h>

#include "abi/vm_context.h"
#include "aotc/codegen/function_translator.h"
#include "aotc/codegen/loop_poll.h"
#include "aotc/codegen/own_vmctx.h"

namespace kiln::aotc {

std::vector<llvm::Value*> FunctionTranslator::pop_call_args(uint32_t type_index,
                                                            llvm::Value* callee_vmctx) {
  std::vector<llvm::Type*> param_types;
  for (ValType p : wasm_.types[type_index].params) param_types.push_back(m_.val_type(p));
  std::vector<llvm::Value*> args = {callee_vmctx, vmctx_};
  for (llvm::Value* v : pop_all(param_types)) args.push_back(v);
  return args;
}

llvm::CallInst* FunctionTranslator::emit_call_instr(uint32_t type_index, llvm::FunctionCallee callee,
                                                    const std::vector<llvm::Value*>& args,
                                                    llvm::CallingConv::ID convention, bool tail) {
  const FuncType& type = wasm_.types[type_index];
  // A musttail call takes this frame: the stack cannot grow, so it needs no
  // stack check (place_stack_checks sees ordinary calls only), but a cycle of
  // them never returns, so interruptible code reads its poll page first, as
  // a loop header does (one load; no metadata, so PollElisionPass, which
  // drops polls outside cycles, keeps it).
  const bool musttail = tail && convention == llvm::CallingConv::SwiftTail &&
                        ModuleContext::results_in_registers(type);
  if (musttail && m_.options.interruptible)
    b_.CreateCall(loop_poll_asm(m_.llvm_module), {vmctx_})->setDoesNotThrow();
  llvm::CallInst* call = b_.CreateCall(callee, args);
  ModuleContext::use_wasm_convention(*call);
  call->setCallingConv(convention);
  if (!musttail) calls_.push_back(call);
  if (!tail) return call;
  // Validation made the callee's results the caller's: same return type.
  // musttail needs the caller's convention, swifttailcc for bodies of a
  // module using return_call*.
  if (musttail) call->setTailCallKind(llvm::CallInst::TCK_MustTail);
  if (type.results.empty())
    b_.CreateRetVoid();
  else
    b_.CreateRet(call);
  return call;
}

void FunctionTranslator::emit_wasm_call(uint32_t type_index, llvm::FunctionCallee callee,
                                        llvm::Value* callee_vmctx, llvm::CallingConv::ID convention,
                                        bool tail, bool may_throw) {
  const FuncType& type = wasm_.types[type_index];
  llvm::CallInst* call =
      emit_call_instr(type_index, callee, pop_call_args(type_index, callee_vmctx), convention, tail);
  if (tail) {
    become_dead(0);
    return;
  }
  if (may_throw) check_pending_exception();
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
        emit_wasm_call(type_index, callee, vmctx_,
                       m_.body_convention(in.index - wasm_.imported_funcs), tail,
                       wasm_.call_may_throw(in.index));
        return;
      }
      // An import's VMFuncRef is fixed at instantiation. A tail call to a
      // host function jumps to its adapter or direct thunk, which calls the
      // host normally: the wasm frame is gone, the host's is an ordinary one.
      emit_call_through_ref(type_index, func_ref(in.index), /*from_table=*/false, tail, true);
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
      // One load and one compare: a null element's type_id is 0, which no
      // type has, so only the mismatch path looks at the reference to tell
      // an uninitialized element from a wrong type.
      llvm::LoadInst* actual = load_field(b_, m_.i32, slot, offsetof(abi::VMTableElement, type_id),
                                          MemKind::TableElement, "type_id");
      llvm::BasicBlock* mismatch = new_block("type_mismatch");
      llvm::BasicBlock* matched = new_block("type_matched");
      b_.CreateCondBr(b_.CreateICmpNE(actual, type_id(type_index)), mismatch, matched,
                      llvm::MDBuilder(m_.ctx).createUnlikelyBranchWeights());
      b_.SetInsertPoint(mismatch);
      llvm::LoadInst* ref = load_field(b_, m_.ptr, slot, offsetof(abi::VMTableElement, ref),
                                       MemKind::TableElement, "ref");
      trap_if(b_.CreateIsNull(ref), TrapCode::UninitializedElement);
      b_.CreateBr(trap_block(TrapCode::IndirectCallTypeMismatch));
      b_.SetInsertPoint(matched);
      emit_call_through_ref(type_index, slot, /*from_table=*/true, tail,
                            wasm_.table_call_may_throw_for(type_index));
      return;
    }
  }
}

void FunctionTranslator::emit_call_through_ref(uint32_t type_index, llvm::Value* ref, bool from_table,
                                               bool tail, bool may_throw) {
  // A VMFuncRef never changes once created; a table element changes with
  // table.set and the like.
  const MemKind kind = from_table ? MemKind::TableElement : MemKind::VMStructure;
  auto field = [&](uint64_t ref_offset, uint64_t element_offset, const char* name) {
    llvm::LoadInst* load =
        load_field(b_, m_.ptr, ref, from_table ? element_offset : ref_offset, kind, name);
    if (!from_table) mark_invariant(load);
    return load;
  };
  llvm::LoadInst* code =
      field(offsetof(abi::VMFuncRef, code), offsetof(abi::VMTableElement, code), "code");
  llvm::LoadInst* ctx =
      field(offsetof(abi::VMFuncRef, vmctx), offsetof(abi::VMTableElement, vmctx), "callee_vmctx");
  llvm::FunctionType* signature = m_.signature(type_index);
  if (!tail || !m_.tail_body(defined_index_) ||
      !ModuleContext::results_in_registers(wasm_.types[type_index])) {
    emit_wasm_call(type_index, {signature, code}, ctx, llvm::CallingConv::Swift, tail, may_throw);
    return;
  }
  // A table element's callee is nearly always of this instance (see above).
  llvm::Value* callee_vmctx = ctx;
  if (from_table) callee_vmctx = b_.CreateCall(own_vmctx_asm(m_.llvm_module), {ctx, vmctx_});
  // A callee with a swifttailcc body (tail_code) takes this frame; one
  // without (a host function, a function without return_call*) is called
  // and returned from: it cannot tail-call on, so the chain ends there.
  llvm::LoadInst* tail_code = field(offsetof(abi::VMFuncRef, tail_code),
                                    offsetof(abi::VMTableElement, tail_code), "tail_code");
  const std::vector<llvm::Value*> args = pop_call_args(type_index, callee_vmctx);
  llvm::BasicBlock* jump = new_block("tail_code");
  llvm::BasicBlock* call = new_block("code");
  b_.CreateCondBr(b_.CreateIsNotNull(tail_code), jump, call);
  b_.SetInsertPoint(jump);
  emit_call_instr(type_index, {signature, tail_code}, args, llvm::CallingConv::SwiftTail, true);
  b_.SetInsertPoint(call);
  emit_call_instr(type_index, {signature, code}, args, llvm::CallingConv::Swift, true);
  become_dead(0);
}

}  // namespace kiln::aotc
