// Linear memories: creation, growth and host access.
#include "kiln/memory.h"
#include "loader/handle_access.h"

#include <algorithm>

#include "kiln/error.h"
#include "kiln/store.h"
#include "loader/store_state.h"

namespace kiln {

std::string Limits::to_string() const {
  std::string s = std::to_string(min);
  if (max) s += " " + std::to_string(*max);
  return s;
}

std::string MemoryType::to_string() const {
  return std::string(address64 ? "memory i64 " : "memory ") + limits.to_string() + (shared ? " shared" : "");
}

namespace {
void check_range(uint64_t offset, uint64_t size, uint64_t memory_size) {
  if (offset > memory_size || size > memory_size - offset)
    throw Error("memory access out of bounds: " + std::to_string(size) + " bytes at offset " +
                std::to_string(offset) + " of a " + std::to_string(memory_size) + "-byte memory");
}
loader::MemoryState& live(loader::MemoryState* state) {
  if (!state) throw Error("use of a null Memory");
  return *state;
}
}  // namespace

Memory Memory::create(Store& store, const MemoryType& type) {
  const Limits& l = type.limits;
  const uint64_t bound = type.address64 ? abi::kMaxMemory64Pages : abi::kMaxMemoryPages;
  if (l.min > bound || (l.max && (*l.max < l.min || *l.max > bound)))
    throw Error("invalid memory type: " + type.to_string());
  if (type.shared && !l.max) throw Error("invalid memory type: " + type.to_string() + ": shared memory must have maximum");
  loader::MemoryState* m = loader::HandleAccess::state(store)
                               ->add_memory(l.min, l.max, type.shared, type.address64)
                               .or_throw();
  return loader::HandleAccess::make<Memory>(loader::HandleAccess::state(store), m);
}

Memory Memory::share(Store& other) const {
  loader::MemoryState& m = live(state_);
  if (!m.shared) throw Error("Memory::share: the memory is not shared (" + type().to_string() + ")");
  std::shared_ptr<loader::StoreState> target = loader::HandleAccess::state(other);
  std::shared_ptr<loader::MemoryState> owner = m.self.lock();
  if (std::find(target->memories.begin(), target->memories.end(), owner) == target->memories.end())
    target->memories.push_back(std::move(owner));
  return loader::HandleAccess::make<Memory>(std::move(target), state_);
}

bool Memory::is_shared() const { return live(state_).shared; }

MemoryType Memory::type() const {
  loader::MemoryState& m = live(state_);
  return MemoryType{.limits = Limits{loader::memory_size(m) / abi::kWasmPageSize, m.declared_max},
                    .shared = m.shared,
                    .address64 = m.address64};
}

uint8_t* Memory::data() const { return live(state_).vm.base; }
uint64_t Memory::size_pages() const { return loader::memory_size(live(state_)) / abi::kWasmPageSize; }
uint64_t Memory::size_bytes() const { return loader::memory_size(live(state_)); }
int64_t Memory::grow(uint64_t delta) { return loader::grow_memory(live(state_), delta); }

void Memory::read(uint64_t offset, std::span<uint8_t> out) const {
  loader::MemoryState& m = live(state_);
  check_range(offset, out.size(), loader::memory_size(m));
  if (!out.empty()) std::memcpy(out.data(), m.vm.base + offset, out.size());
}

void Memory::write(uint64_t offset, std::span<const uint8_t> bytes) {
  loader::MemoryState& m = live(state_);
  check_range(offset, bytes.size(), loader::memory_size(m));
  if (!bytes.empty()) std::memcpy(m.vm.base + offset, bytes.data(), bytes.size());
}

std::string Memory::read_string(uint64_t offset, uint64_t size) const {
  loader::MemoryState& m = live(state_);
  check_range(offset, size, loader::memory_size(m));
  return std::string(reinterpret_cast<const char*>(m.vm.base + offset), size);
}

}  // namespace kiln

namespace kiln::loader {

Result<MemoryState*> StoreState::add_memory(uint64_t min_pages, std::optional<uint64_t> declared_max,
                                            bool shared, bool address64) {
  uint64_t limit = max_memory_pages(address64);
  if (min_pages > limit)
    return fail("memory of " + std::to_string(min_pages) + " pages exceeds the store's limit of " +
                std::to_string(limit) + " pages");
  // A 32-bit memory gets the guard region; a 64-bit one what it may ever
  // reach here (its accesses are checked explicitly).
  uint64_t reserve = abi::kMemoryReservation;
  if (address64)
    reserve = std::min(declared_max.value_or(abi::kMemory64MaxPages), abi::kMemory64MaxPages) *
              abi::kWasmPageSize;
  auto reservation = MemoryReservation::create(min_pages * abi::kWasmPageSize, reserve);
  if (!reservation)
    return std::move(reservation).failure().within("cannot allocate a memory of " + std::to_string(min_pages) +
                                                    " pages");
  auto m = std::make_shared<MemoryState>();
  m->vm.base = (*reservation)->base();
  m->vm.size = min_pages * abi::kWasmPageSize;
  m->vm.max_pages = declared_max.value_or(address64 ? abi::kMaxMemory64Pages : abi::kMaxMemoryPages);
  m->vm.reserved = (*reservation)->reserved();  // the store limit applies at growth
  m->address64 = address64;
  m->reservation = std::move(*reservation);
  m->declared_max = declared_max;
  m->store = this;
  if (shared) {
    // It may outlive this store: its limit is taken now. Like every memory
    // it is reserved whole (4 GiB and the guard region) and never moves.
    m->shared = true;
    m->store = nullptr;
    m->vm.max_pages = std::min(m->vm.max_pages, max_memory_pages(address64));
  }
  m->self = m;
  memories.push_back(std::move(m));
  return memories.back().get();
}

namespace {

int64_t grow_locked(MemoryState& m, uint64_t delta, uint64_t cap) {
  uint64_t old_pages = memory_size(m) / abi::kWasmPageSize;
  if (old_pages > cap || delta > cap - old_pages) return -1;
  if (delta == 0) return int64_t(old_pages);
  uint64_t new_size = (old_pages + delta) * abi::kWasmPageSize;
  if (!m.reservation->grow_to(new_size)) return -1;
  // After the pages are accessible: a thread that sees the size can use them.
  std::atomic_ref<uint64_t>(m.vm.size).store(new_size, std::memory_order_release);
  return int64_t(old_pages);
}

}  // namespace

int64_t grow_memory(MemoryState& m, uint64_t delta) {
  if (!m.shared) return grow_locked(m, delta, std::min(m.vm.max_pages, m.store->max_memory_pages(m.address64)));
  // Concurrent growers of a shared memory take turns: each sees the size
  // the previous one left.
  std::lock_guard lock(m.grow_mutex);
  return grow_locked(m, delta, m.vm.max_pages);
}

}  // namespace kiln::loader
