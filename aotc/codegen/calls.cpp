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
// A sealed table (SealedTable: its elements never change) holds functions
// known when compiling: its call_indirect compares the element's canonical
// type, read from a constant array, with the expected one and calls the
// code from a second array with this vmctx, no load from the table; the
// general path below takes what the arrays do not know (null, imports) and
// raises the traps.
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
  if (musttail && m_.options.interruptible) emit_poll();
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
  llvm::CallInst* call =
      emit_call_instr(type_index, callee, pop_call_args(type_index, callee_vmctx), convention, tail);
  if (tail) {
    become_dead(0);
    return;
  }
  push_call_results(type_index, call, may_throw);
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
      if (in.index >= wasm_.types.size() || in.index2 >= wasm_.total_tables()) {
        fail("call_indirect type or table index out of range");
        return;
      }
      translate_call_indirect(in.index, in.index2, tail);
      return;
    }
  }
}

void FunctionTranslator::translate_call_indirect(uint32_t type_index, uint32_t table, bool tail) {
  const FuncType& type = wasm_.types[type_index];
  const bool may_throw = wasm_.table_call_may_throw_for(type_index);
  llvm::Value* index = pop(m_.i32);
  std::vector<llvm::Value*> args = pop_call_args(type_index, vmctx_);
  // A sealed table's element either is a function of this instance known
  // here, whose canonical type and code the artifact holds in constant
  // arrays (one compare against a constant, then the call, with this
  // vmctx), or takes the general path below, which also traps.
  const SealedTable* sealed = wasm_.sealed_table(table);
  const bool musttail = tail && m_.tail_body(defined_index_) && ModuleContext::results_in_registers(type);
  // Ordinary calls read CallTypes, whose entries tell callees that may
  // throw from those that cannot: the former group's direct call tests for
  // a pending exception, the latter's does not (an interpreter's quiet
  // handlers stay test-free though libc's functions of their type call
  // imports). musttail calls read TailTypes: canonical types, no test.
  struct Group {
    std::vector<uint32_t> elements;
    uint32_t code;
    bool may_throw;
  };
  std::vector<Group> groups;
  if (sealed && musttail) {
    groups.push_back({sealed_matches(*sealed, type_index, true, std::nullopt), m_.canonical_type(type_index), false});
  } else if (sealed) {
    const uint32_t quiet = m_.canonical_type(type_index) * 2;
    groups.push_back({sealed_matches(*sealed, type_index, false, false), quiet, false});
    groups.push_back({sealed_matches(*sealed, type_index, false, true), quiet + 1, true});
  }
  std::erase_if(groups, [](const Group& g) { return g.elements.empty(); });
  using Array = ModuleContext::SealedArray;
  llvm::MDNode* likely = llvm::MDBuilder(m_.ctx).createLikelyBranchWeights();
  std::vector<std::pair<llvm::Value*, llvm::BasicBlock*>> direct_results;
  llvm::BasicBlock* merge = groups.empty() || tail ? nullptr : new_block("call_done");
  for (const Group& group : groups) {
    llvm::BasicBlock* direct = new_block("sealed_call");
    llvm::BasicBlock* next = new_block("table_call");
    const uint32_t first = group.elements.front(), last = group.elements.back();
    if (last - first + 1 == group.elements.size()) {
      // The elements of this group are one run: one unsigned compare checks
      // bounds and type at once (interpreters' handler tables look so).
      b_.CreateCondBr(b_.CreateICmpULE(b_.CreateSub(index, b_.getInt32(first)), b_.getInt32(last - first)),
                      direct, next, likely);
    } else {
      llvm::BasicBlock* check = new_block("sealed_type");
      b_.CreateCondBr(b_.CreateICmpULT(index, b_.getInt32(uint32_t(sealed->elements.size()))), check,
                      next, likely);
      b_.SetInsertPoint(check);
      llvm::GlobalVariable* types = m_.sealed_array(table, musttail ? Array::TailTypes : Array::CallTypes);
      llvm::LoadInst* actual = b_.CreateLoad(
          m_.i32,
          b_.CreateInBoundsGEP(types->getValueType(), types, {b_.getInt64(0), b_.CreateZExt(index, m_.i64)}),
          "sealed_type");
      mark_invariant(actual);
      b_.CreateCondBr(b_.CreateICmpEQ(actual, b_.getInt32(group.code)), direct, next, likely);
    }
    b_.SetInsertPoint(direct);
    llvm::Value* at = b_.CreateZExt(index, m_.i64);
    llvm::GlobalVariable* codes = m_.sealed_array(table, musttail ? Array::TailCode : Array::CallCode);
    llvm::Value* code = b_.CreateIntrinsic(llvm::Intrinsic::load_relative, {m_.i64},
                                           {codes, b_.CreateShl(at, 2)}, nullptr, "sealed_code");
    // The module's own functions never read their caller's vmctx (only host
    // functions do): no register move for it, as for direct calls, where
    // LLVM finds the same.
    std::vector<llvm::Value*> own_args = args;
    own_args[1] = llvm::PoisonValue::get(m_.ptr);
    llvm::CallInst* call =
        emit_call_instr(type_index, {m_.signature(type_index), code}, own_args,
                        musttail ? llvm::CallingConv::SwiftTail : llvm::CallingConv::Swift, tail);
    if (!tail) {
      if (group.may_throw) check_pending_exception();
      direct_results.emplace_back(call, b_.GetInsertBlock());
      b_.CreateBr(merge);
    }
    b_.SetInsertPoint(next);
  }
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
  llvm::CallInst* call = call_through_ref(type_index, slot, /*from_table=*/true, tail, std::move(args));
  if (tail) {
    become_dead(0);
    return;
  }
  llvm::Value* result = call;
  if (merge) {
    if (may_throw) check_pending_exception();
    direct_results.emplace_back(call, b_.GetInsertBlock());
    b_.CreateBr(merge);
    b_.SetInsertPoint(merge);
    if (!call->getType()->isVoidTy()) {
      llvm::PHINode* phi = b_.CreatePHI(call->getType(), unsigned(direct_results.size()), "call_result");
      for (auto [value, block] : direct_results) phi->addIncoming(value, block);
      result = phi;
    }
  }
  push_call_results(type_index, result, may_throw && !merge);
}

std::vector<uint32_t> FunctionTranslator::sealed_matches(const SealedTable& sealed, uint32_t type_index,
                                                         bool musttail,
                                                         std::optional<bool> may_throw) const {
  // What the constant arrays hold (ModuleContext::define_sealed_arrays).
  const uint32_t expected = m_.canonical_type(type_index);
  std::vector<uint32_t> matches;
  for (uint32_t i = 0; i < sealed.elements.size(); ++i) {
    const std::optional<uint32_t> defined = m_.sealed_function(sealed.elements[i]);
    if (!defined || m_.canonical_type(wasm_.functions[*defined]) != expected) continue;
    if (musttail && !m_.tail_body(*defined)) continue;
    if (may_throw && wasm_.call_may_throw(sealed.elements[i]) != *may_throw) continue;
    matches.push_back(i);
  }
  return matches;
}

void FunctionTranslator::emit_call_through_ref(uint32_t type_index, llvm::Value* ref, bool from_table,
                                               bool tail, bool may_throw) {
  llvm::CallInst* call =
      call_through_ref(type_index, ref, from_table, tail, pop_call_args(type_index, nullptr));
  if (tail) {
    become_dead(0);
    return;
  }
  push_call_results(type_index, call, may_throw);
}

void FunctionTranslator::push_call_results(uint32_t type_index, llvm::Value* result, bool may_throw) {
  const FuncType& type = wasm_.types[type_index];
  if (may_throw) check_pending_exception();
  if (type.results.size() == 1) {
    push(result);
  } else {
    for (unsigned i = 0; i < type.results.size(); ++i) push(b_.CreateExtractValue(result, {i}));
  }
}

llvm::CallInst* FunctionTranslator::call_through_ref(uint32_t type_index, llvm::Value* ref,
                                                     bool from_table, bool tail,
                                                     std::vector<llvm::Value*> args) {
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
    args[0] = ctx;
    return emit_call_instr(type_index, {signature, code}, args, llvm::CallingConv::Swift, tail);
  }
  // A table element's callee is nearly always of this instance (see above).
  args[0] = ctx;
  if (from_table) args[0] = b_.CreateCall(own_vmctx_asm(m_.llvm_module), {ctx, vmctx_});
  // A callee with a swifttailcc body (tail_code) takes this frame; one
  // without (a host function, a function without return_call*) is called
  // and returned from: it cannot tail-call on, so the chain ends there.
  llvm::LoadInst* tail_code = field(offsetof(abi::VMFuncRef, tail_code),
                                    offsetof(abi::VMTableElement, tail_code), "tail_code");
  llvm::BasicBlock* jump = new_block("tail_code");
  llvm::BasicBlock* call = new_block("code");
  b_.CreateCondBr(b_.CreateIsNotNull(tail_code), jump, call);
  b_.SetInsertPoint(jump);
  emit_call_instr(type_index, {signature, tail_code}, args, llvm::CallingConv::SwiftTail, true);
  b_.SetInsertPoint(call);
  emit_call_instr(type_index, {signature, code}, args, llvm::CallingConv::Swift, true);
  return nullptr;
}

}  // namespace kiln::aotc
