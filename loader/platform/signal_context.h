// The signal context and trap encoding of the host this loader is built for.
// A new CPU or OS adds a signal_context_<cpu>_<os>.h beside the others
// and a line here; the fault handler itself stays target-neutral.
#pragma once
#if defined(__x86_64__) && defined(__linux__)
#include "loader/platform/signal_context_x86_64_linux.h"
#elif defined(__aarch64__) && defined(__linux__)
#include "loader/platform/signal_context_aarch64_linux.h"
#else
#error "libkiln has no signal context access for this CPU and OS yet"
#endif
