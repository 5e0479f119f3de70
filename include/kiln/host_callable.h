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

template <class F>
struct HostCallable {
  using Traits = CallableTraits<std::decay_t<F>>;
  using R = typename Traits::Result;
  using Split = SplitCaller<typename Traits::Args>;
  using Params = typename Split::Params;

  static FuncType type() { return FuncType{ParamTypes<Params>::get(), ResultTypes<R>::get()}; }

  /// Wraps f as a HostCallback converting Values to and from C++ values.
  template <class G>
  static HostCallback wrap(G&& f) {
    return [f = std::forward<G>(f)](Caller& caller, std::span<const Value> args,
                                     std::span<Value> results) mutable {
      invoke(f, caller, args, results, std::make_index_sequence<std::tuple_size_v<Params>>());
    };
  }

 private:
  template <class G, size_t... I>
  static void invoke(G& f, Caller& caller, std::span<const Value> args, std::span<Value> results,
                     std::index_sequence<I...>) {
    auto call = [&]() -> R {
      if constexpr (Split::has_caller)
        return f(caller, from_value<std::decay_t<std::tuple_element_t<I, Params>>>(args[I])...);
      else
        return f(from_value<std::decay_t<std::tuple_element_t<I, Params>>>(args[I])...);
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
};

}  // namespace detail

/// A host function in `store` made from a C++ callable whose parameters and
/// result are int32_t, uint32_t, int64_t, uint64_t, float or double (result
/// also void or std::tuple of them), optionally taking a leading Caller&.
template <class F>
Function wrap_function(Store& store, F&& callable) {
  using H = detail::HostCallable<F>;
  return Function::create(store, H::type(), H::wrap(std::forward<F>(callable)));
}

}  // namespace kiln
