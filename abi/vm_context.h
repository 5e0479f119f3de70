// Runtime structures that generated code reads and writes by offset.
//
// The loader allocates these; aotc emits loads and stores at the offsets
// below. Both include this file, so the layout is written once.
#pragma once
#include <cstddef>
#include <cstdint>

namespace kiln::abi {

struct VMContext;

/// One value in a generic call: args in, results out, 16 bytes so v128 fits.
/// Integers and floats sit in the low bytes, little-endian; references are
/// pointers (null = 0).
struct alignas(16) ValSlot {
  uint8_t bytes[16];
};
static_assert(sizeof(ValSlot) == 16);

/// A function reference. Every call through a table or to an import goes
/// through one: code(vmctx, caller_vmctx, params...).
struct VMFuncRef {
  /// Native entry with the wasm calling convention: LLVM's swiftcc with the
  /// callee vmctx as swiftself (x86-64: r13; aarch64: x20), then the caller's
  /// vmctx and the parameters as C would pass them (rdi, rsi, ...; xmm0-7),
  /// results as swiftcc returns them (one: rax or xmm0).
  void* code;
  VMContext* vmctx;    // first argument for code (instance or host context)
  uint32_t type_id;    // process-wide canonical signature id
  uint32_t reserved;
  /// The same function's body in LLVM's swifttailcc (same arguments), which
  /// return_call* jumps to so that a chain of tail calls keeps one frame;
  /// null for host functions and functions of modules without return_call*
  /// (whose callers then call `code` and return). See the calling convention
  /// below (EntryTrampoline).
  void* tail_code;
};
static_assert(offsetof(VMFuncRef, code) == 0);
static_assert(offsetof(VMFuncRef, vmctx) == 8);
static_assert(offsetof(VMFuncRef, type_id) == 16);
static_assert(offsetof(VMFuncRef, tail_code) == 24);
static_assert(sizeof(VMFuncRef) == 32);

/// A linear memory. base never moves: the loader reserves the whole guard
/// region up front and commits pages as the memory grows.
struct VMMemory {
  uint8_t* base;
  uint64_t size;        // current size in bytes
  uint64_t max_pages;   // declared or store-imposed maximum
  uint64_t reserved;    // bytes of address space reserved at base
};
static_assert(offsetof(VMMemory, base) == 0);
static_assert(offsetof(VMMemory, size) == 8);

/// One element of a table (ABI v14). `ref` is the element's value: a
/// VMFuncRef* in a funcref table, an opaque host pointer in an externref
/// table, null for null. In a funcref table the other fields repeat ref's
/// code, vmctx, tail_code and type_id (all zero when ref is null; no
/// canonical type id is 0), so call_indirect reads everything from the
/// element: the type check is one load and one compare, whose mismatch
/// path alone tells a null element from a wrong type, and the target is
/// not behind a second load. In an externref table they are zero.
struct VMTableElement {
  void* ref;
  void* code;
  VMContext* vmctx;
  void* tail_code;
  uint32_t type_id;
  uint32_t reserved;
};
static_assert(offsetof(VMTableElement, ref) == 0);
static_assert(offsetof(VMTableElement, code) == 8);
static_assert(offsetof(VMTableElement, vmctx) == 16);
static_assert(offsetof(VMTableElement, tail_code) == 24);
static_assert(offsetof(VMTableElement, type_id) == 32);
static_assert(sizeof(VMTableElement) == 40);

/// The element a table holds for `ref`: the one rule by which both the
/// loader and generated code (table.set, inline) fill an element.
inline VMTableElement funcref_table_element(const VMFuncRef* ref) {
  if (!ref) return VMTableElement{};
  return VMTableElement{const_cast<VMFuncRef*>(ref), ref->code, ref->vmctx, ref->tail_code, ref->type_id, 0};
}
inline VMTableElement externref_table_element(void* ref) { return VMTableElement{ref, {}, {}, {}, 0, 0}; }

/// A table of references, each held in a VMTableElement.
struct VMTable {
  VMTableElement* elements;
  uint32_t size;
  uint32_t max;         // declared maximum or UINT32_MAX
};
static_assert(offsetof(VMTable, elements) == 0);
static_assert(offsetof(VMTable, size) == 8);

/// Storage of one global, big enough for v128.
struct alignas(16) VMGlobal {
  uint8_t bytes[16];
};
static_assert(sizeof(VMGlobal) == 16);

/// Per-store state shared by all instances of a store: stack limits and the
/// interruption request that generated code checks.
///
/// A function entry makes one comparison, sp < entry_limit. entry_limit is
/// stack_limit, except that Store::interrupt() raises it to UINTPTR_MAX, so
/// the next call of interruptible code takes the slow path, which tells an
/// interrupt request (interrupt != 0) from a real overflow (sp < stack_limit).
///
/// A loop polls by reading one byte of its instance's poll page (see
/// kVMContextPollPageOffset): no compare, no branch. Store::interrupt() makes
/// the poll pages of the store's instances unreadable, and the fault handler
/// turns a read of one into an Interrupted trap (or, if the request was
/// withdrawn since, makes the page readable again and lets the loop go on).
struct VMStoreContext {
  uintptr_t entry_limit;        // compared with sp at function entry
  uintptr_t stack_limit;        // lowest stack address wasm code may use
  uint64_t interrupt;           // non-zero: trap with Interrupted at next check
  /// The wasm exception being thrown, or null (ABI v12). Set by the throw
  /// builtins and by host functions that throw a kiln::Exception; code
  /// compiled by aotc tests it after every call that may throw and, when it
  /// is set, branches to the innermost handler or returns to its caller.
  struct VMException* pending_exception;
};
static_assert(offsetof(VMStoreContext, entry_limit) == 0);
static_assert(offsetof(VMStoreContext, stack_limit) == 8);
static_assert(offsetof(VMStoreContext, interrupt) == 16);
static_assert(offsetof(VMStoreContext, pending_exception) == 24);

/// A thrown wasm exception (ABI v12): its tag's identity (the TagState the
/// instances' VMContext::tags hold) and payload, one ValSlot per parameter of
/// the tag's type. Allocated by the loader; generated code reads `tag` and
/// `values` and hands records back through the builtins.
struct VMException {
  const void* tag;
  uint32_t count;           // payload values
  uint32_t reserved;
  void* owner[2];           // the loader's bookkeeping
  ValSlot values[];         // count values
};
static_assert(offsetof(VMException, tag) == 0);
static_assert(offsetof(VMException, values) == 32);

/// The runtime functions generated code calls for operations too large to
/// inline. Each traps (does not return) on failure.
struct Builtins {
  /// memory.grow on memory `memory` (ABI v9: any memory, 64-bit deltas for
  /// memory64): old size in pages, or UINT64_MAX (-1) on failure; a 32-bit
  /// memory's result is its low half.
  uint64_t (*memory_grow)(VMContext*, uint32_t memory, uint64_t delta_pages);
  /// The C library's memset and memmove: memory.fill and memory.copy check
  /// their bounds in generated code, then call these directly.
  void* (*memset)(void* dst, int value, size_t len);
  void* (*memmove)(void* dst, const void* src, size_t len);
  /// memory.init into memory `memory` (ABI v9); dst is 64-bit for memory64.
  void (*memory_init)(VMContext*, uint32_t memory, uint32_t segment, uint64_t dst, uint32_t src,
                      uint32_t len);
  void (*data_drop)(VMContext*, uint32_t segment);
  void* (*table_get)(VMContext*, uint32_t table, uint32_t index);
  void (*table_set)(VMContext*, uint32_t table, uint32_t index, void* ref);
  /// table.grow: old size, or UINT32_MAX (-1) on failure.
  uint32_t (*table_grow)(VMContext*, uint32_t table, void* init, uint32_t delta);
  void (*table_fill)(VMContext*, uint32_t table, uint32_t dst, void* ref, uint32_t len);
  void (*table_copy)(VMContext*, uint32_t dst_table, uint32_t src_table, uint32_t dst,
                     uint32_t src, uint32_t len);
  void (*table_init)(VMContext*, uint32_t table, uint32_t segment, uint32_t dst, uint32_t src,
                     uint32_t len);
  void (*elem_drop)(VMContext*, uint32_t segment);
  /// Raise a trap of the given TrapCode; never returns.
  void (*trap)(VMContext*, uint32_t code);
  /// Threads: memory.atomic.wait32/64 at byte `at` of `memory` (aligned,
  /// checked by the caller): 0 woken, 1 the value was not `expected`, 2 timed
  /// out (timeout in ns; negative waits forever). Traps when out of bounds,
  /// on a memory that is not shared, and when the store is interrupted.
  uint32_t (*memory_atomic_wait32)(VMContext*, uint32_t memory, uint64_t at, uint32_t expected,
                                   int64_t timeout);
  uint32_t (*memory_atomic_wait64)(VMContext*, uint32_t memory, uint64_t at, uint64_t expected,
                                   int64_t timeout);
  /// memory.atomic.notify: wakes up to `count` waiters at `at` of `memory`;
  /// how many it woke.
  uint32_t (*memory_atomic_notify)(VMContext*, uint32_t memory, uint64_t at, uint32_t count);
  /// throw: a new exception of tag `tag` (the module's tag index) with the
  /// payload in `values`, made the store's pending exception. Returns.
  void (*throw_exception)(VMContext*, uint32_t tag, const ValSlot* values);
  /// rethrow: a copy of `caught` made the pending exception (the original
  /// stays with its catch block). Returns.
  void (*rethrow_exception)(VMContext*, VMException* caught);
  /// Frees a caught exception (null: nothing).
  void (*drop_exception)(VMContext*, VMException* caught);
};

constexpr size_t kBuiltinMemoryGrow = offsetof(Builtins, memory_grow);
constexpr size_t kBuiltinMemset = offsetof(Builtins, memset);
constexpr size_t kBuiltinMemmove = offsetof(Builtins, memmove);
constexpr size_t kBuiltinMemoryInit = offsetof(Builtins, memory_init);
constexpr size_t kBuiltinDataDrop = offsetof(Builtins, data_drop);
constexpr size_t kBuiltinTableGet = offsetof(Builtins, table_get);
constexpr size_t kBuiltinTableSet = offsetof(Builtins, table_set);
constexpr size_t kBuiltinTableGrow = offsetof(Builtins, table_grow);
constexpr size_t kBuiltinTableFill = offsetof(Builtins, table_fill);
constexpr size_t kBuiltinTableCopy = offsetof(Builtins, table_copy);
constexpr size_t kBuiltinTableInit = offsetof(Builtins, table_init);
constexpr size_t kBuiltinElemDrop = offsetof(Builtins, elem_drop);
constexpr size_t kBuiltinTrap = offsetof(Builtins, trap);
constexpr size_t kBuiltinMemoryAtomicWait32 = offsetof(Builtins, memory_atomic_wait32);
constexpr size_t kBuiltinMemoryAtomicWait64 = offsetof(Builtins, memory_atomic_wait64);
constexpr size_t kBuiltinMemoryAtomicNotify = offsetof(Builtins, memory_atomic_notify);
constexpr size_t kBuiltinThrowException = offsetof(Builtins, throw_exception);
constexpr size_t kBuiltinRethrowException = offsetof(Builtins, rethrow_exception);
constexpr size_t kBuiltinDropException = offsetof(Builtins, drop_exception);

/// The per-instance context: first argument of every wasm function.
/// Arrays are indexed in the module's own index spaces (imports first).
struct VMContext {
  uint8_t* memory_base;        // base of memory 0 (null if none); never changes
  VMMemory* memory;            // memory 0 (null if none)
  VMStoreContext* store;       // stack limit and interrupt flag
  const Builtins* builtins;    // runtime helpers
  VMGlobal** globals;          // every global, imported or defined
  VMTable** tables;            // every table
  VMFuncRef** funcs;           // every function, as a reference
  const uint32_t* type_ids;    // canonical signature id of each type index
  void* instance;              // the loader's instance object (opaque here)
  /// Every memory, imported or defined (ABI v10, multi-memory). Memory 0 is
  /// also reached through memory_base/memory above, one load closer; code
  /// for memory i > 0 loads memories[i] and its base once per function
  /// (neither changes during the instance's life).
  VMMemory** memories;
  const void* const* tags;     // every tag's identity, imported or defined (ABI v12)
};

constexpr size_t kVMContextMemoryBase = offsetof(VMContext, memory_base);
constexpr size_t kVMContextMemory = offsetof(VMContext, memory);
constexpr size_t kVMContextStore = offsetof(VMContext, store);
constexpr size_t kVMContextBuiltins = offsetof(VMContext, builtins);
constexpr size_t kVMContextGlobals = offsetof(VMContext, globals);
constexpr size_t kVMContextTables = offsetof(VMContext, tables);
constexpr size_t kVMContextFuncs = offsetof(VMContext, funcs);
constexpr size_t kVMContextTypeIds = offsetof(VMContext, type_ids);
constexpr size_t kVMContextInstance = offsetof(VMContext, instance);
constexpr size_t kVMContextMemories = offsetof(VMContext, memories);
constexpr size_t kVMContextTags = offsetof(VMContext, tags);

static_assert(kVMContextMemoryBase == 0 && kVMContextMemory == 8 && kVMContextStore == 16 &&
              kVMContextBuiltins == 24 && kVMContextGlobals == 32 && kVMContextTables == 40 &&
              kVMContextFuncs == 48 && kVMContextTypeIds == 56 && kVMContextInstance == 64 &&
              kVMContextMemories == 72 && kVMContextTags == 80);

/// Where an instance's poll page is, relative to its VMContext: the loader
/// puts every VMContext at the start of the page that follows its poll page.
/// A loop polls with one byte read at vmctx + this offset, so it needs no
/// register or load beyond the vmctx it already has.
constexpr int64_t kVMContextPollPageOffset = -4096;

/// A host function's context. A VMFuncRef for a host function has
/// code = the importing module's host adapter for its type and
/// vmctx = (VMContext*) of a struct that begins with this one.
struct VMHostContext {
  /// Called by the adapter with the caller's VMContext and the arguments in
  /// slots; writes results into slots starting at 0.
  void (*callback)(VMHostContext* self, VMContext* caller, ValSlot* args_results);
};
static_assert(offsetof(VMHostContext, callback) == 0);

/// Linear memory page size and the guard region reserved for 32-bit memories:
/// any i32 address plus any u32 static offset stays inside it.
constexpr uint64_t kWasmPageSize = 65536;
constexpr uint64_t kMaxMemoryPages = 65536;
constexpr uint64_t kMemoryReservation = (8ull << 30) + kWasmPageSize;  // + slack for access widths

/// 64-bit memories (memory64): declared limits up to 2^48 pages are valid,
/// but no guard region can cover a 64-bit index, so generated code checks
/// every access against VMMemory::size, and the loader reserves (never
/// commits) at most kMemory64MaxPages pages (16 GiB) for one: its base never
/// moves, so the reservation bounds its growth; memory.grow past it returns
/// -1. 16 GiB is four times a 32-bit memory's reach, the machine sizes this
/// runs on (tens of GiB of RAM), and still thousands of memories within a
/// 47-bit user address space.
constexpr uint64_t kMaxMemory64Pages = uint64_t(1) << 48;
constexpr uint64_t kMemory64MaxPages = uint64_t(1) << 18;

/// Calling convention of every wasm function (defined, imported or host
/// adapter), ABI 6: LLVM's swiftcc,
///   R f(VMContext* callee_vmctx [swiftself], VMContext* caller_vmctx, P... params)
/// The callee vmctx travels in the swiftself register (x86-64: r13; aarch64:
/// x20; callee-saved on both), the caller vmctx and the parameters in the C
/// convention's registers from the first one on (x86-64: rdi, rsi, ...;
/// xmm0-7; aarch64: x0, x1, ...; v0-7), then on the stack; R is void, the single result, or an LLVM
/// literal struct of results as swiftcc returns it (in registers while they
/// last). See VMFuncRef::code.
///
/// Tail calls (ABI 13): a module using return_call* compiles each defined
/// function's body in LLVM's swifttailcc (same arguments; the callee pops
/// its stack arguments and the swiftself register is not preserved, which
/// is what lets a `musttail` call reuse the caller's frame for any callee),
/// and gives it a swiftcc entry that calls it (VMFuncRef::code; the body is
/// VMFuncRef::tail_code). Calls inside such a module go to the bodies;
/// everything crossing a module boundary uses the swiftcc entries, so
/// modules without return_call* keep the cheaper swiftcc calls throughout.
///
/// Entry trampoline, one per type index, used for generic host->wasm calls:
using EntryTrampoline = void (*)(void* code, VMContext* callee_vmctx, VMContext* caller_vmctx,
                                 ValSlot* args_results);

}  // namespace kiln::abi
