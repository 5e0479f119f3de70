// proc_exit, proc_raise and sched_yield.
#include <sched.h>

#include <cstdio>

#include "kiln/wasi.h"
#include "loader/wasi/handlers.h"

namespace kiln::wasi {

const char* Exit::what() const noexcept {
  std::snprintf(text_, sizeof text_, "wasi exit %u", unsigned(code_));
  return text_;
}

namespace handlers {

void proc_exit(S&, M&, uint32_t code) { throw Exit(code); }

// Signals are gone from later WASI versions; no runtime delivers them.
E proc_raise(S&, M&, uint32_t) { return abi::err::kNotSup; }

E sched_yield(S&, M&) {
  ::sched_yield();
  return abi::err::kSuccess;
}

}  // namespace handlers
}  // namespace kiln::wasi
