// Values to and from wasm storage.
#include "loader/value_access.h"

#include "loader/store_state.h"

namespace kiln::loader {

Result<void*> ref_to_wasm(const Value& v, StoreState& store) {
  if (v.type() == ValType::ExternRef) return v.as_externref();
  FuncRecord* record = ValueAccess::func(v);
  if (!record) return nullptr;
  if (record->store != &store) return fail("funcref belongs to another store");
  // A host function no module of the store can call yet stays unbound: wasm
  // can only call it through call_indirect of a module with its type, and
  // instantiating such a module binds it first.
  if (record->host && !record->ref.code) bind_host_adapter_from_store(*record->host, store);
  return static_cast<void*>(&record->ref);
}

Value ref_from_wasm(ValType type, void* ref) {
  if (type == ValType::ExternRef) return Value::externref(ref);
  return ValueAccess::from_func(ref ? FuncRecord::from(static_cast<abi::VMFuncRef*>(ref)) : nullptr);
}

Status value_to_wasm(const Value& v, StoreState& store, uint8_t* out16) {
  if (is_ref(v.type())) {
    // Converted before anything is written: a refused reference (another
    // store's) leaves the destination as it was.
    Result<void*> ref = ref_to_wasm(v, store);
    if (!ref) return std::move(ref).failure();
    std::memset(out16, 0, 16);
    std::memcpy(out16, &*ref, sizeof(void*));
    return {};
  }
  std::memcpy(out16, ValueAccess::bits(v), 16);
  return {};
}

Value value_from_wasm(ValType type, const uint8_t* in16) {
  if (is_ref(type)) {
    void* ref;
    std::memcpy(&ref, in16, sizeof ref);
    return ref_from_wasm(type, ref);
  }
  return ValueAccess::from_bits(type, in16);
}

}  // namespace kiln::loader
