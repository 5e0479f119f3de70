// Table instructions. get/set/size are inline (a bounds check against
// VMTable::size, then the element slot, an abi::VMTableElement);
// grow/fill/copy/init/elem.drop call builtins, which trap themselves.
#include "abi/vm_context.h"
#include "aotc/codegen/function_translator.h"

namespace kiln::aotc {

std::optional<uint32_t> FunctionTranslator::fixed_table_size(uint32_t table) const {
  // min == max: the table can never grow, and an imported table that matches
  // this type has exactly min elements (its size is at least min, its
  // maximum at most max). So the size is this constant and the elements
  // never move.
  TableType type = wasm_.table_type(table);
  if (!type.limits.max || *type.limits.max != type.limits.min || type.limits.min > UINT32_MAX)
    return std::nullopt;
  return uint32_t(type.limits.min);
}

llvm::Value* FunctionTranslator::table_slot(uint32_t table, llvm::Value* index, TrapCode code) {
  llvm::Value* object = table_object(table);
  if (std::optional<uint32_t> fixed = fixed_table_size(table)) {
    // A constant bound, and the elements loaded once per function (they
    // stay put across calls), as with a native function-pointer array.
    trap_if(b_.CreateICmpUGE(index, b_.getInt32(*fixed)), code);
    return b_.CreateInBoundsGEP(element_type(), fixed_table_elements(table), b_.CreateZExt(index, m_.i64));
  }
  llvm::LoadInst* size = load_field(b_, m_.i32, object, offsetof(abi::VMTable, size),
                                    MemKind::TableHeader, "table_size");
  trap_if(b_.CreateICmpUGE(index, size), code);
  // Reloaded after the check: table.grow may move the elements.
  llvm::LoadInst* elements = load_field(b_, m_.ptr, object, offsetof(abi::VMTable, elements),
                                        MemKind::TableHeader, "elements");
  return b_.CreateInBoundsGEP(element_type(), elements, b_.CreateZExt(index, m_.i64));
}

llvm::Type* FunctionTranslator::element_type() const {
  static_assert(sizeof(abi::VMTableElement) == 5 * sizeof(uint64_t));
  return llvm::ArrayType::get(m_.i64, 5);
}

void FunctionTranslator::store_element(uint32_t table, llvm::Value* slot, llvm::Value* ref) {
  // abi::funcref_table_element, inline: ref and copies of its code, vmctx,
  // tail_code and type_id, all zero for a null ref (read from a zero
  // constant rather than branching); an externref table's element is ref
  // alone.
  const bool funcref = wasm_.table_type(table).elem_type == ValType::FuncRef;
  llvm::Value* source = ref;
  if (funcref) {
    auto* null_ref = llvm::cast<llvm::GlobalVariable>(m_.llvm_module.getOrInsertGlobal(
        "kiln.null_funcref", llvm::ArrayType::get(m_.ptr, sizeof(abi::VMFuncRef) / sizeof(void*))));
    if (!null_ref->hasInitializer()) {
      null_ref->setInitializer(llvm::Constant::getNullValue(null_ref->getValueType()));
      null_ref->setConstant(true);
      null_ref->setLinkage(llvm::GlobalValue::PrivateLinkage);
      null_ref->setAlignment(llvm::Align(alignof(abi::VMFuncRef)));
    }
    source = b_.CreateSelect(b_.CreateIsNull(ref), null_ref, ref);
  }
  auto store = [&](uint64_t offset, llvm::Value* value) {
    llvm::Value* addr = offset ? b_.CreateConstInBoundsGEP1_64(m_.i8, slot, offset) : slot;
    b_.CreateAlignedStore(value, addr, llvm::Align(value->getType() == m_.i32 ? 4 : 8))
        ->setMetadata(llvm::LLVMContext::MD_tbaa, m_.tbaa(MemKind::TableElement));
  };
  auto copy = [&](llvm::Type* type, uint64_t ref_offset, const char* name) -> llvm::Value* {
    if (!funcref) return llvm::Constant::getNullValue(type);
    llvm::LoadInst* load = load_field(b_, type, source, ref_offset, MemKind::VMStructure, name);
    mark_invariant(load);  // a VMFuncRef never changes
    return load;
  };
  store(offsetof(abi::VMTableElement, ref), ref);
  store(offsetof(abi::VMTableElement, code), copy(m_.ptr, offsetof(abi::VMFuncRef, code), "code"));
  store(offsetof(abi::VMTableElement, vmctx), copy(m_.ptr, offsetof(abi::VMFuncRef, vmctx), "vmctx"));
  store(offsetof(abi::VMTableElement, tail_code),
        copy(m_.ptr, offsetof(abi::VMFuncRef, tail_code), "tail_code"));
  store(offsetof(abi::VMTableElement, type_id),
        copy(m_.i32, offsetof(abi::VMFuncRef, type_id), "type_id"));
}

void FunctionTranslator::translate_table(const Instr& in) {
  const TableOp op = as_family<OpFamily::Table>(in.op);
  switch (op) {
    case TableOp::TableGet:
    case TableOp::TableSet:
    case TableOp::TableSize:
    case TableOp::TableGrow:
    case TableOp::TableFill:
      if (in.index >= wasm_.total_tables()) {
        fail("table index out of range");
        return;
      }
      break;
    case TableOp::TableCopy:
      if (in.index >= wasm_.total_tables() || in.index2 >= wasm_.total_tables()) {
        fail("table index out of range");
        return;
      }
      break;
    case TableOp::TableInit:
      if (in.index2 >= wasm_.total_tables() || in.index >= wasm_.elems.size()) {
        fail("table or element segment index out of range");
        return;
      }
      break;
    case TableOp::ElemDrop:
      if (in.index >= wasm_.elems.size()) {
        fail("element segment index out of range");
        return;
      }
      break;
  }

  switch (op) {
    case TableOp::TableGet: {
      llvm::Value* index = pop(m_.i32);
      llvm::Value* slot = table_slot(in.index, index, TrapCode::OutOfBoundsTableAccess);
      push(load_field(b_, m_.ptr, slot, offsetof(abi::VMTableElement, ref), MemKind::TableElement,
                      "ref"));
      return;
    }
    case TableOp::TableSet: {
      llvm::Value* ref = pop(m_.ptr);
      llvm::Value* index = pop(m_.i32);
      llvm::Value* slot = table_slot(in.index, index, TrapCode::OutOfBoundsTableAccess);
      store_element(in.index, slot, ref);
      return;
    }
    case TableOp::TableSize:
      if (std::optional<uint32_t> fixed = fixed_table_size(in.index)) {
        push(b_.getInt32(*fixed));
        return;
      }
      push(load_field(b_, m_.i32, table_object(in.index), offsetof(abi::VMTable, size),
                      MemKind::TableHeader, "table_size"));
      return;
    case TableOp::TableGrow: {
      llvm::Value* delta = pop(m_.i32);
      llvm::Value* init = pop(m_.ptr);
      push(call_builtin(abi::kBuiltinTableGrow, m_.i32, {b_.getInt32(in.index), init, delta}));
      return;
    }
    case TableOp::TableFill: {
      llvm::Value* len = pop(m_.i32);
      llvm::Value* ref = pop(m_.ptr);
      llvm::Value* dst = pop(m_.i32);
      call_builtin(abi::kBuiltinTableFill, m_.void_ty, {b_.getInt32(in.index), dst, ref, len});
      return;
    }
    case TableOp::TableCopy: {
      llvm::Value* len = pop(m_.i32);
      llvm::Value* src = pop(m_.i32);
      llvm::Value* dst = pop(m_.i32);
      call_builtin(abi::kBuiltinTableCopy, m_.void_ty,
                   {b_.getInt32(in.index), b_.getInt32(in.index2), dst, src, len});
      return;
    }
    case TableOp::TableInit: {
      llvm::Value* len = pop(m_.i32);
      llvm::Value* src = pop(m_.i32);
      llvm::Value* dst = pop(m_.i32);
      call_builtin(abi::kBuiltinTableInit, m_.void_ty,
                   {b_.getInt32(in.index2), b_.getInt32(in.index), dst, src, len});
      return;
    }
    case TableOp::ElemDrop:
      call_builtin(abi::kBuiltinElemDrop, m_.void_ty, {b_.getInt32(in.index)});
      return;
  }
}

}  // namespace kiln::aotc
