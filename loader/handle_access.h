// The one door from libkiln into the public handles' internals: their
// constructors from internal state and their state accessors are private,
// so only libkiln (through this friend) can make or open them, and
// `kiln::Module m{nullptr}` does not compile in a user's program.
#pragma once
#include <utility>

#include "kiln/caller.h"
#include "kiln/function.h"
#include "kiln/global.h"
#include "kiln/instance.h"
#include "kiln/memory.h"
#include "kiln/module.h"
#include "kiln/store.h"
#include "kiln/table.h"

namespace kiln::loader {

struct HandleAccess {
  /// A handle of type H from internal state (H's private constructor).
  template <class H, class... Args>
  static H make(Args&&... args) {
    return H(std::forward<Args>(args)...);
  }
  /// The internal state behind a Store, Module, Instance, Memory, Table or Global.
  template <class H>
  static decltype(auto) state(const H& handle) {
    return handle.state();
  }
  /// The store a Func, Memory, Table or Global belongs to.
  template <class H>
  static decltype(auto) store_state(const H& handle) {
    return handle.store_state();
  }
  /// The record behind a Func.
  static FuncRecord* record(const Func& f) { return f.record(); }
};

}  // namespace kiln::loader
