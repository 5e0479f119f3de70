// kiln::Value, ValType and FuncType.
#include "kiln/value.h"
#include "loader/handle_access.h"

#include <cstring>
#include <type_traits>

#include "kiln/error.h"
#include "kiln/function.h"
#include "loader/store_state.h"
#include "abi/val_type.h"
#include "loader/value_access.h"

namespace kiln {

// ValType mirrors abi::ValType value for value (loader/abi_mirrors.cpp), so
// names and predicates are the contract's own.

const char* to_string(ValType type) { return abi::val_type_name(static_cast<abi::ValType>(type)); }

bool is_ref(ValType type) { return abi::is_ref(static_cast<abi::ValType>(type)); }

std::string FuncType::to_string() const {
  std::string s = "func";
  if (!params.empty()) {
    s += " (param";
    for (ValType t : params) s += std::string(" ") + kiln::to_string(t);
    s += ")";
  }
  if (!results.empty()) {
    s += " (result";
    for (ValType t : results) s += std::string(" ") + kiln::to_string(t);
    s += ")";
  }
  return s;
}

namespace {
// The bytes past sizeof(T) stay zero, as from_bits leaves them.
template <class T>
Value make(ValType type, T v) {
  static_assert(sizeof(T) <= 16);
  uint8_t bits[16] = {};
  std::memcpy(bits, &v, sizeof(T));
  if constexpr (std::is_pointer_v<T>) {  // externref
    return loader::ValueAccess::from_bits(type, bits);
  } else {
    Value value;
    loader::ValueAccess::set_number(value, type, bits);
    return value;
  }
}

[[noreturn]] void throw_wrong_type(ValType actual, const char* wanted) {
  throw Error(std::string("value is ") + to_string(actual) + ", not " + wanted);
}
}  // namespace

void Value::wrong_type(ValType wanted) const { throw_wrong_type(type_, to_string(wanted)); }

Value Value::v128(const V128& v) { return make(ValType::V128, v); }

Value Value::funcref(const Func& f) {
  Value v;
  v.type_ = ValType::FuncRef;
  v.func_ = loader::HandleAccess::record(f);
  if (v.func_) v.store_ = loader::HandleAccess::store_state(f);
  return v;
}

Value Value::externref(void* host_pointer) { return make(ValType::ExternRef, host_pointer); }

Value Value::null(ValType ref_type) {
  if (!is_ref(ref_type)) throw Error(std::string("no null value of type ") + to_string(ref_type));
  Value v;
  v.type_ = ref_type;
  return v;
}

Value Value::zero(ValType type) {
  Value v;
  v.type_ = type;
  return v;
}

V128 Value::as_v128() const {
  if (type_ != ValType::V128) throw_wrong_type(type_, "v128");
  V128 v;
  std::memcpy(v.bytes, bits_, 16);
  return v;
}

Func Value::as_funcref() const {
  if (type_ != ValType::FuncRef) throw_wrong_type(type_, "funcref");
  return loader::HandleAccess::make<Func>(store_, func_);
}

void* Value::as_externref() const {
  if (type_ != ValType::ExternRef) throw_wrong_type(type_, "externref");
  void* p;
  std::memcpy(&p, bits_, sizeof p);
  return p;
}

bool Value::is_null_ref() const {
  if (type_ == ValType::FuncRef) return func_ == nullptr;
  if (type_ == ValType::ExternRef) return as_externref() == nullptr;
  return false;
}

bool Value::operator==(const Value& other) const {
  if (type_ != other.type_) return false;
  if (type_ == ValType::FuncRef) return func_ == other.func_;
  return std::memcmp(bits_, other.bits_, 16) == 0;
}

}  // namespace kiln

namespace kiln::loader {

Value ValueAccess::from_bits(ValType type, const uint8_t* bits16) {
  Value v;
  v.type_ = type;
  size_t size = 16;
  switch (type) {
    case ValType::I32: case ValType::F32: size = 4; break;
    case ValType::I64: case ValType::F64: case ValType::ExternRef: size = 8; break;
    case ValType::V128: size = 16; break;
    case ValType::FuncRef: size = 0; break;
  }
  std::memcpy(v.bits_, bits16, size);
  return v;
}

Value ValueAccess::from_func(FuncRecord* record) {
  Value v;
  v.type_ = ValType::FuncRef;
  v.func_ = record;
  if (record) v.store_ = record->store->shared_from_this();
  return v;
}

}  // namespace kiln::loader
