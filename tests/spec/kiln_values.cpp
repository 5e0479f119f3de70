#include "tests/spec/kiln_values.h"

#include <cstring>

#include <kiln/function.h>

namespace kiln::spec {
namespace {

// ref.extern N is the pointer value N + 1, so that ref.extern 0 is not null.
void* extern_pointer(uint64_t id) { return reinterpret_cast<void*>(static_cast<uintptr_t>(id + 1)); }
uint64_t extern_id(void* pointer) { return static_cast<uint64_t>(reinterpret_cast<uintptr_t>(pointer)) - 1; }

}  // namespace

std::optional<kiln::Value> to_kiln_value(const SpecValue& value, std::string& error) {
  if (value.type_only || value.has_nan_pattern()) {
    error = "argument " + to_string(value) + " has no concrete value";
    return std::nullopt;
  }
  switch (value.type) {
    case SpecType::I32: return kiln::Value::i32(static_cast<int32_t>(value.bits32()));
    case SpecType::I64: return kiln::Value::i64(static_cast<int64_t>(value.bits64()));
    case SpecType::F32: return kiln::Value::f32_bits(value.bits32());
    case SpecType::F64: return kiln::Value::f64_bits(value.bits64());
    case SpecType::V128: {
      kiln::V128 v;
      std::memcpy(v.bytes, value.bytes.data(), sizeof v.bytes);
      return kiln::Value::v128(v);
    }
    case SpecType::FuncRef:
      if (value.ref == RefKind::Null) return kiln::Value::null(kiln::ValType::FuncRef);
      error = "a non-null funcref argument cannot be written in a script";
      return std::nullopt;
    case SpecType::ExternRef:
      if (value.ref == RefKind::Null) return kiln::Value::null(kiln::ValType::ExternRef);
      return kiln::Value::externref(extern_pointer(value.extern_id));
  }
  error = "unknown argument type";
  return std::nullopt;
}

SpecValue from_kiln_value(const kiln::Value& value, LaneType lanes) {
  switch (value.type()) {
    case kiln::ValType::I32: return SpecValue::i32(static_cast<uint32_t>(value.as_i32()));
    case kiln::ValType::I64: return SpecValue::i64(static_cast<uint64_t>(value.as_i64()));
    case kiln::ValType::F32: return SpecValue::f32(value.f32_bits());
    case kiln::ValType::F64: return SpecValue::f64(value.f64_bits());
    case kiln::ValType::V128: {
      std::array<uint8_t, 16> bytes;
      std::memcpy(bytes.data(), value.as_v128().bytes, bytes.size());
      return SpecValue::v128(bytes, lanes);
    }
    case kiln::ValType::FuncRef:
      return value.is_null_ref() ? SpecValue::null_ref(SpecType::FuncRef) : SpecValue::func_ref();
    case kiln::ValType::ExternRef:
      if (value.is_null_ref()) return SpecValue::null_ref(SpecType::ExternRef);
      return SpecValue::extern_ref(extern_id(value.as_externref()));
  }
  return SpecValue::i32(0);
}

}  // namespace kiln::spec
