// Module-wide LLVM types, signatures, declarations and TBAA nodes.
#include "aotc/codegen/module_context.h"

#include <map>
#include <utility>

#include <llvm/IR/Attributes.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/GlobalVariable.h>
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

  std::map<std::pair<std::vector<ValType>, std::vector<ValType>>, uint32_t> first_of;
  for (const FuncType& type : wasm.types) {
    auto [it, added] = first_of.try_emplace({type.params, type.results}, uint32_t(canonical_types_.size()));
    canonical_types_.push_back(it->second);
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

namespace {
const char* sealed_array_suffix(ModuleContext::SealedArray which) {
  switch (which) {
    case ModuleContext::SealedArray::CallTypes: return "_call_types";
    case ModuleContext::SealedArray::CallCode: return "_call_code";
    case ModuleContext::SealedArray::TailTypes: return "_tail_types";
    case ModuleContext::SealedArray::TailCode: return "_tail_code";
  }
  return "";
}
}  // namespace

llvm::GlobalVariable* ModuleContext::sealed_array(uint32_t table, SealedArray which) {
  const std::string name = "kiln_sealed" + std::to_string(table) + sealed_array_suffix(which);
  if (llvm::GlobalVariable* existing = llvm_module.getNamedGlobal(name)) return existing;
  const SealedTable* sealed = wasm.sealed_table(table);
  const uint64_t count = sealed ? sealed->elements.size() : 0;
  // Code as 32-bit offsets from the array (llvm.load.relative): the
  // artifact stays free of dynamic relocations.
  llvm::Type* element = i32;
  auto* array = new llvm::GlobalVariable(llvm_module, llvm::ArrayType::get(element, count),
                                         /*isConstant=*/true, llvm::GlobalValue::ExternalLinkage,
                                         nullptr, name);
  array->setVisibility(llvm::GlobalValue::HiddenVisibility);
  array->setAlignment(llvm_module.getDataLayout().getABITypeAlign(element));
  return array;
}

llvm::Function* ModuleContext::function_by_symbol(const std::string& symbol, uint32_t defined_index,
                                                  llvm::CallingConv::ID convention) {
  if (llvm::Function* fn = llvm_module.getFunction(symbol)) return fn;
  llvm::Function* fn = llvm::Function::Create(signatures_[wasm.functions[defined_index]],
                                              llvm::GlobalValue::ExternalLinkage, symbol, llvm_module);
  fn->setVisibility(llvm::GlobalValue::HiddenVisibility);
  use_wasm_convention(*fn);
  fn->setCallingConv(convention);
  return fn;
}

std::optional<uint32_t> ModuleContext::sealed_function(uint32_t func) const {
  if (func == SealedTable::kUnknown || func < wasm.imported_funcs || func >= wasm.total_funcs())
    return std::nullopt;
  return func - wasm.imported_funcs;
}

uint32_t ModuleContext::sealed_call_type(uint32_t defined) const {
  return canonical_type(wasm.functions[defined]) * 2 + (wasm.call_may_throw(wasm.imported_funcs + defined) ? 1 : 0);
}

void ModuleContext::define_sealed_arrays() {
  const bool tail = wasm.features_used & abi::feature_bit(abi::Feature::TailCall);
  for (const SealedTable& sealed : wasm.sealed_tables) {
    std::vector<llvm::Constant*> call_types, call_code, tail_types, tail_code;
    llvm::GlobalVariable* call_array = sealed_array(sealed.table, SealedArray::CallCode);
    llvm::GlobalVariable* tail_array = sealed_array(sealed.table, SealedArray::TailCode);
    auto relative = [&](llvm::Function* fn, llvm::GlobalVariable* array) -> llvm::Constant* {
      llvm::Constant* offset = llvm::ConstantExpr::getSub(llvm::ConstantExpr::getPtrToInt(fn, i64),
                                                          llvm::ConstantExpr::getPtrToInt(array, i64));
      return llvm::ConstantExpr::getTrunc(offset, i32);
    };
    for (uint32_t func : sealed.elements) {
      llvm::Constant* no_type = llvm::ConstantInt::get(i32, UINT32_MAX);
      llvm::Constant* no_code = llvm::ConstantInt::get(i32, 0);
      const std::optional<uint32_t> known = sealed_function(func);
      if (!known) {
        call_types.push_back(no_type), call_code.push_back(no_code);
        tail_types.push_back(no_type), tail_code.push_back(no_code);
        continue;
      }
      const uint32_t defined = *known;
      llvm::Constant* type = llvm::ConstantInt::get(i32, canonical_type(wasm.functions[defined]));
      call_types.push_back(llvm::ConstantInt::get(i32, sealed_call_type(defined)));
      if (!tail_body(defined)) {
        call_code.push_back(relative(defined_function(defined), call_array));
        tail_types.push_back(no_type), tail_code.push_back(no_code);
        continue;
      }
      call_code.push_back(
          relative(function_by_symbol(entry_symbol(defined), defined, llvm::CallingConv::Swift), call_array));
      tail_types.push_back(type), tail_code.push_back(relative(defined_function(defined), tail_array));
    }
    auto define = [&](SealedArray which, std::vector<llvm::Constant*>& values) {
      llvm::GlobalVariable* array = sealed_array(sealed.table, which);
      auto* type = llvm::cast<llvm::ArrayType>(array->getValueType());
      array->setInitializer(llvm::ConstantArray::get(type, values));
    };
    define(SealedArray::CallTypes, call_types);
    define(SealedArray::CallCode, call_code);
    if (!tail) {
      tail_array->eraseFromParent();
      continue;
    }
    define(SealedArray::TailTypes, tail_types);
    define(SealedArray::TailCode, tail_code);
  }
}

}  // namespace kiln::aotc
