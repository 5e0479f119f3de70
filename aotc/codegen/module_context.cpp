// Module-wide LLVM types, signatures, declarations and TBAA nodes.
#include "aotc/codegen/module_context.h"

#include <llvm/IR/Attributes.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/MDBuilder.h>

#include "abi/vm_context.h"

namespace kiln::aotc {

ModuleContext::ModuleContext(const Module& wasm_module, const CodegenOptions& opts,
                             llvm::Module& out)
    : wasm(wasm_module),
      options(opts),
      llvm_module(out),
      ctx(out.getContext()) {
  void_ty = llvm::Type::getVoidTy(ctx);
  i1 = llvm::Type::getInt1Ty(ctx);
  i8 = llvm::Type::getInt8Ty(ctx);
  i16 = llvm::Type::getInt16Ty(ctx);
  i32 = llvm::Type::getInt32Ty(ctx);
  i64 = llvm::Type::getInt64Ty(ctx);
  f32 = llvm::Type::getFloatTy(ctx);
  f64 = llvm::Type::getDoubleTy(ctx);
  v128 = llvm::FixedVectorType::get(i64, 2);
  ptr = llvm::PointerType::get(ctx, 0);

  for (const FuncType& type : wasm.types) {
    std::vector<llvm::Type*> params = {ptr, ptr};
    for (ValType p : type.params) params.push_back(val_type(p));
    signatures_.push_back(llvm::FunctionType::get(results_type(type), params, false));
  }

  llvm::MDBuilder md(ctx);
  llvm::MDNode* root = md.createTBAARoot("kiln wasm");
  static constexpr const char* kNames[] = {"linear memory", "vm structure", "global value",
                                           "table header",  "table element", "memory header",
                                           "store state"};
  for (size_t i = 0; i < tbaa_.size(); ++i) {
    llvm::MDNode* type = md.createTBAAScalarTypeNode(kNames[i], root);
    tbaa_[i] = md.createTBAAStructTagNode(type, type, 0);
  }
}

llvm::Type* ModuleContext::val_type(ValType t) const {
  switch (t) {
    case ValType::I32: return i32;
    case ValType::I64: return i64;
    case ValType::F32: return f32;
    case ValType::F64: return f64;
    case ValType::V128: return v128;
    case ValType::FuncRef:
    case ValType::ExternRef: return ptr;
  }
  return i32;
}

llvm::Type* ModuleContext::results_type(const FuncType& type) const {
  if (type.results.empty()) return void_ty;
  if (type.results.size() == 1) return val_type(type.results[0]);
  std::vector<llvm::Type*> fields;
  for (ValType r : type.results) fields.push_back(val_type(r));
  return llvm::StructType::get(ctx, fields);
}

void ModuleContext::use_wasm_convention(llvm::Function& fn) {
  fn.setCallingConv(llvm::CallingConv::Swift);
  fn.addParamAttr(0, llvm::Attribute::SwiftSelf);
}

void ModuleContext::use_wasm_convention(llvm::CallBase& call) {
  call.setCallingConv(llvm::CallingConv::Swift);
  call.addParamAttr(0, llvm::Attribute::SwiftSelf);
}

bool ModuleContext::results_in_registers(const FuncType& type) {
  constexpr size_t kRegisters = 4;  // of each class, on x86-64
  size_t integers = 0, floats = 0;
  for (ValType r : type.results) {
    const bool fp = r == ValType::F32 || r == ValType::F64 || r == ValType::V128;
    (fp ? floats : integers) += 1;
  }
  return integers <= kRegisters && floats <= kRegisters;
}

void ModuleContext::define_entry(uint32_t i) {
  llvm::Function* body = defined_function(i);
  llvm::Function* entry = llvm::Function::Create(body->getFunctionType(), llvm::GlobalValue::ExternalLinkage,
                                                 entry_symbol(i), llvm_module);
  entry->setVisibility(llvm::GlobalValue::HiddenVisibility);
  use_wasm_convention(*entry);
  add_common_attributes(*entry);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", entry));
  std::vector<llvm::Value*> args;
  for (llvm::Argument& a : entry->args()) args.push_back(&a);
  llvm::CallInst* call = b.CreateCall(body, args);
  use_wasm_convention(*call);
  call->setCallingConv(body_convention(i));
  call->addFnAttr(llvm::Attribute::NoInline);
  if (entry->getReturnType()->isVoidTy())
    b.CreateRetVoid();
  else
    b.CreateRet(call);
}

void ModuleContext::add_common_attributes(llvm::Function& fn) const {
  fn.addFnAttr("frame-pointer", "all");
  fn.addFnAttr("disable-tail-calls", "true");
}

Error ModuleContext::declare_functions(uint32_t first, uint32_t end) {
  for (uint32_t i = 0; i < wasm.functions.size(); ++i) {
    uint32_t type_index = wasm.functions[i];
    if (type_index >= signatures_.size())
      return make_error("function " + std::to_string(wasm.imported_funcs + i) +
                        ": type index " + std::to_string(type_index) + " out of range");
  }
  if (first > end || end > wasm.functions.size())
    return make_error("internal error: function range out of bounds");
  functions_.assign(wasm.functions.size(), nullptr);
  for (uint32_t i = first; i < end; ++i) declare_function(i);
  return Error::success();
}

llvm::Function* ModuleContext::defined_function(uint32_t defined_index) {
  llvm::Function* fn = functions_[defined_index];
  return fn ? fn : declare_function(defined_index);
}

llvm::Function* ModuleContext::declare_function(uint32_t i) {
  // Hidden: calls between partitions resolve inside the artifact, and the
  // artifact exports nothing but its descriptor.
  llvm::Function* fn =
      llvm::Function::Create(signatures_[wasm.functions[i]], llvm::GlobalValue::ExternalLinkage,
                             function_symbol(i), llvm_module);
  fn->setVisibility(llvm::GlobalValue::HiddenVisibility);
  use_wasm_convention(*fn);
  fn->setCallingConv(body_convention(i));
  add_common_attributes(*fn);
  // The callee context is always this instance's VMContext.
  fn->addParamAttr(0, llvm::Attribute::NonNull);
  fn->addParamAttr(0, llvm::Attribute::NoUndef);
  fn->addParamAttr(0, llvm::Attribute::getWithAlignment(ctx, llvm::Align(alignof(abi::VMContext))));
  fn->addParamAttr(0, llvm::Attribute::getWithDereferenceableBytes(ctx, sizeof(abi::VMContext)));
  fn->getArg(0)->setName("vmctx");
  fn->getArg(1)->setName("caller_vmctx");
  functions_[i] = fn;
  return fn;
}

}  // namespace kiln::aotc
