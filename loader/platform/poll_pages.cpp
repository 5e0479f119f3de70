// Poll pages: a lazily reserved region, a free list, and the fault-side test.
#include "loader/platform/poll_pages.h"

#include <sys/mman.h>

#include <atomic>
#include <mutex>
#include <vector>

#include "kiln/error.h"

namespace kiln::loader {

namespace {

constexpr size_t kPageSize = 4096;
// Virtual space only (1 GiB): a page is backed once a store reads it.
constexpr uint32_t kMaxPages = 1u << 18;

// Set once, read by the fault handler without locks.
std::atomic<uintptr_t> g_region{0};
std::atomic<abi::VMStoreContext*>* g_owners = nullptr;  // kMaxPages entries

struct Pool {
  std::mutex mutex;
  std::vector<uint32_t> free;  // released pages, readable
  uint32_t next = 0;           // pages below were handed out at least once
};
Pool& pool() {
  static Pool p;
  return p;
}

uint8_t* page_at(uint32_t index) {
  return reinterpret_cast<uint8_t*>(g_region.load(std::memory_order_acquire) + size_t(index) * kPageSize);
}

// Under the pool's mutex.
void reserve_region() {
  if (g_region.load(std::memory_order_relaxed) != 0) return;
  void* owners = mmap(nullptr, kMaxPages * sizeof(*g_owners), PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (owners == MAP_FAILED) throw Error("store: cannot reserve the interrupt poll page table");
  void* region = mmap(nullptr, size_t(kMaxPages) * kPageSize, PROT_NONE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (region == MAP_FAILED) {
    munmap(owners, kMaxPages * sizeof(*g_owners));
    throw Error("store: cannot reserve address space for interrupt poll pages");
  }
  g_owners = static_cast<std::atomic<abi::VMStoreContext*>*>(owners);  // zero: no owners
  g_region.store(reinterpret_cast<uintptr_t>(region), std::memory_order_release);
}

}  // namespace

PollPage::PollPage(abi::VMStoreContext* store) {
  Pool& p = pool();
  std::lock_guard lock(p.mutex);
  reserve_region();
  if (!p.free.empty()) {
    index_ = p.free.back();
    p.free.pop_back();
  } else {
    if (p.next == kMaxPages)
      throw Error("store: too many stores alive (" + std::to_string(kMaxPages) + " interrupt poll pages)");
    if (mprotect(page_at(p.next), kPageSize, PROT_READ) != 0)
      throw Error("store: cannot map an interrupt poll page");
    index_ = p.next++;
  }
  g_owners[index_].store(store, std::memory_order_release);
}

PollPage::~PollPage() {
  Pool& p = pool();
  std::lock_guard lock(p.mutex);
  g_owners[index_].store(nullptr, std::memory_order_release);
  // An interrupt that no poll saw leaves the page unreadable; pooled pages are readable.
  if (armed_.load(std::memory_order_acquire)) mprotect(page_at(index_), kPageSize, PROT_READ);
  p.free.push_back(index_);
}

const uint8_t* PollPage::address() const { return page_at(index_); }

void PollPage::arm() {
  armed_.store(true, std::memory_order_release);
  mprotect(page_at(index_), kPageSize, PROT_NONE);
}

PollFault handle_poll_fault(uintptr_t address) {
  const uintptr_t region = g_region.load(std::memory_order_acquire);
  if (region == 0 || address < region || address - region >= size_t(kMaxPages) * kPageSize)
    return PollFault::NotPoll;
  const uint32_t index = uint32_t((address - region) / kPageSize);
  abi::VMStoreContext* store = g_owners[index].load(std::memory_order_acquire);
  if (!store) return PollFault::NotPoll;
  mprotect(reinterpret_cast<void*>(region + size_t(index) * kPageSize), kPageSize, PROT_READ);
  // Read after the page is readable again: an interrupt() that set the flag
  // before our mprotect also made the page unreadable before it, so either
  // we see its flag now or the next poll faults again.
  if (std::atomic_ref<uint64_t>(store->interrupt).load(std::memory_order_seq_cst) != 0)
    return PollFault::Interrupt;
  return PollFault::Resume;
}

}  // namespace kiln::loader
