// Store and the store-wide state.
#include "kiln/store.h"

#include <algorithm>
#include <atomic>

#include "kiln/error.h"
#include "loader/atomic_wait.h"
#include "loader/store_state.h"

namespace kiln {

namespace {
void check_config(const StoreConfig& config) {
  if (config.max_memory_pages > abi::kMemory64MaxPages)
    throw Error("store config: max_memory_pages " + std::to_string(config.max_memory_pages) +
                " exceeds " + std::to_string(abi::kMemory64MaxPages));
  if (config.stack_budget < 16 * 1024) throw Error("store config: stack_budget below 16 KiB");
}
}  // namespace

Store::Store(const StoreConfig& config) : state_(std::make_shared<loader::StoreState>()) {
  check_config(config);
  state_->set_config(config);
}

const StoreConfig& Store::config() const { return state_->config; }

void Store::set_config(const StoreConfig& config) {
  check_config(config);
  state_->set_config(config);
}

void Store::interrupt() {
  std::atomic_ref<uint64_t>(state_->vm.interrupt).store(1, std::memory_order_seq_cst);
  // Sends the next function entry to the slow path, which sees the flag.
  std::atomic_ref<uintptr_t>(state_->vm.entry_limit).store(UINTPTR_MAX, std::memory_order_release);
  // And the next loop poll to the fault handler; after the flag, which the
  // handler reads once the page is readable again.
  state_->arm_poll_pages();
  // And threads of this store blocked in memory.atomic.wait.
  loader::interrupt_waiters(&state_->vm);
}

}  // namespace kiln

namespace kiln::loader {

void StoreState::add_instance(std::unique_ptr<InstanceState> instance) {
  std::lock_guard lock(instances_mutex_);
  PollPage* page = instance->pages.get();
  instances.push_back(std::move(instance));
  // An interrupt already pending must reach this instance's loops too.
  if (std::atomic_ref<uint64_t>(vm.interrupt).load(std::memory_order_seq_cst) != 0) page->arm();
}

void StoreState::arm_poll_pages() {
  std::lock_guard lock(instances_mutex_);
  for (const auto& instance : instances) instance->pages->arm();
}

uint64_t StoreState::max_memory_pages(bool address64) const {
  return std::min<uint64_t>(config.max_memory_pages,
                            address64 ? abi::kMemory64MaxPages : abi::kMaxMemoryPages);
}

}  // namespace kiln::loader
