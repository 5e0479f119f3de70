// Turning a C++ callable into a host function: its wasm signature is deduced
// from its parameter and return types.
#pragma once
#include <span>
#include <tuple>
#include <type_traits>
#include <utility>

#include "kiln/caller.h"
#include "kiln/function.h"

namespace kiln {

namespace detail {
// Part of the typed-call ABI: versioned with kiln/detail/typed_call.h.
inline namespace KILN_CALL_ABI_NAMESPACE {

template <class R, class... A>
struct CallableSignature {
  using Result = R;
  using Args = std::tuple<A...>;
};
template <class F>
struct CallableTraits : CallableTraits<decltype(&std::decay_t<F>::operator())> {};
template <class R, class... A>
struct CallableTraits<R (*)(A...)> : CallableSignature<R, A...> {};
template <class R, class... A>
struct CallableTraits<R (*)(A...) noexcept> : CallableSignature<R, A...> {};
template <class R, class... A>
struct CallableTraits<R(A...)> : CallableSignature<R, A...> {};
template <class C, class R, class... A>
struct CallableTraits<R (C::*)(A...)> : CallableSignature<R, A...> {};
template <class C, class R, class... A>
struct CallableTraits<R (C::*)(A...) const> : CallableSignature<R, A...> {};
template <class C, class R, class... A>
struct CallableTraits<R (C::*)(A...) noexcept> : CallableSignature<R, A...> {};
template <class C, class R, class... A>
struct CallableTraits<R (C::*)(A...) const noexcept> : CallableSignature<R, A...> {};

template <class Args>
struct SplitCaller;
/// With a leading Caller& parameter, the wasm parameters are the rest.
template <class... A>
struct SplitCaller<std::tuple<Caller&, A...>> {
  static constexpr bool has_caller = true;
  using Params = std::tuple<A...>;
};
template <class... A>
struct SplitCaller<std::tuple<A...>> {
  static constexpr bool has_caller = false;
  using Params = std::tuple<A...>;
};

template <class Params>
struct ParamTypes;
template <class... A>
struct ParamTypes<std::tuple<A...>> {
  static std::vector<ValType> get() { return {WasmTypeOf<std::decay_t<A>>::type...}; }
};

/// The Caller of a call from wasm code into a direct host entry.
Caller make_caller(void* host_context, void* caller_vmctx);

template <class F>
struct HostCallable {
  using Traits = CallableTraits<std::decay_t<F>>;
  using R = typename Traits::Result;
  using Split = SplitCaller<typename Traits::Args>;
  using Params = typename Split::Params;

  static FuncType type() { return FuncType{ParamTypes<Params>::get(), ResultTypes<R>::get()}; }

  /// Wraps f as a HostCallback converting Values to and from C++ values,
  /// with a direct entry unless it returns a tuple.
  template <class G>
  static HostCallback wrap(G&& f) {
    using B = Body<std::decay_t<G>>;
    B body{std::forward<G>(f)};
    if constexpr (IsTuple<R>::value) {
      return HostCallback(std::move(body));
    } else {
      HostCallback::DirectEntry entry;
      entry.code = reinterpret_cast<void*>(direct_code<B>(std::make_index_sequence<std::tuple_size_v<Params>>()));
      entry.target = [](HostCallback::Body& b) -> void* { return b.target<B>(); };
      entry.type = &type;
      return HostCallback(std::move(body), entry);
    }
  }

 private:
  template <size_t I>
  using Param = std::decay_t<std::tuple_element_t<I, Params>>;
  // R, or a placeholder for void.
  using Slot = std::conditional_t<std::is_void_v<R> || IsTuple<R>::value, char, R>;

  // The callable as the generic body: converts Values.
  template <class G>
  struct Body {
    G f;
    void operator()(Caller& caller, std::span<const Value> args, std::span<Value> results) {
      invoke(f, caller, args, results, std::make_index_sequence<std::tuple_size_v<Params>>());
    }
  };

  template <class G, size_t... I>
  static void invoke(G& f, Caller& caller, std::span<const Value> args, std::span<Value> results,
                     std::index_sequence<I...>) {
    auto call = [&]() -> R {
      if constexpr (Split::has_caller)
        return f(caller, from_value<Param<I>>(args[I])...);
      else
        return f(from_value<Param<I>>(args[I])...);
    };
    if constexpr (std::is_void_v<R>) {
      call();
    } else if constexpr (IsTuple<R>::value) {
      R r = call();
      std::apply([&](auto... v) {
        size_t i = 0;
        ((results[i++] = to_value(v)), ...);
      }, r);
    } else {
      results[0] = to_value(call());
    }
  }

  // The direct entry: wasm code calls it with native arguments.
  template <class B, size_t... I>
  static constexpr auto direct_code(std::index_sequence<I...>) {
    return &direct<B, Param<I>...>;
  }

  template <class B, class... P>
  static std::conditional_t<std::is_void_v<R>, void, Slot> direct(void* context, void* caller_vmctx, P... args) {
    B& body = *static_cast<B*>(static_cast<DirectHostContext*>(context)->data);
    Slot result{};
    std::exception_ptr error = run_direct(body, context, caller_vmctx, result, args...);
    // A kiln::Exception goes back to the wasm caller as a pending exception;
    // raising anything else abandons this frame: `error` is left null,
    // nothing to destroy.
    if (error) [[unlikely]] {
      if (!pend_wasm_exception(error, context)) raise_host_exception(std::move(error));
    }
    if constexpr (!std::is_void_v<R>) return result;
  }

  // Everything that may create objects or throw, in a frame that ends
  // before an exception is raised past the wasm frames.
  template <class B, class... P>
  static std::exception_ptr run_direct(B& body, void* context, void* caller_vmctx, Slot& result,
                                       P... args) noexcept {
    try {
      if constexpr (Split::has_caller) {
        Caller caller = make_caller(context, caller_vmctx);
        if constexpr (std::is_void_v<R>) body.f(caller, args...);
        else result = body.f(caller, args...);
      } else {
        (void)context;
        (void)caller_vmctx;
        if constexpr (std::is_void_v<R>) body.f(args...);
        else result = body.f(args...);
      }
      return nullptr;
    } catch (...) {
      return std::current_exception();
    }
  }
};

}  // inline namespace KILN_CALL_ABI_NAMESPACE
}  // namespace detail

/// A host function in `store` made from a C++ callable whose parameters and
/// result are int32_t, uint32_t, int64_t, uint64_t, float or double (result
/// also void or std::tuple of them), optionally taking a leading Caller&.
template <class F>
Func wrap_function(Store& store, F&& callable) {
  using H = detail::HostCallable<F>;
  return Func::create(store, H::type(), H::wrap(std::forward<F>(callable)));
}

}  // namespace kiln
