// Host (Linux) errno to WASI errno.
#pragma once
#include "loader/wasi/wasi_abi.h"

namespace kiln::wasi {

/// The WASI errno for a host errno value. 0 maps to success; host errors
/// WASI has no name for map to the closest one, else to `io`.
abi::Errno errno_from_host(int host_errno);

/// errno_from_host(errno), for the common "a syscall just failed" case.
abi::Errno last_error();

}  // namespace kiln::wasi
