// The runtime objects of a store. Generated code sees only the abi:: structs
// at the start of each (VMFuncRef, VMMemory, VMTable, VMGlobal, VMHostContext),
// so the loader gets from such a pointer back to its object by a cast.
#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "abi/vm_context.h"
#include "kiln/function.h"
#include "kiln/global.h"
#include "kiln/memory.h"
#include "kiln/store.h"
#include "kiln/table.h"
#include "loader/exceptions.h"
#include "loader/module_state.h"
#include "loader/platform/linear_memory.h"
#include "loader/platform/poll_pages.h"
#include "loader/platform/trap_handling.h"
#include "loader/result.h"

namespace kiln::loader {

class InstanceState;
/// Stack kept free below the wasm stack limit for host functions called from
/// wasm and for the runtime's own frames.
inline constexpr size_t kHostStackReserve = 128 * 1024;

class StoreState;
struct HostFuncState;

/// Every function reference generated code can see is the `ref` of one of these.
struct FuncRecord {
  abi::VMFuncRef ref{};
  StoreState* store = nullptr;
  InstanceState* instance = nullptr;  // defining instance; null for host functions
  uint32_t func_index = 0;            // in the defining module's function index space
  uint32_t type_index = 0;            // in the defining module's types
  HostFuncState* host = nullptr;      // set for host functions

  static FuncRecord* from(abi::VMFuncRef* ref) { return reinterpret_cast<FuncRecord*>(ref); }
};
static_assert(offsetof(FuncRecord, ref) == 0);

/// What a host function's VMFuncRef::vmctx points to (standard layout, so a
/// VMHostContext* converts back to it). A direct entry (see
/// HostCallback::DirectEntry) sees it as a detail::DirectHostContext.
struct HostContext {
  abi::VMHostContext header{};
  HostFuncState* host = nullptr;
  void* direct_data = nullptr;  // the direct entry's object, when it has one
  void* direct_code = nullptr;  // the direct entry (C convention), reached by kiln_direct_host_thunk
};
static_assert(offsetof(HostContext, header) == 0);
static_assert(offsetof(HostContext, direct_data) == offsetof(detail::DirectHostContext, data));

struct HostFuncState {
  HostContext context;
  FuncType type;
  HostCallback callback;
  FuncRecord record;
  // The module whose host adapter record.ref.code points into.
  std::shared_ptr<ModuleState> adapter_module;
};

struct MemoryState {
  abi::VMMemory vm{};
  std::unique_ptr<MemoryReservation> reservation;
  std::optional<uint64_t> declared_max;  // pages
  bool address64 = false;                // memory64
  // The creating store, for its page limit; null for a shared memory, which
  // may outlive it (its vm.max_pages includes that limit).
  StoreState* store = nullptr;
  // Threads: shared by the stores in whose `memories` it is; growth is
  // serialized by grow_mutex and vm.size is read and written atomically.
  bool shared = false;
  std::mutex grow_mutex;
  std::weak_ptr<MemoryState> self;  // for Memory::share()

  static MemoryState* from(abi::VMMemory* m) { return reinterpret_cast<MemoryState*>(m); }
};
static_assert(offsetof(MemoryState, vm) == 0);

struct TableState {
  abi::VMTable vm{};
  std::vector<abi::VMTableElement> elements;  // ref: VMFuncRef* (funcref) or host pointer (externref)
  ValType elem_type = ValType::FuncRef;
  std::optional<uint64_t> declared_max;
  StoreState* store = nullptr;

  /// The element holding `ref` (a VMFuncRef* or host pointer, per elem_type).
  abi::VMTableElement element(void* ref) const {
    return elem_type == ValType::FuncRef ? abi::funcref_table_element(static_cast<abi::VMFuncRef*>(ref))
                                         : abi::externref_table_element(ref);
  }

  static TableState* from(abi::VMTable* t) { return reinterpret_cast<TableState*>(t); }
};
static_assert(offsetof(TableState, vm) == 0);

struct GlobalState {
  abi::VMGlobal value{};
  GlobalType type;
  StoreState* store = nullptr;

  static GlobalState* from(abi::VMGlobal* g) { return reinterpret_cast<GlobalState*>(g); }
};
static_assert(offsetof(GlobalState, value) == 0);

class InstanceState {
 public:
  StoreState* store = nullptr;
  std::shared_ptr<ModuleState> module;
  // The instance's poll page and, on the page after it, its VMContext.
  std::unique_ptr<PollPage> pages;
  abi::VMContext* vmctx = nullptr;  // pages->context()
  // The arrays vmctx points to (module index spaces, imports first).
  std::vector<abi::VMGlobal*> vm_globals;
  std::vector<abi::VMTable*> vm_tables;
  std::vector<abi::VMFuncRef*> vm_funcs;
  std::vector<MemoryState*> memories;
  std::vector<abi::VMMemory*> vm_memories;  // memories' VMMemory, for VMContext::memories
  std::vector<const void*> vm_tags;       // TagState* of every tag, imports first
  std::vector<FuncRecord> defined_funcs;  // never resized after creation

  struct DataSegment {
    const uint8_t* bytes = nullptr;
    uint64_t size = 0;  // 0 once dropped
  };
  std::vector<DataSegment> data;
  struct ElemSegment {
    std::vector<void*> refs;  // evaluated items; empty once dropped
  };
  std::vector<ElemSegment> elems;

  static InstanceState* from(abi::VMContext* vmctx) {
    return static_cast<InstanceState*>(vmctx->instance);
  }
};

class StoreState : public std::enable_shared_from_this<StoreState> {
 public:
  abi::VMStoreContext vm{};
  StoreConfig config;
  // Entries from the host into this store's wasm code (depth, stack budget).
  EntryStore entry{&vm, 0, 0, config.stack_budget, kHostStackReserve};

  void set_config(const StoreConfig& c) {
    config = c;
    entry.budget = c.stack_budget;
  }

  /// Adds an instance; from then on Store::interrupt() arms its poll page.
  void add_instance(std::unique_ptr<InstanceState> instance);
  /// Makes every instance's poll page unreadable (Store::interrupt()).
  void arm_poll_pages();

  // Everything the store owns; destroyed together with it.
  std::vector<std::unique_ptr<InstanceState>> instances;
  std::vector<std::unique_ptr<HostFuncState>> host_funcs;
  std::vector<HostFuncState*> unbound_host_funcs;  // no adapter yet (may hold bound ones)
  std::vector<std::shared_ptr<MemoryState>> memories;  // shared ones may be in other stores too
  std::vector<std::unique_ptr<TableState>> tables;
  std::vector<std::unique_ptr<GlobalState>> globals;
  std::vector<std::unique_ptr<TagState>> tags;
  ExceptionRecords exceptions;  // thrown, not yet freed

  /// The store's page limit for a 32-bit or a 64-bit memory.
  uint64_t max_memory_pages(bool address64 = false) const;
  uint32_t max_table_elements() const { return config.max_table_elements; }

  /// A host function; fails if `callback` is empty.
  Result<HostFuncState*> add_host_func(const FuncType& type, HostCallback callback);
  /// A memory of `min_pages` pages (shared: threads; 64-bit: memory64);
  /// fails if it cannot be made.
  Result<MemoryState*> add_memory(uint64_t min_pages, std::optional<uint64_t> declared_max,
                                  bool shared = false, bool address64 = false);
  /// A table of `min` elements set to `init`; fails if too large.
  Result<TableState*> add_table(ValType elem_type, uint64_t min, std::optional<uint64_t> declared_max,
                                void* init);
  GlobalState* add_global(const GlobalType& type);
  TagState* add_tag(const TagType& type);

 private:
  // Guards `instances` against arm_poll_pages(): interrupt() runs on any
  // thread, instances are added on the store's.
  std::mutex instances_mutex_;
};

/// Grows a memory by `delta` pages: old size in pages, or -1 past its maximum
/// or the store's limit (or when pages cannot be committed).
int64_t grow_memory(MemoryState& memory, uint64_t delta);
/// The current size in bytes (an atomic read: a shared memory may grow on
/// another thread).
inline uint64_t memory_size(MemoryState& memory) {
  return std::atomic_ref<uint64_t>(memory.vm.size).load(std::memory_order_acquire);
}
/// Grows a table by `delta` elements set to `init`: old size, or -1 past its
/// maximum or the store's limit. Never throws (called from wasm code).
int64_t grow_table(TableState& table, uint64_t delta, void* init) noexcept;

/// Binds a host function to `module`'s adapter for `type_index` (a type equal
/// to the function's) unless it is already bound.
void bind_host_adapter(HostFuncState& host, const std::shared_ptr<ModuleState>& module,
                       uint32_t type_index);
/// Binds a host function to an adapter of any module instantiated in its
/// store. None having its type is no failure: it stays unbound until a
/// module with its type is instantiated (bind_host_adapters_for).
void bind_host_adapter_from_store(HostFuncState& host, StoreState& store);
/// Binds every still unbound host function of `store` whose type `module`
/// has, so that code of `module` can call it through a table.
void bind_host_adapters_for(StoreState& store, const std::shared_ptr<ModuleState>& module);

}  // namespace kiln::loader
