// Translation of one defined function's body to LLVM IR.
//
// The wasm operand stack is mirrored as a stack of llvm::Value*; control
// constructs become basic blocks with phi nodes at merge points. Locals are
// allocas (mem2reg turns them into SSA). Each opcode family (the family
// column of opcodes.def) lives in its own .cpp file; translate_<family>
// switches over the family's enum (NumericOp, ...) with a case for each row.
#pragma once
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <llvm/ADT/DenseMap.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Intrinsics.h>

#include "abi/trap_codes.h"
#include "aotc/codegen/module_context.h"
#include "aotc/codegen/nan_canonicalization.h"

namespace kiln::aotc {

using abi::TrapCode;

class FunctionTranslator {
 public:
  FunctionTranslator(ModuleContext& module, uint32_t defined_index);
  ~FunctionTranslator();
  FunctionTranslator(const FunctionTranslator&) = delete;
  FunctionTranslator& operator=(const FunctionTranslator&) = delete;
  Error translate();

 private:
  struct Frame {
    enum class Kind : uint8_t { Function, Block, Loop, If, Try } kind = Kind::Block;
    bool in_else = false;
    std::vector<llvm::Type*> params;
    std::vector<llvm::Type*> results;
    size_t height = 0;                        // operand stack height below the params
    llvm::BasicBlock* merge = nullptr;        // continuation; its phis take the results
    std::vector<llvm::PHINode*> merge_phis;
    llvm::BasicBlock* header = nullptr;       // loop: branch target; its phis take the params
    std::vector<llvm::PHINode*> header_phis;
    llvm::BasicBlock* else_block = nullptr;   // if: the false edge
    std::vector<llvm::Value*> if_params;      // if: params again for the else arm
    // try (exceptions.cpp):
    bool in_catch = false;                    // past its first catch or catch_all
    llvm::BasicBlock* handler = nullptr;      // where exceptions of the try body go
    llvm::BasicBlock* next_test = nullptr;    // the next catch's tag test; null after catch_all
    llvm::AllocaInst* caught = nullptr;       // the exception its catch blocks hold
  };

  // --- function_translator.cpp: set-up, dispatch, operand stack
  void set_up();
  Error translate_instr(const Instr& in);
  void fail(const std::string& message);
  void push(llvm::Value* value) {
    stack_.push_back(value);
    max_height_ = std::max(max_height_, stack_.size());
  }
  void push_all(const std::vector<llvm::Value*>& values);
  /// Pops a value of the given LLVM type (a mismatch is recorded as an error).
  llvm::Value* pop(llvm::Type* expected);
  llvm::Value* pop_any();
  /// Pops values of the given types; returns them bottom-first.
  std::vector<llvm::Value*> pop_all(const std::vector<llvm::Type*>& types);
  /// The top n values, bottom-first, without popping.
  std::vector<llvm::Value*> top(size_t n);
  /// Drops stack values down to `height`; loads among them become volatile.
  void discard_to(size_t height);
  /// Keeps a memory load that is about to become unused (its trap is observable).
  void keep_load(llvm::Value* value);
  llvm::BasicBlock* new_block(const char* name);
  /// Starts a new block after a terminator so later code has somewhere to go.
  void start_block(llvm::BasicBlock* block);

  // Operands and results of the families' simple instructions. A vector type
  // is a view of a v128 operand (bitcast in and out); scalars pass as they are.
  llvm::Value* pop_as(llvm::Type* type);
  void push_as(llvm::Value* value);
  template <typename Op>
  void unary(llvm::Type* type, Op&& op) {
    llvm::Value* x = pop_as(type);
    push_as(op(x));
  }
  template <typename Op>
  void binary(llvm::Type* type, Op&& op) {
    llvm::Value* rhs = pop_as(type);
    llvm::Value* lhs = pop_as(type);
    push_as(op(lhs, rhs));
  }
  void intrinsic1(llvm::Type* type, llvm::Intrinsic::ID id);
  void intrinsic2(llvm::Type* type, llvm::Intrinsic::ID id);

  // --- control.cpp
  void translate_control(const Instr& in);
  void skip_dead(const Instr& in);
  bool block_signature(const BlockType& type, std::vector<llvm::Type*>& params,
                       std::vector<llvm::Type*>& results);
  void push_frame(Frame::Kind kind, std::vector<llvm::Type*> params,
                  std::vector<llvm::Type*> results);
  Frame* label(uint32_t depth);
  /// Adds the top-of-stack values as incoming from the current block to `phis`.
  void add_incoming(std::vector<llvm::PHINode*>& phis);
  /// A label's branch target and the phis its values go to.
  llvm::BasicBlock* label_target(Frame& target);
  std::vector<llvm::PHINode*>& label_phis(Frame& target);
  void branch(Frame& target);
  /// After an unconditional branch that took the top `consumed` values.
  void become_dead(size_t consumed);
  void translate_else();
  void translate_end();
  void translate_br_table(const Instr& in);
  void finish_function(Frame& frame);

  // --- exceptions.cpp (try, catch, catch_all, delegate, throw, rethrow)
  void translate_exception(const Instr& in);
  /// catch (tag = the tag index) or catch_all (no tag): ends the try body or
  /// the previous handler and starts this one.
  void begin_catch(std::optional<uint32_t> tag);
  /// delegate: ends the try body; its exceptions go where those of label
  /// `depth` (counted from outside the try) go.
  void end_delegate(uint32_t depth);
  /// At the end of a try: exceptions no handler took go further out.
  void close_handlers(Frame& frame);
  /// Where an exception raised inside frames_[pos] goes: the innermost try
  /// body around it, or the function's unwind block.
  llvm::BasicBlock* handler_from(size_t pos);
  llvm::BasicBlock* current_handler() { return handler_from(frames_.size() - 1); }
  /// The function's exit for an exception leaving it (filled by finish_unwind).
  llvm::BasicBlock* unwind_block();
  /// After a call that may leave a pending exception: to the handler if so.
  void check_pending_exception();
  /// Frees the exceptions the function's catch blocks hold (at its exits).
  void drop_caught_exceptions();
  void finish_unwind();
  llvm::Value* pending_exception_field();
  llvm::Value* tag_identity(uint32_t tag);

  // --- variables.cpp (locals, globals, drop, select)
  void translate_variable(const Instr& in);

  // --- numeric.cpp
  void translate_numeric(const Instr& in);
  llvm::Value* int_divide(NumericOp op, llvm::Value* lhs, llvm::Value* rhs);
  /// Sets the quiet bit of x if it is a NaN (where LLVM may skip the hardware op).
  llvm::Value* quiet_nan(llvm::Value* x);
  llvm::Value* float_arith(llvm::Instruction::BinaryOps op, llvm::Value* lhs, llvm::Value* rhs);
  llvm::Value* float_min_max(bool is_min, llvm::Value* lhs, llvm::Value* rhs);

  // --- conversions.cpp
  void translate_conversion(const Instr& in);
  llvm::Value* checked_truncate(llvm::Value* x, llvm::IntegerType* to, bool is_signed);
  /// Saturating float-to-int truncation, of scalars or lane-wise.
  void trunc_sat(llvm::Type* from, llvm::Type* to, bool is_signed);

  // --- memory.cpp
  void translate_memory(const Instr& in);
  /// The host address of an access of `size` bytes at addr + offset in `memory`.
  llvm::Value* memory_address(uint32_t memory, llvm::Value* addr, uint64_t offset, uint32_t size);
  /// The same for a 64-bit memory: always an explicit check (see memory.cpp).
  llvm::Value* memory64_address(uint32_t memory, llvm::Value* addr, uint64_t offset, uint32_t size);
  /// i32, or i64 for a 64-bit memory.
  llvm::IntegerType* address_type(uint32_t memory) const;
  /// The current size of `memory` in bytes (it changes with memory.grow: not cached).
  llvm::LoadInst* memory_bytes(uint32_t memory);
  /// Pops the address operand of a memory instruction; the address of its access.
  llvm::Value* pop_address(const Instr& in);
  void scalar_load(const Instr& in, bool sign_extend);
  void scalar_store(const Instr& in);
  llvm::LoadInst* load_linear(llvm::Type* type, llvm::Value* addr, uint32_t memory);
  void store_linear(llvm::Value* value, llvm::Value* addr, uint32_t memory);
  /// Whether an access to `memory` traps by faulting in its guard region
  /// (rather than on an explicit compare): its loads and stores are volatile.
  bool faults_at_guard(uint32_t memory) const;
  /// Makes a load or store of `memory` volatile and tags it kGuardedAccessMetadata.
  void mark_guarded(llvm::Instruction* access, uint32_t memory);
  /// Pushes a value computed directly from a linear-memory load (see keep_load).
  void push_loaded(llvm::Value* value, llvm::LoadInst* load);

  // --- calls.cpp
  void translate_call(const Instr& in);
  /// The call's arguments: callee vmctx, this vmctx, then the popped parameters.
  std::vector<llvm::Value*> pop_call_args(uint32_t type_index, llvm::Value* callee_vmctx);
  /// One call in `convention`; for a tail call (`tail`), followed by a
  /// return of its results (musttail when the convention allows).
  llvm::CallInst* emit_call_instr(uint32_t type_index, llvm::FunctionCallee callee,
                                  const std::vector<llvm::Value*>& args,
                                  llvm::CallingConv::ID convention, bool tail);
  /// Pops the arguments and calls; pushes the results, or, for a tail call
  /// (`tail`), returns them and leaves the rest of the block dead. may_throw:
  /// the callee may leave a pending exception (see check_pending_exception).
  void emit_wasm_call(uint32_t type_index, llvm::FunctionCallee callee, llvm::Value* callee_vmctx,
                      llvm::CallingConv::ID convention, bool tail, bool may_throw);
  /// call_indirect / return_call_indirect of type `type_index` through
  /// `table` (index and arguments on the operand stack).
  void translate_call_indirect(uint32_t type_index, uint32_t table, bool tail);
  /// The elements of `sealed` a direct call of type `type_index` may take
  /// (for a `musttail` call: those with a swifttailcc body), ascending; with
  /// `may_throw`, only those whose call may (true) or cannot (false) leave
  /// a pending exception.
  std::vector<uint32_t> sealed_matches(const SealedTable& sealed, uint32_t type_index, bool musttail,
                                       std::optional<bool> may_throw) const;
  /// Calls through `ref`, an import's VMFuncRef, popping the arguments;
  /// then as emit_wasm_call.
  void emit_call_through_ref(uint32_t type_index, llvm::Value* ref, bool from_table, bool tail,
                             bool may_throw);
  /// Calls through `ref`, an import's VMFuncRef or (from_table) a table
  /// element (abi::VMTableElement): code(vmctx, this vmctx, args...), or for
  /// a tail call its tail_code when it has one (args[0], the callee vmctx,
  /// is set here). A table element's callee is usually of this instance: a
  /// tail call passes its vmctx through own_vmctx_asm. Returns the call, or
  /// null after a musttail call (both paths then return).
  llvm::CallInst* call_through_ref(uint32_t type_index, llvm::Value* ref, bool from_table, bool tail,
                                   std::vector<llvm::Value*> args);
  /// After a call returning `result`: the pending-exception test (may_throw),
  /// then the results pushed.
  void push_call_results(uint32_t type_index, llvm::Value* result, bool may_throw);

  // --- tables.cpp
  void translate_table(const Instr& in);
  /// Address of element `index` of table `table`; traps with `code` if out of bounds.
  llvm::Value* table_slot(uint32_t table, llvm::Value* index, TrapCode code);
  /// The LLVM type of one abi::VMTableElement (for indexing).
  llvm::Type* element_type() const;
  /// Stores `ref` into the element at `slot` of `table` (abi::funcref_table_element).
  void store_element(uint32_t table, llvm::Value* slot, llvm::Value* ref);
  /// The size of a table whose type has min == max (it can never change), else nullopt.
  std::optional<uint32_t> fixed_table_size(uint32_t table) const;
  /// The elements of such a table, loaded once per function (they never move).
  llvm::Value* fixed_table_elements(uint32_t index);

  // --- references.cpp
  void translate_reference(const Instr& in);

  // --- atomics.cpp (threads)
  void translate_atomic(const Instr& in);
  llvm::Value* aligned_effective_address(llvm::Value* addr, const Instr& in);
  /// Pops the address of an atomic access; traps if misaligned or out of bounds.
  llvm::Value* atomic_address(const Instr& in);
  llvm::Value* pop_atomic_operand_address(const Instr& in);
  /// The access's integer type (i8 for rmw8) and its value's type (i32 / i64).
  std::pair<llvm::IntegerType*, llvm::Type*> atomic_types(const Instr& in);
  void atomic_load(const Instr& in);
  void atomic_store(const Instr& in);
  void atomic_rmw(const Instr& in, llvm::AtomicRMWInst::BinOp op);
  void atomic_cmpxchg(const Instr& in);

  // --- bulk_memory.cpp
  void translate_bulk_memory(const Instr& in);
  /// Traps unless [start, start + len64) lies in `memory`; its address.
  /// `start` is of the memory's address type.
  llvm::Value* checked_range(uint32_t memory, llvm::Value* start, llvm::Value* len64);
  void mark_libc_memory_call(llvm::CallInst* call);

  // --- simd.cpp
  void translate_simd(const Instr& in);

  // --- traps.cpp
  llvm::BasicBlock* trap_block(TrapCode code);
  /// Traps if `cond` holds; continues in a fresh block otherwise.
  void trap_if(llvm::Value* cond, TrapCode code);
  /// Traps unconditionally; what follows is dead code.
  void trap(TrapCode code);
  /// Stack-limit check (and, for interruptible code, the interrupt poll) at
  /// the insertion point; continues to `next`. Returns the check's branch.
  llvm::BranchInst* emit_stack_check(llvm::BasicBlock* next);
  /// The check at function entry, emitted before the body is known.
  void emit_entry_check();
  /// Once the body is known: where the checks go instead of the entry, so
  /// that paths without calls skip them; nullopt if there would be too many.
  std::optional<std::vector<llvm::Instruction*>> stack_check_points();
  /// Moves the entry check to those places (none for functions without calls).
  void place_stack_checks();
  /// Polls the interrupt flag; loop-header polls are marked for poll elision.
  void emit_interrupt_check(bool loop_header = false);
  /// Reads the poll page (faults once the store is interrupted).
  llvm::CallInst* emit_poll();

  // --- vm_access.cpp
  llvm::LoadInst* load_field(llvm::IRBuilderBase& b, llvm::Type* type, llvm::Value* base,
                             uint64_t offset, MemKind kind, const llvm::Twine& name = "");
  /// Loads a pointer field in the entry block, once per function, as an
  /// invariant load; `pointee_bytes` > 0 adds nonnull + dereferenceable.
  llvm::Value* cached_pointer(uint64_t key, llvm::Value* base, uint64_t offset,
                              uint64_t pointee_bytes, uint64_t pointee_align, const char* name);
  llvm::Value* vmctx_field(uint64_t offset, uint64_t pointee_bytes, uint64_t pointee_align,
                           const char* name);
  /// Memory 0 straight from the VMContext, others through VMContext::memories.
  llvm::Value* memory_base(uint32_t memory);
  llvm::Value* vm_memory(uint32_t memory);
  llvm::Value* store_context();
  llvm::Value* global_storage(uint32_t index);
  llvm::Value* table_object(uint32_t index);
  llvm::Value* func_ref(uint32_t index);
  llvm::Value* type_id(uint32_t type_index);
  /// VMContext::tags[index]: the identity of a tag.
  llvm::Value* tag_object(uint32_t index);
  /// Calls the builtin at `offset` with the vmctx, then `args`.
  llvm::CallInst* call_builtin(uint64_t offset, llvm::Type* result,
                               const std::vector<llvm::Value*>& args);
  /// Calls the runtime function at `offset` of the builtins table with `args` only.
  llvm::CallInst* call_runtime(uint64_t offset, llvm::Type* result,
                               const std::vector<llvm::Value*>& args);
  static void mark_invariant(llvm::LoadInst* load);

  ModuleContext& m_;
  const Module& wasm_;
  uint32_t defined_index_;
  uint32_t func_index_;
  const FuncType& type_;
  llvm::Function* fn_;
  llvm::IRBuilder<TranslationFolder> b_;
  llvm::Value* vmctx_ = nullptr;
  llvm::BranchInst* entry_br_ = nullptr;  // cached vmctx loads go just before it

  std::vector<llvm::AllocaInst*> locals_;
  std::vector<llvm::Value*> stack_;
  std::vector<Frame> frames_;
  bool reachable_ = true;
  uint32_t dead_depth_ = 0;  // constructs opened inside dead code
  std::optional<std::string> error_;
  bool completed_ = false;
  llvm::BranchInst* entry_check_ = nullptr;  // the entry check's branch, while removable
  std::vector<llvm::Instruction*> calls_;     // every call to wasm or host code
  size_t max_height_ = 0;                     // deepest operand stack

  llvm::DenseMap<llvm::Value*, llvm::LoadInst*> memory_loads_;  // value -> its load
  llvm::DenseMap<uint64_t, llvm::Value*> cache_;
  llvm::BasicBlock* trap_blocks_[abi::kMaxTrapCode + 1] = {};
  llvm::BasicBlock* unwind_ = nullptr;              // see unwind_block()
  std::vector<llvm::AllocaInst*> caught_slots_;     // every try's Frame::caught
};

}  // namespace kiln::aotc
