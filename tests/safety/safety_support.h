// Helpers shared by the safety tests: where the artifacts are, catching an
// expected trap, and reading an artifact's descriptor through libkiln's
// internal module state (to check backtraces against the trap table).
#pragma once
#include <doctest/doctest.h>
#include <kiln/kiln.h>

#include <cstdlib>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>

#include "abi/descriptor.h"
#include "loader/module_state.h"
#include "loader/handle_access.h"

namespace kiln::safety {

/// Directory of the artifacts aotc compiled from tests/safety/wat.
inline std::string artifact_dir() {
  const char* dir = std::getenv("KILN_SAFETY_ARTIFACTS");
  REQUIRE_MESSAGE(dir != nullptr, "KILN_SAFETY_ARTIFACTS is not set");
  return dir;
}

inline std::string artifact(const std::string& name) { return artifact_dir() + "/" + name + ".so"; }

/// Runs `call`, which must throw kiln::Trap, and returns the trap.
template <class F>
kiln::Trap expect_trap(F&& call) {
  try {
    call();
  } catch (const kiln::Trap& trap) {
    return trap;
  }
  FAIL("the call returned instead of trapping");
  throw std::logic_error("unreachable");
}

/// The artifact's descriptor, as the loader mapped it.
inline const abi::Descriptor& descriptor_of(const kiln::Module& module) {
  return *kiln::loader::HandleAccess::state(module)->descriptor;
}

/// Number of imported functions (function indices of defined ones follow).
inline uint32_t imported_funcs(const kiln::Module& module) { return kiln::loader::HandleAccess::state(module)->imported_funcs; }

/// Function index (imports first) of function export `name`, from the
/// descriptor's export table (independent of the name section).
inline std::optional<uint32_t> export_func_index(const kiln::Module& module, const std::string& name) {
  const abi::Descriptor& d = descriptor_of(module);
  const abi::Export* exports = d.at<abi::Export>(d.exports);
  for (uint32_t i = 0; i < d.export_count; ++i) {
    const abi::Export& e = exports[i];
    if (e.kind == abi::ExternKind::Func && std::string(d.at<char>(e.name), e.name_length) == name)
      return e.index;
  }
  return std::nullopt;
}

/// Native code size of function `func_index` (imports first; must be defined).
inline uint32_t code_size(const kiln::Module& module, uint32_t func_index) {
  const abi::Descriptor& d = descriptor_of(module);
  return d.at<abi::Function>(d.functions)[func_index - imported_funcs(module)].code_size;
}

/// True if the trap table has a site of `kind` at `offset` in function `func_index`.
inline bool is_trap_site(const kiln::Module& module, uint32_t func_index, uint32_t offset,
                         kiln::TrapKind kind) {
  const abi::Descriptor& d = descriptor_of(module);
  const uint32_t defined = func_index - imported_funcs(module);
  const abi::TrapSite* traps = d.at<abi::TrapSite>(d.traps);
  for (uint32_t i = 0; i < d.trap_count; ++i) {
    const abi::TrapSite& t = traps[i];
    if (t.func_index == defined && t.offset == offset) return t.code == uint8_t(kind);
  }
  return false;
}

}  // namespace kiln::safety
