// Per-module state shared by every function translation: LLVM types of wasm
// values, the wasm calling convention, declared functions and alias classes.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include <llvm/IR/DerivedTypes.h>
#include <llvm/IR/Function.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Metadata.h>
#include <llvm/IR/InstrTypes.h>
#include <llvm/IR/Module.h>

#include "aotc/codegen/codegen.h"
#include "aotc/wasm/module.h"

namespace kiln::aotc {

/// Disjoint kinds of memory generated code touches. Each gets its own TBAA
/// type, so e.g. a store to linear memory never forces a reload of a table
/// size or a global. Only accesses emitted by aotc carry these tags; calls
/// (builtins, host functions) still clobber everything.
enum class MemKind : uint8_t {
  LinearMemory,   // guest memory bytes
  VMStructure,    // VMContext fields and the arrays/structs they point to (read-only)
  GlobalValue,    // VMGlobal storage
  TableHeader,    // VMTable::elements and VMTable::size (changed only by builtins)
  TableElement,   // the element slots of a table
  MemoryHeader,   // VMMemory::size (changed only by builtins)
  StoreState,     // VMStoreContext fields
  Count,
};

class ModuleContext {
 public:
  ModuleContext(const Module& wasm, const CodegenOptions& options, llvm::Module& out);

  const Module& wasm;
  const CodegenOptions& options;
  llvm::Module& llvm_module;
  llvm::LLVMContext& ctx;

  llvm::Type* void_ty;
  llvm::IntegerType* i1;
  llvm::IntegerType* i8;
  llvm::IntegerType* i16;
  llvm::IntegerType* i32;
  llvm::IntegerType* i64;
  llvm::Type* f32;
  llvm::Type* f64;
  llvm::FixedVectorType* v128;  // <2 x i64>, see codegen.h
  llvm::PointerType* ptr;

  /// LLVM type of a wasm value type.
  llvm::Type* val_type(ValType t) const;
  /// void, the single result, or a literal struct of the results.
  llvm::Type* results_type(const FuncType& type) const;
  /// R (ptr callee_vmctx, ptr caller_vmctx, P...) for a type index.
  llvm::FunctionType* signature(uint32_t type_index) const { return signatures_[type_index]; }
  /// Whether defined function i's body is swifttailcc (body_convention(i)):
  /// those with a return_call*, which `musttail` needs. Called directly
  /// inside the module, such a body has a swiftcc entry (entry_symbol) for
  /// everything else, and is the function's VMFuncRef::tail_code. The other
  /// functions keep the wasm convention (swifttailcc's callee-popped stack
  /// arguments cost every ordinary call): a return_call to one is a call and
  /// a return, one frame deeper, but it cannot tail-call on, so a chain of
  /// tail calls still keeps one frame.
  bool tail_body(uint32_t defined_index) const { return wasm.tail_calls_in(defined_index); }
  /// The calling convention of defined function i's body.
  llvm::CallingConv::ID body_convention(uint32_t defined_index) const {
    return tail_body(defined_index) ? llvm::CallingConv::SwiftTail : llvm::CallingConv::Swift;
  }
  /// The function symbol of a defined function: those declare_functions
  /// declared, or a declaration made on first use (a function another
  /// partition defines; see generate_partition).
  llvm::Function* defined_function(uint32_t defined_index);
  /// The TBAA access tag of a memory kind.
  llvm::MDNode* tbaa(MemKind kind) const { return tbaa_[static_cast<size_t>(kind)]; }

  /// Attributes every generated function carries (frame pointers for the
  /// loader's backtraces, no tail calls so runaway recursion hits the stack
  /// limit instead of becoming a loop; return_call's `musttail` calls are
  /// made regardless).
  void add_common_attributes(llvm::Function& fn) const;

  /// The wasm calling convention (abi::VMFuncRef::code): LLVM's swiftcc with
  /// the callee vmctx as swiftself, so it travels in a callee-saved register
  /// (x86-64: r13, aarch64: x20) that calls within an instance never reload. For a function that
  /// has the signature() of some type, and for each call to one.
  static void use_wasm_convention(llvm::Function& fn);
  static void use_wasm_convention(llvm::CallBase& call);

  /// Whether swifttailcc returns all of `type`'s results in registers on
  /// every target (x86-64: rax, rdx, rcx, r8 and xmm0-3; aarch64 has more):
  /// at most 4 integers or references and 4 floats or vectors. LLVM returns
  /// more through memory, and cannot make a `musttail` call then: such a
  /// return_call is a call and a return, one frame deeper.
  static bool results_in_registers(const FuncType& type);

  /// For a tail_body(i): defines entry_symbol(i), the swiftcc entry of defined
  /// function i, which calls its body (never inlined there: the body's trap
  /// sites must stay in kiln_f<N>).
  void define_entry(uint32_t defined_index);

  /// The least type index whose function type equals `type_index`'s: two
  /// types match in call_indirect exactly when these are equal.
  uint32_t canonical_type(uint32_t type_index) const { return canonical_types_[type_index]; }

  /// A sealed table element's defined-function index when the sealed
  /// arrays know it (a function defined here), else nullopt.
  std::optional<uint32_t> sealed_function(uint32_t func) const;
  /// What CallTypes holds for defined function `defined`: its
  /// canonical_type doubled, plus one if a call to it may leave a pending
  /// exception (so a direct call tests for one only after such callees).
  uint32_t sealed_call_type(uint32_t defined) const;

  /// The constant arrays a sealed table's call_indirects read (SealedTable),
  /// per element: its function's sealed_call_type (Call*) or canonical_type
  /// (Tail*), UINT32_MAX when not a function defined here; and its code as an i32 offset from the array
  /// (llvm.load.relative), in the wasm convention (Call*: a tail body's
  /// entry) or as a swifttailcc body for `musttail` (Tail*: elements whose
  /// function has none are UINT32_MAX and 0 there).
  /// Hidden symbols: declared where used, defined by define_sealed_arrays.
  enum class SealedArray : uint8_t { CallTypes, CallCode, TailTypes, TailCode };
  llvm::GlobalVariable* sealed_array(uint32_t table, SealedArray which);
  /// Defines every sealed table's arrays (one partition does; see
  /// generate_partition). After the entries of this partition are defined.
  void define_sealed_arrays();

  /// Checks every defined function's type index, then declares kiln_f<N>
  /// for the defined functions [first, end), in index order (bodies come
  /// later; the order is the order of their code in the object).
  Error declare_functions(uint32_t first, uint32_t end);

 private:
  llvm::Function* declare_function(uint32_t defined_index);

  /// A function declaration by symbol (the body or entry another partition defines).
  llvm::Function* function_by_symbol(const std::string& symbol, uint32_t defined_index,
                                     llvm::CallingConv::ID convention);

  std::vector<llvm::FunctionType*> signatures_;
  std::vector<uint32_t> canonical_types_;
  std::vector<llvm::Function*> functions_;  // by defined index; null until declared
  std::array<llvm::MDNode*, static_cast<size_t>(MemKind::Count)> tbaa_{};
};

}  // namespace kiln::aotc
