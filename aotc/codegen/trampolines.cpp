// Entry trampolines and host adapters. Slot i lives at args_results + 16*i;
// values sit in its low bytes (see abi::ValSlot).
#include "aotc/codegen/trampolines.h"

#include <algorithm>

#include <llvm/IR/IRBuilder.h>

#include "abi/vm_context.h"

namespace kiln::aotc {

namespace {

constexpr uint64_t kSlotSize = sizeof(abi::ValSlot);
const llvm::Align kSlotAlign(alignof(abi::ValSlot));

llvm::Value* slot_address(llvm::IRBuilder<>& b, llvm::Value* slots, size_t i) {
  return i ? b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), slots, i * kSlotSize) : slots;
}

// Splits a call's return value into its results.
std::vector<llvm::Value*> results_of(llvm::IRBuilder<>& b, llvm::Value* ret, size_t count) {
  if (count == 0) return {};
  if (count == 1) return {ret};
  std::vector<llvm::Value*> out;
  for (unsigned i = 0; i < count; ++i) out.push_back(b.CreateExtractValue(ret, {i}));
  return out;
}

// void kiln_entry_t<T>(ptr code, ptr callee_vmctx, ptr caller_vmctx, ptr slots)
void emit_entry_trampoline(ModuleContext& m, uint32_t type_index) {
  const FuncType& type = m.wasm.types[type_index];
  auto* fn_type = llvm::FunctionType::get(m.void_ty, {m.ptr, m.ptr, m.ptr, m.ptr}, false);
  llvm::Function* fn = llvm::Function::Create(fn_type, llvm::GlobalValue::ExternalLinkage,
                                              entry_trampoline_symbol(type_index), m.llvm_module);
  fn->setVisibility(llvm::GlobalValue::HiddenVisibility);
  m.add_common_attributes(*fn);
  fn->addParamAttr(3, llvm::Attribute::NoAlias);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(m.ctx, "entry", fn));
  llvm::Value* code = fn->getArg(0);
  llvm::Value* slots = fn->getArg(3);

  std::vector<llvm::Value*> args = {fn->getArg(1), fn->getArg(2)};
  for (size_t i = 0; i < type.params.size(); ++i)
    args.push_back(b.CreateAlignedLoad(m.val_type(type.params[i]), slot_address(b, slots, i),
                                       kSlotAlign));
  llvm::CallInst* ret = b.CreateCall(m.signature(type_index), code, args);
  ModuleContext::use_wasm_convention(*ret);
  std::vector<llvm::Value*> results = results_of(b, ret, type.results.size());
  for (size_t i = 0; i < results.size(); ++i)
    b.CreateAlignedStore(results[i], slot_address(b, slots, i), kSlotAlign);
  b.CreateRetVoid();
}

// R kiln_host_t<T>(ptr host_ctx, ptr caller_vmctx, P...): calls
// host_ctx->callback(host_ctx, caller_vmctx, slots).
void emit_host_adapter(ModuleContext& m, uint32_t type_index) {
  const FuncType& type = m.wasm.types[type_index];
  llvm::Function* fn =
      llvm::Function::Create(m.signature(type_index), llvm::GlobalValue::ExternalLinkage,
                             host_adapter_symbol(type_index), m.llvm_module);
  fn->setVisibility(llvm::GlobalValue::HiddenVisibility);
  ModuleContext::use_wasm_convention(*fn);
  m.add_common_attributes(*fn);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(m.ctx, "entry", fn));
  llvm::Value* self = fn->getArg(0);
  llvm::Value* caller = fn->getArg(1);

  size_t count = std::max<size_t>({type.params.size(), type.results.size(), 1});
  auto* slots_type = llvm::ArrayType::get(m.i8, count * kSlotSize);
  llvm::AllocaInst* slots = b.CreateAlloca(slots_type, nullptr, "slots");
  slots->setAlignment(kSlotAlign);
  for (size_t i = 0; i < type.params.size(); ++i)
    b.CreateAlignedStore(fn->getArg(static_cast<unsigned>(i + 2)), slot_address(b, slots, i),
                         kSlotAlign);

  llvm::Value* callback = b.CreateAlignedLoad(
      m.ptr, b.CreateConstInBoundsGEP1_64(m.i8, self, offsetof(abi::VMHostContext, callback)),
      llvm::Align(alignof(void*)), "callback");
  auto* callback_type = llvm::FunctionType::get(m.void_ty, {m.ptr, m.ptr, m.ptr}, false);
  b.CreateCall(callback_type, callback, {self, caller, slots});

  if (type.results.empty()) {
    b.CreateRetVoid();
    return;
  }
  std::vector<llvm::Value*> results;
  for (size_t i = 0; i < type.results.size(); ++i)
    results.push_back(b.CreateAlignedLoad(m.val_type(type.results[i]),
                                          slot_address(b, slots, i), kSlotAlign));
  if (results.size() == 1) {
    b.CreateRet(results[0]);
    return;
  }
  llvm::Value* agg = llvm::PoisonValue::get(fn->getReturnType());
  for (unsigned i = 0; i < results.size(); ++i) agg = b.CreateInsertValue(agg, results[i], {i});
  b.CreateRet(agg);
}

}  // namespace

void generate_trampolines(ModuleContext& module) {
  for (uint32_t t = 0; t < module.wasm.types.size(); ++t) {
    emit_entry_trampoline(module, t);
    emit_host_adapter(module, t);
  }
}

}  // namespace kiln::aotc
