// Conversions between kiln::Value and the raw 16-byte slots generated code
// uses for arguments, results, globals and table elements.
#pragma once
#include <cstring>

#include "abi/vm_context.h"
#include "kiln/value.h"

namespace kiln::loader {

class StoreState;
struct FuncRecord;

/// Reaches into Value's private representation.
struct ValueAccess {
  static FuncRecord* func(const Value& v) { return v.func_; }
  static const uint8_t* bits(const Value& v) { return v.bits_; }
  static Value from_bits(ValType type, const uint8_t* bits16);
  static Value from_func(FuncRecord* record);
};

/// The pointer generated code uses for reference `v` (VMFuncRef* or the
/// externref's host pointer). Throws kiln::Error if a funcref belongs to
/// another store.
void* ref_to_wasm(const Value& v, StoreState& store);
/// The Value of a reference pointer read from wasm storage.
Value ref_from_wasm(ValType type, void* ref);

/// Writes `v` into 16 bytes of wasm storage (references via ref_to_wasm).
void value_to_wasm(const Value& v, StoreState& store, uint8_t* out16);
/// Reads a value of `type` from 16 bytes of wasm storage.
Value value_from_wasm(ValType type, const uint8_t* in16);

}  // namespace kiln::loader
