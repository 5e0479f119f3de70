// The import object: what an instantiation links a module's imports to.
#pragma once
#include <map>
#include <string>
#include <utility>
#include <variant>

#include "kiln/extern.h"
#include "kiln/host_callable.h"

namespace kiln {

class Instance;

/// Maps (module, name) to host functions or to externs of a store. Not tied
/// to a store: host functions given as callables are created in the store of
/// each instantiation that imports them.
class Imports {
 public:
  /// A host function from a C++ callable; its wasm type is deduced (see
  /// wrap_function). Replaces an earlier definition of the same name.
  template <class F>
  Imports& func(std::string module, std::string name, F&& callable) {
    using H = detail::HostCallable<F>;
    return func(std::move(module), std::move(name), H::type(), H::wrap(std::forward<F>(callable)));
  }
  /// A host function with an explicit type and a generic body.
  Imports& func(std::string module, std::string name, FuncType type, HostCallback callback);
  /// A Func, Table, Memory or Global (of the store being instantiated into).
  Imports& define(std::string module, std::string name, Extern value);
  /// Every export of `instance`, under the module name `module`.
  Imports& define_instance(std::string module, const Instance& instance);

  /// A host function definition not yet bound to a store.
  struct HostFunc {
    FuncType type;
    HostCallback callback;
  };
  using Entry = std::variant<HostFunc, Extern>;
  /// The definition of module.name, or null.
  const Entry* find(const std::string& module, const std::string& name) const;

 private:
  std::map<std::pair<std::string, std::string>, Entry, std::less<>> entries_;
};

}  // namespace kiln
