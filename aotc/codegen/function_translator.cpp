// Function set-up (locals, stack check), the instruction loop, and the
// operand stack.
#include "aotc/codegen/function_translator.h"
#include "aotc/codegen/tail_frame.h"

#include <llvm/IR/Constants.h>

namespace kiln::aotc {

namespace {
// Far more than any real function declares; keeps a hostile local count from
// exhausting memory before validation limits are in place.
constexpr uint64_t kMaxLocals = 1u << 20;
}  // namespace

FunctionTranslator::FunctionTranslator(ModuleContext& module, uint32_t defined_index)
    : m_(module),
      wasm_(module.wasm),
      defined_index_(defined_index),
      func_index_(module.wasm.imported_funcs + defined_index),
      type_(module.wasm.types[module.wasm.functions[defined_index]]),
      fn_(module.defined_function(defined_index)),
      b_(module.ctx, TranslationFolder(module.options.canonicalize_nans)) {}

FunctionTranslator::~FunctionTranslator() {
  if (completed_) return;
  // A failed translation leaves the function a declaration. Blocks of open
  // frames may not be in the function yet: unlink them from everything first.
  std::vector<llvm::BasicBlock*> detached;
  for (Frame& f : frames_)
    for (llvm::BasicBlock* block : {f.merge, f.else_block, f.handler, f.next_test})
      if (block && !block->getParent()) detached.push_back(block);
  for (llvm::BasicBlock* block : detached) block->dropAllReferences();
  if (!fn_->isDeclaration()) fn_->deleteBody();
  for (llvm::BasicBlock* block : detached) delete block;
}

void FunctionTranslator::fail(const std::string& message) {
  if (!error_) error_ = message;
}

void FunctionTranslator::push_all(const std::vector<llvm::Value*>& values) {
  for (llvm::Value* v : values) push(v);
}

llvm::Value* FunctionTranslator::pop_any() {
  size_t floor = frames_.empty() ? 0 : frames_.back().height;
  if (stack_.size() <= floor) {
    fail("operand stack underflow");
    return llvm::PoisonValue::get(m_.i32);
  }
  llvm::Value* v = stack_.back();
  stack_.pop_back();
  return v;
}

llvm::Value* FunctionTranslator::pop(llvm::Type* expected) {
  llvm::Value* v = pop_any();
  if (v->getType() == expected) return v;
  fail("operand type mismatch");
  return llvm::PoisonValue::get(expected);
}

std::vector<llvm::Value*> FunctionTranslator::pop_all(const std::vector<llvm::Type*>& types) {
  std::vector<llvm::Value*> values(types.size());
  for (size_t i = types.size(); i-- > 0;) values[i] = pop(types[i]);
  return values;
}

std::vector<llvm::Value*> FunctionTranslator::top(size_t n) {
  size_t floor = frames_.empty() ? 0 : frames_.back().height;
  if (stack_.size() < floor + n) {
    fail("operand stack underflow");
    return std::vector<llvm::Value*>(n, llvm::PoisonValue::get(m_.i32));
  }
  return std::vector<llvm::Value*>(stack_.end() - n, stack_.end());
}

void FunctionTranslator::keep_load(llvm::Value* value) {
  auto it = memory_loads_.find(value);
  if (it != memory_loads_.end()) it->second->setVolatile(true);
}

void FunctionTranslator::discard_to(size_t height) {
  while (stack_.size() > height) {
    keep_load(stack_.back());
    stack_.pop_back();
  }
}

llvm::BasicBlock* FunctionTranslator::new_block(const char* name) {
  return llvm::BasicBlock::Create(m_.ctx, name, fn_);
}

void FunctionTranslator::start_block(llvm::BasicBlock* block) {
  if (!block->getParent()) block->insertInto(fn_);
  b_.SetInsertPoint(block);
}

llvm::Value* FunctionTranslator::pop_as(llvm::Type* type) {
  return type->isVectorTy() ? b_.CreateBitCast(pop(m_.v128), type) : pop(type);
}

void FunctionTranslator::push_as(llvm::Value* value) {
  push(value->getType()->isVectorTy() ? b_.CreateBitCast(value, m_.v128) : value);
}

void FunctionTranslator::intrinsic1(llvm::Type* type, llvm::Intrinsic::ID id) {
  unary(type, [&](llvm::Value* x) { return b_.CreateUnaryIntrinsic(id, x); });
}

void FunctionTranslator::intrinsic2(llvm::Type* type, llvm::Intrinsic::ID id) {
  binary(type, [&](llvm::Value* lhs, llvm::Value* rhs) {
    return b_.CreateBinaryIntrinsic(id, lhs, rhs);
  });
}

void FunctionTranslator::set_up() {
  const FunctionBody& body = wasm_.bodies[defined_index_];
  llvm::BasicBlock* entry = llvm::BasicBlock::Create(m_.ctx, "entry", fn_);
  b_.SetInsertPoint(entry);
  vmctx_ = fn_->getArg(0);

  // Params, then declared locals, each in a zero-initialized alloca.
  for (size_t i = 0; i < type_.params.size(); ++i) {
    llvm::Type* t = m_.val_type(type_.params[i]);
    llvm::AllocaInst* slot = b_.CreateAlloca(t, nullptr, "p" + std::to_string(i));
    b_.CreateStore(fn_->getArg(static_cast<unsigned>(i + 2)), slot);
    locals_.push_back(slot);
  }
  for (const auto& [count, vt] : body.local_groups) {
    llvm::Type* t = m_.val_type(vt);
    llvm::Constant* zero = llvm::Constant::getNullValue(t);
    for (uint32_t k = 0; k < count; ++k) {
      llvm::AllocaInst* slot = b_.CreateAlloca(t, nullptr, "l");
      b_.CreateStore(zero, slot);
      locals_.push_back(slot);
    }
  }

  llvm::BasicBlock* start = llvm::BasicBlock::Create(m_.ctx, "start", fn_);
  entry_br_ = b_.CreateBr(start);
  b_.SetInsertPoint(start);
  if (m_.tail_body(defined_index_))
    if (llvm::InlineAsm* keep = entry_frame_asm(m_.llvm_module)) b_.CreateCall(keep)->setDoesNotThrow();
  emit_entry_check();

  std::vector<llvm::Type*> results;
  for (ValType r : type_.results) results.push_back(m_.val_type(r));
  push_frame(Frame::Kind::Function, {}, std::move(results));
}

Error FunctionTranslator::translate() {
  if (defined_index_ >= wasm_.bodies.size())
    return make_error("function " + std::to_string(func_index_) + ": missing body");
  const FunctionBody& body = wasm_.bodies[defined_index_];
  if (body.local_count > kMaxLocals)
    return error_in_function(func_index_, body.offset, "too many locals");
  set_up();

  InstrReader reader(body.code, body.code_offset);
  Instr in;
  while (!reader.at_end()) {
    if (frames_.empty())
      return error_in_function(func_index_, reader.offset(), "code after the final end");
    if (Error err = reader.next(in)) {
      fail("decode error");
      return err;
    }
    if (Error err = translate_instr(in)) return err;
  }
  if (!frames_.empty())
    return error_in_function(func_index_, reader.offset(), "function body ends without end");
  place_stack_checks();
  if (m_.options.canonicalize_nans) canonicalize_nans(*fn_);
  completed_ = true;
  return Error::success();
}

// No default here nor in the families' switches: with -Werror=switch (see
// meson.build) an opcode without a translator does not compile.
Error FunctionTranslator::translate_instr(const Instr& in) {
  if (!reachable_) {
    skip_dead(in);
  } else {
    switch (opcode_family(in.op)) {
      case OpFamily::Control: translate_control(in); break;
      case OpFamily::Variable: translate_variable(in); break;
      case OpFamily::Memory: translate_memory(in); break;
      case OpFamily::Numeric: translate_numeric(in); break;
      case OpFamily::Conversion: translate_conversion(in); break;
      case OpFamily::Call: translate_call(in); break;
      case OpFamily::Table: translate_table(in); break;
      case OpFamily::Reference: translate_reference(in); break;
      case OpFamily::BulkMemory: translate_bulk_memory(in); break;
      case OpFamily::Simd: translate_simd(in); break;
      case OpFamily::Atomic: translate_atomic(in); break;
      case OpFamily::Exception: translate_exception(in); break;
    }
  }
  if (error_) return error_in_function(func_index_, in.offset, *error_);
  return Error::success();
}

}  // namespace kiln::aotc
