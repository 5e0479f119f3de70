// memory.atomic.wait and notify (threads): a process-wide parking table of
// waiting threads keyed by address, so waiters and notifiers in different
// stores (each thread has its own) over one shared memory find each other.
#pragma once
#include <cstdint>

#include "abi/vm_context.h"

namespace kiln::loader {

/// How a wait ended; the first three are memory.atomic.wait's results.
enum class WaitResult : uint32_t { Woken = 0, NotEqual = 1, TimedOut = 2, Interrupted = 3 };

/// Blocks the calling thread at `addr` (a naturally aligned 4- or 8-byte
/// value, `bytes`) unless the value there is not `expected`; until a
/// notify_waiters on `addr`, `timeout_ns` (negative: forever) or an
/// interrupt of `store` (Store::interrupt(), already pending or to come).
WaitResult wait_at(const void* addr, unsigned bytes, uint64_t expected, int64_t timeout_ns,
                   abi::VMStoreContext* store);

/// Wakes up to `count` threads waiting at `addr`, longest waiting first;
/// returns how many it woke.
uint32_t notify_waiters(const void* addr, uint32_t count);

/// Wakes every thread of `store` that waits anywhere, to trap with
/// Interrupted (called by Store::interrupt() after it set the flag).
void interrupt_waiters(const abi::VMStoreContext* store);

}  // namespace kiln::loader
