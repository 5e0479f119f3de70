// Exception handling, 2022 form: try, catch, catch_all, delegate, throw,
// rethrow.
//
// Design: an exception is a value returned through the ordinary calling
// convention, not a native unwind. `throw` asks the runtime to record the
// exception as its store's pending one (VMStoreContext::pending_exception)
// and branches to the innermost handler; after every call that may leave an
// exception pending (calls to imports and table entries, and to defined
// functions that may throw: Module::may_throw), the caller tests that field
// and, when it is set, branches to its innermost handler too. A function
// without a handler for it returns to its caller (the unwind block). A
// try's handler block compares the pending exception's tag with each catch's
// tag (tags are compared by identity: VMContext::tags holds the runtime's
// tag objects, the same for an importer and an exporter).
//
// Why not native unwinding (invoke/landingpad, unwind tables, a personality
// routine in libkiln): it would need per-CPU unwind registration in the
// loader and a C++-style personality, and traps already leave wasm by a jump
// to the host's entry that native unwinding would have to cooperate with.
// Why not setjmp-like records at each try: every try would save registers
// even when nothing throws. Returning costs a load, a compare and a branch
// after each call that may throw (none for modules and functions that cannot
// see an exception), the same at -O0 and -O2 and on both CPUs, and a throw
// costs a return per frame plus the record's allocation. Traps are not
// exceptions: they never set the pending field, so catch and catch_all
// cannot see them.
#include <llvm/IR/Constants.h>
#include <llvm/IR/MDBuilder.h>

#include "abi/vm_context.h"
#include "aotc/codegen/function_translator.h"

namespace kiln::aotc {

llvm::Value* FunctionTranslator::pending_exception_field() {
  return b_.CreateConstInBoundsGEP1_64(m_.i8, store_context(),
                                       offsetof(abi::VMStoreContext, pending_exception));
}

llvm::Value* FunctionTranslator::tag_identity(uint32_t tag) { return tag_object(tag); }

llvm::BasicBlock* FunctionTranslator::handler_from(size_t pos) {
  for (size_t j = pos + 1; j-- > 0;) {
    Frame& f = frames_[j];
    if (f.kind == Frame::Kind::Try && !f.in_catch) return f.handler;
  }
  return unwind_block();
}

llvm::BasicBlock* FunctionTranslator::unwind_block() {
  if (!unwind_) unwind_ = new_block("unwind");
  return unwind_;
}

void FunctionTranslator::check_pending_exception() {
  llvm::LoadInst* pending = b_.CreateAlignedLoad(m_.ptr, pending_exception_field(),
                                                 llvm::Align(alignof(void*)), "pending");
  pending->setMetadata(llvm::LLVMContext::MD_tbaa, m_.tbaa(MemKind::StoreState));
  llvm::BasicBlock* cont = new_block("no_exception");
  llvm::MDNode* unlikely = llvm::MDBuilder(m_.ctx).createBranchWeights(1, 1 << 20);
  b_.CreateCondBr(b_.CreateIsNotNull(pending), current_handler(), cont, unlikely);
  b_.SetInsertPoint(cont);
}

void FunctionTranslator::drop_caught_exceptions() {
  for (llvm::AllocaInst* slot : caught_slots_) {
    llvm::Value* caught = b_.CreateLoad(m_.ptr, slot, "caught");
    call_builtin(abi::kBuiltinDropException, m_.void_ty, {caught});
  }
}

void FunctionTranslator::finish_unwind() {
  if (!unwind_) return;
  llvm::IRBuilderBase::InsertPointGuard guard(b_);
  start_block(unwind_);
  drop_caught_exceptions();
  // The caller tests the pending exception before it looks at any result.
  llvm::Type* result = fn_->getReturnType();
  if (result->isVoidTy()) b_.CreateRetVoid();
  else b_.CreateRet(llvm::PoisonValue::get(result));
}

void FunctionTranslator::begin_catch(std::optional<uint32_t> tag) {
  if (frames_.empty() || frames_.back().kind != Frame::Kind::Try || !frames_.back().next_test) {
    fail("catch without matching try");
    return;
  }
  Frame& f = frames_.back();
  if (reachable_) branch(f);
  stack_.resize(f.height);
  f.in_catch = true;
  if (!f.caught) {
    llvm::IRBuilder<> eb(entry_br_);
    f.caught = eb.CreateAlloca(m_.ptr, nullptr, "caught");
    eb.CreateStore(llvm::ConstantPointerNull::get(m_.ptr), f.caught);
    caught_slots_.push_back(f.caught);
  }
  b_.SetInsertPoint(f.next_test);
  llvm::LoadInst* pending = b_.CreateAlignedLoad(m_.ptr, pending_exception_field(),
                                                 llvm::Align(alignof(void*)), "exception");
  pending->setMetadata(llvm::LLVMContext::MD_tbaa, m_.tbaa(MemKind::StoreState));
  llvm::BasicBlock* body = new_block("catch");
  std::vector<ValType> params;
  if (tag) {
    if (*tag >= wasm_.total_tags()) {
      fail("catch of an unknown tag");
      return;
    }
    params = wasm_.types[wasm_.tag_type_index(*tag)].params;
    llvm::LoadInst* thrown = load_field(b_, m_.ptr, pending, offsetof(abi::VMException, tag),
                                        MemKind::VMStructure, "thrown_tag");
    llvm::BasicBlock* next = new_block("catch.next");
    b_.CreateCondBr(b_.CreateICmpEQ(thrown, tag_identity(*tag)), body, next);
    f.next_test = next;
  } else {
    b_.CreateBr(body);
    f.next_test = nullptr;
  }
  b_.SetInsertPoint(body);
  llvm::StoreInst* clear =
      b_.CreateAlignedStore(llvm::ConstantPointerNull::get(m_.ptr), pending_exception_field(),
                            llvm::Align(alignof(void*)));
  clear->setMetadata(llvm::LLVMContext::MD_tbaa, m_.tbaa(MemKind::StoreState));
  // The previous exception this try caught (a loop around it) is done.
  call_builtin(abi::kBuiltinDropException, m_.void_ty, {b_.CreateLoad(m_.ptr, f.caught)});
  b_.CreateStore(pending, f.caught);
  for (size_t i = 0; i < params.size(); ++i) {
    llvm::Value* addr = b_.CreateConstInBoundsGEP1_64(
        m_.i8, pending, offsetof(abi::VMException, values) + i * sizeof(abi::ValSlot));
    push(b_.CreateAlignedLoad(m_.val_type(params[i]), addr, llvm::Align(alignof(abi::ValSlot))));
  }
  reachable_ = true;
  dead_depth_ = 0;
}

void FunctionTranslator::close_handlers(Frame& frame) {
  if (!frame.next_test) return;
  llvm::IRBuilderBase::InsertPointGuard guard(b_);
  b_.SetInsertPoint(frame.next_test);
  b_.CreateBr(handler_from(frames_.size() - 2));
  frame.next_test = nullptr;
}

void FunctionTranslator::end_delegate(uint32_t depth) {
  if (frames_.empty() || frames_.back().kind != Frame::Kind::Try || frames_.back().in_catch) {
    fail("delegate without matching try");
    return;
  }
  if (size_t(depth) + 1 >= frames_.size()) {
    fail("delegate label out of range");
    return;
  }
  Frame& f = frames_.back();
  {
    llvm::IRBuilderBase::InsertPointGuard guard(b_);
    b_.SetInsertPoint(f.handler);
    b_.CreateBr(handler_from(frames_.size() - 2 - depth));
  }
  f.next_test = nullptr;
  translate_end();
}

void FunctionTranslator::translate_exception(const Instr& in) {
  const ExceptionOp op = as_family<OpFamily::Exception>(in.op);
  switch (op) {
    case ExceptionOp::Try: {
      std::vector<llvm::Type*> params, results;
      if (!block_signature(in.block, params, results)) return;
      push_frame(Frame::Kind::Try, std::move(params), std::move(results));
      Frame& f = frames_.back();
      f.handler = new_block("try.handler");
      f.next_test = f.handler;
      return;
    }
    case ExceptionOp::Catch: begin_catch(in.index); return;
    case ExceptionOp::CatchAll: begin_catch(std::nullopt); return;
    case ExceptionOp::Delegate: end_delegate(in.index); return;
    case ExceptionOp::Throw: {
      if (in.index >= wasm_.total_tags()) {
        fail("throw of an unknown tag");
        return;
      }
      const std::vector<ValType>& params = wasm_.types[wasm_.tag_type_index(in.index)].params;
      std::vector<llvm::Type*> types;
      for (ValType p : params) types.push_back(m_.val_type(p));
      std::vector<llvm::Value*> values = pop_all(types);
      llvm::Value* slots = llvm::ConstantPointerNull::get(m_.ptr);
      if (!values.empty()) {
        llvm::IRBuilder<> eb(entry_br_);
        llvm::AllocaInst* buffer = eb.CreateAlloca(
            llvm::ArrayType::get(m_.i8, values.size() * sizeof(abi::ValSlot)), nullptr, "payload");
        buffer->setAlignment(llvm::Align(alignof(abi::ValSlot)));
        for (size_t i = 0; i < values.size(); ++i)
          b_.CreateAlignedStore(values[i],
                                b_.CreateConstInBoundsGEP1_64(m_.i8, buffer, i * sizeof(abi::ValSlot)),
                                llvm::Align(alignof(abi::ValSlot)));
        slots = buffer;
      }
      call_builtin(abi::kBuiltinThrowException, m_.void_ty, {b_.getInt32(in.index), slots});
      b_.CreateBr(current_handler());
      become_dead(0);
      return;
    }
    case ExceptionOp::Rethrow: {
      Frame* target = label(in.index);
      if (!target) return;
      if (target->kind != Frame::Kind::Try || !target->in_catch || !target->caught) {
        fail("rethrow label is not a catch");
        return;
      }
      call_builtin(abi::kBuiltinRethrowException, m_.void_ty,
                   {b_.CreateLoad(m_.ptr, target->caught, "caught")});
      b_.CreateBr(current_handler());
      become_dead(0);
      return;
    }
  }
}

}  // namespace kiln::aotc
