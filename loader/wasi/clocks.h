// WASI clock ids to host clocks (shared by clock_* and poll_oneoff).
#pragma once
#include <time.h>

#include <cstdint>

namespace kiln::wasi {

/// The host clock for a WASI clock id; false for an unknown id.
bool host_clock(uint32_t wasi_clock, clockid_t& out);

}  // namespace kiln::wasi
