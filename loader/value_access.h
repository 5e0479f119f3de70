// Conversions between kiln::Value and the raw 16-byte slots generated code
// uses for arguments, results, globals and table elements.
#pragma once
#include <cstring>
#include <memory>
#include <new>
#include <span>
#include <vector>

#include "abi/vm_context.h"
#include "kiln/value.h"
#include "loader/result.h"

namespace kiln::loader {

class StoreState;
struct FuncRecord;

/// Reaches into Value's private representation.
struct ValueAccess {
  static FuncRecord* func(const Value& v) { return v.func_; }
  static const uint8_t* bits(const Value& v) { return v.bits_; }
  static Value from_bits(ValType type, const uint8_t* bits16);
  static Value from_func(FuncRecord* record);
  /// Makes `v`, which holds no funcref, the number of `type` (not a
  /// reference) in the low bytes of bits16; as from_bits, without a call.
  static void set_number(Value& v, ValType type, const uint8_t* bits16) {
    v.type_ = type;
    std::memset(v.bits_, 0, sizeof v.bits_);
    switch (type) {
      case ValType::I32: case ValType::F32: std::memcpy(v.bits_, bits16, 4); break;
      case ValType::I64: case ValType::F64: std::memcpy(v.bits_, bits16, 8); break;
      default: std::memcpy(v.bits_, bits16, 16); break;
    }
  }
};

/// True for funcref and externref (kiln::is_ref without a call).
inline bool is_ref_type(ValType type) { return type == ValType::FuncRef || type == ValType::ExternRef; }

/// The pointer generated code uses for reference `v` (VMFuncRef* or the
/// externref's host pointer). Fails if a funcref belongs to another store.
Result<void*> ref_to_wasm(const Value& v, StoreState& store);
/// The Value of a reference pointer read from wasm storage.
Value ref_from_wasm(ValType type, void* ref);

/// Writes `v` into 16 bytes of wasm storage (references via ref_to_wasm).
Status value_to_wasm(const Value& v, StoreState& store, uint8_t* out16);
/// Reads a value of `type` from 16 bytes of wasm storage.
Value value_from_wasm(ValType type, const uint8_t* in16);

/// value_to_wasm with numbers copied in place (hot call paths: a number's
/// Status is a constant null, which the caller's check folds away).
inline Status write_value(const Value& v, StoreState& store, uint8_t* out16) {
  if (is_ref_type(v.type())) [[unlikely]]
    return value_to_wasm(v, store, out16);
  std::memcpy(out16, ValueAccess::bits(v), 16);
  return {};
}

/// Sets `out` (any Value) to value_from_wasm(type, in16); numbers in place.
inline void read_value(Value& out, ValType type, const uint8_t* in16) {
  if (is_ref_type(type) || ValueAccess::func(out)) [[unlikely]] {
    out = value_from_wasm(type, in16);
    return;
  }
  ValueAccess::set_number(out, type, in16);
}

/// The arguments or results of one call: up to N in place, more on the heap,
/// so that calls with few values allocate nothing. Only the n elements in
/// use are constructed (default-initialized).
template <class T, size_t N>
class CallBuffer {
 public:
  explicit CallBuffer(size_t n) {
    if (n > N) {
      heap_.resize(n);
      items_ = std::span<T>(heap_);
      return;
    }
    T* first = std::launder(reinterpret_cast<T*>(inline_));
    std::uninitialized_default_construct_n(first, n);
    items_ = std::span<T>(first, n);
  }
  ~CallBuffer() {
    if (heap_.empty()) std::destroy_n(items_.data(), items_.size());  // in place (the vector owns the rest)
  }
  CallBuffer(const CallBuffer&) = delete;
  CallBuffer& operator=(const CallBuffer&) = delete;

  std::span<T> span() const { return items_; }
  T& operator[](size_t i) const { return items_[i]; }
  size_t size() const { return items_.size(); }
  T* data() const { return items_.data(); }

 private:
  alignas(T) unsigned char inline_[N * sizeof(T)];
  std::vector<T> heap_;
  std::span<T> items_;
};

}  // namespace kiln::loader
