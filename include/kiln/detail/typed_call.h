// The typed-call ABI between inline code in the public headers and libkiln:
// where a direct call goes, what the assembly entries return, and how host
// entries reach their data. Not for users. Its names carry
// KILN_CALL_ABI_VERSION (an inline namespace, and the entries' symbol
// names), so a program built against headers of another version fails to
// link instead of calling libkiln with the wrong layout.
#pragma once
#include <cstdint>
#include <exception>
#include <tuple>
#include <type_traits>
#include <vector>

#include "kiln/detail/call_abi_version.h"
#include "kiln/value.h"

namespace kiln {
class Func;
}  // namespace kiln

namespace kiln::detail {
inline namespace KILN_CALL_ABI_NAMESPACE {


/// The C++ types that map to wasm value types in typed calls and host callables.
template <class T>
struct WasmTypeOf;
template <> struct WasmTypeOf<int32_t> { static constexpr ValType type = ValType::I32; };
template <> struct WasmTypeOf<uint32_t> { static constexpr ValType type = ValType::I32; };
template <> struct WasmTypeOf<int64_t> { static constexpr ValType type = ValType::I64; };
template <> struct WasmTypeOf<uint64_t> { static constexpr ValType type = ValType::I64; };
template <> struct WasmTypeOf<float> { static constexpr ValType type = ValType::F32; };
template <> struct WasmTypeOf<double> { static constexpr ValType type = ValType::F64; };

template <class T>
Value to_value(T v) {
  if constexpr (std::is_same_v<T, int32_t> || std::is_same_v<T, uint32_t>)
    return Value::i32(static_cast<int32_t>(v));
  else if constexpr (std::is_same_v<T, int64_t> || std::is_same_v<T, uint64_t>)
    return Value::i64(static_cast<int64_t>(v));
  else if constexpr (std::is_same_v<T, float>)
    return Value::f32(v);
  else
    return Value::f64(v);
}

template <class T>
T from_value(const Value& v) {
  if constexpr (std::is_same_v<T, int32_t> || std::is_same_v<T, uint32_t>)
    return static_cast<T>(v.as_i32());
  else if constexpr (std::is_same_v<T, int64_t> || std::is_same_v<T, uint64_t>)
    return static_cast<T>(v.as_i64());
  else if constexpr (std::is_same_v<T, float>)
    return v.as_f32();
  else
    return v.as_f64();
}

template <class T>
struct IsTuple : std::false_type {};
template <class... T>
struct IsTuple<std::tuple<T...>> : std::true_type {};

/// Result types of a C++ return type: void -> none, T -> {T}, tuple -> each.
template <class R>
struct ResultTypes {
  static std::vector<ValType> get() { return {WasmTypeOf<R>::type}; }
};
template <>
struct ResultTypes<void> {
  static std::vector<ValType> get() { return {}; }
};
template <class... T>
struct ResultTypes<std::tuple<T...>> {
  static std::vector<ValType> get() { return {WasmTypeOf<T>::type...}; }
};

/// Where a direct native call goes: code(vmctx, vmctx, args...), entered
/// for the store's entry state `entry` (libkiln's, opaque here). code is null
/// for host functions, which are called through Func::call instead.
struct NativeTarget {
  void* code = nullptr;
  void* vmctx = nullptr;
  void* entry = nullptr;
};
NativeTarget native_target(const Func& f);

/// What the typed entries (KILN_WASM_CALL_INT, KILN_WASM_CALL_SSE) return:
/// the result, and non-zero `trapped` if a trap or host exception ended the
/// call instead (then throw_last_trap reports it).
template <class R>
struct EntryResult {
  R value;
  uint64_t trapped;
};

/// Throws what ended the calling thread's last call into wasm early: the
/// exception a host function threw, or the kiln::Trap.
[[noreturn]] void throw_last_trap();

/// Typed calls can go straight to the assembly entry (x86-64): at most 4
/// integer and 8 floating-point arguments (registers only), no tuple result.
template <class R, class... A>
constexpr bool kDirectEntry =
#if defined(__x86_64__)
    !IsTuple<R>::value && (0 + ... + int(std::is_integral_v<A>)) <= 4 &&
    (0 + ... + int(std::is_floating_point_v<A>)) <= 8;
#else
    false;
#endif

/// What the first argument of a HostCallback::DirectEntry's code points to.
/// Only `data` is for the entry: the object its `target` returned.
struct DirectHostContext {
  void* reserved[2];
  void* data;
};

/// Carries `exception` out of a direct host entry to the host code that
/// called into wasm, abandoning the frames in between (so the caller's frame
/// must own nothing with a destructor left to run). Only for direct entries
/// called by wasm code.
[[noreturn]] void raise_host_exception(std::exception_ptr exception);

/// If `exception` is a kiln::Exception, makes it the pending wasm exception
/// of the store of the direct entry's `host_context` (the wasm caller then
/// handles it like one wasm code threw), clears `exception` and returns
/// true; otherwise (or if it cannot be a wasm exception of that store, which
/// then replaces it by the kiln::Error saying why) returns false.
bool pend_wasm_exception(std::exception_ptr& exception, void* host_context);

}  // inline namespace KILN_CALL_ABI_NAMESPACE
}  // namespace kiln::detail

extern "C" {
/// libkiln's entries for typed calls into wasm (x86-64), called through a
/// function pointer of the call's type
///   kiln::detail::EntryResult<R> (*)(const kiln::detail::NativeTarget*, A...)
/// (uint64_t instead of EntryResult for R void): they enter the store as
/// Func::call does, call target->code(vmctx, vmctx, args...) and return
/// its result with trapped = 0, or trapped = 1 when a trap or host exception
/// ended the call. KILN_WASM_CALL_INT is for integer results, and
/// KILN_WASM_CALL_SSE for floating-point results and none. Only for the
/// signatures kiln::detail::kDirectEntry accepts.
void KILN_WASM_CALL_INT();
void KILN_WASM_CALL_SSE();
}
