// Loads from the VMContext and the runtime structures it points to.
//
// Pointers that never change during an instance's life (memory base, the
// arrays, VMGlobal/VMTable/VMFuncRef addresses, builtins, type ids) are loaded
// once per function in the entry block as invariant loads, with nonnull and
// dereferenceable where they hold, so LLVM can hoist and share everything
// derived from them.
#include <llvm/IR/Constants.h>

#include "abi/vm_context.h"
#include "aotc/codegen/function_translator.h"

namespace kiln::aotc {

namespace {
// Cache keys: a tag in the high bits, an index or offset below.
enum class CacheTag : uint64_t {
  VMField = 1, Global, Table, TableElements, FuncRef, TypeId, Builtin, Memory, MemoryBase, Tag,
};
uint64_t cache_key(CacheTag tag, uint64_t value) {
  return (static_cast<uint64_t>(tag) << 48) | value;
}
}  // namespace

void FunctionTranslator::mark_invariant(llvm::LoadInst* load) {
  load->setMetadata(llvm::LLVMContext::MD_invariant_load,
                    llvm::MDNode::get(load->getContext(), {}));
}

llvm::LoadInst* FunctionTranslator::load_field(llvm::IRBuilderBase& b, llvm::Type* type,
                                               llvm::Value* base, uint64_t offset, MemKind kind,
                                               const llvm::Twine& name) {
  llvm::Value* addr = offset ? b.CreateConstInBoundsGEP1_64(m_.i8, base, offset) : base;
  llvm::Align align = m_.llvm_module.getDataLayout().getABITypeAlign(type);
  llvm::LoadInst* load = b.CreateAlignedLoad(type, addr, align, name);
  load->setMetadata(llvm::LLVMContext::MD_tbaa, m_.tbaa(kind));
  return load;
}

llvm::Value* FunctionTranslator::cached_pointer(uint64_t key, llvm::Value* base, uint64_t offset,
                                                uint64_t pointee_bytes, uint64_t pointee_align,
                                                const char* name) {
  auto it = cache_.find(key);
  if (it != cache_.end()) return it->second;
  llvm::IRBuilder<> pb(entry_br_);
  llvm::LoadInst* load = load_field(pb, m_.ptr, base, offset, MemKind::VMStructure, name);
  mark_invariant(load);
  if (pointee_bytes > 0) {
    llvm::LLVMContext& ctx = m_.ctx;
    load->setMetadata(llvm::LLVMContext::MD_nonnull, llvm::MDNode::get(ctx, {}));
    auto bytes = llvm::ConstantAsMetadata::get(pb.getInt64(pointee_bytes));
    load->setMetadata(llvm::LLVMContext::MD_dereferenceable, llvm::MDNode::get(ctx, {bytes}));
    auto align = llvm::ConstantAsMetadata::get(pb.getInt64(pointee_align));
    load->setMetadata(llvm::LLVMContext::MD_align, llvm::MDNode::get(ctx, {align}));
  }
  cache_[key] = load;
  return load;
}

llvm::Value* FunctionTranslator::vmctx_field(uint64_t offset, uint64_t pointee_bytes,
                                             uint64_t pointee_align, const char* name) {
  return cached_pointer(cache_key(CacheTag::VMField, offset), vmctx_, offset, pointee_bytes,
                        pointee_align, name);
}

llvm::Value* FunctionTranslator::memory_base(uint32_t memory) {
  // Not dereferenceable: a memory may have zero pages. A base never moves.
  if (memory == 0) return vmctx_field(abi::kVMContextMemoryBase, 0, 0, "memory_base");
  return cached_pointer(cache_key(CacheTag::MemoryBase, memory), vm_memory(memory),
                        offsetof(abi::VMMemory, base), 0, 0, "memory_base");
}

llvm::Value* FunctionTranslator::vm_memory(uint32_t memory) {
  if (memory == 0)
    return vmctx_field(abi::kVMContextMemory, sizeof(abi::VMMemory), alignof(abi::VMMemory),
                       "memory");
  uint64_t count = wasm_.total_memories();
  llvm::Value* array = vmctx_field(abi::kVMContextMemories, count * sizeof(void*),
                                   alignof(void*), "memories");
  return cached_pointer(cache_key(CacheTag::Memory, memory), array,
                        uint64_t(memory) * sizeof(void*), sizeof(abi::VMMemory),
                        alignof(abi::VMMemory), "memory");
}

llvm::Value* FunctionTranslator::store_context() {
  return vmctx_field(abi::kVMContextStore, sizeof(abi::VMStoreContext),
                     alignof(abi::VMStoreContext), "store");
}

llvm::Value* FunctionTranslator::global_storage(uint32_t index) {
  uint64_t count = wasm_.total_globals();
  llvm::Value* array = vmctx_field(abi::kVMContextGlobals, count * sizeof(void*),
                                   alignof(void*), "globals");
  return cached_pointer(cache_key(CacheTag::Global, index), array, uint64_t(index) * sizeof(void*),
                        sizeof(abi::VMGlobal), alignof(abi::VMGlobal), "global");
}

llvm::Value* FunctionTranslator::table_object(uint32_t index) {
  uint64_t count = wasm_.total_tables();
  llvm::Value* array =
      vmctx_field(abi::kVMContextTables, count * sizeof(void*), alignof(void*), "tables");
  return cached_pointer(cache_key(CacheTag::Table, index), array, uint64_t(index) * sizeof(void*),
                        sizeof(abi::VMTable), alignof(abi::VMTable), "table");
}

llvm::Value* FunctionTranslator::fixed_table_elements(uint32_t index) {
  return cached_pointer(cache_key(CacheTag::TableElements, index), table_object(index),
                        offsetof(abi::VMTable, elements), 0, 0, "elements");
}

llvm::Value* FunctionTranslator::func_ref(uint32_t index) {
  uint64_t count = wasm_.total_funcs();
  llvm::Value* array =
      vmctx_field(abi::kVMContextFuncs, count * sizeof(void*), alignof(void*), "funcs");
  return cached_pointer(cache_key(CacheTag::FuncRef, index), array,
                        uint64_t(index) * sizeof(void*), sizeof(abi::VMFuncRef),
                        alignof(abi::VMFuncRef), "funcref");
}

llvm::Value* FunctionTranslator::tag_object(uint32_t index) {
  uint64_t count = wasm_.total_tags();
  llvm::Value* array = vmctx_field(abi::kVMContextTags, count * sizeof(void*), alignof(void*), "tags");
  return cached_pointer(cache_key(CacheTag::Tag, index), array, uint64_t(index) * sizeof(void*), 0, 0,
                        "tag");
}

llvm::Value* FunctionTranslator::type_id(uint32_t type_index) {
  uint64_t key = cache_key(CacheTag::TypeId, type_index);
  auto it = cache_.find(key);
  if (it != cache_.end()) return it->second;
  uint64_t count = wasm_.types.size();
  llvm::Value* array = vmctx_field(abi::kVMContextTypeIds, count * sizeof(uint32_t),
                                   alignof(uint32_t), "type_ids");
  llvm::IRBuilder<> pb(entry_br_);
  llvm::LoadInst* id = load_field(pb, m_.i32, array, uint64_t(type_index) * sizeof(uint32_t),
                                  MemKind::VMStructure, "type_id");
  mark_invariant(id);
  cache_[key] = id;
  return id;
}

llvm::CallInst* FunctionTranslator::call_runtime(uint64_t offset, llvm::Type* result,
                                                 const std::vector<llvm::Value*>& args) {
  llvm::Value* table =
      vmctx_field(abi::kVMContextBuiltins, sizeof(abi::Builtins), alignof(abi::Builtins),
                  "builtins");
  // Function pointers: invariant but not dereferenceable data.
  llvm::Value* fn = cached_pointer(cache_key(CacheTag::Builtin, offset), table, offset, 0, 0,
                                   "builtin");
  std::vector<llvm::Type*> types;
  for (llvm::Value* v : args) types.push_back(v->getType());
  auto* fn_type = llvm::FunctionType::get(result, types, false);
  return b_.CreateCall(fn_type, fn, args);
}

llvm::CallInst* FunctionTranslator::call_builtin(uint64_t offset, llvm::Type* result,
                                                 const std::vector<llvm::Value*>& args) {
  std::vector<llvm::Value*> full = {vmctx_};
  full.insert(full.end(), args.begin(), args.end());
  return call_runtime(offset, result, full);
}

}  // namespace kiln::aotc
