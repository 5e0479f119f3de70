// Poll pages: a lazily reserved region of slots (poll page, VMContext page),
// a free list, and the fault-side test.
#include "loader/platform/poll_pages.h"

#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <new>
#include <vector>

namespace kiln::loader {

namespace {

// A slot is two host pages: the poll page, then the page holding the
// VMContext at its start. Polls read vmctx + kVMContextPollPageOffset, which
// lands in the poll page for any page size of at least that much (4 KiB, or
// 16 and 64 KiB on aarch64 kernels).
constexpr size_t kMinPageSize = 4096;
static_assert(abi::kVMContextPollPageOffset == -int64_t(kMinPageSize));
static_assert(sizeof(abi::VMContext) <= kMinPageSize);
// Virtual space only (1 GiB with 4 KiB pages): a poll page is backed (by the
// zero page) once read, a context page once written.
constexpr uint32_t kMaxSlots = 1u << 17;

// Set once, read by the fault handler without locks: g_page before g_region.
std::atomic<size_t> g_page{0};
std::atomic<uintptr_t> g_region{0};

size_t page_size() { return g_page.load(std::memory_order_relaxed); }
size_t slot_size() { return 2 * page_size(); }
std::atomic<abi::VMStoreContext*>* g_owners = nullptr;  // kMaxSlots entries

struct Pool {
  std::mutex mutex;
  std::vector<uint32_t> free;  // released slots, poll page readable
  uint32_t next = 0;           // slots below were handed out at least once
};
Pool& pool() {
  static Pool p;
  return p;
}

uint8_t* page_at(uint32_t index) {
  return reinterpret_cast<uint8_t*>(g_region.load(std::memory_order_acquire) + size_t(index) * slot_size());
}

// Under the pool's mutex.
Status reserve_region() {
  if (g_region.load(std::memory_order_relaxed) != 0) return {};
  const long host_page = sysconf(_SC_PAGESIZE);
  if (host_page < long(kMinPageSize) || (host_page & (host_page - 1)) != 0)
    return fail("store: unsupported page size " + std::to_string(host_page) + " for interrupt poll pages");
  g_page.store(size_t(host_page), std::memory_order_relaxed);
  void* owners = mmap(nullptr, kMaxSlots * sizeof(*g_owners), PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (owners == MAP_FAILED) return fail("store: cannot reserve the interrupt poll page table");
  void* region = mmap(nullptr, size_t(kMaxSlots) * slot_size(), PROT_NONE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (region == MAP_FAILED) {
    munmap(owners, kMaxSlots * sizeof(*g_owners));
    return fail("store: cannot reserve address space for interrupt poll pages");
  }
  g_owners = static_cast<std::atomic<abi::VMStoreContext*>*>(owners);  // zero: no owners
  g_region.store(reinterpret_cast<uintptr_t>(region), std::memory_order_release);
  return {};
}

}  // namespace

Result<std::unique_ptr<PollPage>> PollPage::create(abi::VMStoreContext* store) {
  Pool& p = pool();
  std::lock_guard lock(p.mutex);
  if (Status reserved = reserve_region(); !reserved) return std::move(reserved).failure();
  uint32_t index;
  if (!p.free.empty()) {
    index = p.free.back();
    p.free.pop_back();
  } else {
    if (p.next == kMaxSlots)
      return fail("instance: too many instances alive (" + std::to_string(kMaxSlots) + " interrupt poll pages)");
    if (mprotect(page_at(p.next), page_size(), PROT_READ) != 0 ||
        mprotect(page_at(p.next) + page_size(), page_size(), PROT_READ | PROT_WRITE) != 0)
      return fail("instance: cannot map an interrupt poll page");
    index = p.next++;
  }
  std::unique_ptr<PollPage> page(new (std::nothrow) PollPage(index));
  if (!page) {
    p.free.push_back(index);  // readable, as pooled slots are
    throw std::bad_alloc();
  }
  new (page->context()) abi::VMContext{};  // a pooled slot holds its last owner's
  g_owners[index].store(store, std::memory_order_release);
  return page;
}

PollPage::~PollPage() {
  Pool& p = pool();
  std::lock_guard lock(p.mutex);
  g_owners[index_].store(nullptr, std::memory_order_release);
  // An interrupt that no poll saw leaves the page unreadable; pooled pages are readable.
  if (armed_.load(std::memory_order_acquire)) mprotect(page_at(index_), page_size(), PROT_READ);
  p.free.push_back(index_);
}

const uint8_t* PollPage::address() const { return page_at(index_); }

abi::VMContext* PollPage::context() const {
  return reinterpret_cast<abi::VMContext*>(page_at(index_) + page_size());
}

void PollPage::arm() {
  armed_.store(true, std::memory_order_release);
  mprotect(page_at(index_), page_size(), PROT_NONE);
}

PollFault handle_poll_fault(uintptr_t address) {
  const uintptr_t region = g_region.load(std::memory_order_acquire);
  if (region == 0 || address < region || address - region >= size_t(kMaxSlots) * slot_size())
    return PollFault::NotPoll;
  if ((address - region) % slot_size() >= page_size()) return PollFault::NotPoll;  // a context page
  const uint32_t index = uint32_t((address - region) / slot_size());
  abi::VMStoreContext* store = g_owners[index].load(std::memory_order_acquire);
  if (!store) return PollFault::NotPoll;
  mprotect(reinterpret_cast<void*>(region + size_t(index) * slot_size()), page_size(), PROT_READ);
  // Read after the page is readable again: an interrupt() that set the flag
  // before our mprotect also made the page unreadable before it, so either
  // we see its flag now or the next poll faults again.
  if (std::atomic_ref<uint64_t>(store->interrupt).load(std::memory_order_seq_cst) != 0)
    return PollFault::Interrupt;
  return PollFault::Resume;
}

}  // namespace kiln::loader
