// The parking table behind memory.atomic.wait/notify: buckets of waiters
// chosen by address, each under its own mutex, each waiter with its own
// condition variable (so notify wakes exactly the ones it counts).
//
// No wakeup is lost: a waiter compares the value and enqueues itself under
// the bucket's mutex, which a notifier takes to dequeue; a store to the
// value followed by notify is therefore either seen by the comparison or
// finds the waiter queued. Interrupts work the same way with the store's
// interrupt flag, set before interrupt_waiters() takes the mutexes.
#include "loader/atomic_wait.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

namespace kiln::loader {

namespace {

struct Waiter {
  const void* addr;
  const abi::VMStoreContext* store;
  std::condition_variable wake;
  bool woken = false;        // by notify, which dequeued it
  bool interrupted = false;  // by interrupt_waiters; still queued
};

struct Bucket {
  std::mutex mutex;
  std::vector<Waiter*> waiters;  // in arrival order
};

constexpr size_t kBuckets = 256;

Bucket* buckets() {
  static Bucket table[kBuckets];  // never destroyed before a waiter leaves
  return table;
}

Bucket& bucket_of(const void* addr) {
  // Fibonacci hashing of the word address: neighbouring words spread out.
  const uint64_t word = uint64_t(reinterpret_cast<uintptr_t>(addr)) >> 2;
  return buckets()[(word * 0x9E3779B97F4A7C15ull) >> 56];
}

uint64_t load_value(const void* addr, unsigned bytes) {
  void* p = const_cast<void*>(addr);
  if (bytes == 4) return std::atomic_ref<uint32_t>(*static_cast<uint32_t*>(p)).load(std::memory_order_seq_cst);
  return std::atomic_ref<uint64_t>(*static_cast<uint64_t*>(p)).load(std::memory_order_seq_cst);
}

bool interrupt_pending(abi::VMStoreContext* store) {
  return std::atomic_ref<uint64_t>(store->interrupt).load(std::memory_order_seq_cst) != 0;
}

// Timeouts beyond this (about 36 years) are treated as forever, so that the
// deadline cannot overflow the clock's representation.
constexpr int64_t kForeverNs = int64_t(1) << 60;

}  // namespace

WaitResult wait_at(const void* addr, unsigned bytes, uint64_t expected, int64_t timeout_ns,
                   abi::VMStoreContext* store) {
  Bucket& b = bucket_of(addr);
  std::unique_lock lock(b.mutex);
  if (load_value(addr, bytes) != expected) return WaitResult::NotEqual;
  if (interrupt_pending(store)) return WaitResult::Interrupted;
  Waiter w{addr, store, {}};
  b.waiters.push_back(&w);
  auto done = [&] { return w.woken || w.interrupted; };
  if (timeout_ns < 0 || timeout_ns >= kForeverNs) {
    w.wake.wait(lock, done);
  } else {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::nanoseconds(timeout_ns);
    w.wake.wait_until(lock, deadline, done);
  }
  if (w.woken) return WaitResult::Woken;
  b.waiters.erase(std::find(b.waiters.begin(), b.waiters.end(), &w));
  return w.interrupted ? WaitResult::Interrupted : WaitResult::TimedOut;
}

uint32_t notify_waiters(const void* addr, uint32_t count) {
  Bucket& b = bucket_of(addr);
  std::lock_guard lock(b.mutex);
  uint32_t woken = 0;
  auto it = b.waiters.begin();
  while (it != b.waiters.end() && woken < count) {
    Waiter* w = *it;
    if (w->addr != addr) {
      ++it;
      continue;
    }
    w->woken = true;
    w->wake.notify_one();
    it = b.waiters.erase(it);
    ++woken;
  }
  return woken;
}

void interrupt_waiters(const abi::VMStoreContext* store) {
  for (size_t i = 0; i < kBuckets; ++i) {
    Bucket& b = buckets()[i];
    std::lock_guard lock(b.mutex);
    for (Waiter* w : b.waiters) {
      if (w->store != store) continue;
      w->interrupted = true;
      w->wake.notify_one();
    }
  }
}

}  // namespace kiln::loader
