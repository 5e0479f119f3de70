// abi::Builtins: bulk memory, table and trap helpers for generated code.
// Every helper that traps does so through raise_trap, which abandons the
// helper's frame: no object with a destructor may be live at that point.
#include "loader/builtins.h"

#include <cstring>

#include "loader/atomic_wait.h"
#include "loader/platform/trap_handling.h"
#include "loader/store_state.h"

namespace kiln::loader {

namespace {

using abi::TrapCode;

/// [start, start + len) within [0, size)?
bool in_bounds(uint64_t start, uint64_t len, uint64_t size) { return start <= size && len <= size - start; }

InstanceState& instance_of(abi::VMContext* vmctx) { return *InstanceState::from(vmctx); }
TableState& table_of(abi::VMContext* vmctx, uint32_t table) { return *TableState::from(vmctx->tables[table]); }

void check(TrapCode code) {
  if (code != TrapCode::None) raise_trap(code);
}

uint64_t b_memory_grow(abi::VMContext* vmctx, uint32_t memory, uint64_t delta) {
  int64_t old = grow_memory(*MemoryState::from(vmctx->memories[memory]), delta);
  return old < 0 ? UINT64_MAX : uint64_t(old);
}

void b_memory_init(abi::VMContext* vmctx, uint32_t memory, uint32_t segment, uint64_t dst, uint32_t src,
                   uint32_t len) {
  check(memory_init(instance_of(vmctx), memory, segment, dst, src, len));
}

void b_data_drop(abi::VMContext* vmctx, uint32_t segment) { data_drop(instance_of(vmctx), segment); }

void* b_table_get(abi::VMContext* vmctx, uint32_t table, uint32_t index) {
  TableState& t = table_of(vmctx, table);
  if (index >= t.vm.size) raise_trap(TrapCode::OutOfBoundsTableAccess);
  return t.vm.elements[index].ref;
}

void b_table_set(abi::VMContext* vmctx, uint32_t table, uint32_t index, void* ref) {
  TableState& t = table_of(vmctx, table);
  if (index >= t.vm.size) raise_trap(TrapCode::OutOfBoundsTableAccess);
  t.vm.elements[index] = t.element(ref);
}

uint32_t b_table_grow(abi::VMContext* vmctx, uint32_t table, void* init, uint32_t delta) {
  int64_t old = grow_table(table_of(vmctx, table), delta, init);
  return old < 0 ? UINT32_MAX : uint32_t(old);
}

void b_table_fill(abi::VMContext* vmctx, uint32_t table, uint32_t dst, void* ref, uint32_t len) {
  TableState& t = table_of(vmctx, table);
  if (!in_bounds(dst, len, t.vm.size)) raise_trap(TrapCode::OutOfBoundsTableAccess);
  const abi::VMTableElement e = t.element(ref);
  for (uint32_t i = 0; i < len; ++i) t.vm.elements[dst + i] = e;
}

void b_table_copy(abi::VMContext* vmctx, uint32_t dst_table, uint32_t src_table, uint32_t dst, uint32_t src,
                  uint32_t len) {
  TableState& d = table_of(vmctx, dst_table);
  TableState& s = table_of(vmctx, src_table);
  if (!in_bounds(src, len, s.vm.size) || !in_bounds(dst, len, d.vm.size))
    raise_trap(TrapCode::OutOfBoundsTableAccess);
  if (len) std::memmove(d.vm.elements + dst, s.vm.elements + src, len * sizeof(abi::VMTableElement));
}

void b_table_init(abi::VMContext* vmctx, uint32_t table, uint32_t segment, uint32_t dst, uint32_t src,
                  uint32_t len) {
  check(table_init(instance_of(vmctx), table, segment, dst, src, len));
}

void b_elem_drop(abi::VMContext* vmctx, uint32_t segment) { elem_drop(instance_of(vmctx), segment); }

// memory.atomic.wait32/64 up to the result; the trap to raise, if any.
// Everything with a destructor lives and dies in here.
TrapCode wait(abi::VMContext* vmctx, uint32_t memory, uint64_t at, unsigned bytes, uint64_t expected,
              int64_t timeout, uint32_t& result) {
  MemoryState& m = *MemoryState::from(vmctx->memories[memory]);  // validated: it exists
  if (!in_bounds(at, bytes, memory_size(m))) return TrapCode::OutOfBoundsMemoryAccess;
  if (!m.shared) return TrapCode::WaitOnUnsharedMemory;
  const WaitResult r = wait_at(m.vm.base + at, bytes, expected, timeout, vmctx->store);
  if (r == WaitResult::Interrupted) return TrapCode::Interrupted;
  result = uint32_t(r);
  return TrapCode::None;
}

uint32_t b_memory_atomic_wait32(abi::VMContext* vmctx, uint32_t memory, uint64_t at, uint32_t expected,
                                int64_t timeout) {
  uint32_t result = 0;
  check(wait(vmctx, memory, at, 4, expected, timeout, result));
  return result;
}

uint32_t b_memory_atomic_wait64(abi::VMContext* vmctx, uint32_t memory, uint64_t at, uint64_t expected,
                                int64_t timeout) {
  uint32_t result = 0;
  check(wait(vmctx, memory, at, 8, expected, timeout, result));
  return result;
}

uint32_t b_memory_atomic_notify(abi::VMContext* vmctx, uint32_t memory, uint64_t at, uint32_t count) {
  MemoryState& m = *MemoryState::from(vmctx->memories[memory]);
  if (!in_bounds(at, 4, memory_size(m))) raise_trap(TrapCode::OutOfBoundsMemoryAccess);
  // Nobody can wait on a memory that is not shared.
  return m.shared ? notify_waiters(m.vm.base + at, count) : 0;
}

void b_trap(abi::VMContext*, uint32_t code) {
  if (code == 0 || code > abi::kMaxTrapCode) code = uint32_t(TrapCode::HostError);
  raise_trap(TrapCode(code));
}

// Exceptions: the record becomes the store's pending exception; generated
// code then returns to its handler (aotc/codegen/exceptions.cpp). Running out
// of memory for one is a trap, since the throw cannot happen.
void pend(abi::VMContext* vmctx, abi::VMException* record) {
  StoreState& store = *instance_of(vmctx).store;
  if (!record) raise_trap(TrapCode::HostError);
  discard_pending_exception(store);
  store.vm.pending_exception = record;
}

void b_throw_exception(abi::VMContext* vmctx, uint32_t tag, const abi::ValSlot* values) {
  auto* state = static_cast<const TagState*>(vmctx->tags[tag]);
  pend(vmctx, instance_of(vmctx).store->exceptions.create(state, uint32_t(state->type.params.size()), values));
}

void b_rethrow_exception(abi::VMContext* vmctx, abi::VMException* caught) {
  pend(vmctx, instance_of(vmctx).store->exceptions.create(static_cast<const TagState*>(caught->tag),
                                                          caught->count, caught->values));
}

void b_drop_exception(abi::VMContext* vmctx, abi::VMException* caught) {
  instance_of(vmctx).store->exceptions.free(caught);
}

const abi::Builtins kBuiltins = {
    &b_memory_grow, &::memset,      &::memmove, &b_memory_init, &b_data_drop,
    &b_table_get,   &b_table_set,   &b_table_grow,  &b_table_fill,  &b_table_copy,
    &b_table_init,  &b_elem_drop,   &b_trap,
    &b_memory_atomic_wait32, &b_memory_atomic_wait64, &b_memory_atomic_notify,
    &b_throw_exception, &b_rethrow_exception, &b_drop_exception,
};

}  // namespace

const abi::Builtins* builtins() { return &kBuiltins; }

TrapCode table_init(InstanceState& instance, uint32_t table, uint32_t segment, uint32_t dst, uint32_t src,
                    uint32_t len) {
  TableState& t = *TableState::from(instance.vm_tables[table]);
  const std::vector<void*>& refs = instance.elems[segment].refs;  // empty once dropped
  if (!in_bounds(src, len, refs.size()) || !in_bounds(dst, len, t.vm.size)) return TrapCode::OutOfBoundsTableAccess;
  for (uint32_t i = 0; i < len; ++i) t.vm.elements[dst + i] = t.element(refs[src + i]);
  return TrapCode::None;
}

TrapCode memory_init(InstanceState& instance, uint32_t memory, uint32_t segment, uint64_t dst, uint64_t src,
                     uint64_t len) {
  const InstanceState::DataSegment& s = instance.data[segment];  // size 0 once dropped
  abi::VMMemory* m = instance.vmctx->memories[memory];
  if (!in_bounds(src, len, s.size) || !in_bounds(dst, len, m->size)) return TrapCode::OutOfBoundsMemoryAccess;
  if (len) std::memcpy(m->base + dst, s.bytes + src, len);
  return TrapCode::None;
}

void elem_drop(InstanceState& instance, uint32_t segment) {
  std::vector<void*>().swap(instance.elems[segment].refs);
}

void data_drop(InstanceState& instance, uint32_t segment) {
  instance.data[segment] = InstanceState::DataSegment{};
}

}  // namespace kiln::loader
