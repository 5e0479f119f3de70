// Functions: wasm functions exported by instances and host functions.
#pragma once
#include <cstdint>
#include <exception>
#include <functional>
#include <initializer_list>
#include <memory>
#include <span>
#include <tuple>
#include <type_traits>
#include <vector>

#include "kiln/detail/typed_call.h"
#include "kiln/error.h"
#include "kiln/value.h"

namespace kiln {

class Caller;
class Store;
namespace loader {
struct HandleAccess;
class StoreState;
struct FuncRecord;
}  // namespace loader

/// A host function's body: reads `args` (already checked against the
/// function's type) and assigns `results`, which arrive holding zero values of
/// the result types. Exceptions thrown here reach the host code that called
/// into wasm unchanged. Made from any callable with that signature, like the
/// std::function it wraps.
///
/// Host functions made from typed C++ callables (wrap_function,
/// Imports::func) also carry a direct entry: native code in the C calling
/// convention that wasm code calls without converting to Values (through a
/// register shuffle in libkiln, for entries with at most 4 integer
/// parameters; others take the Values path).
class HostCallback {
 public:
  using Body = std::function<void(Caller& caller, std::span<const Value> args, std::span<Value> results)>;

  /// Calls from wasm code into a host function without Values: `code` is
  ///   R code(void* host_context, void* caller_vmctx, P... params)
  /// for the signature `type()` returns (R void or one result), and reads
  /// the object `target(body)` returns from the context (see
  /// detail::DirectHostContext). It must not let exceptions escape; it hands
  /// them to detail::raise_host_exception.
  struct DirectEntry {
    void* code = nullptr;
    void* (*target)(Body& body) = nullptr;
    FuncType (*type)() = nullptr;
  };

  /// No body (false when tested).
  HostCallback() = default;
  /// A body from a callable taking (Caller&, std::span<const Value>, std::span<Value>).
  template <class F>
    requires(!std::is_same_v<std::remove_cvref_t<F>, HostCallback> && std::is_constructible_v<Body, F>)
  HostCallback(F&& f) : body_(std::forward<F>(f)) {}
  /// A body with a direct entry for calls from wasm code.
  HostCallback(Body body, DirectEntry direct) : body_(std::move(body)), direct_(direct) {}

  /// False without a body.
  explicit operator bool() const { return static_cast<bool>(body_); }
  /// Runs the body.
  void operator()(Caller& caller, std::span<const Value> args, std::span<Value> results) const {
    body_(caller, args, results);
  }

  /// The body.
  Body& body() { return body_; }
  /// The direct entry, or null if there is none.
  const DirectEntry* direct_entry() const { return direct_.code ? &direct_ : nullptr; }

 private:
  Body body_;
  DirectEntry direct_;
};

/// Handle to a function of a store: a wasm function of an instance or a host
/// function. Keeps the store alive. The default-constructed handle is null.
class Func {
 public:
  Func() = default;
  /// A host function owned by `store`.
  static Func create(Store& store, const FuncType& type, HostCallback callback);

  /// False for the null handle.
  explicit operator bool() const { return record_ != nullptr; }
  /// The function's signature.
  FuncType type() const;
  /// True for host functions.
  bool is_host() const;

  /// Calls the function. Throws kiln::Error when the arguments do not match
  /// the type, kiln::Trap when wasm code traps, and rethrows any exception a
  /// host function threw.
  std::vector<Value> call(std::span<const Value> args = {}) const;
  std::vector<Value> call(std::initializer_list<Value> args) const {
    return call(std::span<const Value>(args.begin(), args.size()));
  }
  /// Calls the function, writing its results into `results`, which must have
  /// one element per result and not overlap `args`: no allocation for calls
  /// with up to 8 arguments and results. Throws like call(args), and
  /// kiln::Error when `results` has the wrong length or overlaps `args`.
  /// After an exception the contents of `results` are unspecified.
  void call(std::span<const Value> args, std::span<Value> results) const;

  /// Same function (funcref identity).
  bool operator==(const Func& other) const { return record_ == other.record_; }

 private:
  friend struct loader::HandleAccess;
  /// Internal, for libkiln itself: a handle to `record`, owned by `store`.
  Func(std::shared_ptr<loader::StoreState> store, loader::FuncRecord* record)
      : store_(std::move(store)), record_(record) {}
  loader::FuncRecord* record() const { return record_; }
  const std::shared_ptr<loader::StoreState>& store_state() const { return store_; }
  std::shared_ptr<loader::StoreState> store_;
  loader::FuncRecord* record_ = nullptr;
};

template <class Signature>
class TypedFunc;

/// A function whose signature was checked once against R(A...), called
/// directly with C++ values. A: int32_t, uint32_t, int64_t, uint64_t, float,
/// double; R: void, one of those, or std::tuple of them.
template <class R, class... A>
class TypedFunc<R(A...)> {
 public:
  /// A null typed function (calling it throws).
  TypedFunc() = default;
  /// Throws kiln::Error if f's type is not R(A...).
  explicit TypedFunc(Func f) : f_(std::move(f)) {
    FuncType expected{{detail::WasmTypeOf<A>::type...}, detail::ResultTypes<R>::get()};
    if (!f_) throw Error("typed function: null function");
    FuncType actual = f_.type();
    if (actual != expected)
      throw Error("typed function: signature mismatch: expected " + expected.to_string() +
                  ", got " + actual.to_string());
    target_ = detail::native_target(f_);
  }

  /// The underlying function.
  const Func& function() const { return f_; }

  /// Calls the function; throws like Func::call.
  R operator()(A... args) const {
    if constexpr (detail::IsTuple<R>::value) {
      return from_values<R>(f_.call({detail::to_value(args)...}));
    } else {
      // Host functions, and signatures the assembly entries cannot pass in
      // registers (more than 4 integer or 8 floating-point arguments), go
      // through Values and the entry trampoline.
      if (!detail::kDirectEntry<R, A...> || !target_.code) {
        auto results = f_.call({detail::to_value(args)...});
        if constexpr (!std::is_void_v<R>) return detail::from_value<R>(results[0]);
        else return;
      }
      if constexpr (detail::kDirectEntry<R, A...>) {
        if constexpr (std::is_void_v<R>) {
          using Entry = uint64_t (*)(const detail::NativeTarget*, A...);
          if (reinterpret_cast<Entry>(&KILN_WASM_CALL_SSE)(&target_, args...)) [[unlikely]]
            detail::throw_last_trap();
        } else {
          using Entry = detail::EntryResult<R> (*)(const detail::NativeTarget*, A...);
          auto entry = reinterpret_cast<Entry>(std::is_floating_point_v<R> ? &KILN_WASM_CALL_SSE
                                                                          : &KILN_WASM_CALL_INT);
          detail::EntryResult<R> r = entry(&target_, args...);
          if (r.trapped) [[unlikely]] detail::throw_last_trap();
          return r.value;
        }
      }
    }
  }

 private:
  template <class Tuple>
  static Tuple from_values(const std::vector<Value>& values) {
    return [&]<size_t... I>(std::index_sequence<I...>) {
      return Tuple{detail::from_value<std::tuple_element_t<I, Tuple>>(values[I])...};
    }(std::make_index_sequence<std::tuple_size_v<Tuple>>());
  }

  Func f_;
  detail::NativeTarget target_;
};

}  // namespace kiln
