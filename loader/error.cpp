// kiln::Error and kiln::Trap.
#include "kiln/error.h"

#include "abi/trap_codes.h"

namespace kiln {

// TrapKind mirrors abi::TrapCode value for value (loader/abi_mirrors.cpp).

const char* trap_message(TrapKind kind) {
  return abi::trap_message(static_cast<abi::TrapCode>(kind));
}

Trap::Trap(TrapKind kind, std::vector<TrapFrame> trace)
    : Error(std::string("wasm trap: ") + trap_message(kind)),
      kind_(kind),
      message_(trap_message(kind)),
      trace_(std::move(trace)) {}

}  // namespace kiln
